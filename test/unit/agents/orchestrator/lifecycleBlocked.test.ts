import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lifecycleAgent } from '../../../../src/agents/orchestrator/lifecycleAgent';
import { type AgentDefinition } from '../../../../src/agents/runtime/context';
import { defaultRemoteExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { lifecycleFollowUp } from '../../../../src/agents/runtime/lifecycleFollowUp';
import { emptyPlan } from '../../../../src/agents/runtime/plan';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { z } from 'zod';
import { type WorkTracker } from '../../../../src/core/boards/workTracker';
import { DevOpsError } from '../../../../src/core/errors';
import { attentionOf, ATTENTION_FILE } from '../../../../src/core/lifecycle/attention';
import { type WorkItem } from '../../../../src/core/workItem';
import { createAzureBoardsTracker, type AzureBoardsTracker } from '../../../../src/providers/boards/azureBoards';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { processByName } from '../../../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../../../src/sandbox/azureDevOps/state/projectOps';
import { SANDBOX_GITHUB } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';
import { goodPat, MemoryAudit } from '../../providers/boards/azureBoardsSetup';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { type Harness as AdoHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { type Harness, makeHarness } from '../runtime/harness';

const noGit = () => ({ push: async () => undefined, createTag: async () => ({ name: '', commit: '' }) });

/** An agent linked to a work item (the scaffold's `workItem` input) that fails or succeeds as told. */
function workAgent(outcome: { fail?: string }): AgentDefinition {
  return {
    id: 'scaffold',
    title: 'Scaffold',
    description: 'test stand-in',
    actions: [
      {
        name: 'run',
        description: 'x',
        input: z.object({ workItem: z.string() }).strict(),
        plan: async () => {
          if (outcome.fail) throw new DevOpsError('badResponse', outcome.fail);
          return emptyPlan('scaffold', 'run', 'Nothing to do');
        },
      },
    ],
  };
}

/** The run, then the lifecycle run the runtime asks for after it (as the editor and the CLI do). */
async function runWithFollowUp(h: Harness, agent: AgentDefinition, workItem: string, defaultTracker: 'azureBoards' | 'github'): Promise<{ run: RunResult; lifecycle: RunResult | undefined }> {
  const run = await runAgent(h.services, { agent, action: 'run', input: { workItem } });
  const next = await lifecycleFollowUp(h.root, { input: { workItem } }, run, defaultTracker);
  const lifecycle = next ? await runAgent(h.services, { agent: lifecycleAgent, action: next.action, input: next.input }) : undefined;
  return { run, lifecycle };
}

describe('Blocked when an agent fails on an Azure Boards item, cleared when the next run succeeds (Azure DevOps stand-in, azure-devops-node-api)', () => {
  let ado: AdoHarness;
  let dir: string;
  let outbox: FileOutbox;
  const trackers: AzureBoardsTracker[] = [];
  const harnesses: Harness[] = [];
  beforeEach(async () => {
    ado = await startHarness();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-blocked-'));
    outbox = await FileOutbox.open({ storageDir: dir, log: new FakeLogger(), baseDelayMs: 1, maxDelayMs: 5 });
  });
  afterEach(async () => {
    ado.server.faults.clear();
    for (const h of harnesses.splice(0)) await h.dispose();
    for (const t of trackers.splice(0)) t.dispose();
    outbox.dispose();
    await ado.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function itemIn(process: string, type: string, tags?: string): Promise<{ tracker: AzureBoardsTracker; item: WorkItem; h: Harness }> {
    const name = `${process} Project`;
    addProject(ado.state, { name, description: '', processId: processByName(process)!.id, visibility: 'private' }, false);
    const tracker = createAzureBoardsTracker({ endpoint: { organizationUrl: ado.orgUrl, project: name, team: `${name} Team` }, credential: async () => goodPat, log: new FakeLogger(), storageDir: path.join(dir, process), cacheTtlSeconds: 300, outbox, audit: new MemoryAudit(), timeoutMs: 5_000, retryDelayMs: 5 });
    trackers.push(tracker);
    const wit = await ado.api().getWorkItemTrackingApi();
    const made = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: `Checkout (${process})` }, ...(tags ? [{ op: 'add', path: '/fields/System.Tags', value: tags }] : [])], name, type);
    const item = (await tracker.get([made.id!])).get(made.id!);
    assert.ok(item && !(item instanceof Error), String(item));
    const deps = { trackers: { azure: () => tracker as WorkTracker, github: () => undefined }, git: noGit, log: new FakeLogger() };
    const h = await makeHarness({ trackers: { azure: () => tracker, github: () => undefined, defaultTracker: 'azureBoards' }, remote: defaultRemoteExecutors(deps) });
    harnesses.push(h);
    return { tracker, item, h };
  }

  const fields = (id: number): Record<string, unknown> => ado.state.doc.workItems.find((w) => w.id === id)!.fields;
  const comments = (id: number): string[] => (ado.state.doc.workItems.find((w) => w.id === id)!.comments ?? []).map((c) => String(c.text));

  const cases: { process: string; type: string; blocked: (f: Record<string, unknown>) => boolean; cleared: (f: Record<string, unknown>) => boolean }[] = [
    { process: 'Basic', type: 'Issue', blocked: (f) => f['System.Tags'] === 'web; checkout; Blocked', cleared: (f) => f['System.Tags'] === 'web; checkout' },
    { process: 'Agile', type: 'User Story', blocked: (f) => f['System.Tags'] === 'web; checkout; Blocked', cleared: (f) => f['System.Tags'] === 'web; checkout' },
    { process: 'Scrum', type: 'Product Backlog Item', blocked: (f) => f['System.Tags'] === 'web; checkout; Blocked', cleared: (f) => f['System.Tags'] === 'web; checkout' },
    // Scrum's Task has the Blocked field (Yes, emptied when cleared); CMMI's Requirement takes Yes/No.
    { process: 'Scrum', type: 'Task', blocked: (f) => f['Microsoft.VSTS.CMMI.Blocked'] === 'Yes' && f['System.Tags'] === 'web; checkout', cleared: (f) => f['Microsoft.VSTS.CMMI.Blocked'] === undefined },
    { process: 'CMMI', type: 'Requirement', blocked: (f) => f['Microsoft.VSTS.CMMI.Blocked'] === 'Yes' && f['System.Tags'] === 'web; checkout', cleared: (f) => f['Microsoft.VSTS.CMMI.Blocked'] === 'No' },
  ];
  for (const c of cases) {
    it(`${c.process} ${c.type}: a failed run marks it Blocked (other tags kept) with a comment naming the agent, the failure and the run; the next run that succeeds clears it with a comment`, async () => {
      const { item, h } = await itemIn(c.process, c.type, 'web; checkout');
      const key = `AB#${item.id}`;
      const failed = await runWithFollowUp(h, workAgent({ fail: 'the template could not be rendered' }), key, 'azureBoards');
      assert.equal(failed.run.outcome, 'failed');
      assert.equal(failed.lifecycle?.outcome, 'succeeded', failed.lifecycle?.error);
      assert.deepEqual(failed.lifecycle?.applied.remote.map((r) => [r.id, r.outcome]), [['block', 'applied'], ['block-comment', 'applied']]);
      assert.ok(c.blocked(fields(item.id)), JSON.stringify(fields(item.id)));
      const [blockedComment] = comments(item.id);
      assert.match(blockedComment ?? '', /scaffold agent \(run\) failed/);
      assert.match(blockedComment ?? '', /the template could not be rendered/);
      assert.ok(blockedComment?.includes(failed.run.runId), 'the comment names the audit run');
      const attention = attentionOf(JSON.parse((await h.read(ATTENTION_FILE)) ?? '{}'));
      assert.deepEqual(attention.map((e) => [e.kind, e.item, e.run]), [['failingAgent', key, failed.run.runId]]);

      const ok = await runWithFollowUp(h, workAgent({}), key, 'azureBoards');
      assert.equal(ok.run.outcome, 'succeeded');
      assert.equal(ok.lifecycle?.action, 'unblock');
      assert.deepEqual(ok.lifecycle?.applied.remote.map((r) => [r.id, r.outcome]), [['unblock', 'applied'], ['unblock-comment', 'applied']]);
      assert.ok(c.cleared(fields(item.id)), JSON.stringify(fields(item.id)));
      assert.equal(fields(item.id)['System.Tags'], 'web; checkout', 'no tag lost');
      assert.match(comments(item.id)[1] ?? '', /Unblocked by AI DevOps/);
      assert.deepEqual(attentionOf(JSON.parse((await h.read(ATTENTION_FILE)) ?? '{}')), [], 'the failing agent is off the list');
      // Another success has nothing to clear: no run follows.
      assert.equal((await runWithFollowUp(h, workAgent({}), key, 'azureBoards')).lifecycle, undefined);
      assert.equal(comments(item.id).length, 2);
      const events = await h.events();
      assert.ok(events.some((e) => e.service === 'lifecycle' && e.eventType === 'remote.applied'), 'the lifecycle runs are audited');
    });
  }

  it('a declined run and a plan preview move nothing; an item someone else marked Blocked is not cleared by an agent', async () => {
    const { tracker, item, h } = await itemIn('Agile', 'User Story');
    const key = `AB#${item.id}`;
    const failed = await runAgent(h.services, { agent: workAgent({ fail: 'x' }), action: 'run', input: { workItem: key } });
    assert.equal(await lifecycleFollowUp(h.root, { input: { workItem: key }, mode: 'plan' }, failed, 'azureBoards'), undefined);
    assert.equal(await lifecycleFollowUp(h.root, { input: { workItem: key } }, { ...failed, outcome: 'declined' }, 'azureBoards'), undefined);
    assert.equal(await lifecycleFollowUp(h.root, { input: {} }, failed, 'azureBoards'), undefined, 'no work item, no move');
    const set = await tracker.setBlocked(item, true);
    assert.equal(set.kind, 'applied');
    assert.equal((await runWithFollowUp(h, workAgent({}), key, 'azureBoards')).lifecycle, undefined);
    assert.equal(fields(item.id)['System.Tags'], 'Blocked');
  });

  it('the service refuses the Blocked field on a type that lacks it, as Azure DevOps does (TF51535)', async () => {
    const { item } = await itemIn('Agile', 'User Story');
    const wit = await ado.api().getWorkItemTrackingApi();
    await assert.rejects(wit.updateWorkItem(null, [{ op: 'add', path: '/fields/Microsoft.VSTS.CMMI.Blocked', value: 'Yes' }], item.id), /TF51535/);
    const cmmi = await itemIn('CMMI', 'Requirement');
    await assert.rejects(wit.updateWorkItem(null, [{ op: 'add', path: '/fields/Microsoft.VSTS.CMMI.Blocked', value: 'Maybe' }], cmmi.item.id), /Blocked/);
  });

  it('someone edits the tags between the read and the write (412 on the revision): read again, their tag kept, Blocked added once', async () => {
    const { tracker, item } = await itemIn('Agile', 'User Story', 'web');
    const wit = await ado.api().getWorkItemTrackingApi();
    await wit.updateWorkItem(null, [{ op: 'add', path: '/fields/System.Tags', value: 'web; payments' }], item.id);
    ado.server.faults.add({ route: 'wit.workItems.update', kind: 'status', status: 412, times: 1 });
    const outcome = await tracker.setBlocked(item, true);
    assert.equal(outcome.kind, 'applied', JSON.stringify(outcome));
    assert.equal(fields(item.id)['System.Tags'], 'web; payments; Blocked');
  });

  it('offline then online: the Blocked mark and the comment wait in the outbox and are sent once; asking again does not double the comment', async () => {
    const { item, h } = await itemIn('CMMI', 'Requirement');
    const key = `AB#${item.id}`;
    ado.server.faults.add({ route: '*', kind: 'status', status: 503 });
    const failed = await runWithFollowUp(h, workAgent({ fail: 'the registry could not be reached' }), key, 'azureBoards');
    assert.deepEqual(failed.lifecycle?.applied.remote.map((r) => [r.id, r.outcome]), [['block', 'queued'], ['block-comment', 'queued']]);
    assert.equal(fields(item.id)['Microsoft.VSTS.CMMI.Blocked'], undefined);
    // The same failure asked about again while still offline (a retry of the follow-up).
    const again = await runAgent(h.services, { agent: lifecycleAgent, action: 'block', input: { workItem: key, agent: 'scaffold', action: 'run', run: failed.run.runId, reason: 'the registry could not be reached' } });
    assert.equal(again.outcome, 'succeeded', again.error);
    ado.server.faults.clear();
    await outbox.flush();
    await outbox.flush();
    assert.equal(outbox.pending().length, 0, JSON.stringify(outbox.pending()));
    assert.equal(fields(item.id)['Microsoft.VSTS.CMMI.Blocked'], 'Yes');
    assert.equal(comments(item.id).filter((t) => t.includes(failed.run.runId)).length, 1, 'one comment for one failure');
  });
});

describe('Blocked on GitHub: the Project\'s Blocked Status where it has one, else the `blocked` label (GitHub stand-in, Octokit)', () => {
  let t: TrackerHarness;
  let h: Harness;
  beforeEach(async () => {
    t = await startTrackers();
    const github = t.trackers.issues as WorkTracker;
    const projectsAndIssues = Object.assign(Object.create(t.trackers.issues) as WorkTracker, { setStatus: t.trackers.projects.setStatus.bind(t.trackers.projects), setProjectIteration: t.trackers.projects.setProjectIteration.bind(t.trackers.projects) });
    const deps = { trackers: { azure: () => undefined, github: () => projectsAndIssues as never }, git: noGit, log: new FakeLogger() };
    h = await makeHarness({ trackers: { azure: () => undefined, github: () => github, defaultTracker: 'github' }, remote: defaultRemoteExecutors(deps) });
  });
  afterEach(async () => {
    await h.dispose();
    await t.stop();
  });

  const repo = () => t.gh.state.doc.repos.find((r) => r.name === SANDBOX_GITHUB.repo)!;
  const labelsOf = (n: number): string[] => repo().issues.find((i) => i.number === n)!.labels.slice();
  const commentsOf = (n: number): string[] => repo().issues.find((i) => i.number === n)!.comments.map((c) => c.body);
  const project = () => t.gh.state.doc.projects[0]!;
  const statusOf = (n: number): string | undefined => {
    const status = project().fields.find((f) => f.name === 'Status')!;
    const item = project().items.find((i) => i.number === n && i.contentType === 'ISSUE')!;
    const optionId = (item.values[String(status.id)] as { optionId?: string } | undefined)?.optionId;
    return status.options.find((o) => o.id === optionId)?.name;
  };

  it('a Project without a Blocked option: the issue gets the `blocked` label (its Status kept), and loses it when the next run succeeds', async () => {
    // #6 is in Project 1 as Todo; the demo Project has Todo, In Progress, In Review, Done.
    const failed = await runWithFollowUp(h, workAgent({ fail: 'npm install exited with 1' }), '#6', 'github');
    assert.equal(failed.lifecycle?.outcome, 'succeeded', failed.lifecycle?.error);
    assert.ok(labelsOf(6).includes('blocked'), String(labelsOf(6)));
    assert.ok(labelsOf(6).includes('bug'), 'other labels kept');
    assert.equal(statusOf(6), 'Todo');
    assert.match(commentsOf(6).at(-1) ?? '', new RegExp(`scaffold agent \\(run\\) failed[\\s\\S]*npm install exited with 1[\\s\\S]*${failed.run.runId}`));
    const ok = await runWithFollowUp(h, workAgent({}), '#6', 'github');
    assert.equal(ok.lifecycle?.outcome, 'succeeded', ok.lifecycle?.error);
    assert.ok(!labelsOf(6).includes('blocked'));
    assert.match(commentsOf(6).at(-1) ?? '', /Unblocked by AI DevOps/);
  });

  it('a Project with a Blocked option (as bootstrap makes it): Status Blocked, then back to its Ready option (Todo) when the next run succeeds', async () => {
    const status = project().fields.find((f) => f.name === 'Status')!;
    status.options.push({ id: 'blocked0', name: 'Blocked', color: 'RED', description: 'Waiting on something' });
    const failed = await runWithFollowUp(h, workAgent({ fail: 'the tests failed' }), '#6', 'github');
    assert.equal(failed.lifecycle?.outcome, 'succeeded', failed.lifecycle?.error);
    assert.equal(statusOf(6), 'Blocked');
    assert.ok(!labelsOf(6).includes('blocked'), 'no label where the Project says it');
    const ok = await runWithFollowUp(h, workAgent({}), '#6', 'github');
    assert.equal(ok.lifecycle?.outcome, 'succeeded', ok.lifecycle?.error);
    assert.equal(statusOf(6), 'Todo');
    assert.equal(commentsOf(6).filter((c) => /Blocked by AI DevOps|Unblocked by AI DevOps/.test(c)).length, 2);
  });

  it('a Blocked Project item whose Project has no Ready option is not guessed onto another Status: the clear is refused with what to add', async () => {
    const status = project().fields.find((f) => f.name === 'Status')!;
    status.options.push({ id: 'blocked0', name: 'Blocked', color: 'RED', description: '' });
    await runWithFollowUp(h, workAgent({ fail: 'x' }), '#6', 'github');
    assert.equal(statusOf(6), 'Blocked');
    status.options.splice(status.options.findIndex((o) => o.name === 'Todo'), 1);
    const ok = await runWithFollowUp(h, workAgent({}), '#6', 'github');
    assert.equal(ok.lifecycle?.outcome, 'failed');
    assert.match(ok.lifecycle?.error ?? '', /Project 1 has no Ready status to move contoso\/contoso-web#6 back to from Blocked; add a "Ready" option/);
    assert.equal(statusOf(6), 'Blocked');
  });
});
