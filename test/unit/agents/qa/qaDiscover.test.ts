import assert from 'node:assert/strict';
import { qaAgent } from '../../../../src/agents/qa/qaAgent';
import { parseCargoList, parseGoList, parseJestListTests, parsePytestCollect } from '../../../../src/agents/qa/parse/listings';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type Harness, makeHarness, ScriptedUi } from '../runtime/harness';
import { copyFixture, DEBIAN_PYTHON } from './qaFixtures';

type Json = Record<string, unknown>;
const result = (r: RunResult): Json => r.plan?.result as Json;
const ids = (r: RunResult): string[] => (result(r).tests as Json[]).map((t) => String(t.id)).sort();

describe('QA agent: discovers tests without running them', function () {
  this.timeout(120_000);
  let h: Harness;
  const discover = (input: Json = {}): Promise<RunResult> => runAgent(h.services, { agent: qaAgent, action: 'discover', input, mode: 'plan' });
  const run = (input: Json = {}): Promise<RunResult> => runAgent(h.services, { agent: qaAgent, action: 'run', input: { detail: true, 'no-rerun': true, ...input }, mode: 'plan' });
  afterEach(async () => h?.dispose());

  it('mocha: --dry-run through the package script lists every test with its line and the ids a run gives them; nothing ran', async () => {
    h = await makeHarness();
    await copyFixture('mocha', h.root);
    const r = await discover();
    assert.equal(r.outcome, 'succeeded', r.error);
    const tests = result(r).tests as Json[];
    assert.equal(tests.length, 5);
    const negative = tests.find((t) => t.name === 'adds negative numbers')!;
    assert.deepEqual([negative.id, negative.file, negative.line, negative.suite], ['test/math.test.js::math > add > adds negative numbers', 'test/math.test.js', 11, ['math', 'add']]);
    const events = await h.events();
    const ran = events.filter((e) => e.eventType === 'command.run').map((e) => String((e.metadata as Json).command));
    assert.deepEqual(ran, ['npm test --silent -- --dry-run --reporter json']);
    // The flaky fixture test writes a marker when it runs: listing ran none of the tests.
    assert.equal(await h.read('.flaky-marker'), undefined);
    assert.deepEqual(result(r).files, []);
    // A run gives the same ids, so its results land on the listed items.
    const ran2 = await run();
    assert.deepEqual(ids(ran2), ids(r));
  });

  it('pytest: --collect-only on the workspace interpreter lists classes and parameters with their lines, ids equal to a run\'s', async () => {
    h = await makeHarness({ pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('pytest', h.root);
    const r = await discover();
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(ids(r), [
      'tests/test_calc.py::TestAdd > test_adds',
      'tests/test_calc.py::TestAdd > test_negative',
      'tests/test_calc.py::test_divide[6-3-2]',
      'tests/test_calc.py::test_divide[9-3-3]',
      'tests/test_calc.py::test_flaky',
      'tests/test_calc.py::test_skipped',
    ]);
    const negative = (result(r).tests as Json[]).find((t) => t.name === 'test_negative')!;
    assert.equal(negative.line, 12);
    const launched = (await h.events()).find((e) => e.eventType === 'command.run')!.metadata as Json;
    assert.equal(launched.launched, `${DEBIAN_PYTHON} -m pytest`);
    assert.match(String(launched.command), /^pytest --collect-only -q$/);
    assert.deepEqual(ids(await run()), ids(r));
  });

  it('a monorepo: each package listed by its own runner; node:test, which cannot list, shows its test files; helpers under test/ are not tests', async () => {
    h = await makeHarness({ pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('monorepo', h.root);
    const r = await discover();
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual((result(r).projects as Json[]).map((p) => [p.dir, p.framework, p.tests, p.files, p.command === null]), [
      ['packages/api', 'mocha', 1, 1, false],
      ['packages/web', 'node:test', 0, 1, true],
      ['services/py', 'pytest', 1, 1, false],
    ]);
    assert.deepEqual(result(r).files, ['packages/web/test/render.test.js']);
    assert.ok(!(result(r).tests as Json[]).some((t) => String(t.file).endsWith('setup.js')));
    assert.ok(r.plan!.notes.some((n) => /node:test \(packages\/web\): the runner cannot list tests without running them/.test(n)), r.plan!.notes.join('\n'));
  });

  it('files-only runs nothing and asks nothing: the test files of every suite, narrowed by --only', async () => {
    const ui = new ScriptedUi();
    h = await makeHarness({ ui, pythonInterpreter: DEBIAN_PYTHON });
    await copyFixture('monorepo', h.root);
    const r = await discover({ 'files-only': true, only: 'packages' });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(result(r).files, ['packages/api/test/routes.spec.js', 'packages/api/test/setup.js', 'packages/web/test/render.test.js']);
    assert.deepEqual(result(r).tests, []);
    assert.equal(ui.confirms.length, 0);
    assert.equal((await h.events()).filter((e) => e.eventType === 'command.run').length, 0);
  });

  it('the policy says Never for commands: nothing is listed by a runner, the files are still shown and the suite says why', async () => {
    h = await makeHarness({ user: { agents: { qa: { runCommand: 'never' } } } });
    await copyFixture('mocha', h.root);
    const r = await discover();
    assert.equal(r.outcome, 'succeeded', r.error);
    const project = (result(r).projects as Json[])[0]!;
    assert.match(String(project.problem), /approval policy says Never/);
    assert.deepEqual(result(r).files, ['test/math.test.js']);
    assert.equal((await h.events()).filter((e) => e.eventType === 'command.run').length, 0);
  });

  it('a test script that prints no dry-run report (a repository that breaks it) is a clear problem, not a crash', async () => {
    h = await makeHarness();
    await h.write('package.json', JSON.stringify({ name: 'broken', scripts: { test: 'mocha' } }));
    await h.write('.mocharc.json', JSON.stringify({ require: ['./missing-hook.js'] }));
    await h.write('test/a.test.js', "it('a', () => {});\n");
    const r = await discover({ only: 'test' });
    assert.equal(r.outcome, 'succeeded', r.error);
    const project = (result(r).projects as Json[]).find((p) => p.dir === '')!;
    assert.match(String(project.problem), /mocha printed no JSON report[\s\S]*exited with/);
    assert.deepEqual(result(r).files, ['test/a.test.js']);
  });
});

describe('QA agent: runners\' test listings', () => {
  it('pytest --collect-only -q: node ids under the project, parameters kept, the summary line ignored', () => {
    const out = 'tests/test_a.py::TestX::test_y\ntests/test_a.py::test_p[1-2]\n\n2 tests collected in 0.01s\n';
    const listed = parsePytestCollect(out, 'svc', (f) => f === 'svc/tests/test_a.py');
    assert.deepEqual(listed.map((t) => t.id), ['svc/tests/test_a.py::TestX > test_y', 'svc/tests/test_a.py::test_p[1-2]']);
  });

  it('go test -list . -json: tests, examples and fuzz targets per package folder; benchmarks and the ok line left out', () => {
    const ev = (pkg: string, output: string) => JSON.stringify({ Time: '2026-01-01T00:00:00Z', Action: 'output', Package: pkg, Output: output });
    const out = [ev('example.com/m/calc', 'TestAdd\n'), ev('example.com/m/calc', 'BenchmarkAdd\n'), ev('example.com/m/calc', 'ExampleAdd\n'), ev('example.com/m/calc', 'ok  \texample.com/m/calc\t0.002s\n'), ev('example.com/m', 'FuzzParse\n'), 'not json'].join('\n');
    assert.deepEqual(parseGoList(out, 'example.com/m', 'go').map((t) => t.id), ['go/calc::TestAdd', 'go/calc::ExampleAdd', 'go::FuzzParse']);
  });

  it('cargo test -- --list: module paths become suites; doc tests and benchmarks left out', () => {
    const out = 'tests::adds: test\ntests::nested::subtracts: test\nbench_x: bench\nsrc/lib.rs - add (line 5): test\n\n2 tests, 1 benchmark\n';
    assert.deepEqual(parseCargoList(out, 'crate').map((t) => t.id), ['crate::tests > adds', 'crate::tests > nested > subtracts']);
  });

  it('jest --listTests --json: absolute files inside the workspace kept, outside dropped; not JSON is a clear error', () => {
    const out = 'some banner\n["/w/pkg/a.test.js","/elsewhere/b.test.js"]\n';
    assert.deepEqual(parseJestListTests(out, '/w', 'pkg'), ['pkg/a.test.js']);
    assert.throws(() => parseJestListTests('no list here', '/w', ''), /Jest printed no list of test files/);
    assert.throws(() => parseJestListTests('[{"a":1}]', '/w', ''), /not a list of paths/);
  });
});
