import assert from 'node:assert/strict';
import { parseCargoText } from '../../../../src/agents/qa/parse/cargoText';
import { parseCobertura } from '../../../../src/agents/qa/parse/cobertura';
import { parseGoCoverProfile, parseGoTestJson } from '../../../../src/agents/qa/parse/goTest';
import { parseIstanbulJson } from '../../../../src/agents/qa/parse/istanbul';
import { parseJestJson } from '../../../../src/agents/qa/parse/jestJson';
import { junitToCases } from '../../../../src/agents/qa/parse/junitCases';
import { parseJUnitXml } from '../../../../src/agents/qa/parse/junitXml';
import { parseLcov } from '../../../../src/agents/qa/parse/lcov';
import { parseMochaJson } from '../../../../src/agents/qa/parse/mochaJson';
import { parseTap } from '../../../../src/agents/qa/parse/tap';
import { parseTrx } from '../../../../src/agents/qa/parse/trx';
import { parseUnittestText } from '../../../../src/agents/qa/parse/unittestText';
import { toJUnitXml, toLcov } from '../../../../src/agents/qa/reportWriters';
import { isDevOpsError } from '../../../../src/core/errors';
import { cobertura, goEvent, jestJson, junitCase, junitDoc, junitSuite, lcov, mochaJson } from './reportBuilders';

const ROOT = '/work/repo';

