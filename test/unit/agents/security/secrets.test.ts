import assert from 'node:assert/strict';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { securityAgent } from '../../../../src/agents/security/securityAgent';
import { mayHoldSecret } from '../../../../src/agents/security/secrets/candidates';
import { isPlaceholder } from '../../../../src/agents/security/secrets/placeholders';
import { scanTextForSecrets } from '../../../../src/agents/security/secrets/secretEngine';
import { type Harness, makeHarness } from '../runtime/harness';
import { LOOK_ALIKES, plantedSecrets } from './secretCorpus';

describe('security agent: secrets', () => {
  let h: Harness;
  beforeEach(async () => (h = await makeHarness()));
  afterEach(async () => h.dispose());

  it('finds every planted secret of every kind we claim, once, on its line, and nothing in the look-alikes', async () => {
    const planted = plantedSecrets();
    for (const p of planted) await h.write(p.file, p.text);
    for (const l of LOOK_ALIKES) await h.write(l.file, l.text);
    await h.write('src/clean.ts', 'export const add = (a: number, b: number): number => a + b;\n');
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const findings = result.plan!.findings;
    for (const p of planted) {
      const hits = findings.filter((f) => f.file === p.file);
      assert.equal(hits.length, 1, `${p.kind} in ${p.file}: ${JSON.stringify(hits.map((f) => f.ruleId))}`);
      assert.equal(hits[0]!.ruleId, p.ruleId, p.kind);
      assert.equal(hits[0]!.line, 2, p.kind);
      assert.equal(hits[0]!.category, 'secrets');
    }
    const onLookAlikes = findings.filter((f) => LOOK_ALIKES.some((l) => l.file === f.file));
    assert.deepEqual(onLookAlikes.map((f) => `${f.file} ${f.ruleId}`), []);
    assert.equal(findings.length, planted.length);
  });

  it('never puts a secret value in a finding, the plan, the CLI result or the audit trail', async () => {
    const planted = plantedSecrets(11);
    for (const p of planted) await h.write(p.file, p.text);
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
    const everything = JSON.stringify(result) + JSON.stringify(await h.events()) + h.ui.progressLines.join('\n');
    for (const p of planted) {
      const core = p.secret.includes('PRIVATE KEY') ? p.secret.split('\n')[1]! : p.secret.replace(/^[a-z+]+:\/\/[^:]*:/, '').replace(/@.*$/, '');
      assert.ok(!everything.includes(core), `${p.kind} leaked`);
    }
  });

  it('gives a finding the same fingerprint after lines are added above it, and a different one in another file', async () => {
    const [p] = plantedSecrets(3);
    const first = await scanTextForSecrets(p!.text, { file: 'a.ts' });
    const moved = await scanTextForSecrets(`// header\n\n${p!.text}`, { file: 'a.ts' });
    const elsewhere = await scanTextForSecrets(p!.text, { file: 'b.ts' });
    assert.equal(first[0]!.fingerprint, moved[0]!.fingerprint);
    assert.equal(moved[0]!.line, first[0]!.line! + 2);
    assert.notEqual(first[0]!.fingerprint, elsewhere[0]!.fingerprint);
    assert.match(first[0]!.fingerprint, /^[0-9a-f]{32}$/);
  });

  it('lets every planted file through the candidate filter, and not a file without any anchor', () => {
    for (const p of plantedSecrets(5)) assert.ok(mayHoldSecret(p.text), p.kind);
    assert.equal(mayHoldSecret('export function sum(xs: number[]) { return xs.reduce((a, b) => a + b, 0); }\n'), false);
  });

  it('recognises placeholders and keeps real-looking values', () => {
    for (const v of ['ghp_' + 'X'.repeat(36), '<your-key>', '${DB_PASSWORD}', 'sk-...', 'postgres://u:${PW}@h/db', 'AIza' + '0'.repeat(35), 'changeme', 'xoxb-your-token-here']) assert.ok(isPlaceholder(v), v);
    for (const p of plantedSecrets(9)) assert.equal(isPlaceholder(p.secret), false, p.kind);
  });

  it('honours secretlint-disable comments (the preset\'s filter) as the team\'s own exception', async () => {
    const [, gh] = plantedSecrets(13);
    const findings = await scanTextForSecrets(`// secretlint-disable-next-line\n${gh!.text.split('\n')[1]}\n`, { file: 'x.ts' });
    assert.deepEqual(findings, []);
  });

  it('re-scans only the files it is given', async () => {
    const [a, b] = plantedSecrets(17);
    await h.write('one.ts', a!.text);
    await h.write('two.ts', b!.text);
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'], files: ['two.ts'] }, mode: 'plan' });
    assert.deepEqual(result.plan!.findings.map((f) => f.file), ['two.ts']);
  });

  it('leaves binary and non-UTF-8 files alone and says how many', async () => {
    const [a] = plantedSecrets(19);
    await h.write('image.png', a!.text);
    await h.write('latin1.txt', '');
    await import('node:fs/promises').then((fs) => fs.writeFile(`${h.root}/latin1.txt`, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])));
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
    assert.deepEqual(result.plan!.findings, []);
    assert.match(result.plan!.facts.find((f) => f.label === 'Secrets')!.value, /1 not UTF-8 text/);
  });
});
