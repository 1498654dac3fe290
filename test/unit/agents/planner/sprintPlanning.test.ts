import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { plannerAgent } from '../../../../src/agents/planner/plannerAgent';
import { workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { repositoryExecutors } from '../../../../src/agents/runtime/executors/repositoryExecutors';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type Credential, type Logger } from '../../../../src/core/host';
import { readSettings } from '../../../../src/core/settings';
import { type TrackerKind } from '../../../../src/core/workItem';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../../../../src/providers/boards/trackerSet';
import { stableGuid } from '../../../../src/sandbox/azureDevOps/state/ids';
import { type ClassificationNode, type Identity, type WorkItemRecord } from '../../../../src/sandbox/azureDevOps/state/model';
import { processByName } from '../../../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../../../src/sandbox/azureDevOps/state/projectOps';
import { createWorkItem, updateWorkItem } from '../../../../src/sandbox/azureDevOps/state/workItemOps';
import { type PatchOperation } from '../../../../src/sandbox/azureDevOps/state/workItemPatch';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { type Harness, makeHarness } from '../runtime/harness';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };
const DAY = 86_400_000;
const PROJECT = 'Sprint Fixture';

/**
 * A project whose history and capacity are fixed relative to this week's Monday, so every answer
 * below is computed by hand: two past sprints, the current one and the next (Monday to Friday of
 * two weeks: 10 working days), capacity and days off for the next one.
 */
