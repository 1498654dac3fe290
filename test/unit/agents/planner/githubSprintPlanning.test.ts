import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { plannerAgent } from '../../../../src/agents/planner/plannerAgent';
import { workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type Credential, type Logger } from '../../../../src/core/host';
import { readSettings } from '../../../../src/core/settings';
import { type TrackerKind } from '../../../../src/core/workItem';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../../../../src/providers/boards/trackerSet';
import { SANDBOX_GITHUB, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { type FieldRecord, type IssueRecord, type ItemRecord } from '../../../../src/sandbox/github/state/model';
import { optionIdFor } from '../../../../src/sandbox/github/state/nodeIds';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { type Harness, makeHarness } from '../runtime/harness';
import { Octokit } from '@octokit/rest';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };
const DAY = 86_400_000;
const ME = SANDBOX_USER.githubLogin;
const AVERY = 'avery-chen';

/**
 * The demo Project 1 replaced by a fixture whose dates are fixed relative to this week's Monday,
 * so every answer is computed by hand: two-week iterations Sprint 1 and 2 (completed), Sprint 3
 * (current) and Sprint 4 (next), each Monday to Sunday with 10 working days; an Estimate number
 * field, a Priority single select (P1, P2, P3), Status, and issues of contoso/contoso-web.
 */
function seed(sandbox: Sandbox): { byTitle: (t: string) => IssueRecord; item: (t: string) => ItemRecord; iterationField: FieldRecord; sprint: (n: number) => string; monday: number } {
  const state = sandbox.github;
  const repo = state.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
  const project = state.doc.projects.find((p) => p.number === SANDBOX_GITHUB.projectNumber)!;
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const at = (offset: number): string => new Date(monday + offset * DAY).toISOString();
  const created = at(-40);
  const field = (name: string, dataType: FieldRecord['dataType'], options: string[] = []): FieldRecord => ({
    id: state.nextId(),
    name,
    dataType,
    options: options.map((o) => ({ id: optionIdFor(project.id, `${name}:${o}`), name: o, color: 'GRAY' as const, description: '' })),
    createdAt: created,
  });
  const sprintIds = [1, 2, 3, 4].map((n) => optionIdFor(project.id, `sprint ${n}`));
  const iterationField: FieldRecord = {
    ...field('Iteration', 'ITERATION'),
    iteration: { startDay: 1, duration: 14, iterations: [-28, -14, 0, 14].map((offset, i) => ({ id: sprintIds[i]!, title: `Sprint ${i + 1}`, startDate: at(offset).slice(0, 10), duration: 14 })) },
  };
  const estimate = field('Estimate', 'NUMBER');
  const priority = field('Priority', 'SINGLE_SELECT', ['P1', 'P2', 'P3']);
  const status = field('Status', 'SINGLE_SELECT', ['Todo', 'In Progress', 'Done']);
  project.fields = [field('Title', 'TITLE'), field('Assignees', 'ASSIGNEES'), status, priority, estimate, iterationField];
  project.items = [];
  repo.labels.push({ id: state.nextId(), name: 'blocked', color: 'b60205', description: 'Waiting on something', default: false });

  const issues = new Map<string, IssueRecord>();
  const items = new Map<string, ItemRecord>();
  interface Spec {
    readonly points?: number;
    readonly sprint?: number;
    readonly priority?: 'P1' | 'P2' | 'P3';
    readonly status?: 'Todo' | 'In Progress' | 'Done';
    readonly closedAt?: string;
    readonly notPlanned?: boolean;
    readonly assignee?: string;
    readonly labels?: string[];
    readonly parent?: string;
    readonly updatedAt?: string;
  }
  const add = (title: string, spec: Spec = {}): void => {
    const issue = state.openIssue(repo, ME, { title, body: `${title}.`, labels: spec.labels ?? [], assignees: spec.assignee ? [spec.assignee] : [] });
    issue.createdAt = created;
    issue.updatedAt = spec.updatedAt ?? spec.closedAt ?? at(-10);
    if (spec.closedAt) {
      issue.state = 'closed';
      issue.stateReason = spec.notPlanned ? 'not_planned' : 'completed';
      issue.closedAt = spec.closedAt;
      issue.closedBy = ME;
    }
    if (spec.parent) {
      const parent = issues.get(spec.parent)!;
      issue.parent = parent.number;
      parent.subIssues.push(issue.number);
    }
    const values: ItemRecord['values'] = {};
    if (spec.points !== undefined) values[String(estimate.id)] = { number: spec.points };
    if (spec.sprint) values[String(iterationField.id)] = { iterationId: sprintIds[spec.sprint - 1]! };
    if (spec.priority) values[String(priority.id)] = { optionId: optionIdFor(project.id, `Priority:${spec.priority}`) };
    const s = spec.status ?? (spec.closedAt ? 'Done' : 'Todo');
    values[String(status.id)] = { optionId: optionIdFor(project.id, `Status:${s}`) };
    const item: ItemRecord = { id: state.nextId(), contentType: 'ISSUE', repoId: repo.id, number: issue.number, draft: null, values, archived: false, creator: ME, createdAt: created, updatedAt: created };
    project.items.push(item);
    issues.set(title, issue);
    items.set(title, item);
  };
  // Sprint 1 (ends Sunday -15): 5 in time, 3 closed on Tuesday -13 (late, still counted), 8 open. Velocity 8.
  add('s1 in time', { points: 5, sprint: 1, closedAt: at(-20) });
  add('s1 late', { points: 3, sprint: 1, closedAt: at(-13) });
  add('s1 open', { points: 8, sprint: 1, status: 'In Progress' });
  // Sprint 2: 8 + 5 = 13; the 20 closed as not planned does not count. Average (8 + 13) / 2 = 10.5.
  add('s2 a', { points: 8, sprint: 2, closedAt: at(-5) });
  add('s2 b', { points: 5, sprint: 2, closedAt: at(-4) });
  add('s2 dropped', { points: 20, sprint: 2, closedAt: at(-3), notPlanned: true });
  // Sprint 3 (current): done, blocked since long ago, and one with no estimate.
  add('c done', { points: 1, sprint: 3, closedAt: at(0) });
  add('c stuck', { points: 2, sprint: 3, status: 'In Progress', labels: ['blocked'], assignee: AVERY, updatedAt: at(-9) });
  add('c new', { sprint: 3 });
  // Already in Sprint 4: 2 points of mine.
  add('X committed', { points: 2, sprint: 4, assignee: ME });
  // The backlog.
  add('R1', { points: 3, priority: 'P1', assignee: ME });
  add('R2 blocked', { points: 2, priority: 'P1', labels: ['blocked'] });
  add('R3 unestimated', { priority: 'P2' });
  add('R4 overloads Avery', { points: 3, priority: 'P2', assignee: AVERY });
  add('R5 too big', { points: 4, priority: 'P3' });
  add('R6', { points: 1, priority: 'P3' });
  // An epic with a sub-issue: the epic is a container (not planned), its sub-issue is.
  add('E epic', { points: 13 });
  add('E part', { points: 2, parent: 'E epic' });
  state.changed();
  return { byTitle: (t) => issues.get(t)!, item: (t) => items.get(t)!, iterationField, sprint: (n) => sprintIds[n - 1]!, monday };
}

