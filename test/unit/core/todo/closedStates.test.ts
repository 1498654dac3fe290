import assert from 'node:assert/strict';
import { isClosedState } from '../../../../src/core/todo/workItemResolver';

describe('isClosedState', () => {
  for (const state of ['Done', 'Closed', 'Removed', 'Completed', 'Merged', 'Not planned', 'Duplicate', ' closed ']) {
    it(`treats "${state}" as finished (a TODO linked to it is stale)`, () => assert.equal(isClosedState(state), true));
  }
  for (const state of ['Active', 'New', 'Resolved', 'In Progress', 'Open', 'Committed', 'Blocked']) {
    it(`treats "${state}" as still open`, () => assert.equal(isClosedState(state), false));
  }
});
