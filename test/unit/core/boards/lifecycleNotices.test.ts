import assert from 'node:assert/strict';
import { isReadyState, lifecycleNotices } from '../../../../src/core/boards/lifecycleNotices';
import { type WorkItem } from '../../../../src/core/workItem';
import { workItem } from '../todo/fakeWorkItemResolver';

const map = (items: readonly WorkItem[]): Map<number, WorkItem> => new Map(items.map((i) => [i.id, i]));

describe('lifecycle notices from a refresh of the work items', () => {
  it('an item newly assigned to me is raised with the agent that fits it; one already mine, or assigned to someone else, is not', () => {
    const before = [
      workItem({ id: 1, type: 'User Story', title: 'Orders API', state: 'New' }),
      workItem({ id: 2, type: 'Bug', title: 'Checkout fails on Safari', state: 'Active', assignedTo: 'Dana Dev' }),
      workItem({ id: 3, type: 'Task', title: 'Email', state: 'Active', assignedTo: 'Avery' }),
    ];
    const after = [
      { ...before[0]!, assignedTo: 'dana dev' },
      { ...before[1]!, title: 'Checkout fails on Safari 17' },
      { ...before[2]!, assignedTo: 'Jordan' },
    ];
    const notices = lifecycleNotices(map(before), after, 'Dana Dev');
    assert.deepEqual(notices.map((n) => [n.item.id, n.reason, n.agent?.agent]), [[1, 'assignedToMe', 'scaffold']]);
    assert.equal(notices[0]!.message, 'AB#1 "Orders API" was assigned to you. The scaffold agent fits it (it is a User Story: new work starts with its project).');
  });

  it('entering Ready is raised where Ready is a state of its own (Scrum\'s Approved), not where it shares New\'s (Agile New, Basic To Do): no guess', () => {
    assert.equal(isReadyState({ type: 'Product Backlog Item', state: 'Approved' }), true);
    assert.equal(isReadyState({ type: 'Product Backlog Item', state: 'New' }), false);
    assert.equal(isReadyState({ type: 'User Story', state: 'New' }), false);
    assert.equal(isReadyState({ type: 'Issue', state: 'To Do' }), false);
    const pbi = workItem({ id: 4, type: 'Product Backlog Item', title: 'Saved cards', state: 'New' });
    const notices = lifecycleNotices(map([pbi]), [{ ...pbi, state: 'Approved' }], undefined);
    assert.deepEqual(notices.map((n) => [n.reason, n.message]), [['enteredReady', 'AB#4 "Saved cards" is Ready (Approved). The scaffold agent fits it (it is a Product Backlog Item: new work starts with its project).']]);
    // Approved to Approved (an edit of the title) is not news.
    assert.deepEqual(lifecycleNotices(map([{ ...pbi, state: 'Approved' }]), [{ ...pbi, state: 'Approved', title: 'Saved cards v2' }], undefined), []);
  });

  it('items only one snapshot holds (a new filter, a first page) raise nothing; an item nothing points at is raised without an agent', () => {
    const epic = workItem({ id: 5, type: 'Epic', title: 'Portal', state: 'New' });
    assert.deepEqual(lifecycleNotices(new Map(), [{ ...epic, assignedTo: 'Dana' }], 'Dana'), []);
    const [n] = lifecycleNotices(map([epic]), [{ ...epic, assignedTo: 'Dana' }], 'Dana');
    assert.equal(n!.agent, undefined);
    assert.equal(n!.message, 'AB#5 "Portal" was assigned to you.');
  });
});
