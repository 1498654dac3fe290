import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { plannerAgent } from '../../../../src/agents/planner/plannerAgent';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type Credential, type Logger } from '../../../../src/core/host';
import { readSettings } from '../../../../src/core/settings';
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
const HOUR = 3_600_000;
const PROJECT = 'Velocity Fixture';
const POINTS = 'Microsoft.VSTS.Scheduling.StoryPoints';

/**
 * Three past two-week sprints whose items were re-estimated, carried over, added late, removed
 * and moved out, relative to this week's Monday (day 0), so the velocity widget's four series are
 * computed by hand below. S1 runs days -42 to -31, S2 -28 to -17, S3 -14 to -3, Current 0 to 11.
 */
function seed(sandbox: Sandbox): void {
  const state = sandbox.azureDevOps;
  const [me] = state.doc.identities as [Identity];
  const { project, team } = addProject(state, { name: PROJECT, description: 'velocity fixture', processId: processByName('Agile')!.id, visibility: 'private' }, false);
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY;
  const at = (day: number, hours = 9): string => new Date(monday + day * DAY + hours * HOUR).toISOString();
  const sprint = (name: string, start: number): ClassificationNode => ({ id: state.next('node'), identifier: stableGuid(`${PROJECT} ${name}`), name, startDate: new Date(monday + start * DAY).toISOString(), finishDate: new Date(monday + (start + 11) * DAY).toISOString(), children: [] });
  project.iterations.children = [sprint('S1', -42), sprint('S2', -28), sprint('S3', -14), sprint('Current', 0)];
  team.iterationIds = project.iterations.children.map((c) => c.identifier);
  const path = (name: string): string => `${PROJECT}\\${name}`;
  const set = (fields: Record<string, string | number>): PatchOperation[] => Object.entries(fields).map(([k, v]) => ({ op: 'add', path: `/fields/${k}`, value: v }));
  /** A story created on `day` with `fields`, then each change on its day (in order). */
  const story = (title: string, day: number, fields: Record<string, string | number>, changes: [number, Record<string, string | number>][] = []): WorkItemRecord => {
    const item = createWorkItem(state, project, 'User Story', set({ 'System.Title': title, ...fields }), me, { at: at(day) });
    for (const [when, change] of changes) updateWorkItem(state, item, set(change), me, { at: typeof when === 'number' ? at(when) : when });
    return item;
  };
  const close = (day: number, hours = 9): [number, Record<string, string>] => [day + hours / 24 - 9 / 24, { 'System.State': 'Closed' }];

  // S1 (start -42, finish -31; closed from day -30 on is late).
  story('a in time', -45, { [POINTS]: 5, 'System.IterationPath': path('S1') }, [close(-35)]);
  story('b re-estimated, late', -45, { [POINTS]: 3, 'System.IterationPath': path('S1') }, [[-40, { [POINTS]: 5 }], close(-30)]);
  story('c carried over', -45, { [POINTS]: 8, 'System.IterationPath': path('S1') }, [[-33, { 'System.IterationPath': path('S2') }], close(-20)]);
  story('d added mid-sprint', -40, { [POINTS]: 2, 'System.IterationPath': path('S1') }, [[-39, { 'System.State': 'Active' }]]);
  story('e removed', -45, { [POINTS]: 1, 'System.IterationPath': path('S1') }, [[-38, { 'System.State': 'Removed' }]]);
  // Planned on the start day (at 10:00): counts; the next day: counts only with one day allowed.
  story('f planned on day one', -45, { [POINTS]: 3 }, [[-42 + 1 / 24, { 'System.IterationPath': path('S1') }], close(-33)]);
  story('g planned on day two', -45, { [POINTS]: 2 }, [[-41, { 'System.IterationPath': path('S1') }], close(-35)]);
  // S2 (start -28, finish -17).
  story('h late', -30, { [POINTS]: 5, 'System.IterationPath': path('S2') }, [close(-10)]);
  // S3 (start -14, finish -3): its only item moved out to the current sprint.
  story('i moved out', -20, { [POINTS]: 3, 'System.IterationPath': path('S3') }, [[-10, { 'System.IterationPath': path('Current') }]]);
  // Blocked in the current sprint. j: blocked on day -12, re-estimated on day -1 (its last change).
  story('j blocked long ago', -20, { [POINTS]: 2, 'System.IterationPath': path('Current') }, [[-12, { 'System.Tags': 'Blocked' }], [-1, { [POINTS]: 3 }]]);
  // k: blocked on day -14, unblocked on day -8, blocked again on day -2: blocked since day -2.
  story('k blocked again', -20, { [POINTS]: 1, 'System.IterationPath': path('Current') }, [[-14, { 'System.Tags': 'Blocked' }], [-8, { 'System.Tags': '' }], [-2, { 'System.Tags': 'Blocked' }]]);
  state.changed();
}

