import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
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
});
