import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { plannerAgent } from '../../../../src/agents/planner/plannerAgent';
import { workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type ServiceEndpoints } from '../../../../src/core/backend';
import { type Credential, type Logger } from '../../../../src/core/host';
import { readSettings } from '../../../../src/core/settings';
import { type TrackerKind } from '../../../../src/core/workItem';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../../../../src/providers/boards/trackerSet';
import { SANDBOX_GITHUB } from '../../../../src/sandbox/identity';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { type Harness, makeHarness } from '../runtime/harness';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };

const EPIC = `# Loyalty points

Customers earn points and spend them at checkout.

## Earning

### Earn points on orders [5]

- A paid order adds points
- Record the points [3h]

## Spending

### Pay with points [3]
`;

/**
 * Epic decomposition on GitHub with the organization's issue types and the repository's Project:
 * the demo organization contoso has GitHub's default types (Task, Bug, Feature), so features and
 * tasks are typed, the epic and stories are labelled; every created issue is added to Project 1
 * with its estimate in the Project's Estimate field, through the approval policy and the outbox.
 */
describe('planner: epics on GitHub with issue types and the Project (stand-in, real Octokit)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let outbox: FileOutbox | undefined;
  let set: TrackerSet | undefined;
  let h: Harness | undefined;
  beforeEach(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log });
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-gh-epic-'));
  });
  afterEach(async () => {
    set?.dispose();
    set = undefined;
    outbox?.dispose();
    outbox = undefined;
    await h?.dispose();
    h = undefined;
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function setup(endpoints: (e: ServiceEndpoints) => ServiceEndpoints = (e) => e, beforeProjectAdd?: () => void): Promise<Harness> {
    const credentials: Record<string, Credential> = { github: { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' } };
    const settings = readSettings((k) => ({ backend: 'sandbox', 'workItems.defaultTracker': 'github' })[k]).settings;
    const trackers = new TrackerSet({
      backend: { endpoints: () => Promise.resolve(endpoints({ ...sandbox.endpoints(), azureDevOps: undefined })), onDidChange: () => ({ dispose: none }) },
      settings: () => settings,
      log,
      storageDir: dir,
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log, autoReplay: false })),
      tuning: { github: { tuning: { writeSpacingMs: 0, notifySpacingMs: 0, retries: 0 } } },
    });
    set = trackers;
    const executors = workItemExecutors({ trackers, git: () => assert.fail('no git here'), log }).map((e) =>
      e.kind === 'project.add' && beforeProjectAdd
        ? {
            ...e,
            execute: (change: Parameters<typeof e.execute>[0], context: Parameters<typeof e.execute>[1]) => {
              beforeProjectAdd();
              return e.execute(change, context);
            },
          }
        : e,
    );
    const harness = await makeHarness({ executors });
    Object.assign(harness.services, { trackers: { azure: () => undefined, github: () => trackers.github(), defaultTracker: 'github' as TrackerKind, planning: (k: TrackerKind) => trackers.planning(k) } });
    h = harness;
    return harness;
  }

  const run = (harness: Harness, mode: 'plan' | 'apply' = 'apply'): Promise<RunResult> => runAgent(harness.services, { agent: plannerAgent, action: 'epic', input: { source: 'docs/loyalty.md', apply: true }, mode });
  const repo = () => sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
  const issue = (title: string) => repo().issues.find((i) => i.title === title) ?? assert.fail(`no issue "${title}"`);
  const project = () => sandbox.github.project(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.projectNumber)!;
  const typeName = (title: string) => sandbox.github.user('contoso')!.issueTypes!.find((t) => t.id === issue(title).type)?.name;
  const itemOf = (title: string) => project().items.find((i) => i.repoId === repo().id && i.number === issue(title).number);
  const estimateOf = (title: string) => {
    const field = project().fields.find((f) => f.name === 'Estimate')!;
    const v = itemOf(title)?.values[String(field.id)];
    return v && 'number' in v ? v.number : undefined;
  };

  it('sets the organization\'s issue types where it has them, labels the other levels and says so, and adds every issue to the Project with its estimate; a re-run changes nothing', async () => {
    const harness = await setup();
    await harness.write('docs/loyalty.md', EPIC);
    const r = await run(harness);
    assert.equal(r.outcome, 'succeeded', r.error);
    const kinds = r.plan!.remote.map((c) => c.kind);
    assert.equal(kinds.filter((k) => k === 'workItem.create').length, 7);
    assert.equal(kinds.filter((k) => k === 'project.add').length, 7);
    assert.ok(r.applied.remote.every((c) => c.outcome === 'applied'), JSON.stringify(r.applied.remote.filter((c) => c.outcome !== 'applied')));
    const notes = r.plan!.notes.join('\n');
    assert.match(notes, /Issue types of contoso: features are Feature, tasks are Task/);
    assert.match(notes, /no issue type for epics or stories \(it has Task, Bug, Feature\): those issues get the label epic or story instead/);
    assert.match(notes, /added to Project 1 "Contoso Web Roadmap" with estimates in its Estimate field/);

    assert.equal(typeName('Earning'), 'Feature');
    assert.equal(typeName('Record the points'), 'Task');
    assert.equal(issue('Loyalty points').type ?? null, null);
    assert.deepEqual(issue('Loyalty points').labels, ['epic']);
    assert.deepEqual(issue('Pay with points').labels, ['story']);
    assert.deepEqual(issue('Earning').labels, [], 'a typed issue gets no level label');
    assert.equal(issue('Earn points on orders').parent, issue('Earning').number);
    for (const t of ['Loyalty points', 'Earning', 'Earn points on orders', 'Record the points', 'Spending', 'Pay with points']) assert.ok(itemOf(t), `${t} is on the Project`);
    assert.equal(estimateOf('Earn points on orders'), 5);
    assert.equal(estimateOf('Pay with points'), 3);
    assert.equal(estimateOf('Record the points'), 3, 'a task\'s hours are its estimate too');
    assert.equal(estimateOf('Earning'), undefined, 'no estimate, no value');

    const items = project().items.length;
    const issues = repo().issues.length;
    const again = await run(harness);
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.deepEqual(again.plan!.remote, []);
    assert.equal(project().items.length, items);
    assert.equal(repo().issues.length, issues);
  });

  it('without issue types (an organization that has none): labels for every level, and the plan says so', async () => {
    sandbox.github.user('contoso')!.issueTypes = [];
    const harness = await setup();
    await harness.write('docs/loyalty.md', EPIC);
    const r = await run(harness, 'plan');
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.match(r.plan!.notes.join('\n'), /contoso\/contoso-web has no issue types \(a user's repository, or an organization without them\): each issue gets the label of its level \(epic, feature, story, task\) instead/);
    const creates = r.plan!.remote.filter((c) => c.kind === 'workItem.create').map((c) => c.payload as { title: string; tags?: string[]; issueType?: string });
    assert.deepEqual(creates.find((c) => c.title === 'Earning')?.tags, ['feature']);
    assert.ok(creates.every((c) => c.issueType === undefined));
  });

  it('a token that may not read the issue types (403): labels for every level, and the plan says why and what to grant', async () => {
    sandbox.server.faults.add({ route: 'repos.listIssueTypes', kind: 'status', status: 403, times: 1 });
    const harness = await setup();
    await harness.write('docs/loyalty.md', EPIC);
    const r = await run(harness, 'plan');
    assert.equal(r.outcome, 'succeeded', r.error);
    const notes = r.plan!.notes.join('\n');
    assert.match(notes, /The token may not read the issue types of contoso\/contoso-web \(403\): each issue gets the label of its level instead/);
    assert.doesNotMatch(notes, /has no issue types/);
    const creates = r.plan!.remote.filter((c) => c.kind === 'workItem.create').map((c) => c.payload as { title: string; tags?: string[]; issueType?: string });
    assert.deepEqual(creates.find((c) => c.title === 'Record the points')?.tags, ['task']);
    assert.ok(creates.every((c) => c.issueType === undefined));
  });

  it('GitHub down while reading the issue types (503): the plan fails with a message naming what was read, nothing is created', async () => {
    sandbox.server.faults.add({ route: 'repos.listIssueTypes', kind: 'status', status: 503, times: 1000 });
    const harness = await setup();
    await harness.write('docs/loyalty.md', EPIC);
    const issues = repo().issues.length;
    const r = await run(harness);
    assert.equal(r.outcome, 'failed');
    assert.match(r.error ?? '', /issue types of contoso\/contoso-web/);
    assert.equal(repo().issues.length, issues);
  });

  it('no Project configured: issues are created, none added, and the plan says how to add them', async () => {
    const harness = await setup((e) => ({ ...e, github: { ...e.github!, projectNumber: null } }));
    await harness.write('docs/loyalty.md', EPIC);
    const r = await run(harness, 'plan');
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.equal(r.plan!.remote.filter((c) => c.kind === 'project.add').length, 0);
    assert.match(r.plan!.notes.join('\n'), /No Project is configured \(aiDevops\.github\.projectNumber\)/);
  });

  it('GitHub down while adding to the Project: the additions wait in the outbox and are sent once; the resumed plan creates no issue twice', async () => {
    // The plan is read and the issues are made; from the first Project addition on, GitHub's GraphQL answers 503.
    let down = false;
    const harness = await setup(undefined, () => {
      if (!down) sandbox.server.faults.add({ route: 'graphql', kind: 'status', status: 503, times: 1000 });
      down = true;
    });
    await harness.write('docs/loyalty.md', EPIC);
    const r = await run(harness);
    sandbox.server.faults.clear();
    const adds = r.applied.remote.filter((c) => c.id.startsWith('project-'));
    assert.ok(adds.length > 0 && adds.every((c) => c.outcome === 'queued'), JSON.stringify(r.applied.remote.map((c) => [c.id, c.outcome, c.detail])));
    assert.equal(itemOf('Loyalty points'), undefined);
    assert.equal(await outbox!.flush(), adds.length, 'each addition sent once');
    assert.equal(await outbox!.flush(), 0);
    assert.ok(itemOf('Loyalty points') && itemOf('Pay with points'));
    assert.equal(estimateOf('Pay with points'), 3);
    const issues = repo().issues.length;
    const items = project().items.length;
    const again = await run(harness);
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.equal(repo().issues.length, issues, 'no issue made twice');
    assert.equal(project().items.length, items, 'no item added twice');
  });
});