describe('planner: the velocity widget\'s planned, completed, completed late and incomplete (Azure DevOps stand-in, WIQL ASOF)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let set: TrackerSet | undefined;
  let outbox: FileOutbox | undefined;
  let h: Harness | undefined;
  before(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log });
    seed(sandbox);
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-velocity-'));
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

  async function setup(extra: Record<string, unknown> = {}): Promise<Harness> {
    const credentials: Record<string, Credential> = { azureDevOps: { kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' } };
    const settings = readSettings((k) => ({ backend: 'sandbox', 'workItems.defaultTracker': 'azureBoards', ...extra })[k]).settings;
    const trackers = new TrackerSet({
      backend: { endpoints: () => Promise.resolve({ ...sandbox.endpoints(), azureDevOps: { ...sandbox.endpoints().azureDevOps!, project: PROJECT, team: `${PROJECT} Team` } }), onDidChange: () => ({ dispose: none }) },
      settings: () => settings,
      log,
      storageDir: dir,
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log, autoReplay: false })),
    });
    set = trackers;
    const harness = await makeHarness({ executors: [] });
    Object.assign(harness.services, { trackers: { azure: () => trackers.azure(), github: () => trackers.github(), defaultTracker: 'azureBoards', planning: (k: 'azureBoards' | 'github') => trackers.planning(k) } });
    h = harness;
    return harness;
  }

  type Velocity = { average: number; iterations: { iteration: string; planned?: number; completed: number; completedLate: number; incomplete: number; velocity: number }[] };
  const report = (harness: Harness, input: Record<string, unknown> = {}): Promise<RunResult> => runAgent(harness.services, { agent: plannerAgent, action: 'report', input, mode: 'plan' });
  const series = (r: RunResult) => (r.plan!.result as unknown as { velocity: Velocity }).velocity.iterations.map((v) => [v.iteration, v.planned, v.completed, v.completedLate, v.incomplete, v.velocity]);

  it('counts planned as of the start day from history, completed by the end, completed late after it, and incomplete', async () => {
    const r = await report(await setup());
    assert.equal(r.outcome, 'succeeded', r.error);
    // S1 planned at its start: a 5 + b 3 (re-estimated to 5 later) + c 8 (carried over later) + e 1 (removed later) + f 3 (moved in on day one) = 20.
    //    Completed by day -31: a 5 + f 3 + g 2 = 10. Late: b 5 (closed day -30). Incomplete: d 2 (added day -40). Velocity 15.
    // S2 planned: c 8 (moved in on day -33) + h 5 = 13. Completed c 8, late h 5 (closed day -10). Velocity 13.
    // S3 planned: i 3, moved out on day -10: nothing completed or open in it now. Velocity 0.
    assert.deepEqual(series(r), [
      ['S1', 20, 10, 5, 2, 15],
      ['S2', 13, 8, 5, 0, 13],
      ['S3', 3, 0, 0, 0, 0],
    ]);
    // (15 + 13 + 0) / 3 = 9.33.
    assert.equal((r.plan!.result as unknown as { velocity: Velocity }).velocity.average, 9.33);
    const md = (r.plan!.result as { markdown: string }).markdown;
    assert.match(md, /\| Iteration \| Planned \| Completed \| Completed late \| Incomplete \| Velocity \|/);
    assert.match(md, /\| S1 \| 20 \| 10 \| 5 \| 2 \| 15 \|/);
    assert.match(md, /\| S3 \| 3 \| 0 \| 0 \| 0 \| 0 \|/);
    assert.match(md, /Planned is the estimate that was in the iteration at its start/);
    assert.ok(r.plan!.facts.some((f) => f.label === 'S1' && f.value === 'planned 20, completed 10, completed late 5, incomplete 2 Story Points'));
  });

  it('counts planned one day later with plannedAfterDays 1 (g joined on day two), and late one day later with lateAfterDays 1', async () => {
    const r = await report(await setup(), { plannedAfterDays: 1, lateAfterDays: 1 });
    assert.equal(r.outcome, 'succeeded', r.error);
    // S1 planned 20 + g 2 = 22; b closed on day -30 is within the day allowed: completed 15, late 0.
    assert.deepEqual(series(r)[0], ['S1', 22, 15, 0, 2, 15]);
  });

  it('fails with a clear error when the ASOF query answers nonsense, instead of reporting a planned of 0', async () => {
    await setup();
    const sprints = (await set!.planning('azureBoards'))!.sprints!();
    const snapshot = await sprints.snapshot();
    const s1 = snapshot.iterations.find((i) => i.name === 'S1')!;
    sandbox.server.faults.set([{ route: 'wit.wiql', kind: 'malformed' }]);
    await assert.rejects(sprints.planned!([{ iteration: s1, at: new Date(Date.parse(s1.start!) + DAY - 1) }]), /what S1 planned at its start/);
  });

  it('measures "blocked too long" from the update that blocked the item (aiDevops.planning.blockedDays), not from its last change', async () => {
    // Whatever weekday today is, j has been blocked 11 to 18 days (its last change was 0 to 7 days ago)
    // and k 1 to 8 days since it was blocked again (13 to 20 since it was first blocked). Over 9 days: j only.
    const r = await report(await setup({ 'planning.blockedDays': 9 }));
    assert.equal(r.outcome, 'succeeded', r.error);
    const risks = (r.plan!.result as unknown as { status: { risks: { kind: string; title: string; why: string }[] } }).status.risks.filter((x) => x.kind === 'blockedTooLong');
    assert.deepEqual(risks.map((x) => x.title), ['j blocked long ago']);
    const monday = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - ((new Date().getUTCDay() + 6) % 7) * DAY;
    const day = (n: number): string => new Date(monday + n * DAY).toISOString().slice(0, 10);
    assert.match(risks[0]!.why, new RegExp(`^blocked since ${day(-12)} \\((\\d+) days\\)$`));
    const days = Number(/\((\d+) days\)/.exec(risks[0]!.why)![1]);
    assert.ok(days >= 11 && days <= 18, risks[0]!.why);
    // --blockedDays 0 for one report: k is a risk too, counted from day -2, not day -14.
    const all = await report(await setup({ 'planning.blockedDays': 9 }), { blockedDays: 0 });
    const k = (all.plan!.result as unknown as { status: { risks: { kind: string; title: string; why: string }[] } }).status.risks.find((x) => x.title === 'k blocked again');
    assert.match(k?.why ?? '', new RegExp(`^blocked since ${day(-2)} `));
  });
});
