import assert from 'node:assert/strict';
import path from 'node:path';
import { platformAgent } from '../../../../src/agents/platform/platformAgent';
import { reviewFiles } from '../../../../src/agents/platform/hardening';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { PassThrough } from 'node:stream';
import { main } from '../../../../src/cli/main';
import { type Harness, makeHarness } from '../runtime/harness';
import { HARDENING_FIXTURES, readTree } from './fixtureFiles';

describe('platform harden', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    for (const f of await readTree(path.join(HARDENING_FIXTURES, 'bad'))) await h.write(f.path, f.text);
    await h.write('package.json', JSON.stringify({ name: '@shop/web', dependencies: { express: '^4.21.0', pg: '^8.0.0' } }));
    await h.write('src/server.js', "const app = require('express')();\napp.get('/healthz', (_q, r) => r.send('ok'));\napp.listen(process.env.PORT || 4000);\nconst db = process.env.DATABASE_URL;\n");
  });
  afterEach(async () => h.dispose());

  it('plans the findings of the review of every reviewable file, with what it found and nothing to change', async () => {
    const result = await runAgent(h.services, { agent: platformAgent, action: 'harden', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const plan = result.plan!;
    const expected = await reviewFiles(await readTree(path.join(HARDENING_FIXTURES, 'bad')));
    assert.deepEqual(plan.findings.map((f) => f.fingerprint).sort(), expected.map((f) => f.fingerprint).sort());
    assert.deepEqual(plan.edits, []);
    const facts = new Map(plan.facts.map((f) => [f.label, f.value]));
    assert.equal(facts.get('Stack'), 'node (express)');
    assert.equal(facts.get('Port'), '80', 'EXPOSE in the Dockerfile wins over the code');
    assert.equal(facts.get('Health endpoint'), '/healthz');
    assert.equal(facts.get('Databases'), 'PostgreSQL');
    assert.equal(facts.get('Environment variables the code reads'), 'DATABASE_URL (secret)');
    assert.match(facts.get('Reviewed')!, /1 githubActions|2 githubActions/);
    assert.equal(plan.summary, '47 findings (6 critical, 14 high, 16 medium, 11 low) in 6 of 6 reviewed files; 18 with a fix.');
    assert.ok(plan.notes.some((n) => /18 findings have a fix/.test(n)));
  });

  it('--fix applies every certain fix in one approved change; the files then review without fixable findings', async () => {
    const result = await runAgent(h.services, { agent: platformAgent, action: 'harden', input: { fix: true } });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual([...result.applied.edits].sort(), ['.github/workflows/ci.yml', 'Dockerfile', 'azure-pipelines.yml', 'infra/main.tf', 'k8s/deployment.yaml']);
    assert.equal(h.ui.reviews.length, 1, 'one review for every fix');
    assert.match((await h.read('Dockerfile'))!, /^USER 10001$/m);
    const again = await runAgent(h.services, { agent: platformAgent, action: 'harden', input: {}, mode: 'plan' });
    assert.deepEqual(again.plan!.findings.filter((f) => f.fix).map((f) => `${f.file}:${f.line} ${f.ruleId}`), []);
  });

  it('a file changed after the review is not overwritten by its fix', async () => {
    const ui = h.ui;
    ui.review = async (r) => {
      await h.write('Dockerfile', 'FROM scratch\n');
      return { edits: r.edits.map((e) => e.path), commands: [], remote: [] };
    };
    const result = await runAgent(h.services, { agent: platformAgent, action: 'harden', input: { fix: true } });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error!, /Dockerfile was changed while the plan was being reviewed; nothing was written/);
    assert.equal(await h.read('Dockerfile'), 'FROM scratch\n');
    assert.match((await h.read('k8s/deployment.yaml'))!, /privileged: true/, 'all or nothing: no other fix was written either');
  });

  it('a file that is not UTF-8 is named in the notes and the rest is reviewed', async () => {
    await h.write('broken/Dockerfile', '');
    const { promises: fs } = await import('node:fs');
    await fs.writeFile(path.join(h.root, 'broken', 'Dockerfile'), Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a]));
    const result = await runAgent(h.services, { agent: platformAgent, action: 'harden', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.ok(result.plan!.notes.some((n) => /^Not reviewed: broken\/Dockerfile: .*not UTF-8/.test(n)), result.plan!.notes.join('\n'));
    assert.ok(result.plan!.findings.length > 40);
  });

  it('ai-devops platform harden [path] --json prints the findings (rule, severity, file, line, message, fingerprint); exit 1 at high', async () => {
    let out = '';
    const stdout = new PassThrough().on('data', (d: Buffer) => (out += d.toString()));
    const stderr = new PassThrough().resume();
    const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const code = await main({ argv: ['platform', 'harden', h.root, '--json'], env: { XDG_STATE_HOME: path.join(h.root, '..', `${path.basename(h.root)}-state`) }, cwd: h.root, stdout, stderr, stdin });
    assert.equal(code, 1);
    const doc = JSON.parse(out) as { findings: Record<string, unknown>[]; reviewed: number; run: { outcome: string } };
    assert.equal(doc.run.outcome, 'succeeded');
    assert.equal(doc.reviewed, 6);
    const first = doc.findings.find((f) => f.ruleId === 'dockerfile/runs-as-root')!;
    for (const key of ['ruleId', 'severity', 'file', 'line', 'message', 'fingerprint']) assert.ok(key in first, key);
    assert.equal(first.file, 'Dockerfile');
    assert.equal(first.line, 17);
  });
});
