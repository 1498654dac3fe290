import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
import { AdvisoryDatabase, npmRegistryStandIn, osvStandIn } from '../../../src/sandbox/advisories';
import { SandboxServer } from '../../../src/sandbox/http/server';
import { plantedSecrets } from '../agents/security/secretCorpus';

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const code = await main({ argv, env: { XDG_STATE_HOME: path.join(cwd, '..', 'state'), ...env }, cwd, stdout, stderr, stdin });
  return { code, stdout: out, stderr: err };
}

describe('ai-devops security scan', () => {
  let dir: string;
  let server: SandboxServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = new SandboxServer();
    const db = new AdvisoryDatabase();
    server.mount(npmRegistryStandIn(db));
    server.mount(osvStandIn(db));
    await server.start();
    env = { AIDEVOPS_NPM_REGISTRY: server.urlOf('npmRegistry'), AIDEVOPS_OSV_URL: server.urlOf('osv') };
  });
  after(async () => server.stop());
  beforeEach(async () => {
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-seccli-')));
    await fs.mkdir(path.join(dir, 'ws', 'src'), { recursive: true });
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('prints the issue\'s JSON shape, writes --sarif, exits 1 on a finding at or above --fail-on and never prints the secret', async () => {
    const [secret] = plantedSecrets(29).filter((p) => p.kind === 'GitHub classic token');
    await fs.writeFile(path.join(dir, 'ws', 'src', 'gh.ts'), secret!.text);
    await fs.writeFile(path.join(dir, 'ws', 'requirements.txt'), 'requests==2.19.1\n');
    const r = await run(['security', 'scan', 'ws', '--json', '--only', 'secrets,dependencies', '--sarif', 'out.sarif'], dir, env);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { findings: Record<string, unknown>[]; skipped: unknown[] };
    assert.deepEqual(doc.findings.map((f) => [f.ruleId, f.category, f.severity, f.file, f.line, typeof f.fingerprint, f.suppressed]), [
      ['@secretlint/secretlint-rule-github', 'secrets', 'critical', 'src/gh.ts', 2, 'string', false],
      ['GHSA-x84v-xcm2-53pg', 'dependencies', 'high', 'requirements.txt', 1, 'string', false],
    ]);
    assert.deepEqual(doc.skipped, []);
    const sarif = JSON.parse(await fs.readFile(path.join(dir, 'out.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0]!.results.length, 2);
    const audit = (await fs.readdir(path.join(dir, 'ws', '.devops', 'audit'))).map((f) => path.join(dir, 'ws', '.devops', 'audit', f));
    const trail = (await Promise.all(audit.map((f) => fs.readFile(f, 'utf8')))).join('');
    for (const text of [r.stdout, r.stderr, JSON.stringify(sarif), trail]) assert.ok(!text.includes(secret!.secret), 'the secret leaked');
    assert.equal((await run(['security', 'scan', 'ws', '--json', '--only', 'dependencies', '--fail-on', 'critical'], dir, env)).code, 0);
  });

  it('reports offline advisories as skipped, with why, and suppress records who and why so the finding no longer blocks', async () => {
    await fs.writeFile(path.join(dir, 'ws', 'requirements.txt'), 'requests==2.19.1\n');
    const offline = await run(['security', 'ws', '--json', '--only', 'dependencies'], dir, { AIDEVOPS_NPM_REGISTRY: 'http://127.0.0.1:9', AIDEVOPS_OSV_URL: 'http://127.0.0.1:9' });
    assert.equal(offline.code, 0);
    const skipped = (JSON.parse(offline.stdout) as { skipped: { category: string; why: string }[] }).skipped;
    assert.equal(skipped[0]!.category, 'dependencies');
    assert.match(skipped[0]!.why, /not checked: .*cannot be reached/);

    const first = JSON.parse((await run(['security', 'scan', 'ws', '--json', '--only', 'dependencies'], dir, env)).stdout) as { findings: { fingerprint: string }[] };
    const fp = first.findings[0]!.fingerprint;
    const s = await run(['security', 'suppress', fp, 'ws', '--reason', 'not reachable from our code', '--yes'], dir, { ...env, USER: 'ana' });
    assert.equal(s.code, 0, s.stderr);
    const baseline = JSON.parse(await fs.readFile(path.join(dir, 'ws', '.devops', 'security-baseline.json'), 'utf8')) as { suppressions: { by: string; reason: string; ruleId: string }[] };
    assert.deepEqual([baseline.suppressions[0]!.by, baseline.suppressions[0]!.reason, baseline.suppressions[0]!.ruleId], ['ana', 'not reachable from our code', 'GHSA-x84v-xcm2-53pg']);
    const after = await run(['security', 'scan', 'ws', '--json', '--only', 'dependencies'], dir, env);
    assert.equal(after.code, 0);
    assert.equal((JSON.parse(after.stdout) as { findings: { suppressed: boolean }[] }).findings[0]!.suppressed, true);
  });

  it('refuses a baseline that is not one, hiding nothing', async () => {
    await fs.mkdir(path.join(dir, 'ws', '.devops'));
    await fs.writeFile(path.join(dir, 'ws', '.devops', 'security-baseline.json'), JSON.stringify({ version: 1, suppressions: [{ fingerprint: 'x', reason: '' }] }));
    const r = await run(['security', 'scan', 'ws', '--json', '--only', 'secrets'], dir, env);
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.stdout).run.error as string, /security-baseline\.json is not a security baseline: suppressions\.0\.fingerprint.*No finding was hidden/);
  });
});
