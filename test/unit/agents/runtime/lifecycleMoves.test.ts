import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultRemoteExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { lifecycleMoves, type LifecycleStep } from '../../../../src/agents/runtime/lifecycleMoves';
import { type WorkTracker } from '../../../../src/core/boards/workTracker';
import { type WorkItem } from '../../../../src/core/workItem';
import { createAzureBoardsTracker, type AzureBoardsTracker } from '../../../../src/providers/boards/azureBoards';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { processByName } from '../../../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../../../src/sandbox/azureDevOps/state/projectOps';
import { SANDBOX_GITHUB } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';
import { goodPat, MemoryAudit } from '../../providers/boards/azureBoardsSetup';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { type Harness, startHarness } from '../../sandbox/azureDevOps/harness';

/** An agent's work on an item: it starts, its pull request opens, QA runs. */
const STEPS: readonly LifecycleStep[] = [
  { id: 'move-start', target: 'In Progress', why: 'the work starts' },
  { id: 'move-review', target: 'Code Review', why: 'its pull request is open', dependsOn: ['pullRequest'] },
  { id: 'move-testing', target: 'Testing', why: 'QA runs' },
];

describe('lifecycle moves as agents work, onto each process template\'s real states (Azure DevOps stand-in, azure-devops-node-api)', () => {
  let ado: Harness;
  let dir: string;
  let outbox: FileOutbox;
  const trackers: AzureBoardsTracker[] = [];
  beforeEach(async () => {
    ado = await startHarness();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-lifecycle-'));
    outbox = await FileOutbox.open({ storageDir: dir, log: new FakeLogger(), baseDelayMs: 1, maxDelayMs: 5 });
  });
  afterEach(async () => {
    for (const t of trackers.splice(0)) t.dispose();
    outbox.dispose();
    await ado.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A project on the process, a tracker on it, and one new item of its requirement type. */
  async function itemIn(process: string, type: string): Promise<{ tracker: AzureBoardsTracker; item: WorkItem }> {
    const name = `${process} Project`;
    addProject(ado.state, { name, description: '', processId: processByName(process)!.id, visibility: 'private' }, false);
    const tracker = createAzureBoardsTracker({ endpoint: { organizationUrl: ado.orgUrl, project: name, team: `${name} Team` }, credential: async () => goodPat, log: new FakeLogger(), storageDir: path.join(dir, process), cacheTtlSeconds: 300, outbox, audit: new MemoryAudit(), timeoutMs: 5_000 });
    trackers.push(tracker);
    const wit = await ado.api().getWorkItemTrackingApi();
    const made = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: `Checkout (${process})` }], name, type);
    const item = (await tracker.get([made.id!])).get(made.id!);
    assert.ok(item && !(item instanceof Error), String(item));
    return { tracker, item };
  }

  /** Sends the moves in order as the runtime's workItem.state executor does, and reads the state the service holds after each. */
  async function apply(tracker: WorkTracker, item: WorkItem, states: readonly string[]): Promise<string[]> {
    const seen: string[] = [];
    let current = item;
    for (const state of states) {
      const outcome = await tracker.changeState(current, state);
      assert.equal(outcome.kind, 'applied', JSON.stringify(outcome));
      current = outcome.kind === 'applied' ? outcome.item : current;
      seen.push(String(ado.state.doc.workItems.find((w) => w.id === item.id)!.fields['System.State']));
    }
    return seen;
  }

  const cases: { process: string; type: string; from: string; moves: [string, string][] }[] = [
    // Basic has no review or test state: Doing stands for all three.
    { process: 'Basic', type: 'Issue', from: 'To Do', moves: [['move-start', 'Doing']] },
    { process: 'Agile', type: 'User Story', from: 'New', moves: [['move-start', 'Active'], ['move-testing', 'Resolved']] },
    // Scrum's Committed is In Progress, Code Review and Testing alike (Approved, Ready, is skipped: work started).
    { process: 'Scrum', type: 'Product Backlog Item', from: 'New', moves: [['move-start', 'Committed']] },
    { process: 'CMMI', type: 'Requirement', from: 'Proposed', moves: [['move-start', 'Active'], ['move-testing', 'Resolved']] },
  ];
  for (const c of cases) {
    it(`${c.process}: ${c.type} in ${c.from} moves ${c.moves.map((m) => m[1]).join(', then ')}, each step after the one before, and the service takes each`, async () => {
      const { tracker, item } = await itemIn(c.process, c.type);
      assert.equal(item.state, c.from);
      const planned = await lifecycleMoves(tracker, item, STEPS, new AbortController().signal);
      assert.deepEqual(planned.notes, []);
      assert.deepEqual(planned.changes.map((m) => [m.id, (m.payload as { state: string }).state]), c.moves);
      for (const m of planned.changes) {
        assert.equal(m.kind, 'workItem.state');
        assert.equal(m.approval, 'trackerWrite');
      }
      // Each waits for the move before it (and Code Review for the pull request).
      planned.changes.slice(1).forEach((m, i) => assert.ok(m.dependsOn?.includes(planned.changes[i]!.id), `${m.id} after ${planned.changes[i]!.id}`));
      assert.deepEqual(await apply(tracker, item, c.moves.map((m) => m[1])), c.moves.map((m) => m[1]));
    });
  }

  it('finished work is not reopened by an agent: the note says so and nothing moves', async () => {
    const { tracker, item } = await itemIn('Agile', 'User Story');
    const [closed] = await apply(tracker, item, ['Active', 'Closed']).then((s) => s.slice(1));
    assert.equal(closed, 'Closed');
    const now = (await tracker.get([item.id])).get(item.id) as WorkItem;
    const planned = await lifecycleMoves(tracker, { ...now, state: 'Closed' }, STEPS, new AbortController().signal);
    assert.deepEqual(planned.changes, []);
    assert.match(planned.notes.join('\n'), new RegExp(`AB#${item.id} is Closed, so it was not moved back into the work`));
  });

  it('states that cannot be read (503 on every attempt) or a tracker that is not connected: no move, a note that says why', async () => {
    const { tracker, item } = await itemIn('Agile', 'User Story');
    const offline = await lifecycleMoves(undefined, item, STEPS, new AbortController().signal);
    assert.deepEqual(offline, { changes: [], notes: [`AB#${item.id} was not moved along its process: Azure Boards is not connected.`] });
    const failing: WorkTracker = { ...tracker, allowedStates: async () => Promise.reject(new Error('Azure DevOps answered 503')) } as unknown as WorkTracker;
    const planned = await lifecycleMoves(failing, item, STEPS.slice(0, 1), new AbortController().signal);
    assert.deepEqual(planned.changes, []);
    assert.deepEqual(planned.notes, [`AB#${item.id} was not moved to In Progress: its states could not be read (Azure DevOps answered 503).`]);
  });
});

