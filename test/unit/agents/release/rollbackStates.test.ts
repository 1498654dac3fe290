import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { releaseAgent } from '../../../../src/agents/release/releaseAgent';
import { gitExecutors, workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunServices } from '../../../../src/agents/runtime/runAgent';
import { type WorkItem } from '../../../../src/core/workItem';
import { agentTrailReader } from '../../../../src/providers/audit/agentTrailReader';
import { createAzureBoardsTracker, type AzureBoardsTracker } from '../../../../src/providers/boards/azureBoards';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { type Identity } from '../../../../src/sandbox/azureDevOps/state/model';
import { processByName } from '../../../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../../../src/sandbox/azureDevOps/state/projectOps';
import { updateWorkItem } from '../../../../src/sandbox/azureDevOps/state/workItemOps';
import { FakeLogger } from '../../fakes/fakeLogger';
import { goodPat, MemoryAudit } from '../../providers/boards/azureBoardsSetup';
import { DEMO_NOW, type Harness as AdoHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeHarness, type Harness } from '../runtime/harness';
import { FixtureRepo } from './fixtureRepo';

const HOUR = 3_600_000;

/**
 * A rollback returns the release's Azure Boards items to the state each had before the release
 * moved it: from the release's own moves in the audit trail when it recorded them, else from the
 * item's revision history (the stand-in's updates, read with azure-devops-node-api) since the
 * release was cut. Revert rollbacks (a revert commit pushed to a local bare remote), applied.
 */
