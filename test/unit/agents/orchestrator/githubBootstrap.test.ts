import { strict as assert } from 'node:assert';
import { orchestratorAgent } from '../../../../src/agents/orchestrator/orchestratorAgent';
import { projectSetupExecutors } from '../../../../src/agents/runtime/executors/projectSetupExecutors';
import { githubProjectToConnect } from '../../../../src/agents/orchestrator/projectToConnect';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { completedStatusOptions, missingLifecycleStates } from '../../../../src/core/bootstrap/githubProjectSetup';
import { type Credential } from '../../../../src/core/host';
import { GitHubClient } from '../../../../src/providers/boards/github/githubClient';
import { GitHubProjectSetupClient } from '../../../../src/providers/boards/github/githubProjectSetup';
import { type ProjectRecord } from '../../../../src/sandbox/github/state/model';
import { nodeId } from '../../../../src/sandbox/github/state/nodeIds';
import { SANDBOX_GITHUB } from '../../../../src/sandbox/identity';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { FakeLogger } from '../../fakes/fakeLogger';
import { type Harness, makeHarness } from '../runtime/harness';

const LIFECYCLE_BOARD = ['Backlog', 'Todo', 'In Progress', 'Code Review', 'Testing', 'Staging', 'Production', 'Done', 'Blocked'];