describe('lifecycle moves on GitHub issues (the GitHub stand-in, Octokit)', () => {
  let t: TrackerHarness;
  beforeEach(async () => (t = await startTrackers()));
  afterEach(async () => t.stop());

  it('an open issue is open through every working step: nothing to move; a closed one is not reopened', async () => {
    const made = await t.gh.rest().issues.create({ owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, title: 'Orders API' });
    const issue = (await t.trackers.issues.get([made.data.number])).get(made.data.number) as WorkItem;
    const open = await lifecycleMoves(t.trackers.issues, issue, STEPS, new AbortController().signal);
    assert.deepEqual(open, { changes: [], notes: [] });
    const closed = await lifecycleMoves(t.trackers.issues, { ...issue, state: 'Closed' }, STEPS, new AbortController().signal);
    assert.deepEqual(closed.changes, []);
    assert.match(closed.notes[0] ?? '', new RegExp(`#${issue.id} is Closed, so it was not moved back`));
  });

  /** The Status option the stand-in holds for an issue's Project item. */
  const statusOf = (n: number): string | undefined => {
    const project = t.gh.state.doc.projects[0]!;
    const status = project.fields.find((f) => f.name === 'Status')!;
    const item = project.items.find((i) => i.number === n && i.contentType === 'ISSUE')!;
    const optionId = (item.values[String(status.id)] as { optionId?: string } | undefined)?.optionId;
    return status.options.find((o) => o.id === optionId)?.name;
  };
  const executors = () => {
    const github = Object.assign(Object.create(t.trackers.issues) as WorkTracker, { setStatus: t.trackers.projects.setStatus.bind(t.trackers.projects), setProjectIteration: t.trackers.projects.setProjectIteration.bind(t.trackers.projects) });
    return defaultRemoteExecutors({ trackers: { azure: () => undefined, github: () => github as never }, git: () => ({ push: async () => undefined, createTag: async () => ({ name: '', commit: '' }) }), log: new FakeLogger() });
  };
  const context = () => ({ runId: 'run-project', workspaceRoot: os.tmpdir(), signal: new AbortController().signal, results: new Map() });

  it('an issue in the configured Project moves its Status onto the Project\'s real options (updateProjectV2ItemFieldValue); a step without an option is a note saying which to add', async () => {
    const issue = (await t.trackers.issues.get([6])).get(6) as WorkItem;
    assert.equal(statusOf(6), 'Todo');
    const planned = await lifecycleMoves(t.trackers.issues, issue, STEPS, new AbortController().signal);
    assert.deepEqual(
      planned.changes.map((c) => [c.id, c.kind, (c.payload as { status: string; from: string | null }).status, (c.payload as { from: string | null }).from, c.dependsOn]),
      [
        ['move-start-project', 'project.status', 'In Progress', 'Todo', undefined],
        ['move-review-project', 'project.status', 'In Review', 'In Progress', ['pullRequest', 'move-start-project']],
      ],
    );
    assert.deepEqual(planned.notes, ['Project 1 has no Status option for Testing, so contoso/contoso-web#6 stays "In Review" there; add a "Testing" option to the Project\'s Status field (AI DevOps: Bootstrap Project adds every lifecycle option while no item has a Status).']);
    const run = executors();
    for (const change of planned.changes) {
      const outcome = await run.get(change.kind)!.execute(change, context());
      assert.equal(outcome.kind, 'applied', outcome.detail);
      assert.equal(statusOf(6), (change.payload as { status: string }).status);
    }
  });

  it('someone moved the Project item meanwhile: a conflict naming what they set, nothing written; an issue in no Project moves only as an issue', async () => {
    const issue = (await t.trackers.issues.get([6])).get(6) as WorkItem;
    const planned = await lifecycleMoves(t.trackers.issues, issue, STEPS.slice(0, 1), new AbortController().signal);
    const project = t.gh.state.doc.projects[0]!;
    const status = project.fields.find((f) => f.name === 'Status')!;
    const item = project.items.find((i) => i.number === 6 && i.contentType === 'ISSUE')!;
    item.values[String(status.id)] = { optionId: status.options.find((o) => o.name === 'Done')!.id };
    const outcome = await executors().get('project.status')!.execute(planned.changes[0]!, context());
    assert.equal(outcome.kind, 'conflict');
    assert.match(outcome.detail, /Done/);
    assert.equal(statusOf(6), 'Done');
    const made = await t.gh.rest().issues.create({ owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, title: 'Not on the board' });
    const loose = (await t.trackers.issues.get([made.data.number])).get(made.data.number) as WorkItem;
    assert.deepEqual(await lifecycleMoves(t.trackers.issues, loose, STEPS, new AbortController().signal), { changes: [], notes: [] });
  });
});
