import { strict as assert } from 'node:assert';
import { orchestratorAgent } from '../../../../src/agents/orchestrator/orchestratorAgent';
import { decideBootstrap, nextMonday, sprintsOf } from '../../../../src/agents/orchestrator/bootstrapPlan';
import { BootstrapInputSchema } from '../../../../src/agents/orchestrator/bootstrapInput';
import { projectSetupExecutors } from '../../../../src/agents/runtime/executors/projectSetupExecutors';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type Credential } from '../../../../src/core/host';
import { AzureConnection } from '../../../../src/providers/boards/azureBoards/azureConnection';
import { AzureProjectSetup } from '../../../../src/providers/boards/azureBoards/projectSetup';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';
import { type Harness as AdoHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { type Harness, makeHarness } from '../runtime/harness';

const PROJECT = 'Orders Platform';
const PIPELINE_YAML = 'trigger:\n  branches:\n    include: [main]\npool:\n  vmImage: ubuntu-latest\nsteps:\n  - script: npm test\n';

describe('Bootstrap (orchestrator) against the Azure DevOps stand-in', () => {
  let ado: AdoHarness;
  let h: Harness;
  let setup: AzureProjectSetup;
  let credential: Credential;

  const connect = (project: string) =>
    new AzureConnection({ endpoint: { organizationUrl: ado.orgUrl, project, team: '' }, credential: async () => credential, log: new FakeLogger(), timeoutMs: 5_000, retries: 0 });

  beforeEach(async () => {
    ado = await startHarness();
    credential = { kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' };
    // Polls move the stand-in's clock instead of sleeping: the create operation completes 3 s after it was queued.
    setup = new AzureProjectSetup(connect(PROJECT), { pollMs: 1_000, sleep: async (ms) => ado.clock.advance(ms) });
    h = await makeHarness({ providers: { projectSetup: setup }, executors: projectSetupExecutors({ projectSetup: async () => setup }) });
  });
  afterEach(async () => {
    await h.dispose();
    await ado.stop();
  });

  const project = () => ado.state.doc.projects.find((p) => p.name === PROJECT);
  const bootstrap = (input: Record<string, unknown> = {}, mode: 'plan' | 'apply' = 'apply') =>
    runAgent(h.services, { agent: orchestratorAgent, action: 'bootstrap', input: { areas: 'Web,API', sprints: 3, start: '2026-03-23', ...input }, mode });

  it('from nothing: creates the project (the create operation polled), main with README, .gitignore and the pipeline YAML, branch policies, the wiki, areas, sprints and team settings; audited', async () => {
    await h.write('azure-pipelines.yml', PIPELINE_YAML);
    const result = await bootstrap({ process: 'scrum' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const ids = result.plan!.remote.map((r) => r.id);
    assert.deepEqual(ids, ['project', 'repository', 'policy-minimumReviewers', 'policy-workItemLinking', 'wiki', 'area-Web', 'area-API', 'iteration-Sprint 1', 'iteration-Sprint 2', 'iteration-Sprint 3', 'team']);
    assert.ok(result.applied.remote.every((r) => r.outcome === 'applied'), JSON.stringify(result.applied.remote));
    assert.match(result.plan!.notes.join('\n'), /Build validation needs a pipeline and Orders Platform has none yet: create it from azure-pipelines.yml/);

    const p = project() ?? assert.fail('no project');
    assert.equal(p.state, 'wellFormed');
    assert.equal(ado.state.processOf(p).name, 'Scrum');
    assert.ok(ado.server.requestsTo('core.operations.get').length >= 1, 'the create operation was polled');
    const repo = ado.state.doc.repositories.find((r) => r.projectId === p.id)!;
    assert.ok(repo.refs.some((r) => r.name === 'refs/heads/main'));
    const tree = repo.commits.at(-1)!;
    assert.match(tree.comment, /Initial commit/);
    const policies = ado.state.doc.policies.filter((x) => x.projectId === p.id);
    assert.deepEqual(policies.map((x) => x.typeId).sort(), ['40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e', 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd']);
    assert.equal(policies.find((x) => x.typeId.startsWith('fa4e'))?.settings.minimumApproverCount, 2);
    assert.ok(ado.state.doc.wikis.some((w) => w.projectId === p.id && w.type === 'projectWiki'));
    assert.deepEqual(p.areas.children.map((c) => c.name), ['Web', 'API']);
    const sprint1 = p.iterations.children.find((c) => c.name === 'Sprint 1')!;
    assert.deepEqual([sprint1.startDate?.slice(0, 10), sprint1.finishDate?.slice(0, 10)], ['2026-03-23', '2026-04-03']);
    const team = ado.state.doc.teams.find((t) => t.id === p.defaultTeamId)!;
    assert.ok(['Sprint 1', 'Sprint 2', 'Sprint 3'].every((n) => team.iterationIds.includes(p.iterations.children.find((c) => c.name === n)!.identifier)));
    assert.deepEqual(team.workingDays, ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']);

    const events = await h.events();
    assert.equal(events.filter((e) => e.eventType === 'remote.applied').length, 11);
    assert.ok(events.every((e) => e.service === 'bootstrap' || e.service !== 'orchestrator'));

    // Run again: everything is found, nothing is planned, nothing is written.
    const writes = ado.server.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).length;
    const again = await bootstrap();
    assert.equal(again.outcome, 'succeeded');
    assert.deepEqual(again.plan!.remote, []);
    assert.equal(again.plan!.title, 'Orders Platform is set up');
    assert.ok(again.plan!.facts.some((f) => f.value === 'the project Orders Platform (Scrum)'));
    assert.ok(again.plan!.facts.some((f) => f.value === 'the repository with README.md, .gitignore, azure-pipelines.yml on main'));
    assert.equal(ado.server.requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).length, writes, 'a finished project gets no write');
  });

  it('on a half-bootstrapped project: finds what exists, completes only what is missing, says which; a pipeline makes build validation possible', async () => {
    // Someone created the project, a wiki and the Web area by hand; main has only a README.
    await bootstrap({ areas: 'Web', sprints: 0 }, 'plan');
    const first = await runAgent(h.services, { agent: orchestratorAgent, action: 'bootstrap', input: { areas: 'Web', sprints: 0 }, mode: 'apply' });
    assert.equal(first.outcome, 'succeeded', first.error);
    const p = project()!;
    // Take away what a half-done project would lack: the policies and the .gitignore.
    ado.state.doc.policies = ado.state.doc.policies.filter((x) => x.projectId !== p.id);
    const repo = ado.state.doc.repositories.find((r) => r.projectId === p.id)!;
    repo.refs = [];
    repo.commits = [];
    await (await ado.api().getGitApi()).createPush({ refUpdates: [{ name: 'refs/heads/main', oldObjectId: '0'.repeat(40) }], commits: [{ comment: 'README', changes: [{ changeType: 1, item: { path: '/README.md' }, newContent: { content: '# Ours\n', contentType: 0 } }] }] }, repo.id, PROJECT);
    ado.state.doc.pipelines.push({ ...structuredClone(ado.state.doc.pipelines[0]!), id: 900, name: 'orders-ci', projectId: p.id, runs: [] });
    const team = ado.state.doc.teams.find((t) => t.id === p.defaultTeamId)!;
    team.workingDays = ['monday'];

    const result = await bootstrap({ areas: 'Web,API', sprints: 1 });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual(result.plan!.remote.map((r) => r.id), ['repository', 'policy-minimumReviewers', 'policy-workItemLinking', 'policy-buildValidation', 'area-API', 'iteration-Sprint 1', 'team']);
    assert.deepEqual((result.plan!.remote[0]!.payload as { files: { path: string }[] }).files.map((f) => f.path), ['/.gitignore'], 'the README someone wrote is kept');
    assert.match(result.plan!.remote[0]!.summary, /^Add \.gitignore/);
    const found = result.plan!.facts.filter((f) => f.label === 'Found').map((f) => f.value);
    assert.ok(found.includes('the project wiki') && found.includes('the area path Web') && found.some((f) => f.startsWith('the project Orders Platform')), found.join('; '));
    const build = ado.state.doc.policies.find((x) => x.projectId === p.id && x.typeId === '0609b952-1397-4640-95ec-e00a01b2c241');
    assert.equal(build?.settings.buildDefinitionId, 900);
    assert.match(repo.commits.at(-1)!.comment, /Add \.gitignore/);
    assert.deepEqual(team.workingDays, ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], 'team settings corrected through PATCH teamsettings');
    assert.ok(team.iterationIds.includes(p.iterations.children.find((c) => c.name === 'Sprint 1')!.identifier));
  });

  it('a step that meets what someone made meanwhile (409) says "already there" instead of failing', async () => {
    await bootstrap({ sprints: 0, areas: '' });
    ado.server.faults.add({ route: 'wit.classificationNodes.create', kind: 'status', status: 409, times: 1 });
    const result = await bootstrap({ sprints: 0, areas: 'Mobile' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.match(result.applied.remote.find((r) => r.id === 'area-Mobile')!.detail, /already there: the area path Mobile exists already/);
  });

  it('a 5xx half-way fails the run saying what was applied; the re-run completes only the rest', async () => {
    ado.server.faults.add({ route: 'policy.configurations.create', kind: 'status', status: 503, times: 1 });
    const first = await bootstrap({ sprints: 1, areas: '' });
    assert.notEqual(first.outcome, 'succeeded');
    assert.equal(first.applied.remote.find((r) => r.id === 'project')?.outcome, 'applied');
    assert.ok(first.applied.remote.some((r) => r.outcome === 'refused' || r.outcome === 'skipped' || /503|unavailable/i.test(r.detail)), JSON.stringify(first.applied.remote));
    const again = await bootstrap({ sprints: 1, areas: '' });
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.ok(!again.plan!.remote.some((r) => r.id === 'project' || r.id === 'repository'), 'what was made is not made again');
    assert.equal(ado.state.doc.projects.filter((x) => x.name === PROJECT).length, 1);
  });

  it('401 and 403 are errors the user can act on, and nothing is created', async () => {
    credential = { kind: 'pat', value: 'not-the-sandbox-token', source: 'sandbox' };
    const denied = await bootstrap({}, 'plan');
    assert.equal(denied.outcome, 'failed');
    assert.match(denied.error ?? '', /sign in|credential|token|refused/i);
    credential = { kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' };
    ado.server.faults.add({ route: 'core.projects.create', kind: 'status', status: 403, times: 1 });
    const forbidden = await bootstrap();
    assert.equal(forbidden.outcome, 'failed');
    assert.match(forbidden.error ?? '', /403|permission|not allowed|forbidden/i);
    assert.equal(project(), undefined);
  });

  it('an existing project keeps its process, and says so', async () => {
    const mine = new AzureProjectSetup(connect(SANDBOX_PROJECT), { pollMs: 1_000, sleep: async (ms) => ado.clock.advance(ms) });
    const survey = await mine.survey(['/README.md']);
    const d = decideBootstrap(survey, BootstrapInputSchema.parse({ process: 'CMMI', sprints: 0 }), [{ path: '/README.md', content: '#' }], '2026-03-23');
    assert.ok(!d.steps.some((s) => s.id === 'project'));
    assert.match(d.notes.join('\n'), /uses the Agile process, not CMMI/);
  });

  it('another project of the organization than the connected one (the editor asks for the name): surveyed and made there, the connected project untouched', async () => {
    // The connection names the sandbox project; the input names a new one.
    const connected = new AzureProjectSetup(connect(SANDBOX_PROJECT), { pollMs: 1_000, sleep: async (ms) => ado.clock.advance(ms) });
    await h.dispose();
    h = await makeHarness({ providers: { projectSetup: connected }, executors: projectSetupExecutors({ projectSetup: async () => connected }) });
    const before = structuredClone(ado.state.doc.projects.find((p) => p.name === SANDBOX_PROJECT)!.areas.children.map((c) => c.name));
    const result = await bootstrap({ project: PROJECT, sprints: 1, areas: 'Billing' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.equal(result.plan!.remote[0]!.id, 'project', 'the named project did not exist, so it is created first');
    assert.ok(result.plan!.remote.every((r) => (r.payload as { project?: string }).project === PROJECT), 'every step names the project it is for');
    assert.deepEqual(project()?.areas.children.map((c) => c.name), ['Billing']);
    assert.deepEqual(ado.state.doc.projects.find((p) => p.name === SANDBOX_PROJECT)!.areas.children.map((c) => c.name), before);
    const again = await bootstrap({ project: PROJECT, sprints: 1, areas: 'Billing' });
    assert.deepEqual(again.plan!.remote, []);
    assert.equal(again.plan!.title, `${PROJECT} is set up`);
  });

  it('sprints: back to back from the next Monday, two-week sprints ending on a Friday; input from the command line is checked', () => {
    assert.equal(nextMonday(new Date('2026-03-18T10:00:00Z')), '2026-03-23');
    assert.equal(nextMonday(new Date('2026-03-23T10:00:00Z')), '2026-03-23');
    const s = sprintsOf(BootstrapInputSchema.parse({ sprints: '2' }), '2026-03-23');
    assert.deepEqual(s, [
      { name: 'Sprint 1', start: '2026-03-23', finish: '2026-04-03' },
      { name: 'Sprint 2', start: '2026-04-06', finish: '2026-04-17' },
    ]);
    assert.throws(() => BootstrapInputSchema.parse({ areas: 'Web/../x' }));
    assert.throws(() => BootstrapInputSchema.parse({ process: 'Waterfall' }));
    assert.equal(BootstrapInputSchema.parse({ process: 'cmmi' }).process, 'CMMI');
  });
});