describe('Bootstrap on GitHub: the repository\'s Project (v2) against the GitHub stand-in (real @octokit/graphql)', () => {
  let sandbox: Sandbox;
  let h: Harness;
  let credential: Credential;
  let projectNumber: number | null;

  const client = () =>
    new GitHubClient({
      endpoint: { ...sandbox.endpoints().github!, projectNumber },
      credential: async () => credential,
      log: new FakeLogger(),
      timeoutMs: 10_000,
      tuning: { retries: 0, writeSpacingMs: 0, notifySpacingMs: 0 },
    });

  beforeEach(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log: new FakeLogger() });
    credential = { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' };
    projectNumber = null;
    // A fresh client per call: the tests change the endpoint's project number between runs.
    h = await makeHarness({
      providers: { githubProjectSetup: { survey: (title, signal) => new GitHubProjectSetupClient(client()).survey(title, signal) } },
      executors: projectSetupExecutors({ githubProjectSetup: async () => new GitHubProjectSetupClient(client()) }),
    });
  });
  afterEach(async () => {
    await h.dispose();
    await sandbox.stop();
  });

  const state = () => sandbox.github;
  const titled = (title: string): ProjectRecord | undefined => state().doc.projects.find((p) => p.title === title);
  const mutations = () => sandbox.server.requestsTo('graphql').filter((r) => /^\s*mutation/.test(String((r.body as { query?: string }).query))).length;
  const bootstrap = (input: Record<string, unknown> = {}, mode: 'plan' | 'apply' = 'apply'): Promise<RunResult> =>
    runAgent(h.services, { agent: orchestratorAgent, action: 'bootstrap', input: { sprints: 3, start: '2026-03-23', ...input }, mode });
  const found = (r: RunResult) => r.plan!.facts.filter((f) => f.label === 'Found').map((f) => f.value);

  it('the lifecycle options: a new Project\'s Todo, In Progress, Done are kept in place and the missing states added in board order', () => {
    const fresh = [
      { name: 'Todo', color: 'GREEN' as const, description: '' },
      { name: 'In Progress', color: 'YELLOW' as const, description: '' },
      { name: 'Done', color: 'PURPLE' as const, description: '' },
    ];
    assert.deepEqual(missingLifecycleStates(fresh), ['New', 'Code Review', 'Testing', 'Staging', 'Production', 'Blocked']);
    assert.deepEqual(completedStatusOptions(fresh).map((o) => o.name), LIFECYCLE_BOARD);
    // "In review" stands for Code Review; an option for no state ("Parked") is kept, last.
    const own = [...fresh, { name: '👀 In review', color: 'BLUE' as const, description: 'PR open' }, { name: 'Parked', color: 'GRAY' as const, description: '' }];
    const completed = completedStatusOptions(own);
    assert.deepEqual(completed.map((o) => o.name), ['Backlog', 'Todo', 'In Progress', '👀 In review', 'Testing', 'Staging', 'Production', 'Done', 'Blocked', 'Parked']);
    assert.equal(completed.find((o) => o.name === '👀 In review')?.description, 'PR open', 'an existing option keeps its description');
    assert.deepEqual(missingLifecycleStates(completed), []);
  });

  it('from nothing: creates the Project linked to the repository, the lifecycle Status options, the iteration field with the sprints and Estimate; audited; a re-run finds all and writes nothing', async () => {
    const result = await bootstrap({ project: 'Orders board' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual(result.plan!.remote.map((r) => r.id), ['project', 'status', 'iteration', 'estimate']);
    assert.ok(result.plan!.remote.every((r) => r.kind === 'github.projectSetup' && r.approval === 'trackerWrite'));
    assert.ok(result.applied.remote.every((r) => r.outcome === 'applied'), JSON.stringify(result.applied.remote));
    assert.match(result.plan!.notes.join('\n'), /set aiDevops\.github\.projectNumber/);

    const p = titled('Orders board') ?? assert.fail('no Project');
    assert.equal(p.owner, SANDBOX_GITHUB.owner);
    assert.deepEqual(p.repositories, [state().repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!.id], 'created linked to the repository');
    const status = p.fields.find((f) => f.name === 'Status')!;
    assert.deepEqual(status.options.map((o) => o.name), LIFECYCLE_BOARD);
    assert.equal(status.options.find((o) => o.name === 'Blocked')?.color, 'RED');
    const iteration = p.fields.find((f) => f.dataType === 'ITERATION') ?? assert.fail('no iteration field');
    assert.equal(iteration.name, 'Iteration');
    assert.deepEqual(iteration.iteration!.iterations.map((i) => [i.title, i.startDate, i.duration]), [
      ['Sprint 1', '2026-03-23', 14],
      ['Sprint 2', '2026-04-06', 14],
      ['Sprint 3', '2026-04-20', 14],
    ]);
    assert.ok(p.fields.some((f) => f.dataType === 'NUMBER' && f.name === 'Estimate'));
    assert.match(result.applied.remote.find((r) => r.id === 'project')!.detail, /created the Project "Orders board" \(#\d+\) of contoso, linked to contoso\/contoso-web/);
    // The editor offers to set aiDevops.github.projectNumber to the new Project (none set), not when it already names it.
    assert.deepEqual(githubProjectToConnect(result, null), { number: p.number, title: 'Orders board' });
    assert.equal(githubProjectToConnect(result, p.number), undefined);
    const events = await h.events();
    assert.equal(events.filter((e) => e.eventType === 'remote.applied').length, 4);

    const writes = mutations();
    const again = await bootstrap({ project: 'Orders board' });
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.deepEqual(again.plan!.remote, []);
    assert.match(again.plan!.title, /the Project "Orders board" \(#\d+\) is set up/);
    const seen = found(again);
    assert.ok(seen.some((f) => /linked to contoso\/contoso-web/.test(f)), seen.join('; '));
    assert.ok(seen.some((f) => f.startsWith('the Status options for every lifecycle state')));
    assert.ok(seen.includes('the iteration field Iteration (Sprint 1, Sprint 2, Sprint 3)'), seen.join('; '));
    assert.ok(seen.includes('the number field Estimate for estimates'));
    assert.equal(mutations(), writes, 'a finished Project gets no write');
    // Found by its title, with no number set: offered as well (the survey's number).
    assert.deepEqual(githubProjectToConnect(again, null), { number: p.number, title: 'Orders board' });
    assert.equal(state().doc.projects.filter((x) => x.title === 'Orders board').length, 1);
  });

  it('half done: a Project someone made (not linked, Status Todo/In Progress/Done, no items) gets only the link, the missing options and the fields; the plan says what it found', async () => {
    const made = await bootstrap({ project: 'Half', sprints: 0 }, 'plan');
    assert.equal(made.outcome, 'succeeded', made.error);
    // Make it by hand the way the GitHub UI would: created, not linked, with an iteration field already.
    const c = new GitHubProjectSetupClient(client());
    await c.apply({ step: 'project', owner: 'contoso', repo: 'contoso-web', title: 'Half' });
    const p = titled('Half')!;
    p.repositories = [];
    p.fields.push({ id: state().nextId(), name: 'Sprint', dataType: 'ITERATION', options: [], iteration: { startDay: 1, duration: 7, iterations: [] }, createdAt: p.createdAt });
    state().changed();

    const result = await bootstrap({ project: 'Half' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual(result.plan!.remote.map((r) => r.id), ['link', 'status', 'estimate']);
    assert.match(result.plan!.remote[1]!.summary, /^Add Backlog, Code Review, Testing, Staging, Production, Blocked to the Status field \(it has Todo, In Progress, Done\)/);
    assert.ok(found(result).includes('the iteration field Sprint'), found(result).join('; '));
    assert.ok(result.applied.remote.every((r) => r.outcome === 'applied'), JSON.stringify(result.applied.remote));
    assert.equal(p.repositories?.length, 1);
    assert.deepEqual(p.fields.find((f) => f.name === 'Status')!.options.map((o) => o.name), LIFECYCLE_BOARD);
    assert.equal(p.fields.filter((f) => f.dataType === 'ITERATION').length, 1, 'the iteration field there is kept, none added');
  });

  it('the configured Project whose items have a Status: options are not replaced (GitHub would clear every Status); the note says what to add by hand', async () => {
    projectNumber = SANDBOX_GITHUB.projectNumber;
    const demo = state().project(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.projectNumber)!;
    const before = JSON.stringify(demo.fields.find((f) => f.name === 'Status'));
    const result = await bootstrap({ project: 'Something else' }, 'plan');
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.ok(!result.plan!.remote.some((r) => r.id === 'status' || r.id === 'project'), JSON.stringify(result.plan!.remote.map((r) => r.id)));
    const notes = result.plan!.notes.join('\n');
    assert.match(notes, /aiDevops\.github\.projectNumber names Project 1/);
    assert.match(notes, /items with a Status; GitHub's API replaces the options and clears every item's Status, so bootstrap does not\. Add Backlog, .*Blocked to the Status field in the Project's settings \(.*\/projects\/1\/settings\)/);

    // Applied anyway (a step made before the items got a Status): refused, nothing replaced.
    const step = await projectSetupExecutors({ githubProjectSetup: async () => new GitHubProjectSetupClient(client()) })[1]!.execute(
      { id: 'status', kind: 'github.projectSetup', approval: 'trackerWrite', target: 'x', summary: 'x', payload: { step: 'status', add: ['Blocked'], owner: 'contoso', repo: 'contoso-web', title: demo.title, number: 1 } },
      { runId: 'r', workspaceRoot: h.root, signal: new AbortController().signal, results: new Map() },
    );
    assert.equal(step.kind, 'refused');
    assert.match(step.detail, /clears every item's Status/);
    assert.equal(JSON.stringify(demo.fields.find((f) => f.name === 'Status')), before);
    assert.ok(demo.items.some((i) => Object.keys(i.values).length > 0), 'the items keep their values');
  });

  it('the stand-in replaces options as GitHub does (updateProjectV2Field): new option ids, every item\'s value of the field cleared', async () => {
    const c = new GitHubProjectSetupClient(client());
    await c.apply({ step: 'project', owner: 'contoso', repo: 'contoso-web', title: 'Replace' });
    const p = titled('Replace')!;
    const status = p.fields.find((f) => f.name === 'Status')!;
    const oldIds = status.options.map((o) => o.id);
    p.items.push({ id: state().nextId(), contentType: 'DRAFT_ISSUE', repoId: null, number: null, draft: { id: state().nextId(), title: 'd', body: '', assignees: [], creator: 'sandbox-user' }, values: { [String(status.id)]: { optionId: oldIds[0]! } }, archived: false, creator: 'sandbox-user', createdAt: p.createdAt, updatedAt: p.createdAt });
    state().changed();
    const { z } = await import('zod');
    const fieldId = (await client().graphql('reading', 'query($id: ID!) { node(id: $id) { ... on ProjectV2 { field(name: "Status") { ... on ProjectV2SingleSelectField { id } } } } }', { id: nodeId('ProjectV2', p.id) }, z.object({ node: z.object({ field: z.object({ id: z.string() }) }) }))).node.field.id;
    const answer = await client().graphql(
      'replacing',
      'mutation($input: UpdateProjectV2FieldInput!) { updateProjectV2Field(input: $input) { projectV2Field { ... on ProjectV2SingleSelectField { name options { id name } } } } }',
      { input: { fieldId, singleSelectOptions: [{ name: 'Todo', color: 'GREEN', description: '' }, { name: 'Blocked', color: 'RED', description: '' }] } },
      z.object({ updateProjectV2Field: z.object({ projectV2Field: z.object({ name: z.string(), options: z.array(z.object({ id: z.string(), name: z.string() })) }) }) }),
      { write: true },
    );
    assert.deepEqual(answer.updateProjectV2Field.projectV2Field.options.map((o) => o.name), ['Todo', 'Blocked']);
    assert.ok(status.options.every((o) => !oldIds.includes(o.id)), 'Todo got a new id too');
    assert.deepEqual(p.items[0]!.values, {}, 'the item lost its Status');
    await assert.rejects(
      client().graphql('creating', 'mutation($input: CreateProjectV2FieldInput!) { createProjectV2Field(input: $input) { projectV2Field { ... on ProjectV2Field { id } } } }', { input: { projectId: nodeId('ProjectV2', p.id), dataType: 'NUMBER', name: 'status' } }, z.unknown(), { write: true }),
      /Name has already been taken/,
    );
  });

  it('401: a refused credential is an error that says to sign in; nothing is created', async () => {
    credential = { kind: 'bearer', value: 'not-the-sandbox-token', source: 'sandbox' };
    const result = await bootstrap({ project: 'Denied' });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /refused the credential \(401\)|sign in/i);
    assert.equal(titled('Denied'), undefined);
  });

  it('403: a token without the project scope gets GitHub\'s INSUFFICIENT_SCOPES and a message naming the scope; nothing is created', async () => {
    state().scopes = ['repo', 'read:org'];
    const result = await bootstrap({ project: 'No scope' });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /Projects need the `project` scope/);
    assert.match(result.error ?? '', /requires one of the following scopes: \['read:project', 'project'\]/);
    assert.equal(titled('No scope'), undefined);
  });

  it('5xx: GitHub unavailable is said as such and nothing is half made; the run after it completes everything', async () => {
    sandbox.server.faults.add({ route: 'graphql', kind: 'status', status: 503, times: 1 });
    const failed = await bootstrap({ project: 'Later' });
    assert.equal(failed.outcome, 'failed');
    assert.match(failed.error ?? '', /GitHub is unavailable \(503\)/);
    assert.equal(titled('Later'), undefined);
    const again = await bootstrap({ project: 'Later' });
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.equal(state().doc.projects.filter((p) => p.title === 'Later').length, 1);
  });
});
