import assert from 'node:assert/strict';
import { branchNameFor } from '../../../../src/core/boards/branchName';
import { parseGitIntent, workItemIdInBranchName } from '../../../../src/core/chat/gitIntent';

describe('/git intents', () => {
  it('tells status, branch and commit apart and reads the work item', () => {
    assert.deepEqual(parseGitIntent('', 'azureBoards'), { kind: 'status' });
    assert.deepEqual(parseGitIntent('status', 'azureBoards'), { kind: 'status' });
    assert.deepEqual(parseGitIntent('branch AB#7', 'azureBoards'), { kind: 'branch', reference: { tracker: 'azureBoards', id: 7 } });
    assert.deepEqual(parseGitIntent('branch 12', 'github'), { kind: 'branch', reference: { tracker: 'github', id: 12 } });
    assert.deepEqual(parseGitIntent('commit', 'azureBoards'), { kind: 'commit', reference: undefined });
    assert.deepEqual(parseGitIntent('draft a commit message for AB#9', 'azureBoards'), { kind: 'commit', reference: { tracker: 'azureBoards', id: 9 } });
    assert.equal(parseGitIntent('what is the branch for #4', 'azureBoards').kind, 'branch');
  });

  it('finds the work item in the names start work makes and in hand-made ones', () => {
    assert.equal(workItemIdInBranchName(branchNameFor(7, 'Email the reset link')), 7);
    assert.equal(workItemIdInBranchName('feature/AB12-reset'), 12);
    assert.equal(workItemIdInBranchName('users/ana/45-fix-login'), 45);
    assert.equal(workItemIdInBranchName('bugfix/ab#3'), 3);
    assert.equal(workItemIdInBranchName('main'), undefined);
    assert.equal(workItemIdInBranchName('release/2026-11'), undefined);
    assert.equal(workItemIdInBranchName('feature/0-nothing'), undefined);
  });
});