describe('planner: sprint planning, velocity and the status report on a GitHub Project (stand-in, real Octokit)', () => {
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
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-gh-sprint-'));
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

  // Me 6 a sprint; Avery 4 a sprint, off the whole first week of Sprint 4 (5 of its 10 working days).
  const CAPACITY = (monday: number) => [
    { login: ME, perIteration: 6 },
    { login: AVERY, perIteration: 4, daysOff: [{ start: new Date(monday + 14 * DAY).toISOString().slice(0, 10), end: new Date(monday + 18 * DAY).toISOString().slice(0, 10) }] },
  ];

  async function setup(capacity: unknown = CAPACITY(fixture.monday)): Promise<Harness> {
    const credentials: Record<string, Credential> = { github: { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' } };
    const raw: Record<string, unknown> = { backend: 'sandbox', 'workItems.defaultTracker': 'github', 'github.capacity': capacity };
    const settings = readSettings((k) => raw[k]).settings;
    const trackers = new TrackerSet({
      backend: { endpoints: () => Promise.resolve({ ...sandbox.endpoints(), azureDevOps: undefined }), onDidChange: () => ({ dispose: none }) },
      settings: () => settings,
      log,
      storageDir: dir,
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log, autoReplay: false })),
      tuning: { github: { tuning: { writeSpacingMs: 0, notifySpacingMs: 0 } } },
    });
    set = trackers;
    const harness = await makeHarness({ executors: workItemExecutors({ trackers, git: () => assert.fail('no git here'), log }) });
    Object.assign(harness.services, { trackers: { azure: () => undefined, github: () => trackers.github(), defaultTracker: 'github' as TrackerKind, planning: (k: TrackerKind) => trackers.planning(k) } });
    h = harness;
    return harness;
  }

  const run = (harness: Harness, action: 'sprint' | 'report', input: Record<string, unknown>, mode: 'plan' | 'apply' = 'plan'): Promise<RunResult> => runAgent(harness.services, { agent: plannerAgent, action, input, mode });
  type Result = {
    unit: string;
    iteration: { name: string; path: string; start: string; finish: string; timeFrame: string };
    proposed: { id: number }[];
    flagged: { id: number; reason: string; why: string }[];
    committed: { id: number }[];
    budget: { points: { budget: number; committed: number; proposed: number } | null; hours: unknown };
    capacity: { measure: string; hours: number; hoursWithoutDaysOff: number; members: { displayName: string; hours: number; days: number; daysOff: number }[] };
    velocity: { average: number; iterations: { iteration: string; completed: number; completedLate: number; incomplete: number; velocity: number }[] };
    forecast: { sprintsNeeded: number; points: number; velocity: number } | null;
  };
  const resultOf = (r: RunResult): Result => r.plan!.result as unknown as Result;
  const n = (title: string): number => fixture.byTitle(title).number;

  it('plans Sprint 4 against the capacity setting (days off scale it) and the velocity of the completed iterations', async () => {
    const harness = await setup();
    const r = await run(harness, 'sprint', {});
    assert.equal(r.outcome, 'succeeded', r.error);
    const result = resultOf(r);
    assert.equal(result.unit, 'Estimate');
    assert.equal(result.iteration.name, 'Sprint 4');
    assert.equal(result.iteration.timeFrame, 'future');
    assert.equal(result.iteration.start, new Date(fixture.monday + 14 * DAY).toISOString().slice(0, 10));
    assert.equal(result.iteration.finish, new Date(fixture.monday + 27 * DAY).toISOString().slice(0, 10));
    // Velocity: Sprint 1 = 5 + 3 late = 8 (8 incomplete); Sprint 2 = 13 (the not-planned 20 left out). Average 10.5.
    assert.deepEqual(
      result.velocity.iterations.map((v) => [v.iteration, v.completed, v.completedLate, v.incomplete, v.velocity]),
      [
        ['Sprint 1', 5, 3, 8, 8],
        ['Sprint 2', 13, 0, 0, 13],
      ],
    );
    assert.equal(result.velocity.average, 10.5);
    // Capacity: me 6; Avery 4 x 5/10 = 2. 8 of 10 without days off.
    assert.equal(result.capacity.measure, 'estimate');
    assert.equal(result.capacity.hours, 8);
    assert.equal(result.capacity.hoursWithoutDaysOff, 10);
    assert.deepEqual(result.capacity.members.map((m) => [m.displayName, m.hours, m.days, m.daysOff]), [
      [ME, 6, 10, 0],
      [AVERY, 2, 5, 5],
    ]);
    // Budget: min(10.5 x 0.8 = 8.4, capacity 8) = 8; X committed takes 2.
    assert.deepEqual(result.budget.points, { budget: 8, committed: 2, proposed: 6 });
    assert.equal(result.budget.hours, null);
    assert.deepEqual(result.committed.map((c) => c.id), [n('X committed')]);
    // By priority: R1 fits (me 2 + 3 = 5 of 6); R2 blocked; R3 no estimate; R4 would give Avery 3 of 2;
    // R5 needs 4 with 3 left; R6 fits (1); the epic is a container, its part (2) fits: 2 + 3 + 1 + 2 = 8.
    assert.deepEqual(result.proposed.map((c) => c.id), [n('R1'), n('R6'), n('E part')]);
    assert.deepEqual(
      result.flagged.map((f) => [f.id, f.reason]),
      [
        [n('R2 blocked'), 'blocked'],
        [n('R3 unestimated'), 'unestimated'],
        [n('R4 overloads Avery'), 'overloadsPerson'],
        [n('R5 too big'), 'overCapacity'],
      ],
    );
    assert.match(result.flagged[2]!.why, /would overload avery-chen: 3 Estimate more on 0 Estimate planned, capacity 2 Estimate/);
    assert.match(result.flagged[3]!.why, /needs 4 Estimate; the team's capacity has 3 of 8 left/);
    assert.ok(!result.proposed.concat(result.flagged).some((c) => c.id === n('E epic')), 'an issue with sub-issues is not planned itself');
    assert.equal(r.plan!.remote.length, 0, 'without --apply nothing is moved');
  });

  it('applies on accept: each proposed item\'s Project iteration field set to Sprint 4 through the outbox; a second apply moves nothing', async () => {
    const harness = await setup();
    const r = await run(harness, 'sprint', { apply: true }, 'apply');
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(r.applied.remote.map((c) => [c.kind, c.outcome]), Array(3).fill(['project.iteration', 'applied']));
    const field = String(fixture.iterationField.id);
    for (const t of ['R1', 'R6', 'E part']) assert.deepEqual(fixture.item(t).values[field], { iterationId: fixture.sprint(4) }, t);
    assert.equal(fixture.item('R2 blocked').values[field], undefined);
    // Read back through GraphQL: the three are committed now and nothing else fits (8 of 8).
    const again = await run(harness, 'sprint', { apply: true }, 'apply');
    const result = resultOf(again);
    assert.deepEqual(result.committed.map((c) => c.id).sort((a, b) => a - b), [n('X committed'), n('R1'), n('R6'), n('E part')].sort((a, b) => a - b));
    assert.deepEqual(result.proposed, []);
    assert.equal(again.plan!.remote.length, 0);
    // Undo for the other tests.
    for (const t of ['R1', 'R6', 'E part']) delete fixture.item(t).values[field];
  });

  it('a move someone made since the plan was read is a conflict, not overwritten; offline it waits in the outbox and is sent once', async () => {
    const harness = await setup();
    const planned = await run(harness, 'sprint', { apply: true }, 'plan');
    assert.equal(planned.outcome, 'succeeded', planned.error);
    const [r1, r6] = planned.plan!.remote.map((c) => c.payload as unknown as Parameters<NonNullable<ReturnType<TrackerSet['github']>>['setProjectIteration'] & {}>[1]);
    assert.equal(r1!.from, null);
    assert.equal(r1!.iteration, 'Sprint 4');
    const field = String(fixture.iterationField.id);
    // Someone puts R1 into Sprint 3 before the plan is applied.
    fixture.item('R1').values[field] = { iterationId: fixture.sprint(3) };
    const github = set!.github()!;
    const conflict = await github.setProjectIteration!(SANDBOX_GITHUB.projectNumber, r1!);
    assert.equal(conflict.kind, 'project-conflict');
    assert.deepEqual(fixture.item('R1').values[field], { iterationId: fixture.sprint(3) }, 'their move stands');
    delete fixture.item('R1').values[field];

    // Offline: GraphQL answers 503; the move is queued, then sent once.
    sandbox.server.faults.set([{ route: 'graphql', kind: 'status', status: 503 }]);
    const queued = await github.setProjectIteration!(SANDBOX_GITHUB.projectNumber, r6!);
    assert.equal(queued.kind, 'queued');
    assert.equal(fixture.item('R6').values[field], undefined);
    sandbox.server.faults.clear();
    assert.equal(await outbox!.flush(), 1);
    assert.deepEqual(fixture.item('R6').values[field], { iterationId: fixture.sprint(4) });
    assert.equal(await outbox!.flush(), 0);
    delete fixture.item('R6').values[field];
  });

  it('with no capacity setting plans against the velocity alone and says so', async () => {
    const harness = await setup([]);
    const r = await run(harness, 'sprint', {});
    const result = resultOf(r);
    assert.equal(result.capacity, null);
    // 10.5 - 2 committed = 8.5: R1 3, R4 3 (no capacity: nobody overloaded), R5 4 does not fit (2.5 left), R6 1, E part 2 does not fit (1.5 left).
    assert.deepEqual(result.proposed.map((c) => c.id), [n('R1'), n('R4 overloads Avery'), n('R6')]);
    assert.deepEqual(result.flagged.map((f) => f.reason), ['blocked', 'unestimated', 'overVelocity', 'overVelocity']);
    assert.ok(r.plan!.notes.some((note) => /aiDevops\.github\.capacity names nobody/.test(note)));
  });

  it('a bad capacity setting falls back to none (zod) instead of planning on nonsense', () => {
    const { settings, invalid } = readSettings((k) => ({ 'github.capacity': [{ login: 'x', perIteration: -3 }] })[k]);
    assert.deepEqual(settings.github.capacity, []);
    assert.ok(invalid.includes('github.capacity'));
    const extra = readSettings((k) => ({ 'github.capacity': [{ login: 'x', perIteration: 3, hoursPerDay: 9 }] })[k]);
    assert.deepEqual(extra.settings.github.capacity, []);
  });

  it('writes the status report of the current iteration with velocity and forecast; no wiki on GitHub', async () => {
    const harness = await setup();
    const r = await run(harness, 'report', {}, 'apply');
    assert.equal(r.outcome, 'succeeded', r.error);
    const md = (await harness.read(`.devops/reports/status-sprint-3-${new Date().toISOString().slice(0, 10)}.md`))!;
    assert.match(md, /^# Status of Sprint 3: contoso\/contoso-web \(Project 1\)/);
    assert.match(md, /## Done \(1\)\n\n- #\d+ c done/);
    assert.match(md, /## Blocked \(1\)\n\n- #\d+ c stuck/);
    assert.match(md, /## Not started \(1\)\n\n- #\d+ c new/);
    assert.match(md, /\*\*Unestimated\*\*: #\d+ c new/);
    // GitHub keeps no history of the iteration field: no planned series, and the report says so.
    assert.match(md, /\| Sprint 1 \| n\/a \| 5 \| 3 \| 8 \| 8 \|/);
    assert.match(md, /Average velocity: 10\.5 Estimate a sprint \(2 past iterations\)\. Planned is not known/);
    assert.ok(r.plan!.notes.some((n) => /no "planned" series/.test(n)));
    // Forecast of the open backlog in priority order at 10.5: R1 3, R2 2, R4 3, R5 4 (12 > 10.5: sprint 2), R6 1, E part 2 ...
    const result = r.plan!.result as unknown as { forecast: { sprintsNeeded: number; points: number } };
    // Open estimated items: s1 open 8, c stuck 2, X 2, R1 3, R2 2, R4 3, R5 4, R6 1, E part 2 = 27; 27 / 10.5 -> 3 sprints.
    assert.equal(result.forecast.points, 27);
    assert.equal(result.forecast.sprintsNeeded, 3);
    const wiki = await run(harness, 'report', { wiki: true });
    assert.equal(wiki.outcome, 'failed');
    assert.match(wiki.error ?? '', /GitHub wikis have no API/);
  });

  /** Labels an issue through the stand-in's REST routes (a real Octokit) with the stand-in's clock `daysAgo` days back. */
  async function labelAt(daysAgo: number, change: (kit: Octokit) => Promise<unknown>): Promise<void> {
    const kit = new Octokit({ auth: sandbox.credentials.githubToken, baseUrl: sandbox.endpoints().github!.baseUrl });
    const saved = sandbox.github.clock;
    sandbox.github.clock = () => new Date(Date.now() - daysAgo * DAY);
    try {
      await change(kit);
    } finally {
      sandbox.github.clock = saved;
    }
  }
  const repoPath = { owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo };
  const dayAgo = (days: number): string => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
  const reportOf = async (harness: Harness): Promise<string> => {
    const r = await run(harness, 'report', {}, 'apply');
    assert.equal(r.outcome, 'succeeded', r.error);
    return (await harness.read(`.devops/reports/status-sprint-3-${new Date().toISOString().slice(0, 10)}.md`))!;
  };

  it('counts blocked too long from the event that added the blocked label; a Status of Blocked has no history and says so', async () => {
    const stuck = fixture.byTitle('c stuck');
    const fresh = fixture.byTitle('c new');
    const project = sandbox.github.doc.projects.find((p) => p.number === SANDBOX_GITHUB.projectNumber)!;
    const status = project.fields.find((f) => f.name === 'Status')!;
    const repo = sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
    const saved = { issues: [...repo.issues], stuck: { labels: stuck.labels, events: stuck.events, updatedAt: stuck.updatedAt }, fresh: { labels: fresh.labels, events: fresh.events, updatedAt: fresh.updatedAt }, options: status.options, items: project.items };
    try {
      // c stuck: labelled blocked 9 days ago (the label added again today changes nothing: GitHub records no event).
      stuck.labels = [];
      stuck.events = [];
      await labelAt(9, (kit) => kit.rest.issues.addLabels({ ...repoPath, issue_number: stuck.number, labels: ['blocked'] }));
      await labelAt(0, (kit) => kit.rest.issues.update({ ...repoPath, issue_number: stuck.number, labels: ['Blocked'] }));
      // c new: blocked 20 days ago, cleared 12 days ago, blocked again 5 days ago: counted from the second time.
      fresh.labels = [];
      fresh.events = [];
      await labelAt(20, (kit) => kit.rest.issues.addLabels({ ...repoPath, issue_number: fresh.number, labels: ['blocked'] }));
      await labelAt(12, (kit) => kit.rest.issues.removeLabel({ ...repoPath, issue_number: fresh.number, name: 'BLOCKED' }));
      await labelAt(5, (kit) => kit.rest.issues.setLabels({ ...repoPath, issue_number: fresh.number, labels: ['blocked'] }));
      fresh.updatedAt = new Date().toISOString();
      // c waiting: blocked by the Project's Status option, unchanged for 6 days.
      status.options = [...status.options, { id: optionIdFor(project.id, 'Status:Blocked'), name: 'Blocked', color: 'RED', description: '' }];
      const waiting = sandbox.github.openIssue(repo, ME, { title: 'c waiting', body: null });
      waiting.updatedAt = new Date(Date.now() - 6 * DAY - 3_600_000).toISOString();
      const iterationField = project.fields.find((f) => f.dataType === 'ITERATION')!;
      const estimateField = project.fields.find((f) => f.name === 'Estimate')!;
      project.items = [
        ...project.items,
        {
          id: sandbox.github.nextId(),
          contentType: 'ISSUE',
          repoId: repo.id,
          number: waiting.number,
          draft: null,
          values: { [String(status.id)]: { optionId: optionIdFor(project.id, 'Status:Blocked') }, [String(iterationField.id)]: { iterationId: fixture.sprint(3) }, [String(estimateField.id)]: { number: 1 } },
          archived: false,
          creator: ME,
          createdAt: waiting.createdAt,
          updatedAt: waiting.createdAt,
        },
      ];
      sandbox.github.changed();

      const md = await reportOf(await setup());
      assert.match(md, new RegExp(`#${stuck.number} c stuck[^\n]*blocked since ${dayAgo(9)} \\(9 days\\)`));
      assert.match(md, new RegExp(`#${fresh.number} c new[^\n]*blocked since ${dayAgo(5)} \\(5 days\\)`));
      assert.match(md, new RegExp(`#${waiting.number} c waiting[^\n]*blocked and unchanged for 6 days \\(its history does not say when it was blocked\\)`));
    } finally {
      repo.issues = saved.issues;
      Object.assign(stuck, saved.stuck);
      Object.assign(fresh, saved.fresh);
      status.options = saved.options;
      project.items = saved.items;
      sandbox.github.changed();
    }
  });

  it('a failing events read (503) leaves that issue undated: the report still says it is blocked, by its last change', async () => {
    const stuck = fixture.byTitle('c stuck');
    const saved = { labels: stuck.labels, events: stuck.events, updatedAt: stuck.updatedAt };
    try {
      stuck.labels = [];
      stuck.events = [];
      await labelAt(9, (kit) => kit.rest.issues.addLabels({ ...repoPath, issue_number: stuck.number, labels: ['blocked'] }));
      stuck.updatedAt = new Date(Date.now() - 7 * DAY - 3_600_000).toISOString();
      sandbox.server.faults.add({ route: 'issues.listEvents', kind: 'status', status: 503 });
      const md = await reportOf(await setup());
      assert.match(md, new RegExp(`#${stuck.number} c stuck[^\n]*blocked and unchanged for 7 days \\(its history does not say when it was blocked\\)`));
      assert.doesNotMatch(md, /blocked since/);
    } finally {
      Object.assign(stuck, saved);
      sandbox.github.changed();
    }
  });

  it('says what to set when no Project is configured, and when the Project has no iteration field', async () => {
    const harness = await setup();
    const project = sandbox.github.doc.projects.find((p) => p.number === SANDBOX_GITHUB.projectNumber)!;
    const saved = project.fields;
    project.fields = saved.filter((f) => f.dataType !== 'ITERATION');
    try {
      const r = await run(harness, 'sprint', {});
      assert.equal(r.outcome, 'failed');
      assert.match(r.error ?? '', /has no iteration field/);
    } finally {
      project.fields = saved;
    }
  });
});
