import assert from 'node:assert/strict';
import { handOffChoices, handOffInput } from '../../../../src/core/boards/agentHandOff';
import { workItem } from '../todo/fakeWorkItemResolver';

const order = (item: Parameters<typeof handOffChoices>[0]): string[] => handOffChoices(item).map((c) => `${c.agent}${c.fits ? '*' : ''}`);

describe('Hand to an agent…: which agent fits a work item', () => {
  it('new work (a story, a requirement, an issue) goes to the scaffold first; the others stay on the list', () => {
    for (const type of ['User Story', 'Product Backlog Item', 'Requirement', 'Issue']) {
      assert.deepEqual(order(workItem({ id: 1, type, title: 'Orders API' })), ['scaffold*', 'qa', 'security', 'release'], type);
    }
    assert.equal(handOffChoices(workItem({ id: 1, type: 'User Story', title: 'Orders API' }))[0]!.fits, 'it is a User Story: new work starts with its project');
  });

  it('a Bug or an item about failing tests goes to QA; security words to security; release words to release, saying which word', () => {
    assert.deepEqual(order(workItem({ id: 2, type: 'Bug', title: 'Checkout button unresponsive on Safari 17' })), ['qa*', 'scaffold', 'security', 'release']);
    const flaky = handOffChoices(workItem({ id: 3, type: 'Task', title: 'The payment tests are flaky' }));
    assert.equal(flaky[0]!.agent, 'qa');
    assert.equal(flaky[0]!.fits, 'the item mentions "tests"');
    assert.deepEqual(order(workItem({ id: 4, type: 'Task', title: 'Upgrade lodash', tags: ['CVE-2021-23337'] })), ['security*', 'scaffold', 'qa', 'release']);
    assert.deepEqual(order(workItem({ id: 5, type: 'User Story', title: 'Ship v2.0 to production' })), ['release*', 'scaffold', 'qa', 'security']);
    // Two agents fit: both marked, in the order security, release, QA.
    assert.deepEqual(order(workItem({ id: 6, type: 'Bug', title: 'Secret leaked in the release logs' })), ['security*', 'release*', 'qa*', 'scaffold']);
  });

  it('nothing points at an agent (a Test Case, an Epic the planner breaks down first, no telling words): all four, none marked, no guess', () => {
    for (const type of ['Test Case', 'Epic', 'Feature']) {
      const choices = handOffChoices(workItem({ id: 7, type, title: 'Sign-in page' }));
      assert.deepEqual(choices.map((c) => c.agent), ['scaffold', 'qa', 'security', 'release'], type);
      assert.ok(choices.every((c) => c.fits === undefined), type);
    }
  });

  it('words inside other words do not count ("testament", "shipping" are not test or ship)', () => {
    assert.deepEqual(order(workItem({ id: 8, type: 'User Story', title: 'Testament page for shipping addresses' })), ['scaffold*', 'qa', 'security', 'release']);
  });

  it('hands the scaffold and QA the item (QA comments its results there); security and release run on the workspace', () => {
    assert.deepEqual(handOffInput('scaffold', { tracker: 'azureBoards', id: 12 }, { template: 'flask' }), { template: 'flask', workItem: 'AB#12' });
    assert.deepEqual(handOffInput('scaffold', { tracker: 'github', id: 5, repository: 'octo/app' }), { workItem: 'octo/app#5' });
    assert.deepEqual(handOffInput('qa', { tracker: 'azureBoards', id: 12 }), { 'work-item': 'AB#12', comment: true });
    assert.deepEqual(handOffInput('qa', { tracker: 'github', id: 5, repository: 'octo/app' }), { 'work-item': '#5', comment: true });
    assert.deepEqual(handOffInput('release', { tracker: 'azureBoards', id: 12 }, { preid: 'rc' }), { preid: 'rc' });
    assert.deepEqual(handOffInput('security', { tracker: 'azureBoards', id: 12 }), {});
  });
});
