import assert from 'node:assert/strict';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { securityAgent } from '../../../../src/agents/security/securityAgent';
import { advisoryServices, smallestFix } from '../../../../src/providers/advisories';
import { AdvisoryDatabase, npmRegistryStandIn, osvStandIn } from '../../../../src/sandbox/advisories';
import { SandboxServer } from '../../../../src/sandbox/http/server';
import { type Harness, makeHarness } from '../runtime/harness';

/** Lockfiles of every format, built here: lodash 4.17.20 through express (npm), minimist 1.2.5 direct, requests 2.19.1 and PyYAML 5.3 (PyPI). */
const PACKAGE_JSON = JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { express: '^4.17.1', minimist: '^1.2.5' } }, null, 2);
const PACKAGE_LOCK = JSON.stringify(
  {
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', dependencies: { express: '^4.17.1', minimist: '^1.2.5' } },
      'node_modules/express': { version: '4.17.1', dependencies: { lodash: '^4.17.20' } },
      'node_modules/lodash': { version: '4.17.20' },
      'node_modules/minimist': { version: '1.2.5' },
    },
  },
  null,
  2,
);
const YARN_LOCK = `# yarn lockfile v1\n\nexpress@^4.17.1:\n  version "4.17.1"\n  dependencies:\n    lodash "^4.17.20"\n\nlodash@^4.17.20:\n  version "4.17.20"\n\nminimist@^1.2.5:\n  version "1.2.5"\n`;
const PNPM_LOCK = `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      express:\n        specifier: ^4.17.1\n        version: 4.17.1\n      minimist:\n        specifier: ^1.2.5\n        version: 1.2.5\npackages:\n  express@4.17.1:\n    resolution: {integrity: sha512-x}\n  lodash@4.17.20:\n    resolution: {integrity: sha512-y}\n  minimist@1.2.5:\n    resolution: {integrity: sha512-z}\nsnapshots:\n  express@4.17.1:\n    dependencies:\n      lodash: 4.17.20\n  lodash@4.17.20: {}\n  minimist@1.2.5: {}\n`;
const REQUIREMENTS = 'requests==2.19.1\nPyYAML==5.3  # config\nflask>=2.0\n';
const POETRY_LOCK = `[[package]]\nname = "requests"\nversion = "2.19.1"\n\n[package.dependencies]\nurllib3 = ">=1.21.1"\n\n[[package]]\nname = "urllib3"\nversion = "1.26.5"\n\n[[package]]\nname = "pyyaml"\nversion = "5.3"\n`;
const PYPROJECT = `[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "2.19.1"\npyyaml = "5.3"\n`;
const UV_LOCK = `version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "requests" }]\n\n[[package]]\nname = "requests"\nversion = "2.19.1"\nsource = { registry = "https://pypi.org/simple" }\ndependencies = [{ name = "pyyaml" }]\n\n[[package]]\nname = "pyyaml"\nversion = "5.3"\nsource = { registry = "https://pypi.org/simple" }\n`;

