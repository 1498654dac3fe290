import assert from 'node:assert/strict';
import { uncoveredRange } from '../../../../src/agents/qa/uncoveredRange';

describe('QA: the uncovered lines around the cursor', () => {
  // Lines 1-2 run, 4-6 never (5 is blank, so unmeasured), 7 runs, 9 never.
  const lines: [number, number][] = [[1, 3], [2, 3], [4, 0], [6, 0], [7, 1], [9, 0]];
  it('the whole run of unrun lines, across lines the report does not measure', () => {
    assert.deepEqual(uncoveredRange(lines, 4), [4, 6]);
    assert.deepEqual(uncoveredRange(lines, 6), [4, 6]);
    assert.deepEqual(uncoveredRange(lines, 5), [4, 6], 'a blank line inside the range');
    assert.deepEqual(uncoveredRange(lines, 9), [9, 9]);
  });
  it('nothing on a covered line, between covered lines, or past the report', () => {
    assert.equal(uncoveredRange(lines, 2), undefined);
    assert.equal(uncoveredRange(lines, 3), undefined, 'between a covered and an uncovered line');
    assert.equal(uncoveredRange(lines, 7), undefined);
    assert.equal(uncoveredRange(lines, 10), undefined);
    assert.equal(uncoveredRange([], 1), undefined);
  });
  it('a line counted twice (two reports) is covered when either ran it', () => {
    assert.equal(uncoveredRange([[4, 0], [4, 2]], 4), undefined);
  });
});
