import assert from 'node:assert/strict';
import { projectNotices, readyStatusOf } from '../../../../src/core/boards/projectNotices';
import { type ProjectItem } from '../../../../src/core/boards/workTracker';

const item = (over: Partial<ProjectItem> & Pick<ProjectItem, 'itemId' | 'title'>): ProjectItem => ({
  contentType: 'issue',
  number: Number(over.itemId.replace(/\D/g, '')),
  repository: 'contoso/contoso-web',
  status: 'Backlog',
  assignees: [],
  labels: [],
  url: undefined,
  state: 'OPEN',
  ...over,
});
const map = (items: readonly ProjectItem[]): Map<string, ProjectItem> => new Map(items.map((i) => [i.itemId, i]));
const LIFECYCLE = ['Backlog', 'Ready', 'In Progress', 'Code Review', 'Testing', 'Done', 'Blocked'];

describe('GitHub Projects change notices from a refresh of the board', () => {
  it('an issue newly assigned to me (by login, any case) is raised with the agent that fits it; one already mine or assigned to someone else is not', () => {
    const before = [item({ itemId: 'PVTI_1', title: 'Orders API' }), item({ itemId: 'PVTI_2', title: 'Checkout fails on Safari', assignees: ['avery-chen'] }), item({ itemId: 'PVTI_3', title: 'Email', assignees: ['jordan-patel'] })];
    const after = [
      { ...before[0]!, assignees: ['Avery-Chen'] },
      { ...before[1]!, title: 'Checkout fails on Safari 17', assignees: ['avery-chen', 'jordan-patel'] },
      { ...before[2]!, assignees: ['sam-lee'] },
    ];
    const notices = projectNotices(map(before), after, 'avery-chen', LIFECYCLE);
    assert.deepEqual(notices.map((n) => [n.item.itemId, n.reason, n.agent?.agent]), [['PVTI_1', 'assignedToMe', 'scaffold']]);
    assert.equal(notices[0]!.message, 'contoso/contoso-web#1 "Orders API" was assigned to you. The scaffold agent fits it (it is an Issue: new work starts with its project).');
  });

  it('moving into the Project\'s Ready status is raised (bug label: QA fits); staying there, or moving elsewhere, is not', () => {
    const bug = item({ itemId: 'PVTI_4', title: 'Cart total wrong', labels: ['bug'], status: 'Backlog' });
    const [n] = projectNotices(map([bug]), [{ ...bug, status: 'Ready' }], undefined, LIFECYCLE);
    assert.equal(n!.reason, 'enteredReady');
    assert.equal(n!.agent?.agent, 'qa');
    assert.match(n!.message, /^contoso\/contoso-web#4 "Cart total wrong" is Ready \(Ready\)\. The qa agent fits it/);
    assert.deepEqual(projectNotices(map([{ ...bug, status: 'Ready' }]), [{ ...bug, status: 'Ready', title: 'Cart total wrong (EUR)' }], undefined, LIFECYCLE), []);
    assert.deepEqual(projectNotices(map([bug]), [{ ...bug, status: 'In Progress' }], undefined, LIFECYCLE), []);
  });

  it('Ready is the option the board names for it ("Todo" on GitHub\'s default board, "🔖 Up next"); a board with none raises no Ready notice (no guess)', () => {
    assert.equal(readyStatusOf(['Todo', 'In Progress', 'Done']), 'Todo');
    assert.equal(readyStatusOf(['Backlog', '🔖 Up next', 'Doing', 'Shipped']), '🔖 Up next');
    assert.equal(readyStatusOf(['Backlog', 'Doing', 'Done']), undefined);
    const x = item({ itemId: 'PVTI_5', title: 'Search', status: undefined });
    assert.equal(projectNotices(map([x]), [{ ...x, status: 'Todo' }], undefined, ['Todo', 'In Progress', 'Done'])[0]?.reason, 'enteredReady');
    assert.deepEqual(projectNotices(map([x]), [{ ...x, status: 'Doing' }], undefined, ['Backlog', 'Doing', 'Done']), []);
  });

  it('raises nothing for items only one snapshot holds, drafts, closed issues or merged pull requests; a pull request assigned to me is QA\'s', () => {
    const added = item({ itemId: 'PVTI_6', title: 'New', status: 'Ready', assignees: ['avery-chen'] });
    assert.deepEqual(projectNotices(new Map(), [added], 'avery-chen', LIFECYCLE), []);
    const draft = item({ itemId: 'PVTI_7', title: 'Idea', contentType: 'draft', number: undefined, repository: undefined });
    assert.deepEqual(projectNotices(map([draft]), [{ ...draft, status: 'Ready', assignees: ['avery-chen'] }], 'avery-chen', LIFECYCLE), []);
    const closed = item({ itemId: 'PVTI_8', title: 'Old', state: 'CLOSED' });
    assert.deepEqual(projectNotices(map([closed]), [{ ...closed, status: 'Ready' }], undefined, LIFECYCLE), []);
    const merged = item({ itemId: 'PVTI_9', title: 'Fix', contentType: 'pullRequest', state: 'MERGED' });
    assert.deepEqual(projectNotices(map([merged]), [{ ...merged, assignees: ['avery-chen'] }], 'avery-chen', LIFECYCLE), []);
    const pr = item({ itemId: 'PVTI_10', title: 'Add search', contentType: 'pullRequest' });
    const [n] = projectNotices(map([pr]), [{ ...pr, assignees: ['avery-chen'] }], 'avery-chen', LIFECYCLE);
    assert.equal(n?.agent?.agent, 'qa');
  });

  it('not knowing who I am (identity not read) raises only Ready notices', () => {
    const a = item({ itemId: 'PVTI_11', title: 'Tax rules' });
    assert.deepEqual(projectNotices(map([a]), [{ ...a, assignees: ['avery-chen'] }], undefined, LIFECYCLE), []);
  });
});
