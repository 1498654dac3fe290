import { strict as assert } from 'node:assert';
import { noTrackerMessage } from '../../../../src/core/todo/workItemResolver';

describe('the message when no tracker can take new work items', () => {
  it('says how to set one up when none is configured', () => {
    assert.equal(
      noTrackerMessage([]),
      'No tracker can take new work items. Neither Azure Boards nor GitHub is set up: run "AI DevOps: Sign In to Azure DevOps or GitHub…", or "AI DevOps: Try the Sandbox (No Account Needed)".',
    );
  });

  it('gives each configured tracker’s own reason', () => {
    assert.equal(
      noTrackerMessage([
        { tracker: 'azureBoards', label: 'Azure Boards', available: false, reason: 'Your Azure DevOps token expired. Sign in again.' },
        { tracker: 'github', label: 'GitHub (octo/repo)', available: false },
      ]),
      'No tracker can take new work items. Your Azure DevOps token expired. Sign in again. GitHub (octo/repo) is not available.',
    );
  });
});