function seed(sandbox: Sandbox): { next: string; current: string; items: Map<string, WorkItemRecord>; me: Identity; avery: Identity } {
  const state = sandbox.azureDevOps;
  const [me, avery] = state.doc.identities as [Identity, Identity];
  const { project, team } = addProject(state, { name: PROJECT, description: 'sprint planning fixture', processId: processByName('Agile')!.id, visibility: 'private' }, false);
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const at = (offset: number): string => new Date(monday + offset * DAY).toISOString();
  const sprint = (name: string, start: number): ClassificationNode => ({ id: state.next('node'), identifier: stableGuid(`${PROJECT} ${name}`), name, startDate: at(start), finishDate: at(start + 11), children: [] });
  project.iterations.children = [sprint('Past 1', -28), sprint('Past 2', -14), sprint('Current', 0), sprint('Next', 14)];
  team.iterationIds = project.iterations.children.map((c) => c.identifier);
  team.memberIds = [me.id, avery.id];
  const next = project.iterations.children[3]!.identifier;
  // Me 6 h a day. Avery 4 h a day, off the whole first week. The team is off on the second Friday.
  team.capacities = [
    { iterationId: next, memberId: me.id, activities: [{ name: 'Development', capacityPerDay: 6 }], daysOff: [] },
    { iterationId: next, memberId: avery.id, activities: [{ name: 'Development', capacityPerDay: 4 }], daysOff: [{ start: at(14), end: at(18) }] },
  ];
  team.daysOff = [{ iterationId: next, start: at(25), end: at(25) }];
  const wikiId = stableGuid(`wiki ${PROJECT}`);
  state.doc.wikis.push({ id: wikiId, projectId: project.id, name: `${PROJECT}.wiki`, type: 'projectWiki', repositoryId: wikiId, mappedPath: '/', pages: [] });

  const items = new Map<string, WorkItemRecord>();
  const set = (fields: Record<string, string | number>): PatchOperation[] => Object.entries(fields).map(([k, v]) => ({ op: 'add', path: `/fields/${k}`, value: v }));
  const who = (i: Identity): string => `${i.displayName} <${i.uniqueName}>`;
  const add = (title: string, fields: Record<string, string | number>, options: { parent?: string; closedAt?: string; active?: boolean } = {}): WorkItemRecord => {
    const type = fields.type === 'Task' ? 'Task' : 'User Story';
    const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'type'));
    const ops = set({ 'System.Title': title, ...rest });
    const parent = options.parent ? items.get(options.parent) : undefined;
    if (parent) ops.push({ op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `/_apis/wit/workItems/${parent.id}`, attributes: {} } });
    const item = createWorkItem(state, project, type, ops, me, { at: at(-35) });
    if (options.active || options.closedAt) updateWorkItem(state, item, set({ 'System.State': 'Active' }), me, { at: at(-30) });
    if (options.closedAt) updateWorkItem(state, item, set({ 'System.State': 'Closed' }), me, { at: options.closedAt });
    items.set(title, item);
    return item;
  };
  const path = (name: string): string => `${PROJECT}\\${name}`;
  const points = 'Microsoft.VSTS.Scheduling.StoryPoints';
  // Past 1 (ends Friday -17): 5 in time, 3 on Monday -14 (late), 8 still active. Velocity 8.
  add('p1 in time', { [points]: 5, 'System.IterationPath': path('Past 1') }, { closedAt: at(-18) });
  add('p1 late', { [points]: 3, 'System.IterationPath': path('Past 1') }, { closedAt: at(-14) });
  add('p1 open', { [points]: 8, 'System.IterationPath': path('Past 1') }, { active: true });
  // Past 2: 8 + 5. Velocity 13. Average (8 + 13) / 2 = 10.5.
  add('p2 a', { [points]: 8, 'System.IterationPath': path('Past 2') }, { closedAt: at(-5) });
  add('p2 b', { [points]: 5, 'System.IterationPath': path('Past 2') }, { closedAt: at(-4) });
  // Already in Next: 2 points, and 10 h of mine.
  add('X committed', { [points]: 2, 'System.IterationPath': path('Next') });
  add('X task', { type: 'Task', 'Microsoft.VSTS.Scheduling.RemainingWork': 10, 'System.AssignedTo': who(me), 'System.IterationPath': path('Next') }, { parent: 'X committed' });
  // The backlog, by priority.
  add('R1', { [points]: 3, 'Microsoft.VSTS.Common.Priority': 1 });
  add('R1 task', { type: 'Task', 'Microsoft.VSTS.Scheduling.RemainingWork': 8, 'System.AssignedTo': who(me) }, { parent: 'R1' });
  add('R2 blocked', { [points]: 2, 'Microsoft.VSTS.Common.Priority': 1, 'System.Tags': 'Blocked' });
  add('R3 unestimated', { 'Microsoft.VSTS.Common.Priority': 2 });
  add('R4 too big', { [points]: 3, 'Microsoft.VSTS.Common.Priority': 2 });
  add('R5 overloads Avery', { [points]: 2, 'Microsoft.VSTS.Common.Priority': 3 });
  add('R5 task', { type: 'Task', 'Microsoft.VSTS.Scheduling.RemainingWork': 18, 'System.AssignedTo': who(avery) }, { parent: 'R5 overloads Avery' });
  add('R6', { [points]: 2, 'Microsoft.VSTS.Common.Priority': 3 });
  add('R6 task', { type: 'Task', 'Microsoft.VSTS.Scheduling.RemainingWork': 10, 'System.AssignedTo': who(avery) }, { parent: 'R6' });
  // In the current sprint: done, blocked for a week, and one with no estimate.
  add('C done', { [points]: 1, 'System.IterationPath': path('Current') }, { closedAt: at(0) });
  add('C stuck', { [points]: 2, 'System.IterationPath': path('Current'), 'System.Tags': 'Blocked' }, { active: true });
  add('C new', { 'System.IterationPath': path('Current') });
  state.changed();
  return { next: path('Next'), current: path('Current'), items, me, avery };
}

