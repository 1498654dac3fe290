import assert from 'node:assert/strict';
import { onlyFor, readQaResult, testTree } from '../../../../src/agents/qa/resultView';
import { resultOf } from '../../../../src/agents/qa/qaAgent';
import { type QaRun } from '../../../../src/agents/qa/runQa';
import { type TestCase } from '../../../../src/agents/qa/model';

const cases: TestCase[] = [
  { id: 'test/b.test.js::math > add > adds', framework: 'mocha', file: 'test/b.test.js', line: 4, suite: ['math', 'add'], name: 'adds', status: 'passed', durationMs: 1.5 },
  { id: 'test/b.test.js::math > add > carries', framework: 'mocha', file: 'test/b.test.js', line: 8, suite: ['math', 'add'], name: 'carries', status: 'failed', failure: { message: 'Expected 3', expected: '3', actual: '4', file: 'test/b.test.js', line: 9 } },
  { id: 'test/a.test.js::top', framework: 'mocha', file: 'test/a.test.js', suite: [], name: 'top', status: 'skipped' },
  { id: 'test/a.test.js::retry', framework: 'mocha', file: 'test/a.test.js', suite: [], name: 'retry', status: 'failed', flaky: true, failure: { message: 'timeout' } },
  { id: 'com.acme.OrderTest::totals', framework: 'maven', suite: [], name: 'totals', status: 'passed' },
  { id: 'test/a.test.js::top', framework: 'mocha', file: 'test/a.test.js', suite: [], name: 'top', status: 'passed' },
];

const run = (): QaRun =>
  ({
    frameworks: ['mocha'],
    projects: [{ framework: 'mocha', dir: '', name: 'demo', command: 'npm test --silent -- --reporter json', exitCode: 1, timedOut: false, durationMs: 20, tests: 5, output: 'boom' }],
    cases,
    coverage: { format: 'lcov', files: [{ file: 'src/m.js', lines: { found: 4, hit: 3 }, branches: { found: 2, hit: 1 }, functions: { found: 1, hit: 1 }, detail: { lines: [[1, 1], [2, 0]], branches: [[2, 0, 0, 1], [2, 0, 1, 0]], functions: [['add', 1, 3]] } }] },
    coverageSummary: { lines: 75, branches: 50, functions: 100, linesFound: 4, linesHit: 3, files: 1 },
    coverageChange: undefined,
    previous: undefined,
    totals: { passed: 2, failed: 1, skipped: 1, flaky: 1 },
    durationMs: 20,
    notes: [],
  }) as QaRun;

describe('QA results for the Testing view', () => {
  it('reads the agent\'s own detailed result (tests, coverage detail, outputs) through its schema', () => {
    const r = readQaResult(JSON.parse(JSON.stringify(resultOf(run(), true))));
    assert.ok(r);
    assert.equal(r.tests.length, 6);
    assert.equal(r.tests[3]!.status, 'flaky', 'a flaky test keeps its own status');
    assert.deepEqual(r.tests[1]!.failure, { message: 'Expected 3', expected: '3', actual: '4', file: 'test/b.test.js', line: 9 });
    assert.deepEqual(r.coverage?.detail?.[0], { file: 'src/m.js', lines: [4, 3], branches: [2, 1], functions: [1, 1], l: [[1, 1], [2, 0]], b: [[2, 0, 0, 1], [2, 0, 1, 0]], f: [['add', 1, 3]] });
    assert.equal(r.projects[0]!.output, 'boom');
  });

  it('is not a QA result: another agent\'s result, none, or a malformed one', () => {
    assert.equal(readQaResult(undefined), undefined);
    assert.equal(readQaResult({ findings: [] }), undefined);
    assert.equal(readQaResult({ totals: { passed: 1, failed: 0, skipped: 0, flaky: 0 }, coverage: null, tests: [{ id: '', framework: 'x', suite: [], name: 'n', status: 'passed' }] }), undefined);
    assert.equal(readQaResult({ totals: { passed: 1, failed: 0, skipped: 0, flaky: 0 }, coverage: null, tests: [{ id: 'a', framework: 'x', suite: [], name: 'n', status: 'exploded' }] }), undefined);
  });

  it('builds file › suite › test with stable ids, files sorted, a test without a file under what its id names, a repeated id kept once', () => {
    const tree = testTree(readQaResult(resultOf(run(), true))!.tests);
    const shape = (n: { id: string; kind: string; line?: number; children: readonly unknown[] }): unknown => [n.kind, n.id, n.line ?? null, (n.children as typeof n[]).map(shape)];
    assert.deepEqual(tree.map(shape), [
      ['file', 'com.acme.OrderTest', null, [['test', 'com.acme.OrderTest::totals', null, []]]],
      ['file', 'test/a.test.js', null, [['test', 'test/a.test.js::top', null, []], ['test', 'test/a.test.js::retry', null, []]]],
      ['file', 'test/b.test.js', null, [['suite', 'test/b.test.js::math', null, [['suite', 'test/b.test.js::math > add', null, [['test', 'test/b.test.js::math > add > adds', 4, []], ['test', 'test/b.test.js::math > add > carries', 8, []]]]]]]],
    ]);
    assert.equal(tree[1]!.children[0]!.test?.status, 'skipped', 'the first report of a repeated id wins');
  });

  it('narrows a Testing view run to the deepest folder holding every chosen file', () => {
    assert.equal(onlyFor([]), undefined);
    assert.equal(onlyFor(['test/a.test.js']), 'test/a.test.js');
    assert.equal(onlyFor(['test/a.test.js', 'test/a.test.js']), 'test/a.test.js');
    assert.equal(onlyFor(['packages/api/test/a.js', 'packages/api/src/b.test.js']), 'packages/api');
    assert.equal(onlyFor(['packages/api/a.js', 'services/py/test_x.py']), undefined);
  });
});