describe('release rollback: work items back to their earlier state (Azure DevOps stand-in: Agile and Scrum, real client)', function () {
  this.timeout(60_000);
  let ado: AdoHarness;
  let h: Harness;
  let repo: FixtureRepo;
  let bare: string;
  let storage: string;
  let outbox: FileOutbox;
  const trackers: AzureBoardsTracker[] = [];

  beforeEach(async () => {
    ado = await startHarness();
    storage = await fs.mkdtemp(path.join(tmpdir(), 'aidevops-rollback-states-'));
    outbox = await FileOutbox.open({ storageDir: storage, log: new FakeLogger(), baseDelayMs: 1, maxDelayMs: 5 });
    bare = realpathSync(mkdtempSync(path.join(tmpdir(), 'rollback-states-remote-')));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  });
  afterEach(async () => {
    for (const t of trackers.splice(0)) t.dispose();
    outbox.dispose();
    await h?.dispose();
    repo?.dispose();
    await ado.stop();
    rmSync(bare, { recursive: true, force: true });
    await fs.rm(storage, { recursive: true, force: true });
  });

  const identities = () => ado.state.doc.identities as [Identity, Identity, ...Identity[]];
  const stateOf = (id: number) => String(ado.state.doc.workItems.find((w) => w.id === id)!.fields['System.State']);
  const later = (hours: number) => ado.clock.advance(hours * HOUR);

  /** A project on the process, a tracker on it, and the workspace's runner wired to both. */
  async function project(process: string): Promise<{ tracker: AzureBoardsTracker; name: string }> {
    const name = `${process} Release`;
    addProject(ado.state, { name, description: '', processId: processByName(process)!.id, visibility: 'private' }, false);
    const tracker = createAzureBoardsTracker({ endpoint: { organizationUrl: ado.orgUrl, project: name, team: `${name} Team` }, credential: async () => goodPat, log: new FakeLogger(), storageDir: path.join(storage, process), cacheTtlSeconds: 300, outbox, audit: new MemoryAudit(), timeoutMs: 5_000 });
    trackers.push(tracker);
    const log = new FakeLogger();
    const deps = { trackers: { azure: () => tracker, github: () => undefined }, git: (r: string) => new WorkspaceGit(r, { trusted: () => true }), log };
    h = await makeHarness({ executors: [...workItemExecutors(deps), ...gitExecutors(deps)] });
    const services = h.services as { git: RunServices['git']; trackers: RunServices['trackers']; providers: RunServices['providers'] };
    services.git = async (root: string) => new WorkspaceGit(root, { trusted: () => true });
    services.trackers = { azure: () => tracker, github: () => undefined, defaultTracker: 'azureBoards' };
    services.providers = { auditTrail: agentTrailReader(h.root) };
    return { tracker, name };
  }

  async function create(name: string, type: string, title: string): Promise<number> {
    const wit = await ado.api().getWorkItemTrackingApi();
    return (await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: title }], name, type)).id!;
  }

  /** Someone moves the item on the service (the stand-in's own update, by that identity, on its clock). */
  function move(id: number, state: string, by: Identity): void {
    updateWorkItem(ado.state, ado.state.workItem(id)!, [{ op: 'add', path: '/fields/System.State', value: state }], by);
  }

  /** The workspace: v0.9.0, then v1.0.0 with a commit per item (dated after the stand-in's clock now), pushed. */
  function cut(ids: readonly number[]): void {
    repo = new FixtureRepo(h.root);
    repo.at(new Date(DEMO_NOW.getTime() + 2 * HOUR));
    repo.commit('chore: init');
    repo.tag('v0.9.0');
    for (const id of ids) repo.commit(`fix: checkout ${id}\n\nFixes AB#${id}`);
    repo.tag('v1.0.0');
    repo.git('remote', 'add', 'origin', bare);
    repo.git('push', '-q', 'origin', 'main', 'v0.9.0', 'v1.0.0');
    ado.clock.advance(3 * HOUR);
  }

  const rollback = (mode: 'plan' | 'apply' = 'apply') => runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'payments fail' }, mode });

  async function fresh(tracker: AzureBoardsTracker, id: number): Promise<WorkItem> {
    await tracker.refresh({ full: true });
    const item = (await tracker.get([id])).get(id);
    assert.ok(item && !(item instanceof Error), String(item));
    return item;
  }

  it('Agile: a User Story the release moved Active → Resolved → Closed goes back to Active (its history), with a comment, audited', async () => {
    const { tracker, name } = await project('Agile');
    const [me] = identities();
    const id = await create(name, 'User Story', 'Checkout on Safari');
    later(1);
    move(id, 'Active', me);
    cut([id]);
    // The release moves it (staging, then production) after v1.0.0 was cut.
    move(id, 'Resolved', me);
    later(1);
    move(id, 'Closed', me);
    await fresh(tracker, id);
    const result = await rollback();
    assert.equal(result.outcome, 'succeeded', result.error);
    const back = result.plan!.remote.find((r) => r.kind === 'workItem.state')!;
    assert.deepEqual([back.target, back.payload, back.dependsOn], [`AB#${id}`, { tracker: 'azureBoards', id, state: 'Active', from: 'Closed' }, ['push']]);
    assert.match(back.summary, new RegExp(`^AB#${id} → Active \\(its state before the release, from its history\\): rolled back from v1\\.0\\.0 to v0\\.9\\.0: payments fail$`));
    assert.equal(stateOf(id), 'Active');
    const comments = ado.state.workItem(id)!.comments;
    assert.match(comments.at(-1)!.text, /v1\.0\.0 was rolled back to v0\.9\.0 \(its commits reverted\), so this item returns to Active, the state it had before the release moved it\. Reason: payments fail/);
    const audited = (await h.events()).filter((e) => e.eventType === 'remote.applied' && e.metadata['kind'] === 'workItem.state');
    assert.deepEqual(audited.map((e) => [e.workItemId, e.repository, e.oldState, e.newState]), [[id, name, 'Closed', 'Active']]);
  });

  it('Scrum: a Product Backlog Item the release moved Committed → Done goes back to Committed', async () => {
    const { tracker, name } = await project('Scrum');
    const [me] = identities();
    const id = await create(name, 'Product Backlog Item', 'Saved carts');
    later(1);
    move(id, 'Approved', me);
    move(id, 'Committed', me);
    cut([id]);
    move(id, 'Done', me);
    await fresh(tracker, id);
    const result = await rollback();
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.equal(stateOf(id), 'Committed');
    assert.match(result.plan!.summary, /return 1 work item\(s\) to their earlier state and comment on 1\.$/);
  });

  it('closed by someone else after the release resolved it: a conflict noted (who, where), the item is not moved, the comment says so', async () => {
    const { tracker, name } = await project('Agile');
    const [me, other] = identities();
    const id = await create(name, 'User Story', 'Gift cards');
    later(1);
    move(id, 'Active', me);
    cut([id]);
    move(id, 'Resolved', me);
    later(1);
    move(id, 'Closed', other);
    await fresh(tracker, id);
    const result = await rollback();
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.ok(!result.plan!.remote.some((r) => r.kind === 'workItem.state'), 'nothing overwritten');
    const note = result.plan!.notes.find((n) => n.startsWith(`AB#${id}`)) ?? '';
    assert.match(note, new RegExp(`^AB#${id} was not moved back: ${other.uniqueName.replace(/[.]/g, '\\.')} moved it to Closed on \\d{4}-\\d{2}-\\d{2}, after the release moved it to Resolved \\(conflict\\)\\. It was Active before the release`));
    assert.equal(stateOf(id), 'Closed');
    assert.match(ado.state.workItem(id)!.comments.at(-1)!.text, /so this item was not moved back: AB#\d+ was not moved back: .* \(conflict\)/);
  });

  it('an item the release did not move stays, with a note (no guess); the audit trail\'s record wins over the history when it has one', async () => {
    const { tracker, name } = await project('Agile');
    const [me] = identities();
    const untouched = await create(name, 'User Story', 'Untouched');
    const recorded = await create(name, 'User Story', 'Recorded');
    later(1);
    move(untouched, 'Active', me);
    cut([untouched, recorded]);
    // After the cut someone started the recorded item, then the release resolved it: the history alone would say New.
    move(recorded, 'Active', me);
    later(1);
    move(recorded, 'Resolved', me);
    // What the runtime writes when a promote's workItem.state step is applied (see promoteRollback.test.ts for the real write).
    await h.audit.append({ correlationId: 'run-promote', eventType: 'remote.applied', service: 'release', workItemId: recorded, repository: name, oldState: 'Active', newState: 'Resolved', metadata: { kind: 'workItem.state', target: `AB#${recorded}`, summary: `AB#${recorded} → Resolved (Staging): v1.0.0 reached staging`, detail: 'moved to Resolved' } });
    // The same item number in another project is not this one.
    await h.audit.append({ correlationId: 'run-promote', eventType: 'remote.applied', service: 'release', workItemId: untouched, repository: 'Another Project', oldState: 'New', newState: 'Closed', metadata: { kind: 'workItem.state', target: `AB#${untouched}`, summary: `AB#${untouched} → Closed (Done): v1.0.0 reached production`, detail: 'moved to Closed' } });
    await fresh(tracker, untouched);
    await fresh(tracker, recorded);
    const result = await rollback('plan');
    assert.equal(result.outcome, 'succeeded', result.error);
    const moves = result.plan!.remote.filter((r) => r.kind === 'workItem.state').map((r) => [r.target, (r.payload as { state: string }).state, r.summary.split(':')[0]]);
    assert.deepEqual(moves, [[`AB#${recorded}`, 'Active', `AB#${recorded} → Active (as the audit trail recorded it before the release)`]]);
    assert.ok(result.plan!.notes.includes(`AB#${untouched} stays Active: its state has not changed since v1.0.0 was cut.`), result.plan!.notes.join('\n'));
  });

  it('at apply time an item someone moved since the plan is a conflict, not overwritten', async () => {
    const { tracker, name } = await project('Agile');
    const [me, other] = identities();
    const id = await create(name, 'User Story', 'Wish list');
    later(1);
    move(id, 'Active', me);
    cut([id]);
    move(id, 'Resolved', me);
    await fresh(tracker, id);
    h.ui.review = async (r) => {
      // Between the review and the send, someone closes it.
      move(id, 'Closed', other);
      await tracker.refresh({ full: true });
      return { edits: [], commands: r.plan.commands.map((_c, i) => i), remote: r.plan.remote.map((c) => c.id) };
    };
    const result = await rollback();
    const back = result.applied.remote.find((r) => r.kind === 'workItem.state')!;
    assert.equal(back.outcome, 'conflict');
    assert.match(back.detail, new RegExp(`^AB#${id} is Closed now, not Resolved as planned: someone moved it meanwhile, so it was not moved to Active\\.$`));
    assert.equal(stateOf(id), 'Closed');
  });
});
