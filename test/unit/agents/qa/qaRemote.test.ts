import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bugTag } from '../../../../src/agents/qa/remoteChanges';
import { qaAgent } from '../../../../src/agents/qa/qaAgent';
import { defaultRemoteExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { AzureTestRuns } from '../../../../src/providers/boards/azureBoards/testRuns';
import { FakeLogger } from '../../fakes/fakeLogger';
import { makeTracker, type TrackerSetup } from '../../providers/boards/azureBoardsSetup';
import { type Harness as AdoHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { type Harness, makeHarness } from '../runtime/harness';
import { copyFixture } from './qaFixtures';

type Json = Record<string, unknown>;
/** The QA agent pushes and tags nothing. */
const noGit = () => ({ push: async (): Promise<never> => Promise.reject(new Error('no push here')), createTag: async (): Promise<never> => Promise.reject(new Error('no tag here')) });

describe('QA agent: Bugs, comments and Test Plans runs against the Azure DevOps stand-in', function () {
  this.timeout(120_000);
  let ado: AdoHarness;
  let setup: TrackerSetup;
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    ado = await startHarness();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'qa-remote-'));
    setup = await makeTracker(ado, dir);
    const trackers = { azure: () => setup.tracker, github: () => undefined, defaultTracker: 'azureBoards' as const };
    h = await makeHarness({ trackers, remote: defaultRemoteExecutors({ trackers, git: noGit, log: new FakeLogger(), testRuns: async () => new AzureTestRuns(setup.tracker.azure) }) });
    await copyFixture('mocha', h.root);
    // The flaky test is flaky no more: only the real failure is left.
    await h.write('.flaky-marker', 'seen');
  });
  afterEach(async () => {
    await h.dispose();
    setup.tracker.dispose();
    setup.outbox.dispose();
    await ado.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });
  const run = (input: Json): Promise<RunResult> => runAgent(h.services, { agent: qaAgent, action: 'run', input, mode: 'apply' });
  const itemOf = (type: string): number => ado.state.doc.workItems.find((w) => w.fields['System.WorkItemType'] === type && !['Closed', 'Removed', 'Resolved'].includes(String(w.fields['System.State'])))!.id;
  const story = (): number => itemOf('User Story');
  const bugs = () => ado.state.doc.workItems.filter((w) => String(w.fields['System.Tags'] ?? '').includes('qa-test-'));

  it('files one Bug per failing test with the failure, the reproduction and a link to the work item; a second run files none; a passing run offers to resolve it', async () => {
    // The demo team keeps bugs with the requirements, so a Bug's parent is a Feature.
    const parent = itemOf('Feature');
    const first = await run({ bugs: true, 'work-item': parent });
    assert.equal(first.outcome, 'succeeded', first.error);
    const created = first.applied.remote.filter((r) => r.kind === 'workItem.createOnce');
    assert.deepEqual(created.map((r) => r.outcome), ['applied']);
    const filed = bugs();
    assert.equal(filed.length, 1);
    const bug = filed[0]!;
    assert.equal(bug.fields['System.WorkItemType'], 'Bug');
    assert.equal(bug.fields['System.Title'], 'Test fails: math › add › adds negative numbers');
    const tags = String(bug.fields['System.Tags']);
    assert.match(tags, new RegExp(bugTag('test/math.test.js::math > add > adds negative numbers')));
    const description = String(bug.fields['System.Description']);
    assert.match(description, /test\/math.test.js:12|test\/math\.test\.js/);
    assert.match(description, /npm test --silent/);
    assert.match(description, new RegExp(`AB#${parent}`));
    assert.ok(bug.relations.some((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse' && r.url.endsWith(`/${parent}`)), 'a child of the work item the run was for');

    // The same failure again: nothing new is planned, the note names the Bug.
    const second = await run({ bugs: true, 'work-item': parent });
    assert.equal(second.plan!.remote.filter((r) => r.kind === 'workItem.createOnce').length, 0);
    assert.ok(second.plan!.notes.some((n) => n.includes(`already filed as AB#${bug.id}`)), second.plan!.notes.join('\n'));
    assert.equal(bugs().length, 1);

    // Fixed: the run offers to resolve the Bug, and does once approved.
    const test = (await h.read('test/math.test.js'))!;
    await h.write('test/math.test.js', test.replace('{ sum: -4 }', '{ sum: -3 }'));
    const third = await run({ bugs: true });
    const resolve = third.plan!.remote.find((r) => r.kind === 'workItem.state')!;
    assert.equal(resolve.target, `AB#${bug.id}`);
    assert.equal(third.applied.remote.find((r) => r.kind === 'workItem.state')?.outcome, 'applied');
    assert.equal(ado.state.doc.workItems.find((w) => w.id === bug.id)!.fields['System.State'], 'Resolved');
  });

  it('a work item the process does not allow as the Bug\'s parent is named in the Bug instead', async () => {
    const parent = story();
    const r = await run({ bugs: true, 'work-item': parent });
    assert.equal(r.outcome, 'succeeded', r.error);
    const bug = bugs()[0]!;
    assert.equal(bug.relations.filter((x) => x.rel === 'System.LinkTypes.Hierarchy-Reverse').length, 0);
    assert.match(String(bug.fields['System.Description']), new RegExp(`Found while testing AB#${parent}`));
  });

  it('a Bug filed meanwhile by another run (a pipeline) is found when the change is applied: not filed twice', async () => {
    const plan = await runAgent(h.services, { agent: qaAgent, action: 'run', input: { bugs: true }, mode: 'plan' });
    const change = plan.plan!.remote.find((r) => r.kind === 'workItem.createOnce')!;
    const executors = defaultRemoteExecutors({ trackers: { azure: () => setup.tracker, github: () => undefined }, git: noGit, log: new FakeLogger() });
    const context = { runId: 'run-a', workspaceRoot: h.root, signal: new AbortController().signal, results: new Map() };
    const a = await executors.get('workItem.createOnce')!.execute(change, context);
    const b = await executors.get('workItem.createOnce')!.execute(change, { ...context, runId: 'run-b' });
    assert.equal(a.kind, 'applied');
    assert.equal(b.kind, 'applied');
    assert.match(b.detail, /already filed as AB#\d+/);
    assert.equal(bugs().length, 1);
  });

  it('publishes the run to Azure Test Plans (a completed automated run with every result) and comments the summary on the work item', async () => {
    const parent = story();
    const r = await run({ publish: true, comment: true, 'work-item': parent });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(r.applied.remote.map((x) => [x.kind, x.outcome]), [['workItem.comment', 'applied'], ['testPlans.publishRun', 'applied']]);
    const testRun = ado.state.doc.testRuns.at(-1)!;
    assert.equal(testRun.state, 'Completed');
    assert.equal(testRun.isAutomated, true);
    assert.deepEqual(testRun.results.map((x) => x.outcome).sort(), ['Failed', 'NotExecuted', 'Passed', 'Passed', 'Passed']);
    assert.ok(testRun.results.some((x) => x.automatedTestName === 'test/math.test.js::math > add > adds negative numbers' && x.automatedTestStorage === 'test/math.test.js' && /deep-equal/.test(x.errorMessage ?? '')));
    const comments = ado.state.doc.workItems.find((w) => w.id === parent)!.comments;
    assert.match(comments.at(-1)!.text, /3 passed, 1 failed, 0 flaky, 1 skipped/);
  });

  it('the work item moves to Testing (Agile: Resolved) when its tests pass, through the approval policy, before the comment; a failing run leaves it where it is and says why', async () => {
    const parent = story();
    const failing = await run({ comment: true, 'work-item': parent });
    assert.equal(failing.outcome, 'succeeded', failing.error);
    assert.deepEqual(failing.plan!.remote.map((r) => r.kind), ['workItem.comment']);
    assert.ok(failing.plan!.notes.includes(`AB#${parent} stays where it is: 1 test failed, so it does not move to Testing.`), failing.plan!.notes.join('\n'));
    const test = (await h.read('test/math.test.js'))!;
    await h.write('test/math.test.js', test.replace('{ sum: -4 }', '{ sum: -3 }'));
    const passing = await run({ comment: true, 'work-item': parent });
    assert.equal(passing.outcome, 'succeeded', passing.error);
    const move = passing.plan!.remote[0]!;
    assert.deepEqual([move.kind, move.approval, move.payload], ['workItem.state', 'trackerWrite', { tracker: 'azureBoards', id: parent, state: 'Resolved' }]);
    assert.match(move.summary, /→ Resolved \(Testing\): its tests pass \(4 passed\)/);
    assert.deepEqual(passing.applied.remote.map((x) => [x.kind, x.outcome]), [['workItem.state', 'applied'], ['workItem.comment', 'applied']]);
    assert.equal(ado.state.doc.workItems.find((w) => w.id === parent)!.fields['System.State'], 'Resolved');
    const audited = (await h.events()).filter((e) => e.eventType === 'remote.applied').map((e) => e.metadata.kind);
    assert.ok(audited.includes('workItem.state'));
    // Run again: it is there already, nothing to move.
    const again = await run({ comment: true, 'work-item': parent });
    assert.deepEqual(again.plan!.remote.map((r) => r.kind), ['workItem.comment']);
  });

  it('with no tracker connected, nothing remote is planned and the note says how to connect', async () => {
    const bare = await makeHarness();
    try {
      await copyFixture('mocha', bare.root);
      const r = await runAgent(bare.services, { agent: qaAgent, action: 'run', input: { bugs: true, publish: true }, mode: 'plan' });
      assert.deepEqual(r.plan!.remote, []);
      assert.ok(r.plan!.notes.some((n) => /Azure Boards is not connected.*Sign In/.test(n)));
    } finally {
      await bare.dispose();
    }
  });
});
