import assert from 'node:assert/strict';
import { parseTestRequest } from '../../../../src/agents/qa/parseRequest';
import { QaRunInputSchema } from '../../../../src/agents/qa/qaAgent';

describe('@devops /test sentences', () => {
  it('every suite, without coverage, with detail for the editor when nothing is asked; the input validates', () => {
    const none = parseTestRequest('');
    assert.deepEqual(none, { ok: true, input: { detail: true }, understood: ['every test suite in the workspace', 'without coverage'] });
    QaRunInputSchema.parse(none.ok && none.input);
  });

  it('a folder or file, coverage, no re-run, by keyword; said back in the order it was understood', () => {
    const r = parseTestRequest('run the tests in packages/api/ with coverage, no rerun');
    assert.ok(r.ok);
    assert.deepEqual(r.input, { detail: true, only: 'packages/api', coverage: true, 'no-rerun': true });
    assert.deepEqual(r.understood, ['only the suites under packages/api', 'with coverage', 'failures are not run again']);
    assert.deepEqual(parseTestRequest('just `tests/test_calc.py`').ok && parseTestRequest('just `tests/test_calc.py`'), { ok: true, input: { detail: true, only: 'tests/test_calc.py' }, understood: ['only the suites under tests/test_calc.py', 'without coverage'] });
    QaRunInputSchema.parse(r.input);
  });

  it('"without coverage" and "don\'t file bugs" mean no', () => {
    const r = parseTestRequest("run everything without coverage and don't file bugs");
    assert.deepEqual(r.ok && r.input, { detail: true });
  });

  it('Bugs, a comment and Test Plans only when asked, with the work item named; they still go through the review', () => {
    const r = parseTestRequest('file bugs for failures, comment on work item 42 and publish to test plans');
    assert.ok(r.ok);
    assert.deepEqual(r.input, { detail: true, bugs: true, comment: true, publish: true, 'work-item': 42 });
    assert.match(r.understood.join(' · '), /a Bug per failing test \(after your review\) · a summary comment on the work item \(after your review\) · the run published to Azure Test Plans \(after your review\) · for work item 42/);
    QaRunInputSchema.parse(r.input);
  });

  it('refuses a path outside the workspace (absolute, drive letter, ..) with what to write instead; a URL is not a path', () => {
    for (const bad of ['/etc/passwd', '../other-repo/tests', 'C:\\Users\\x\\tests', 'packages/../../secret']) {
      const r = parseTestRequest(`run ${bad}`);
      assert.equal(r.ok, false, bad);
      assert.match(!r.ok ? r.message : '', /is not a folder or file inside this workspace: name one relative to the workspace folder/);
    }
    const url = parseTestRequest('as https://example.com/ci/docs says');
    assert.deepEqual(url.ok && url.input, { detail: true });
  });
});
