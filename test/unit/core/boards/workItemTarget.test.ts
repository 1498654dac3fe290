import assert from 'node:assert/strict';
import { workItemFromArgument } from '../../../../src/core/boards/workItemTarget';

describe('the work item an agent command starts from', () => {
  it('reads tree nodes, project items and TODO lens arguments; nothing else', () => {
    assert.equal(workItemFromArgument({ kind: 'item', item: { tracker: 'azureBoards', id: 12 } }), 'AB#12');
    assert.equal(workItemFromArgument({ kind: 'item', item: { tracker: 'github', id: 4, repository: 'octo/app' } }), 'octo/app#4');
    assert.equal(workItemFromArgument({ kind: 'projectItem', item: { number: 9, repository: 'octo/app', contentType: 'issue' } }), 'octo/app#9');
    assert.equal(workItemFromArgument({ kind: 'projectItem', item: { title: 'idea', contentType: 'draft' } }), undefined, 'a draft is not an issue yet');
    assert.equal(workItemFromArgument({ reference: { tracker: 'azureBoards', id: 3 }, key: 'AB#3' }), 'AB#3');
    assert.equal(workItemFromArgument({ template: 'flask' }), undefined);
    assert.equal(workItemFromArgument(undefined), undefined);
  });
});
