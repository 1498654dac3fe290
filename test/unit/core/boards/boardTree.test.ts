import { strict as assert } from 'node:assert';
import {
  boardsSubtitle,
  buildHierarchy,
  flattenIds,
  groupItems,
  type GroupNode,
  isAssignedTo,
  isOpenState,
  type ItemNode,
  matchesFilter,
  myOpenCount,
} from '../../../../src/core/boards/boardTree';
import { workItem } from './workItemBuilder';

const shape = (nodes: readonly ItemNode[]): unknown => nodes.map((n) => (n.children.length ? { [n.item.id]: shape(n.children) } : n.item.id));

describe('boardTree', () => {
  const epic = workItem(1, { type: 'Epic' });
  const feature = workItem(2, { type: 'Feature', parentId: 1 });
  const story = workItem(3, { type: 'User Story', parentId: 2 });
  const task = workItem(4, { type: 'Task', parentId: 3 });
  const bug = workItem(5, { type: 'Bug', parentId: 3 });
  const orphan = workItem(6, { type: 'Task', parentId: 99 });
  const lone = workItem(7, { type: 'User Story' });

  it('builds the hierarchy by parent links, higher levels first among siblings', () => {
    const tree = buildHierarchy([task, orphan, bug, story, lone, feature, epic]);
    assert.deepEqual(shape(tree), [{ 1: [{ 2: [{ 3: [5, 4] }] }] }, 7, 6]);
  });

  it('ranks a type however the service writes its name, and a type named like an object member as unknown (last, by id)', () => {
    const odd = [workItem(20, { type: 'constructor' }), workItem(21, { type: ' task ' }), workItem(22, { type: '__proto__' }), workItem(23, { type: 'EPIC' }), workItem(24, { type: 'toString' })];
    assert.deepEqual(shape(buildHierarchy(odd)), [23, 21, 20, 22, 24]);
  });

  it('shows an item whose parent is not loaded at the top level, marked as an orphan', () => {
    const tree = buildHierarchy([story, task]);
    assert.deepEqual(shape(tree), [{ 3: [4] }]);
    assert.equal(tree[0]!.orphan, true);
    const o = buildHierarchy([orphan]);
    assert.equal(o[0]!.orphan, true);
    assert.equal(buildHierarchy([lone])[0]!.orphan, false);
  });

  it('loses no item in a parent cycle or a self-parent', () => {
    const a = workItem(10, { parentId: 11 });
    const b = workItem(11, { parentId: 10 });
    const self = workItem(12, { parentId: 12 });
    const ids = flattenIds(buildHierarchy([a, b, self])).sort();
    assert.deepEqual(ids, [10, 11, 12]);
  });

  it('keeps one copy of an id given twice', () => {
    assert.deepEqual(flattenIds(buildHierarchy([task, workItem(4, { title: 'newer' })])), [4]);
  });

  it('groups by iteration, naturally sorted, "No iteration" last, hierarchy inside', () => {
    const items = [
      workItem(1, { type: 'User Story', iterationPath: 'Contoso Web\\Sprint 10' }),
      workItem(2, { parentId: 1, iterationPath: 'Contoso Web\\Sprint 10' }),
      workItem(3, { iterationPath: 'Contoso Web\\Sprint 9' }),
      workItem(4, {}),
    ];
    const groups = groupItems(items, 'iteration') as GroupNode[];
    assert.deepEqual(groups.map((g) => g.label), ['Sprint 9', 'Sprint 10', 'No iteration']);
    assert.equal(groups[1]!.count, 2);
    assert.equal(groups[1]!.description, '2 items · Contoso Web\\Sprint 10');
    assert.deepEqual(shape(groups[1]!.children), [{ 1: [2] }]);
  });

  it('groups by state in workflow order', () => {
    const items = ['Closed', 'Active', 'New', 'Resolved', 'Removed'].map((state, i) => workItem(i + 1, { state }));
    const groups = groupItems(items, 'state') as GroupNode[];
    assert.deepEqual(groups.map((g) => g.label), ['New', 'Active', 'Resolved', 'Closed', 'Removed']);
  });

  it('hierarchy grouping is the plain tree', () => {
    assert.deepEqual(shape(groupItems([epic, feature], 'hierarchy') as ItemNode[]), [{ 1: [2] }]);
  });

  it('counts my open items for the badge, matching the ways services write an identity', () => {
    const items = [
      workItem(1, { assignedTo: 'Sandbox User <sandbox.user@contoso.example>', state: 'Active' }),
      workItem(2, { assignedTo: 'sandbox user', state: 'New' }),
      workItem(3, { assignedTo: 'Sandbox User <sandbox.user@contoso.example>', state: 'Closed' }),
      workItem(4, { assignedTo: 'Avery Chen <avery@contoso.example>', state: 'Active' }),
      workItem(5, { state: 'Active' }),
      workItem(6, { assignedTo: 'sandbox.user@contoso.example', state: 'Resolved' }),
    ];
    assert.equal(myOpenCount(items, 'Sandbox User <sandbox.user@contoso.example>'), 3);
    assert.equal(myOpenCount(items, undefined), 0);
    assert.equal(isAssignedTo({ assignedTo: 'octocat' }, 'OctoCat'), true);
  });

  it('knows open from closed across processes', () => {
    for (const s of ['New', 'Active', 'Resolved', 'To Do', 'Doing', 'Committed', 'open']) assert.equal(isOpenState(s), true, s);
    for (const s of ['Done', 'Closed', 'Removed', 'closed', 'merged']) assert.equal(isOpenState(s), false, s);
  });

  it('checks a filter on the client', () => {
    const ctx = { me: 'Sandbox User', currentIteration: 'Contoso Web\\Sprint 2' };
    const mine = workItem(1, { assignedTo: 'Sandbox User', state: 'Active', iterationPath: 'Contoso Web\\Sprint 2' });
    const closedInSprint = workItem(2, { state: 'Closed', iterationPath: 'Contoso Web\\Sprint 2' });
    const other = workItem(3, { assignedTo: 'Avery Chen', state: 'New', iterationPath: 'Contoso Web\\Sprint 3' });
    assert.deepEqual([mine, closedInSprint, other].filter((i) => matchesFilter(i, 'assignedToMe', ctx)).map((i) => i.id), [1]);
    assert.deepEqual([mine, closedInSprint, other].filter((i) => matchesFilter(i, 'currentIteration', ctx)).map((i) => i.id), [1, 2]);
    assert.deepEqual([mine, closedInSprint, other].filter((i) => matchesFilter(i, 'allOpen', ctx)).map((i) => i.id), [1, 3]);
    assert.equal(matchesFilter(mine, 'currentIteration', { me: undefined, currentIteration: undefined }), false);
  });

  it('the subtitle says how many items the list holds, past 20,000 too, and nothing while it loads', () => {
    assert.equal(boardsSubtitle('allOpen', 'hierarchy', 30_000), 'All open (30,000) · by hierarchy');
    assert.equal(boardsSubtitle('assignedToMe', 'state', 0), 'Assigned to me (0) · by state');
    assert.equal(boardsSubtitle('currentIteration', 'iteration', undefined), 'Current iteration · by iteration');
  });
});