describe('security agent: dependencies against the advisory stand-ins', () => {
  let server: SandboxServer;
  let db: AdvisoryDatabase;
  let h: Harness;
  before(async () => {
    server = new SandboxServer();
    db = new AdvisoryDatabase();
    server.mount(npmRegistryStandIn(db));
    server.mount(osvStandIn(db));
    await server.start();
  });
  after(async () => server.stop());
  beforeEach(async () => {
    h = await makeHarness({ providers: { advisories: advisoryServices({ npmRegistryUrl: server.urlOf('npmRegistry'), osvUrl: server.urlOf('osv') }, fetch) } });
  });
  afterEach(async () => h.dispose());

  const scan = async () => {
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['dependencies'] }, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    return result.plan!;
  };
  const summary = (findings: readonly { file?: string; ruleId: string; message: string }[]) => findings.map((f) => `${f.file} ${f.ruleId}`).sort();

  for (const [name, file, text] of [['package-lock.json v3', 'package-lock.json', PACKAGE_LOCK], ['yarn.lock', 'yarn.lock', YARN_LOCK], ['pnpm-lock.yaml v9', 'pnpm-lock.yaml', PNPM_LOCK]] as const) {
    it(`${name}: each advisory on its package, traced to the direct dependency, with the fixing version`, async () => {
      await h.write('package.json', PACKAGE_JSON);
      await h.write(file, text);
      const plan = await scan();
      assert.deepEqual(summary(plan.findings), [`${file} GHSA-35jh-r3h4-6jhm`, `${file} GHSA-xvch-5gv4-984h`]);
      const lodash = plan.findings.find((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')!;
      assert.equal(lodash.severity, 'high');
      assert.match(lodash.message, /lodash 4\.17\.20 \(brought in by express\).*Fixed in 4\.17\.21/);
      assert.equal(lodash.fix, undefined, 'a transitive package gets no automatic edit');
      const minimist = plan.findings.find((f) => f.ruleId === 'GHSA-xvch-5gv4-984h')!;
      assert.equal(minimist.severity, 'critical');
      assert.match(minimist.message, /minimist 1\.2\.5 \(a direct dependency\).*Fixed in 1\.2\.6/);
      assert.match(minimist.fix!.edits[0]!.content, /"minimist": "\^1\.2\.6"/);
      assert.equal(minimist.helpUri, 'https://github.com/advisories/GHSA-xvch-5gv4-984h');
      assert.ok(minimist.line && minimist.line > 1);
      assert.deepEqual((plan.result as { skipped: unknown[] }).skipped, []);
    });
  }

  it('requirements.txt, poetry.lock and uv.lock through OSV; unpinned requirements named as not checked', async () => {
    await h.write('svc/requirements.txt', REQUIREMENTS);
    await h.write('poetry/poetry.lock', POETRY_LOCK);
    await h.write('poetry/pyproject.toml', PYPROJECT);
    await h.write('uv/uv.lock', UV_LOCK);
    const plan = await scan();
    assert.deepEqual(summary(plan.findings), [
      'poetry/poetry.lock GHSA-8q59-q68h-6hv4',
      'poetry/poetry.lock GHSA-x84v-xcm2-53pg',
      'svc/requirements.txt GHSA-8q59-q68h-6hv4',
      'svc/requirements.txt GHSA-x84v-xcm2-53pg',
      'uv/uv.lock GHSA-8q59-q68h-6hv4',
      'uv/uv.lock GHSA-x84v-xcm2-53pg',
    ]);
    const uvYaml = plan.findings.find((f) => f.file === 'uv/uv.lock' && f.ruleId === 'GHSA-8q59-q68h-6hv4')!;
    assert.match(uvYaml.message, /pyyaml 5\.3 \(brought in by requests\).*Fixed in 5\.4/);
    const pinned = plan.findings.find((f) => f.file === 'svc/requirements.txt' && f.ruleId === 'GHSA-x84v-xcm2-53pg')!;
    assert.equal(pinned.line, 1);
    assert.equal(pinned.fix!.edits[0]!.content.split('\n')[0], 'requests==2.20.0');
    assert.ok(plan.notes.some((n) => /flask>=2\.0.*not pinned/.test(n)));
  });

  it('offline: the packages are "not checked, with why", never clean', async () => {
    await h.dispose();
    h = await makeHarness({ providers: { advisories: advisoryServices({ npmRegistryUrl: 'http://127.0.0.1:9/npm', osvUrl: 'http://127.0.0.1:9/osv' }, fetch) } });
    await h.write('package.json', PACKAGE_JSON);
    await h.write('package-lock.json', PACKAGE_LOCK);
    const plan = await scan();
    assert.deepEqual(plan.findings, []);
    const skipped = (plan.result as { skipped: { category: string; why: string }[] }).skipped;
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.category, 'dependencies');
    assert.match(skipped[0]!.why, /3 npm packages not checked: .*cannot be reached.*OSV.*cannot be reached/);
  });

  it('a refusing registry (403) falls back to OSV for npm packages', async () => {
    server.faults.set([{ route: 'npm.advisoriesBulk', kind: 'status', status: 403 }]);
    try {
      await h.write('package.json', PACKAGE_JSON);
      await h.write('package-lock.json', PACKAGE_LOCK);
      const plan = await scan();
      assert.deepEqual(summary(plan.findings), ['package-lock.json GHSA-35jh-r3h4-6jhm', 'package-lock.json GHSA-xvch-5gv4-984h']);
    } finally {
      server.faults.set([]);
    }
  });

  it('a malformed answer and a lockfile that is not one are reported, not taken as clean', async () => {
    server.faults.set([{ route: 'npm.advisoriesBulk', kind: 'malformed' }, { route: 'osv.querybatch', kind: 'malformed' }]);
    try {
      await h.write('package.json', PACKAGE_JSON);
      await h.write('package-lock.json', PACKAGE_LOCK);
      await h.write('web/pnpm-lock.yaml', ': not yaml : [');
      const plan = await scan();
      const skipped = (plan.result as { skipped: { why: string }[] }).skipped.map((s) => s.why).join('\n');
      assert.match(skipped, /web\/pnpm-lock\.yaml was not checked/);
      assert.match(skipped, /npm packages not checked/);
    } finally {
      server.faults.set([]);
    }
  });

  it('no advisory service configured: not checked, with why', async () => {
    await h.dispose();
    h = await makeHarness();
    await h.write('requirements.txt', REQUIREMENTS);
    const plan = await scan();
    assert.match((plan.result as { skipped: { why: string }[] }).skipped[0]!.why, /2 PyPI packages not checked: no advisory service/);
  });

  it('smallestFix reads the fixing version from the vulnerable range', () => {
    assert.equal(smallestFix('4.17.20', '<4.17.21'), '4.17.21');
    assert.equal(smallestFix('1.2.5', '>=1.0.0 <1.2.6 || <0.2.4'), '1.2.6');
    assert.equal(smallestFix('0.1.0', '>=1.0.0 <1.2.6 || <0.2.4'), '0.2.4');
    assert.equal(smallestFix('1.0.0', '*'), undefined);
  });
});
