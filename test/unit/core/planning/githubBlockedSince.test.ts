import assert from 'node:assert/strict';
import { githubBlockedSince, type IssueHistoryEvent } from '../../../../src/core/planning/sprint/blockedSince';

const BLOCKED = /^(status:\s*)?blocked$/i;
const isBlocked = (name: string): boolean => BLOCKED.test(name);
const on = (day: number, kind: 'labeled' | 'unlabeled', label = 'blocked'): IssueHistoryEvent => ({ kind, at: `2026-11-${String(day).padStart(2, '0')}T10:00:00Z`, label });

describe('githubBlockedSince: when an issue got the blocked label it still has', () => {
  it('is the labeled event of a blocked label', () => {
    assert.equal(githubBlockedSince([on(3, 'labeled', 'bug'), on(5, 'labeled')], isBlocked), '2026-11-05T10:00:00Z');
  });

  it('blocked, cleared, blocked again counts from the second time', () => {
    assert.equal(githubBlockedSince([on(2, 'labeled'), on(6, 'unlabeled'), on(9, 'labeled')], isBlocked), '2026-11-09T10:00:00Z');
  });

  it('labelled again without an unlabel in between keeps the first', () => {
    assert.equal(githubBlockedSince([on(2, 'labeled'), on(6, 'labeled', 'Blocked')], isBlocked), '2026-11-02T10:00:00Z');
  });

  it('reads the events oldest first whatever order they arrive in', () => {
    assert.equal(githubBlockedSince([on(9, 'labeled'), on(2, 'labeled'), on(6, 'unlabeled')], isBlocked), '2026-11-09T10:00:00Z');
  });

  it('matches the label case-insensitively, and `status: blocked` too; other labels change nothing', () => {
    assert.equal(githubBlockedSince([on(4, 'labeled', 'Status: Blocked'), on(7, 'unlabeled', 'bug'), on(8, 'labeled', 'bug')], isBlocked), '2026-11-04T10:00:00Z');
  });

  it('two blocked labels: removing one leaves it blocked from the first', () => {
    assert.equal(githubBlockedSince([on(1, 'labeled', 'blocked'), on(3, 'labeled', 'status: blocked'), on(5, 'unlabeled', 'BLOCKED')], isBlocked), '2026-11-01T10:00:00Z');
  });

  it('says nothing when the label was removed last, or never added (a Status of Blocked has no events)', () => {
    assert.equal(githubBlockedSince([on(2, 'labeled'), on(6, 'unlabeled')], isBlocked), undefined);
    assert.equal(githubBlockedSince([on(2, 'labeled', 'bug')], isBlocked), undefined);
    assert.equal(githubBlockedSince([], isBlocked), undefined);
  });
});