describe('planner: sprint planning, velocity and the status report against the Azure DevOps stand-in', () => {
  let sandbox: Sandbox;
  let dir: string;
  let outbox: FileOutbox | undefined;
  let set: TrackerSet | undefined;
  let h: Harness | undefined;
  let fixture: ReturnType<typeof seed>;
  before(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log });
    fixture = seed(sandbox);
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-sprint-'));
  });
  afterEach(async () => {
    set?.dispose();
    set = undefined;
    outbox?.dispose();
    outbox = undefined;
    await h?.dispose();
    h = undefined;
    sandbox.server.faults.clear();
    await rm(dir, { recursive: true, force: true });
  });

  async function setup(defaultTracker: TrackerKind = 'azureBoards'): Promise<Harness> {
    const credentials: Record<string, Credential> = {
      azureDevOps: { kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' },
      github: { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' },
    };
    const settings = readSettings((k) => ({ backend: 'sandbox', 'workItems.defaultTracker': defaultTracker })[k]).settings;
    const trackers = new TrackerSet({
      backend: { endpoints: () => Promise.resolve({ ...sandbox.endpoints(), azureDevOps: { ...sandbox.endpoints().azureDevOps!, project: PROJECT, team: `${PROJECT} Team` } }), onDidChange: () => ({ dispose: none }) },
      settings: () => settings,
      log,
      storageDir: dir,
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log, autoReplay: false })),
      tuning: { github: { tuning: { writeSpacingMs: 0, notifySpacingMs: 0 } } },
    });
    set = trackers;
    const harness = await makeHarness({ executors: [...workItemExecutors({ trackers, git: () => assert.fail('no git here'), log }), ...repositoryExecutors(trackers.codeHosts())] });
    Object.assign(harness.services, { trackers: { azure: () => trackers.azure(), github: () => trackers.github(), defaultTracker, planning: (k: TrackerKind) => trackers.planning(k) } });
    h = harness;
    return harness;
  }

  const sprint = (harness: Harness, input: Record<string, unknown>, mode: 'plan' | 'apply' = 'plan'): Promise<RunResult> => runAgent(harness.services, { agent: plannerAgent, action: 'sprint', input, mode });
  type Result = { proposed: { id: number }[]; flagged: { id: number; reason: string; why: string }[]; committed: { id: number }[]; budget: { points: unknown; hours: unknown }; capacity: { hours: number; hoursWithoutDaysOff: number; teamDaysOff: number; members: { displayName: string; hours: number; days: number; daysOff: number }[] }; velocity: { average: number; iterations: { iteration: string; completed: number; completedLate: number; incomplete: number; velocity: number }[] } };
  const resultOf = (r: RunResult): Result => r.plan!.result as unknown as Result;
  const id = (title: string): number => fixture.items.get(title)!.id;
  const iterationOf = (title: string): unknown => sandbox.azureDevOps.doc.workItems.find((w) => w.id === id(title))!.fields['System.IterationPath'];

  it('reads capacity, team and personal days off and velocity through the real client, and proposes what fits the next sprint', async () => {
    const r = await sprint(await setup(), {});
    assert.equal(r.outcome, 'succeeded', r.error);
    const res = resultOf(r);
    // Next: 10 working days, the team's second Friday off: 9. Me 9 x 6 = 54; Avery (9 - 5) x 4 = 16. Without days off (6 + 4) x 10.
    assert.deepEqual(res.capacity.members.map((m) => [m.hours, m.days, m.daysOff]), [[54, 9, 0], [16, 4, 5]]);
    assert.equal(res.capacity.teamDaysOff, 1);
    assert.equal(res.capacity.hours, 70);
    assert.equal(res.capacity.hoursWithoutDaysOff, 100);
    // Past 1: 5 in time + 3 late, 8 incomplete; Past 2: 13.
    assert.deepEqual(res.velocity.iterations.map((v) => [v.iteration, v.completed, v.completedLate, v.incomplete, v.velocity]), [['Past 1', 5, 3, 8, 8], ['Past 2', 13, 0, 0, 13]]);
    assert.equal(res.velocity.average, 10.5);
    // 10.5 x 70 / 100 = 7.35 points. X is in already (2 points, my 10 h).
    assert.deepEqual(res.budget.points, { budget: 7.35, committed: 2, proposed: 5 });
    assert.deepEqual(res.budget.hours, { budget: 70, committed: 10, proposed: 18 });
    assert.deepEqual(res.committed.map((c) => c.id), [id('X committed')]);
    assert.deepEqual(res.proposed.map((c) => c.id), [id('R1'), id('R6')]);
    assert.deepEqual(res.flagged.map((f) => [f.id, f.reason, f.why]), [
      [id('R2 blocked'), 'blocked', 'blocked: unblock it before it is planned'],
      [id('R3 unestimated'), 'unestimated', 'no Story Points and no task hours: estimate it first'],
      [id('R4 too big'), 'overVelocity', 'needs 3 Story Points; 2.35 of 7.35 left'],
      [id('R5 overloads Avery'), 'overloadsPerson', `would overload ${fixture.avery.displayName}: 18 h more on 0 h planned, capacity 16 h`],
    ]);
    assert.equal(r.plan!.remote.length, 0, 'without apply nothing is moved');
    assert.ok(r.plan!.notes.some((n) => /Days off take 30% of the team's hours/.test(n)), r.plan!.notes.join('\n'));
  });

  it('moves what fits, with its tasks, after an outage: queued while offline, sent once when back, nothing lost or doubled', async () => {
    const harness = await setup();
    const revs = (): number[] => ['R1', 'R1 task', 'R6', 'R6 task'].map((t) => sandbox.azureDevOps.doc.workItems.find((w) => w.id === id(t))!.rev);
    const before = revs();
    // Offline for writes: every work item update answers 503.
    sandbox.server.faults.set([{ route: 'wit.workItems.update', kind: 'status', status: 503 }]);
    const offline = await sprint(harness, { apply: true }, 'apply');
    assert.equal(offline.outcome, 'succeeded', offline.error);
    assert.deepEqual(offline.applied.remote.map((c) => [c.kind, c.outcome]), Array(4).fill(['workItem.iteration', 'queued']));
    assert.equal(iterationOf('R1'), PROJECT, 'nothing moved while offline');
    assert.deepEqual(revs(), before);

    sandbox.server.faults.clear();
    const sent = await outbox!.flush();
    assert.equal(sent, 4);
    for (const t of ['R1', 'R1 task', 'R6', 'R6 task']) assert.equal(iterationOf(t), fixture.next, t);
    assert.deepEqual(revs(), before.map((r) => r + 1), 'each item changed exactly once');
    assert.equal(await outbox!.flush(), 0, 'nothing left to send');
    assert.deepEqual(revs(), before.map((r) => r + 1));

    // Planned again, the moved items are committed, not proposed a second time.
    const again = await sprint(harness, { apply: true });
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.deepEqual(resultOf(again).committed.map((c) => c.id).sort(), [id('X committed'), id('R1'), id('R6')].sort());
    assert.deepEqual(resultOf(again).proposed, []);
    assert.equal(again.plan!.remote.length, 0);
  });

  it('refuses a past iteration and an unknown one with the team\'s iterations named', async () => {
    const harness = await setup();
    const past = await sprint(harness, { iteration: 'Past 1' });
    assert.match(past.error ?? '', /Past 1 has ended/);
    const unknown = await sprint(harness, { iteration: 'Sprint 99' });
    assert.match(unknown.error ?? '', /"Sprint 99" is not one of the team's iterations \(Past 1, Past 2, Current, Next\)/);
  });

  it('on GitHub reads the Project\'s iteration field instead (the demo Project: Iteration 4 is next)', async () => {
    const r = await sprint(await setup('github'), {});
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.equal((r.plan!.result as { iteration: { name: string } }).iteration.name, 'Iteration 4');
  });

  it('fails with a clear error, and writes nothing, when the capacity answer is malformed', async () => {
    const harness = await setup();
    sandbox.server.faults.set([{ route: 'work.capacities.get', kind: 'malformed' }]);
    const r = await sprint(harness, { apply: true }, 'apply');
    assert.equal(r.outcome, 'failed');
    assert.match(r.error ?? '', /capacity of Next/);
    assert.equal(r.applied.remote.length, 0);
  });

  it('writes the status report of the current sprint under .devops/reports and publishes it to the wiki on request', async () => {
    const harness = await setup();
    const r = await runAgent(harness.services, { agent: plannerAgent, action: 'report', input: { wiki: true }, mode: 'apply' });
    assert.equal(r.outcome, 'succeeded', r.error);
    const file = (r.plan!.result as { file: string }).file;
    assert.match(file, /^\.devops\/reports\/status-current-\d{4}-\d{2}-\d{2}\.md$/);
    const text = (await harness.read(file)) ?? assert.fail(`${file} was not written`);
    assert.match(text, /^# Status of Current: Sprint Fixture/);
    assert.match(text, /1 of 3 Story Points done/);
    assert.match(text, new RegExp(`## Blocked \\(1\\)\\n\\n- AB#${id('C stuck')} C stuck`));
    assert.match(text, new RegExp(`\\*\\*Unestimated\\*\\*: AB#${id('C new')} C new`));
    assert.match(text, new RegExp(`\\*\\*Overdue\\*\\*: AB#${id('p1 open')} p1 open: still Active in Past 1`));
    assert.match(text, /Average velocity: 10\.5 Story Points a sprint/);
    assert.deepEqual(r.applied.remote.map((c) => [c.kind, c.outcome]), [['wiki.page', 'applied']]);
    const page = sandbox.azureDevOps.doc.wikis.flatMap((w) => w.pages).find((p) => p.path.startsWith('/Status/current-'));
    assert.equal(page?.content, text);

    // The same day again: the file holds the same report, nothing to write.
    const again = await runAgent(harness.services, { agent: plannerAgent, action: 'report', input: {}, mode: 'plan' });
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.equal(again.plan!.edits.length, 0);
  });
});
