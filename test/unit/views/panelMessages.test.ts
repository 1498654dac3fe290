import assert from 'node:assert/strict';
import { type WorkItem } from '../../../src/core/workItem';
import { parseFromWebview, toPanelItem } from '../../../src/views/workItemPanel/panelMessages';

const item: WorkItem = {
  tracker: 'azureBoards',
  id: 7,
  repository: 'Contoso Web',
  type: 'Task',
  title: 'Add retry to the checkout call',
  description: '<p>Retry <b>twice</b></p><script>alert(1)</script>',
  state: 'Active',
  assignedTo: 'Sandbox User',
  iterationPath: 'Contoso Web\\Sprint 2',
  tags: ['backend'],
  parentId: 3,
  childIds: [],
  createdAt: '2026-11-01T10:00:00Z',
  modifiedAt: '2026-11-02T10:00:00Z',
  url: 'https://dev.azure.com/o/p/_workitems/edit/7',
  rev: 4,
};

describe('Work item panel messages', () => {
  it('accepts only the messages the page may send', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseFromWebview({ type: 'action', action: 'changeState' }), { type: 'action', action: 'changeState' });
    assert.equal(parseFromWebview({ type: 'action', action: 'workbench.action.terminal.new' }), undefined);
    assert.equal(parseFromWebview({ type: 'run', command: 'rm -rf /' }), undefined);
    assert.equal(parseFromWebview('ready'), undefined);
    assert.equal(parseFromWebview(null), undefined);
  });

  it('names the item, its parent by key, and marks Azure Boards descriptions as HTML for text-only display', () => {
    const panel = toPanelItem(item);
    assert.equal(panel.key, 'AB#7');
    assert.equal(panel.parentKey, 'AB#3');
    assert.equal(panel.descriptionHtml, true);
    assert.equal(toPanelItem({ ...item, tracker: 'github', repository: 'contoso/web', parentId: undefined }).descriptionHtml, false);
    assert.equal(toPanelItem({ ...item, tracker: 'github', repository: 'contoso/web' }).parentKey, 'contoso/web#3');
  });
});
