import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { QaDiscoverInputSchema, QaRunInputSchema } from '../../../src/agents/qa/qaAgent';
import { main } from '../../../src/cli/main';
import { copyFixture } from '../agents/qa/qaFixtures';

async function cli(argv: string[], cwd: string, state: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const code = await main({ argv, env: { XDG_STATE_HOME: state, PATH: process.env.PATH, HOME: process.env.HOME }, cwd, stdout, stderr, stdin });
  return { code, stdout: out, stderr: err };
}

describe('ai-devops qa run', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(async () => {
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'qa-cli-')));
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('--json --yes --junit --lcov --coverage: the issue\'s JSON at the top level, the reports written, exit 1 when a test fails', async () => {
    await copyFixture('node-test', path.join(dir, 'ws'));
    const r = await cli(['qa', 'run', 'ws', '--json', '--yes', '--coverage', '--junit', 'out/junit.xml', '--lcov', 'out/lcov.info'], dir, path.join(dir, 'state'));
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(doc.frameworks, ['node:test']);
    assert.deepEqual(doc.totals, { passed: 2, failed: 1, skipped: 1, flaky: 0 });
    assert.deepEqual(doc.failures, [{ id: 'test/strings.test.js::strings > upper > keeps digits', file: 'test/strings.test.js', line: 10, message: "Expected values to be strictly equal:'A1' !== 'a1'", expected: "'a1'", actual: "'A1'" }]);
    assert.equal(typeof doc.durationMs, 'number');
    assert.equal((doc.coverage as { files: number }).files, 1);
    assert.match(await fs.readFile(path.join(dir, 'ws/out/junit.xml'), 'utf8'), /<testsuites name="ai-devops qa" tests="4" failures="1" skipped="1"/);
    assert.match(await fs.readFile(path.join(dir, 'ws/out/lcov.info'), 'utf8'), /end_of_record/);
  });

  it('a passing suite exits 0; without --yes in a pipeline the test command is not approved and the suite is reported as not run (exit 1)', async () => {
    await copyFixture('node-test', path.join(dir, 'ws'));
    await fs.writeFile(path.join(dir, 'ws/test/strings.test.js'), "const { test } = require('node:test');\ntest('ok', () => {});\n");
    const ok = await cli(['qa', 'run', 'ws', '--json', '--yes'], dir, path.join(dir, 'state'));
    assert.equal(ok.code, 0, ok.stderr);
    const unapproved = await cli(['qa', 'ws', '--json'], dir, path.join(dir, 'state'));
    assert.equal(unapproved.code, 1);
    const doc = JSON.parse(unapproved.stdout) as { findings: { ruleId: string; message: string }[] };
    assert.equal(doc.findings[0]!.ruleId, 'qa/suite-not-run');
    assert.match(doc.findings[0]!.message, /declined/);
  });

  it('hyphenated options reach the agent: --no-rerun reports the flaky test as failed, --work-item AB#7 is read, discover --files-only runs nothing', async () => {
    await copyFixture('mocha', path.join(dir, 'ws'));
    const r = await cli(['qa', 'run', 'ws', '--json', '--yes', '--no-rerun', '--work-item', 'AB#7', '--comment'], dir, path.join(dir, 'state'));
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as { totals: unknown; plan: { notes: string[] } };
    assert.deepEqual(doc.totals, { passed: 2, failed: 2, skipped: 1, flaky: 0 }, 'not run again, so the flaky test counts as failed');
    assert.ok(doc.plan.notes.some((n) => /Azure Boards is not connected/.test(n)), doc.plan.notes.join(' | '));
    const listed = await cli(['qa', 'discover', 'ws', '--json', '--files-only'], dir, path.join(dir, 'state'));
    assert.equal(listed.code, 0, listed.stderr);
    const found = JSON.parse(listed.stdout) as { files: string[]; tests: unknown[] };
    assert.deepEqual(found.files, ['test/math.test.js']);
    assert.deepEqual(found.tests, [], 'nothing was asked of mocha');
  });

  it('takes the command line\'s camelCase and the editor\'s hyphenated input alike; a work item as 12, AB#12 or #12', () => {
    const cli = QaRunInputSchema.parse({ noRerun: true, workItem: 'AB#12', coverageFile: 'cov/lcov.info' });
    assert.deepEqual(cli, { 'no-rerun': true, 'work-item': 12, 'coverage-file': 'cov/lcov.info' });
    assert.deepEqual(QaRunInputSchema.parse({ 'no-rerun': 'true', 'work-item': '#12' }), { 'no-rerun': true, 'work-item': 12 });
    assert.deepEqual(QaDiscoverInputSchema.parse({ filesOnly: true }), { 'files-only': true });
    assert.throws(() => QaRunInputSchema.parse({ workItem: 'AB#x' }));
    assert.throws(() => QaRunInputSchema.parse({ reRun: true }), /reRun|re-run/);
  });
});
