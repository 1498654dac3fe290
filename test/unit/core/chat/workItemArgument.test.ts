import assert from 'node:assert/strict';
import { parseWorkItemArgument, referenceText, workItemMentions } from '../../../../src/core/chat/workItemArgument';

describe('work item arguments and mentions', () => {
  it('reads ids in every written form, a bare number in the default tracker', () => {
    assert.deepEqual(parseWorkItemArgument('AB#7', 'github'), { tracker: 'azureBoards', id: 7 });
    assert.deepEqual(parseWorkItemArgument(' 7 ', 'azureBoards'), { tracker: 'azureBoards', id: 7 });
    assert.deepEqual(parseWorkItemArgument('7', 'github'), { tracker: 'github', id: 7 });
    assert.deepEqual(parseWorkItemArgument('#45', 'github'), { tracker: 'github', id: 45 });
    assert.deepEqual(parseWorkItemArgument('contoso/web#45', 'azureBoards'), { tracker: 'github', id: 45, owner: 'contoso', repo: 'web' });
    assert.equal(parseWorkItemArgument('https://dev.azure.com/org/proj/_workitems/edit/31', 'github')?.id, 31);
  });

  it('refuses what is not an id', () => {
    for (const bad of ['', 'seven', '0', '-3', '1.5', '12345678901']) assert.equal(parseWorkItemArgument(bad, 'azureBoards'), undefined, bad);
  });

  it('lists each mention once, in order', () => {
    const found = workItemMentions('compare AB#7 with AB#8, then AB#7 again and #9', 'azureBoards');
    assert.deepEqual(found.map(referenceText), ['AB#7', 'AB#8', 'AB#9']);
    assert.deepEqual(workItemMentions('no ids here, only v1.2', 'azureBoards'), []);
  });
});