describe('QA agent: report parsers', () => {
  describe('JUnit XML', () => {
    it('reads nested suites, failures (message, body, expected/actual), errors, skips and output; entities decoded', () => {
      const xml = junitDoc(
        junitSuite('outer', junitCase({ name: 'passes', classname: 'c', time: 0.5 }) + junitSuite('inner', junitCase({ name: 'fails & <breaks>', file: 'test/a.test.js', line: 7, failure: { message: 'assert 1 == 2\n + where', body: 'test/a.py:9: AssertionError' }, out: 'printed' }))) +
          junitSuite('other', junitCase({ name: 'skipped', skipped: true }) + junitCase({ name: 'errored', failure: { message: 'boom', error: true } })),
      );
      const cases = parseJUnitXml(xml);
      assert.deepEqual(cases.map((c) => [c.suites.join('/'), c.name, c.status]), [
        ['outer', 'passes', 'passed'],
        ['outer/inner', 'fails & <breaks>', 'failed'],
        ['other', 'skipped', 'skipped'],
        ['other', 'errored', 'failed'],
      ]);
      const failed = cases[1]!;
      assert.equal(failed.failure?.message, 'assert 1 == 2\n + where');
      assert.equal(failed.output, 'printed');
      assert.equal(cases[3]!.failure?.error, true);
      const mapped = junitToCases(cases, { framework: 'pytest', root: ROOT, base: '' });
      assert.deepEqual([mapped[1]!.file, mapped[1]!.line, mapped[1]!.failure?.actual, mapped[1]!.failure?.expected], ['test/a.test.js', 7, '1', '2']);
      assert.equal(mapped[0]!.durationMs, 500);
    });

    it('a bare <testsuite> root (Surefire, Gradle) is read too', () => {
      const cases = parseJUnitXml(`<?xml version="1.0"?>${junitSuite('com.acme.MathTest', junitCase({ name: 'adds', classname: 'com.acme.MathTest' }))}`);
      assert.deepEqual(cases.map((c) => [c.classname, c.name]), [['com.acme.MathTest', 'adds']]);
    });

    it('refuses malformed XML and a document with no suites with a clear message; an entity bomb is not expanded', () => {
      const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]><testsuites><testsuite name="x"><testcase name="&lol5;"/></testsuite></testsuites>`;
      for (const [text, pattern] of [
        ['<testsuites><testsuite name="x"><testcase', /not well-formed XML/],
        ['<?xml version="1.0"?><report/>', /no <testsuites> or <testsuite>/],
      ] as const) {
        assert.throws(() => parseJUnitXml(text, 'The report'), (e: unknown) => isDevOpsError(e) && pattern.test(e.message));
      }
      let name = '';
      try {
        name = parseJUnitXml(bomb)[0]!.name;
      } catch (e) {
        assert.ok(isDevOpsError(e));
      }
      assert.ok(name.length < 1000, `expanded to ${name.length} characters`);
    });

    it('a large report full of escaped characters is read whole (the entity bounds count only entities a report declares)', () => {
      const cases = Array.from({ length: 3000 }, (_, i) => `<testcase classname="c" name="a &amp; b &lt;${i}&gt;"><failure message="x &quot;y&quot;">1 &lt; 2</failure></testcase>`).join('');
      const read = parseJUnitXml(`<?xml version="1.0"?><testsuites><testsuite name="s">${cases}</testsuite></testsuites>`);
      assert.equal(read.length, 3000);
      assert.equal(read[2999]!.name, 'a & b <2999>');
    });

    it('what --junit writes reads back the same (names, suites, failures, skips, flaky as passed with a flakyFailure)', () => {
      const xml = toJUnitXml([
        { id: 'a::s > t1', framework: 'mocha', file: 'a.js', line: 3, suite: ['s'], name: 't1 <x>', status: 'passed', durationMs: 12 },
        { id: 'a::s > t2', framework: 'mocha', file: 'a.js', suite: ['s'], name: 't2', status: 'failed', failure: { message: 'bad & worse', stack: 'at a.js:9' } },
        { id: 'a::t3', framework: 'mocha', file: 'a.js', suite: [], name: 't3', status: 'skipped' },
        { id: 'a::t4', framework: 'mocha', file: 'a.js', suite: [], name: 't4', status: 'failed', flaky: true, failure: { message: 'once' } },
      ]);
      const back = parseJUnitXml(xml);
      assert.deepEqual(back.map((c) => [c.name, c.classname, c.status, c.file]), [
        ['t1 <x>', 's', 'passed', 'a.js'],
        ['t2', 's', 'failed', 'a.js'],
        ['t3', 'mocha', 'skipped', 'a.js'],
        ['t4', 'mocha', 'failed', 'a.js'],
      ]);
      assert.equal(back[1]!.failure?.message, 'bad & worse');
      assert.match(xml, /<flakyFailure message="once">/);
    });
  });

  describe('coverage', () => {
    it('lcov: files made workspace-relative (absolute, relative to the project), outside files dropped, totals from LF/LH or counted, two runs of one file merged', () => {
      const text = lcov([
        { file: `${ROOT}/src/a.js`, lines: [[1, 1], [2, 0]], branches: [[2, 0, 0, 1], [2, 0, 1, 0]], functions: [['f', 1, 1]] },
        { file: 'src/b.js', lines: [[1, 3]], totals: false },
        { file: '/elsewhere/c.js', lines: [[1, 1]] },
        { file: `${ROOT}/src/a.js`, lines: [[2, 1]] },
      ]);
      const report = parseLcov(text, ROOT, '', true);
      assert.deepEqual(report.files.map((f) => [f.file, f.lines.found, f.lines.hit]), [
        ['src/a.js', 2, 2],
        ['src/b.js', 1, 1],
      ]);
      assert.deepEqual(report.files[0]!.branches, { found: 2, hit: 1 });
      const underPackage = parseLcov(lcov([{ file: 'lib/x.js', lines: [[1, 1]] }]), ROOT, 'packages/api', false);
      assert.equal(underPackage.files[0]!.file, 'packages/api/lib/x.js');
      assert.equal(underPackage.files[0]!.detail, undefined);
    });

    it('lcov: text that is not lcov is a clear error; the text is never taken for a file path', () => {
      assert.throws(() => parseLcov('/etc/passwd', ROOT, '', false), (e: unknown) => isDevOpsError(e) && /no lcov records/.test(e.message));
      assert.deepEqual(parseLcov('', ROOT, '', false).files, []);
    });

    it('what --lcov writes reads back the same', () => {
      const report = parseLcov(lcov([{ file: `${ROOT}/src/a.js`, lines: [[1, 1], [2, 0]], branches: [[2, 0, 0, 1]], functions: [['f', 1, 2]] }]), ROOT, '', true);
      const again = parseLcov(toLcov(report), ROOT, '', true);
      assert.deepEqual(again.files, report.files);
    });

    it('Cobertura (coverage.py): class filenames under <source>, branch conditions counted', () => {
      const xml = cobertura([`${ROOT}/services/py`], [{ filename: 'calc/__init__.py', lines: [[1, 1], [2, 0], [3, 1, '50% (1/2)']] }]);
      const report = parseCobertura(xml, ROOT, 'services/py', true);
      assert.deepEqual(report.files.map((f) => [f.file, f.lines, f.branches]), [['services/py/calc/__init__.py', { found: 3, hit: 2 }, { found: 2, hit: 1 }]]);
      assert.throws(() => parseCobertura('<coverage', ROOT, '', false), (e: unknown) => isDevOpsError(e) && /not well-formed/.test(e.message));
    });

    it('istanbul JSON through istanbul-lib-coverage: summaries and per-line hits', () => {
      const loc = (l: number) => ({ start: { line: l, column: 0 }, end: { line: l, column: 10 } });
      const data = {
        [`${ROOT}/src/a.ts`]: {
          path: `${ROOT}/src/a.ts`,
          statementMap: { 0: loc(1), 1: loc(2) },
          fnMap: { 0: { name: 'f', decl: loc(1), loc: loc(1), line: 1 } },
          branchMap: { 0: { loc: loc(2), type: 'if', locations: [loc(2), loc(2)], line: 2 } },
          s: { 0: 1, 1: 0 },
          f: { 0: 1 },
          b: { 0: [1, 0] },
        },
      };
      const report = parseIstanbulJson(JSON.stringify(data), ROOT, '', true);
      assert.deepEqual(report.files.map((f) => [f.file, f.lines, f.branches, f.functions]), [['src/a.ts', { found: 2, hit: 1 }, { found: 2, hit: 1 }, { found: 1, hit: 1 }]]);
      assert.deepEqual(report.files[0]!.detail!.lines, [[1, 1], [2, 0]]);
      assert.throws(() => parseIstanbulJson('[1]', ROOT, '', false), (e: unknown) => isDevOpsError(e) && /not an object of files/.test(e.message));
    });

    it('a Go cover profile: import paths under the module become files', () => {
      const report = parseGoCoverProfile('mode: set\nexample.com/shop/cart/cart.go:3.10,5.2 2 1\nexample.com/shop/cart/cart.go:7.1,8.2 1 0\n', 'example.com/shop', '', true);
      assert.deepEqual(report.files.map((f) => [f.file, f.lines]), [['cart/cart.go', { found: 5, hit: 3 }]]);
    });
  });

  describe('runner output', () => {
    it('mocha JSON found in stdout after what the tests printed and before a coverage table; pending, failures with expected/actual', () => {
      const json = mochaJson(
        [
          { title: 'ok', fullTitle: 'suite ok', file: `${ROOT}/test/a.test.js`, duration: 3 },
          { title: 'bad', fullTitle: 'suite bad', file: `${ROOT}/test/a.test.js`, err: { message: 'expected 1 to equal 2', stack: `AssertionError: x\n    at Context.<anonymous> (${ROOT}/test/a.test.js:14:5)`, actual: '1', expected: '2', showDiff: true } },
          { title: 'later', fullTitle: 'suite later', file: `${ROOT}/test/a.test.js` },
        ],
        ['suite later'],
      );
      const cases = parseMochaJson(`console {"stats": false}\n${json}\n----------|---------|\nFile | % Stmts |\n`, ROOT, '');
      assert.deepEqual(cases.map((c) => [c.suite.join('/'), c.name, c.status]), [
        ['suite', 'ok', 'passed'],
        ['suite', 'bad', 'failed'],
        ['suite', 'later', 'skipped'],
      ]);
      assert.deepEqual([cases[1]!.failure?.expected, cases[1]!.failure?.actual, cases[1]!.failure?.line], ['2', '1', 14]);
      assert.throws(() => parseMochaJson('no report here', ROOT, ''), (e: unknown) => isDevOpsError(e) && /printed no JSON report/.test(e.message));
      assert.throws(() => parseMochaJson('{\n  "stats": { "tests": "x" }, "tests": [] }', ROOT, ''), (e: unknown) => isDevOpsError(e) && /malformed/.test(e.message));
    });

    it('Jest/Vitest JSON: ancestors as suites, the declared line, Expected/Received, a file that failed to run', () => {
      const text = jestJson([
        { name: `${ROOT}/src/a.test.ts`, tests: [{ ancestorTitles: ['cart', 'total'], title: 'sums', status: 'failed', duration: 4, location: { line: 8, column: 3 }, failureMessages: [`Error: expect(received).toBe(expected)\n\nExpected: 3\nReceived: 4\n    at Object.<anonymous> (${ROOT}/src/a.test.ts:9:20)`] }, { ancestorTitles: [], title: 'todo', status: 'todo' }] },
        { name: `${ROOT}/src/broken.test.ts`, status: 'failed', message: '\u001b[31mSyntaxError: Unexpected token\u001b[39m', tests: [] },
      ]);
      const cases = parseJestJson(text, 'vitest', ROOT, '');
      assert.deepEqual(cases.map((c) => [c.id, c.status, c.line]), [
        ['src/a.test.ts::cart > total > sums', 'failed', 8],
        ['src/a.test.ts::todo', 'skipped', undefined],
        ['src/broken.test.ts::(file)', 'failed', undefined],
      ]);
      assert.deepEqual([cases[0]!.failure?.expected, cases[0]!.failure?.actual, cases[0]!.failure?.line], ['3', '4', 9]);
      assert.equal(cases[2]!.failure?.message, 'SyntaxError: Unexpected token');
    });

    it('TAP with subtests (node --test on Node 20-22): suites from the subtests, skips, the error, expected and actual, locations', () => {
      const tap = [
        'TAP version 13',
        '# Subtest: cart',
        '    # Subtest: adds',
        '    ok 1 - adds',
        '      ---',
        '      duration_ms: 1.5',
        '      ...',
        '    # Subtest: removes',
        '    not ok 2 - removes',
        '      ---',
        '      duration_ms: 2',
        `      location: '${ROOT}/test/cart.test.js:5:3'`,
        "      error: 'Expected values to be strictly equal'",
        '      expected: 1',
        '      actual: 2',
        '      stack: |-',
        `        TestContext.<anonymous> (${ROOT}/test/cart.test.js:6:12)`,
        '      ...',
        '    ok 3 - later # SKIP',
        '    1..3',
        'not ok 1 - cart',
        '  ---',
        "  type: 'suite'",
        '  ...',
        '1..1',
      ].join('\n');
      const cases = parseTap(tap, 'node-test', ROOT, '');
      assert.deepEqual(cases.map((c) => [c.suite.join('/'), c.name, c.status]), [
        ['cart', 'adds', 'passed'],
        ['cart', 'removes', 'failed'],
        ['cart', 'later', 'skipped'],
      ]);
      assert.deepEqual([cases[1]!.file, cases[1]!.line, cases[1]!.failure?.expected, cases[1]!.failure?.actual, cases[1]!.failure?.line], ['test/cart.test.js', 5, '1', '2', 6]);
      assert.throws(() => parseTap('▶ cart\n  ✔ adds (1ms)', 'node-test', ROOT, ''), (e: unknown) => isDevOpsError(e) && /no TAP/.test(e.message));
    });

    it('unittest -v: results per line (docstrings too), failure blocks, the exception line as the message', () => {
      const text = [
        'test_ok (tests.test_s.TestS.test_ok) ... ok',
        'test_doc (tests.test_s.TestS.test_doc)',
        'Says what it does. ... FAIL',
        "test_skip (tests.test_s.TestS.test_skip) ... skipped 'later'",
        'test_err (tests.test_s.TestS.test_err) ... ERROR',
        '',
        '======================================================================',
        'FAIL: test_doc (tests.test_s.TestS.test_doc)',
        'Says what it does.',
        '----------------------------------------------------------------------',
        'Traceback (most recent call last):',
        `  File "${ROOT}/tests/test_s.py", line 9, in test_doc`,
        '    self.assertEqual(1, 2)',
        'AssertionError: 1 != 2',
        '',
        '======================================================================',
        'ERROR: test_err (tests.test_s.TestS.test_err)',
        '----------------------------------------------------------------------',
        'Traceback (most recent call last):',
        `  File "${ROOT}/tests/test_s.py", line 12, in test_err`,
        'ZeroDivisionError: division by zero',
        '',
        '----------------------------------------------------------------------',
        'Ran 4 tests in 0.001s',
      ].join('\n');
      const cases = parseUnittestText(text, ROOT, '', (m) => (m === 'tests.test_s' ? 'tests/test_s.py' : undefined));
      assert.deepEqual(cases.map((c) => [c.id, c.status]), [
        ['tests/test_s.py::TestS > test_ok', 'passed'],
        ['tests/test_s.py::TestS > test_doc', 'failed'],
        ['tests/test_s.py::TestS > test_skip', 'skipped'],
        ['tests/test_s.py::TestS > test_err', 'failed'],
      ]);
      assert.deepEqual([cases[3]!.failure?.message, cases[3]!.failure?.line], ['ZeroDivisionError: division by zero', 12]);
    });

    it('go test -json: subtests under their parent, the _test.go line of a failure', () => {
      const out = [
        goEvent({ Action: 'run', Package: 'example.com/shop/cart', Test: 'TestTotal' }),
        goEvent({ Action: 'run', Package: 'example.com/shop/cart', Test: 'TestTotal/empty' }),
        goEvent({ Action: 'output', Package: 'example.com/shop/cart', Test: 'TestTotal/empty', Output: '    cart_test.go:21: got 1, want 0\n' }),
        goEvent({ Action: 'fail', Package: 'example.com/shop/cart', Test: 'TestTotal/empty', Elapsed: 0.01 }),
        goEvent({ Action: 'fail', Package: 'example.com/shop/cart', Test: 'TestTotal', Elapsed: 0.02 }),
        goEvent({ Action: 'pass', Package: 'example.com/shop/cart', Test: 'TestAdd', Elapsed: 0 }),
        'not json',
      ].join('\n');
      const cases = parseGoTestJson(out, 'example.com/shop', '');
      assert.deepEqual(cases.map((c) => [c.suite.join('/'), c.name, c.status, c.file]), [
        ['TestTotal', 'empty', 'failed', 'cart/cart_test.go'],
        ['', 'TestAdd', 'passed', undefined],
      ]);
      assert.deepEqual([cases[0]!.failure?.message, cases[0]!.failure?.line], ['got 1, want 0', 21]);
    });

    it('cargo test (stable): results, panics with their location and left/right', () => {
      const out = [
        'running 2 tests',
        'test cart::tests::adds ... ok',
        'test cart::tests::fails ... FAILED',
        'test cart::tests::later ... ignored',
        '',
        'failures:',
        '',
        '---- cart::tests::fails stdout ----',
        "thread 'cart::tests::fails' panicked at src/cart.rs:20:9:",
        'assertion `left == right` failed',
        '  left: 1',
        ' right: 2',
        '',
        'failures:',
        '    cart::tests::fails',
        '',
        'test result: FAILED. 1 passed; 1 failed; 1 ignored',
      ].join('\n');
      const cases = parseCargoText(out, '');
      assert.deepEqual(cases.map((c) => [c.id, c.status]), [
        ['.::cart > tests > adds', 'passed'],
        ['.::cart > tests > fails', 'failed'],
        ['.::cart > tests > later', 'skipped'],
      ]);
      assert.deepEqual([cases[1]!.failure?.message, cases[1]!.failure?.file, cases[1]!.failure?.line, cases[1]!.failure?.actual, cases[1]!.failure?.expected], ['assertion `left == right` failed', 'src/cart.rs', 20, '1', '2']);
    });

    it('TRX (dotnet test --logger trx): outcomes, class names, durations, the message and stack', () => {
      const trx = `<?xml version="1.0" encoding="utf-8"?><TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
        <UnitTestResult testId="1" testName="Shop.Tests.CartTests.Adds" outcome="Passed" duration="00:00:00.0120000"/>
        <UnitTestResult testId="2" testName="Shop.Tests.CartTests.Fails" outcome="Failed" duration="00:00:01.5"><Output><ErrorInfo><Message>Assert.Equal() Failure</Message><StackTrace>at Shop.Tests.CartTests.Fails() in /src/CartTests.cs:line 14</StackTrace></ErrorInfo></Output></UnitTestResult>
        <UnitTestResult testId="3" testName="Shop.Tests.CartTests.Later" outcome="NotExecuted"/></Results>
        <TestDefinitions><UnitTest id="1"><TestMethod className="Shop.Tests.CartTests" name="Adds"/></UnitTest><UnitTest id="2"><TestMethod className="Shop.Tests.CartTests" name="Fails"/></UnitTest><UnitTest id="3"><TestMethod className="Shop.Tests.CartTests" name="Later"/></UnitTest></TestDefinitions></TestRun>`;
      const cases = parseTrx(trx, '');
      assert.deepEqual(cases.map((c) => [c.id, c.status, c.durationMs]), [
        ['Shop.Tests.CartTests::Adds', 'passed', 12],
        ['Shop.Tests.CartTests::Fails', 'failed', 1500],
        ['Shop.Tests.CartTests::Later', 'skipped', undefined],
      ]);
      assert.deepEqual([cases[1]!.failure?.message, cases[1]!.failure?.line], ['Assert.Equal() Failure', 14]);
    });
  });
});
