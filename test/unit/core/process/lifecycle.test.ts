import assert from 'node:assert/strict';
import { allowedTargets, checkLifecycleMove, LIFECYCLE_STATES, type LifecycleState } from '../../../../src/core/process';

/** Every allowed move (without skipping); everything else is refused. */
const ALLOWED: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  New: ['Ready'],
  Ready: ['New', 'In Progress', 'Blocked'],
  'In Progress': ['Ready', 'Code Review', 'Blocked'],
  'Code Review': ['In Progress', 'Testing', 'Blocked'],
  Testing: ['In Progress', 'Staging', 'Blocked'],
  Staging: ['In Progress', 'Production', 'Blocked'],
  Production: ['In Progress', 'Done'],
  Done: ['In Progress'],
  Blocked: ['Ready'],
};

describe('lifecycle moves', () => {
  for (const from of LIFECYCLE_STATES) {
    it(`${from} moves only to ${ALLOWED[from].join(', ')}`, () => {
      assert.deepEqual([...allowedTargets(from)].sort(), [...ALLOWED[from]].sort());
      for (const to of LIFECYCLE_STATES) {
        const move = checkLifecycleMove(from, to);
        const expected = to === from || ALLOWED[from].includes(to);
        assert.equal(move.allowed, expected, `${from} -> ${to}`);
        if (!move.allowed) assert.ok(move.reason.length > 20 && move.reason.includes(from), move.reason);
      }
    });
  }

  it('names the kind of each move', () => {
    const kind = (from: LifecycleState, to: LifecycleState): string => {
      const m = checkLifecycleMove(from, to);
      return m.allowed ? m.kind : 'refused';
    };
    assert.equal(kind('Ready', 'Ready'), 'none');
    assert.equal(kind('Ready', 'In Progress'), 'forward');
    assert.equal(kind('Testing', 'In Progress'), 'back');
    assert.equal(kind('Staging', 'Blocked'), 'block');
    assert.equal(kind('Blocked', 'Ready'), 'unblock');
    assert.equal(kind('Done', 'In Progress'), 'reopen');
  });

  it('explains each kind of refusal', () => {
    const reason = (from: LifecycleState, to: LifecycleState): string => {
      const m = checkLifecycleMove(from, to);
      assert.ok(!m.allowed);
      return m.reason;
    };
    assert.match(reason('New', 'Blocked'), /Only work in a working state .* can be blocked; this item is New/);
    assert.match(reason('Done', 'Blocked'), /this item is Done/);
    assert.match(reason('Blocked', 'In Progress'), /goes back to Ready when it is unblocked/);
    assert.match(reason('Ready', 'Testing'), /skips In Progress, Code Review/);
    assert.match(reason('Testing', 'Ready'), /rework goes back to In Progress/);
    assert.match(reason('Done', 'New'), /cannot go back/);
  });

  it('allows forward skips on request, but never out of Done', () => {
    assert.ok(checkLifecycleMove('New', 'Done', { allowSkip: true }).allowed);
    assert.ok(checkLifecycleMove('Code Review', 'Production', { allowSkip: true }).allowed);
    assert.ok(!checkLifecycleMove('Done', 'Production', { allowSkip: true }).allowed);
  });
});
