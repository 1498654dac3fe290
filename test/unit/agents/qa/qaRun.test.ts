import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { qaAgent } from '../../../../src/agents/qa/qaAgent';
import { ApprovalPolicy } from '../../../../src/agents/runtime/approvalPolicy';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type Harness, makeHarness, ScriptedUi } from '../runtime/harness';
import { copyFixture, DEBIAN_PYTHON } from './qaFixtures';

type Json = Record<string, unknown>;
const result = (r: RunResult): Json => r.plan?.result as Json;
const totals = (r: RunResult): Json => result(r).totals as Json;

describe('QA agent: runs the fixture suites through their own scripts', function () {
  this.timeout(120_000);
  let h: Harness;
  const run = (input: Json = {}, mode: 'plan' | 'apply' = 'plan'): Promise<RunResult> => runAgent(h.services, { agent: qaAgent, action: 'run', input, mode });
  afterEach(async () => h?.dispose());

  it('mocha: passed, failed with expected/actual and the failing line, skipped, flaky (failed then passed on the re-run, never counted as passed), nested suites in the ids', async () => {
    h = await makeHarness();
    await copyFixture('mocha', h.root);
    const r = await run();
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(totals(r), { passed: 2, failed: 1, skipped: 1, flaky: 1 });
    assert.equal(r.plan?.verdict, 'fail');
    const failures = result(r).failures as Json[];
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.id, 'test/math.test.js::math > add > adds negative numbers');
    assert.equal(failures[0]!.file, 'test/math.test.js');
    assert.equal(failures[0]!.line, 12);
    assert.match(String(failures[0]!.expected), /"sum": -4/);
    assert.match(String(failures[0]!.actual), /"sum": -3/);
    assert.deepEqual((result(r).flaky as Json[]).map((f) => f.id), ['test/math.test.js::math > divide > passes on the second try']);
    const rules = r.plan!.findings.map((f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}`);
    assert.deepEqual(rules, ['qa/test-failed high test/math.test.js:12', 'qa/test-flaky medium test/math.test.js:27']);
    // The runner's report folder is gone; the history is kept.
    assert.deepEqual(await fs.readdir(path.join(h.root, '.devops')).then((d) => d.sort()), ['audit', 'qa']);
    const history = JSON.parse((await h.read('.devops/qa/history.json'))!) as { runs: Json[] };
    assert.equal(history.runs.length, 1);
    assert.deepEqual(history.runs[0]!.failing, ['test/math.test.js::math > add > adds negative numbers']);
    const events = await h.events();
    const ran = events.filter((e) => e.eventType === 'command.run').map((e) => String((e.metadata as Json).command));
    assert.equal(ran.length, 2);
    assert.match(ran[0]!, /^npm test --silent -- --reporter json$/);
    assert.match(ran[1]!, /--grep/);
  });

  it('mocha with a spec in .mocharc: a run of one file runs that file alone (mocha would add the whole spec), a folder runs its files', async () => {
    h = await makeHarness();
    await copyFixture('mocha', h.root);
    await h.write('test/other.test.js', "const assert = require('node:assert');\ndescribe('other', () => {\n  it('runs alone', () => assert.ok(true));\n});\n");
    await h.write('test/more/deep.test.js', "const assert = require('node:assert');\ndescribe('deep', () => {\n  it('is under the folder', () => assert.ok(true));\n});\n");
    const alone = await run({ files: ['test/other.test.js'], detail: true });
    assert.equal(alone.outcome, 'succeeded', alone.error);
    assert.deepEqual((result(alone).tests as Json[]).map((t) => t.id), ['test/other.test.js::other > runs alone']);
    assert.deepEqual(totals(alone), { passed: 1, failed: 0, skipped: 0, flaky: 0 });
    const folder = await run({ files: ['test/more'], detail: true });
    assert.deepEqual((result(folder).tests as Json[]).map((t) => t.id), ['test/more/deep.test.js::deep > is under the folder']);
    // A path that is glob syntax cannot be named in the pattern: the run stays as mocha makes it.
    await h.write('test/[odd].test.js', "const assert = require('node:assert');\ndescribe('odd', () => {\n  it('is odd', () => assert.ok(true));\n});\n");
    const odd = await run({ files: ['test/[odd].test.js'], detail: true });
    assert.ok((result(odd).tests as Json[]).length > 1, 'the whole spec ran too');
  });

  it('node:test: the JUnit reporter and lcov coverage when the script names no files; ids and lines from the test file', async () => {
    h = await makeHarness();
    await copyFixture('node-test', h.root);
    const r = await run({ coverage: true, detail: true });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(totals(r), { passed: 2, failed: 1, skipped: 1, flaky: 0 });
    const tests = result(r).tests as Json[];
    const failed = tests.find((t) => t.status === 'failed')!;
    assert.equal(failed.id, 'test/strings.test.js::strings > upper > keeps digits');
    assert.equal(failed.line, 9);
    assert.equal((failed.failure as Json).expected, "'a1'");
    assert.equal((failed.failure as Json).actual, "'A1'");
    assert.ok(tests.some((t) => t.id === 'test/strings.test.js::top-level test' && t.status === 'passed'));
    const coverage = result(r).coverage as Json;
    assert.equal(coverage.files, 1);
    assert.ok(Number(coverage.lines) > 0);
  });

  it('node:test with file arguments in the script: its TAP output is read, with a note', async () => {
    h = await makeHarness();
    await copyFixture('node-test-files', h.root);
    const r = await run();
    assert.deepEqual(totals(r), { passed: 2, failed: 1, skipped: 1, flaky: 0 });
    assert.ok(r.plan!.notes.some((n) => /names files.*TAP/.test(n)));
    const failure = (result(r).failures as Json[])[0]!;
    assert.equal(failure.id, 'test/strings.test.js::strings > upper > keeps digits');
  });

  it('pytest on Debian python3 with pytest-cov: classes and parameters, skip, flaky, Cobertura coverage; the coverage change since the last run', async () => {
    h = await makeHarness({ pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('pytest', h.root);
    const first = await run({ coverage: true });
    assert.equal(first.outcome, 'succeeded', first.error);
    assert.deepEqual(totals(first), { passed: 3, failed: 1, skipped: 1, flaky: 1 });
    const failure = (result(first).failures as Json[])[0]!;
    assert.deepEqual([failure.id, failure.file, failure.line, failure.expected, failure.actual], ['tests/test_calc.py::TestAdd > test_negative', 'tests/test_calc.py', 13, '-4', '-3']);
    const ids = ((await run({ detail: true })).plan!.result!.tests as Json[]).map((t) => t.id);
    assert.ok(ids.includes('tests/test_calc.py::test_divide[6-3-2]'));
    const coverage = result(first).coverage as Json;
    assert.ok(Number(coverage.lines) > 80, JSON.stringify(coverage));
    assert.equal(coverage.change, null);
    // The next coverage run compares with the first (the run between measured none). The flaky test
    // passes at once now, so the two lines of its failing branch are no longer covered.
    const third = await run({ coverage: true });
    const before = result(first).coverage as Json;
    const after = result(third).coverage as Json;
    const firstAt = (JSON.parse((await h.read('.devops/qa/history.json'))!) as { runs: Json[] }).runs[0]!.at as string;
    assert.ok(Number(after.lines) < Number(before.lines));
    assert.deepEqual(after.change, { lines: Math.round((Number(after.lines) - Number(before.lines)) * 10) / 10, branches: Math.round((Number(after.branches) - Number(before.branches)) * 10) / 10, since: firstAt });
    const events = await h.events();
    const launched = events.find((e) => e.eventType === 'command.run')!.metadata as Json;
    assert.equal(launched.launched, `${DEBIAN_PYTHON} -m pytest`);
  });

  it('unittest (no pytest configuration, no pytest import): python -m unittest discover, failures with the assertion line', async () => {
    h = await makeHarness({ pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('unittest', h.root);
    const r = await run();
    assert.deepEqual(result(r).frameworks, ['unittest']);
    assert.deepEqual(totals(r), { passed: 1, failed: 1, skipped: 1, flaky: 0 });
    const failure = (result(r).failures as Json[])[0]!;
    assert.deepEqual([failure.id, failure.line, failure.message], ['tests/test_strings.py::TestStrings > test_title', 9, "AssertionError: 'Hello World' != 'Hello world'"]);
  });

  it('a monorepo: each workspace package through its own script (require hook and glob kept), the Python service, coverage from c8 merged', async () => {
    h = await makeHarness({ pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('monorepo', h.root);
    const r = await run({ coverage: true });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(result(r).frameworks, ['mocha', 'node:test', 'pytest']);
    assert.deepEqual(totals(r), { passed: 3, failed: 0, skipped: 0, flaky: 0 });
    assert.equal(r.plan?.verdict, 'pass');
    assert.deepEqual((result(r).projects as Json[]).map((p) => [p.dir, p.framework, p.tests]), [
      ['packages/api', 'mocha', 1],
      ['packages/web', 'node:test', 1],
      ['services/py', 'pytest', 1],
    ]);
    const coverage = result(r).coverage as Json;
    assert.equal(coverage.files, 3, JSON.stringify(coverage));
  });

  it('--only limits the run to the suites under a folder', async () => {
    h = await makeHarness({ pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('monorepo', h.root);
    const r = await run({ only: 'packages/web' });
    assert.deepEqual(result(r).frameworks, ['node:test']);
  });

  it('--junit and --lcov: the merged reports as file edits, applied with the plan', async () => {
    h = await makeHarness();
    await copyFixture('node-test', h.root);
    const r = await run({ coverage: true, junit: 'reports/junit.xml', lcov: 'reports/lcov.info' }, 'apply');
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual([...r.applied.edits].sort(), ['reports/junit.xml', 'reports/lcov.info']);
    assert.match((await h.read('reports/junit.xml'))!, /<testcase name="keeps digits" classname="strings &gt; upper" file="test\/strings.test.js" line="9"/);
    assert.match((await h.read('reports/lcov.info'))!, /^SF:test\/strings.test.js$/m);
    // A second run replaces what the first wrote, as a modification of that file.
    const again = await run({ junit: 'reports/junit.xml' }, 'apply');
    assert.equal(again.plan!.edits[0]!.action, 'modify');
    assert.equal(again.outcome, 'succeeded', again.error);
  });

  it('the approval policy says Never for commands: each suite is reported as not run, the verdict is fail, nothing ran', async () => {
    h = await makeHarness({ user: { agents: { qa: { runCommand: 'never' } } } });
    await copyFixture('mocha', h.root);
    const r = await run();
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.equal(r.plan?.verdict, 'fail');
    const finding = r.plan!.findings[0]!;
    assert.equal(finding.ruleId, 'qa/suite-not-run');
    assert.match(finding.message, /approval policy says Never/);
    assert.equal((await h.events()).filter((e) => e.eventType === 'command.run').length, 0);
  });

  it('the user declines the test command: not run, said so', async () => {
    const ui = new ScriptedUi();
    ui.confirmAnswer = false;
    h = await makeHarness({ ui });
    await copyFixture('mocha', h.root);
    const r = await run();
    assert.match(r.plan!.findings[0]!.message, /you declined to run it/);
    assert.equal(ui.confirms.length, 1);
    assert.match(ui.confirms[0]!.detail, /^npm test --silent -- --reporter json\nRun qa-fixture-mocha's mocha tests/);
  });

  it('a repository whose test script is a shell pipeline or chains another command gets no reporter flags: only its exit code counts', async () => {
    h = await makeHarness();
    await copyFixture('mocha', h.root);
    await h.write('package.json', JSON.stringify({ name: 'chained', scripts: { test: 'mocha && node --version' } }));
    const r = await run();
    const projects = result(r).projects as Json[];
    assert.equal(projects[0]!.command, 'npm test --silent');
    assert.ok(r.plan!.notes.some((n) => /not the last command of its npm test script/.test(n)));
    assert.deepEqual(totals(r), { passed: 0, failed: 1, skipped: 0, flaky: 0 });
  });

  it('a cancelled run stops the test process and reports cancelled; the scratch folder is removed', async () => {
    h = await makeHarness();
    await copyFixture('mocha', h.root);
    await h.write('test/slow.test.js', "it('waits', (done) => { setTimeout(done, 60000); });\n");
    const controller = new AbortController();
    const pending = runAgent(h.services, { agent: qaAgent, action: 'run', input: {}, mode: 'plan', signal: controller.signal });
    setTimeout(() => controller.abort(), 1500);
    const r = await pending;
    assert.equal(r.outcome, 'cancelled');
    assert.equal(await fs.stat(path.join(h.root, '.devops/tmp')).then(() => true, () => false), false);
  });

  it('an empty folder: no suites, no verdict, a plain summary', async () => {
    h = await makeHarness({ user: {} });
    const r = await run();
    assert.equal(r.outcome, 'succeeded');
    assert.equal(r.plan?.verdict, undefined);
    assert.equal(r.plan?.title, 'No tests found');
    assert.deepEqual(totals(r), { passed: 0, failed: 0, skipped: 0, flaky: 0 });
  });

  it('the repository policy file cannot switch on commands the user has not approved', async () => {
    h = await makeHarness({ user: { agents: { qa: { runCommand: 'never' } } }, repository: { kind: 'valid', layer: { agents: { qa: { runCommand: 'allow' } } }, sha256: 'x', approved: false } });
    await copyFixture('mocha', h.root);
    assert.ok(new ApprovalPolicy({ agents: { qa: { runCommand: 'never' } } }, { kind: 'absent' }));
    const r = await run();
    assert.equal(r.plan!.findings[0]!.ruleId, 'qa/suite-not-run');
  });
});
