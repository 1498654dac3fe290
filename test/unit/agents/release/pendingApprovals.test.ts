import { strict as assert } from 'node:assert';
import { releaseAgent } from '../../../../src/agents/release/releaseAgent';
import { deliveryExecutors } from '../../../../src/agents/runtime/executors/deliveryExecutors';
import { pendingDeploymentsReader } from '../../../../src/agents/runtime/executors/pendingDeployments';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type OutboxJson } from '../../../../src/core/boards/outbox';
import { findPending, type PendingDeployment } from '../../../../src/core/release/pendingDeployments';
import { AzureConnection } from '../../../../src/providers/boards/azureBoards/azureConnection';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { SANDBOX_TEAMMATES } from '../../../../src/sandbox/azureDevOps/state/state';
import { type Pipeline } from '../../../../src/sandbox/azureDevOps/state/model';
import { startHarness, type Harness as AdoHarness } from '../../sandbox/azureDevOps/harness';
import { FakeLogger } from '../../fakes/fakeLogger';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { followOnClock } from '../runtime/followOnClock';
import { makeHarness, type Harness } from '../runtime/harness';

type Listed = Record<string, OutboxJson>;
const pendingOf = (result: { plan?: { result?: Record<string, OutboxJson> } }): Listed[] => (result.plan?.result?.['pending'] ?? []) as Listed[];

describe('release approvals: pending deployments listed and answered by id (GitHub environments, through octokit against the stand-in)', function () {
  this.timeout(60_000);
  let gh: TrackerHarness;
  let h: Harness;
  const ghRepo = () => gh.gh.state.repo('contoso', 'contoso-web')!;

  beforeEach(async () => {
    gh = await startTrackers();
    const delivery = { github: async () => gh.trackers.client, azure: async () => assert.fail('not Azure') };
    h = await makeHarness({
      executors: deliveryExecutors({ delivery, follow: followOnClock(gh.gh.clock) }),
      providers: { pendingDeployments: pendingDeploymentsReader(delivery, ['github']) },
    });
  });
  afterEach(async () => {
    await h.dispose();
    await gh.stop();
  });

  const dispatch = async (ref: string) => {
    await gh.gh.rest().request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { owner: 'contoso', repo: 'contoso-web', workflow_id: 'deploy.yml', ref, inputs: { version: ref } });
    gh.gh.clock.advance(60_000);
  };
  const list = () => runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: {}, mode: 'plan' });
  const answer = (input: Record<string, string>) => runAgent(h.services, { agent: releaseAgent, action: 'approvals', input, mode: 'apply' });

  it('nothing waits: an empty list that says so, and no remote change', async () => {
    const result = await list();
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.equal(result.plan!.title, 'No deployment waits for approval');
    assert.deepEqual(pendingOf(result), []);
    assert.deepEqual(result.plan!.remote, []);
  });

  it('several waiting runs are listed with environment, run, who started it, since when and the reviewers', async () => {
    await dispatch('main');
    await dispatch('main');
    const result = await list();
    assert.equal(result.outcome, 'succeeded', result.error);
    const pending = pendingOf(result);
    assert.equal(pending.length, 2);
    const runs = ghRepo().runs.slice(-2);
    const envId = ghRepo().environments!.find((e) => e.name === 'staging')!.id;
    assert.deepEqual(
      pending.map((p) => [p['id'], p['environment'], p['run'], p['ref'], p['requestedBy'], p['approvers'], p['canAnswer']]),
      runs.map((r) => [`gh-${r.id}-${envId}`, 'staging', `#${r.runNumber}`, 'main', SANDBOX_USER.githubLogin, [SANDBOX_USER.githubLogin, 'avery-chen'], true]),
    );
    assert.ok(pending.every((p) => typeof p['waitingSince'] === 'string' && /\/actions\/runs\/\d+$/.test(String(p['url']))));
    assert.equal(result.plan!.title, '2 deployment(s) wait for approval');
  });

  it('approve by id: that run (not the other) goes on, and who approved is in the audit trail', async () => {
    await dispatch('main');
    await dispatch('main');
    const [older, newer] = ghRepo().runs.slice(-2);
    const id = pendingOf(await list()).find((p) => p['runId'] === older!.id)!['id'] as string;
    const result = await answer({ approve: id, comment: 'Smoke tests green' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const applied = result.applied.remote[0]!;
    assert.match(applied.detail, new RegExp(`^staging approved by ${SANDBOX_USER.githubLogin} for run #${older!.runNumber}; .* now waits for approval to production$`));
    const event = (await h.events()).find((e) => e.eventType === 'remote.applied' && e.metadata['kind'] === 'environment.approve');
    assert.match(String(event?.metadata['detail']), new RegExp(`approved by ${SANDBOX_USER.githubLogin}`));
    assert.deepEqual(older!.reviews!.map((r) => [r.environment, r.state, r.user, r.comment]), [['staging', 'approved', SANDBOX_USER.githubLogin, 'Smoke tests green']]);
    assert.equal(newer!.reviews, undefined, 'the other run still waits');
  });

  it('reject by id with a comment stops the run; a rejection without a comment is refused before anything is asked', async () => {
    await dispatch('main');
    const id = pendingOf(await list())[0]!['id'] as string;
    await assert.rejects(answer({ reject: id }), /a rejection needs a --comment saying why/);
    const result = await answer({ reject: id, comment: 'Wrong build' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.match(result.applied.remote[0]!.detail, /^staging rejected by sandbox-user for run #\d+: the run stops there$/);
    assert.deepEqual(ghRepo().runs.at(-1)!.reviews!.map((r) => [r.state, r.comment]), [['rejected', 'Wrong build']]);
  });

  it('not a reviewer (GitHub says current_user_can_approve false): refused in the plan with who may, nothing asked or sent', async () => {
    await dispatch('main');
    ghRepo().environments!.find((e) => e.name === 'staging')!.reviewers = ['avery-chen'];
    const id = pendingOf(await list())[0]!['id'] as string;
    const result = await answer({ approve: id });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /You may not answer the deployment of Deploy run #\d+ to staging: its reviewers are avery-chen/);
    assert.equal(ghRepo().runs.at(-1)!.reviews, undefined);
  });

  it('answered meanwhile (planned, then approved by someone else): a conflict naming who, nothing changed', async () => {
    await dispatch('main');
    const id = pendingOf(await list())[0]!['id'] as string;
    const planned = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { reject: id, comment: 'no' }, mode: 'plan' });
    const run = ghRepo().runs.at(-1)!;
    const envId = ghRepo().environments!.find((e) => e.name === 'staging')!.id;
    await gh.gh.rest().request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments', { owner: 'contoso', repo: 'contoso-web', run_id: run.id, environment_ids: [envId], state: 'approved', comment: 'first' });
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { reject: id, comment: 'no' }, mode: 'apply', plan: { plan: planned.plan!, plannedIn: planned.runId } });
    const outcome = result.applied.remote[0]!;
    assert.equal(outcome.outcome, 'conflict');
    assert.match(outcome.detail, /^staging for run #\d+ was already answered \(approved by sandbox-user\); nothing was changed$/);
    assert.deepEqual(run.reviews!.map((r) => r.state), ['approved']);
  });

  it('gone (the run was deleted after the listing: 404): refused, and an unknown id says what waits now', async () => {
    await dispatch('main');
    const id = pendingOf(await list())[0]!['id'] as string;
    const planned = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { approve: id }, mode: 'plan' });
    ghRepo().runs.pop();
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { approve: id }, mode: 'apply', plan: { plan: planned.plan!, plannedIn: planned.runId } });
    assert.equal(result.applied.remote[0]!.outcome, 'refused');
    assert.match(result.applied.remote[0]!.detail, /^run \d+ of deploy\.yml is gone/);
    const unknown = await answer({ approve: 'gh-999-999' });
    assert.equal(unknown.outcome, 'failed');
    assert.match(unknown.error ?? '', /No deployment with the id gh-999-999 waits for approval .* Nothing waits now\./);
  });

  it('a server error (5xx) and a malformed answer fail the listing with a clear error; an id that is not one is refused by the input schema', async () => {
    await dispatch('main');
    gh.gh.server.faults.add({ route: 'actions.listWorkflowRunsForRepo', kind: 'status', status: 503, times: 5 });
    const down = await list();
    assert.equal(down.outcome, 'failed');
    assert.match(down.error ?? '', /The pending approvals could not be read\. GitHub Actions: .*(503|unavailable|Service Unavailable)/i);
    gh.gh.server.faults.clear();
    gh.gh.server.faults.add({ route: 'actions.getPendingDeploymentsForRun', kind: 'malformed', times: 1 });
    const malformed = await list();
    assert.equal(malformed.outcome, 'failed');
    assert.match(malformed.error ?? '', /GitHub Actions: GitHub sent a response the extension does not understand while reading the pending deployments of run \d+/);
    await assert.rejects(answer({ approve: '--force; rm -rf /' }), /an approval id from the list/);
  });
});

describe('release approvals: Azure Pipelines approvals and checks listed across the project and answered by id (azure-devops-node-api against the stand-in)', function () {
  this.timeout(60_000);
  let ado: AdoHarness;
  let h: Harness;
  let pipeline: Pipeline;
  let connection: AzureConnection;
  const AVERY = SANDBOX_TEAMMATES[1]!;

  beforeEach(async () => {
    ado = await startHarness();
    const ci = ado.state.doc.pipelines[0]!;
    const at = ado.state.now().toISOString();
    ado.state.doc.environments.length = 0;
    for (const [name, approverIds] of [['dev', undefined], ['staging', [SANDBOX_USER.adoId, AVERY.id]], ['production', [SANDBOX_USER.adoId]]] as const) {
      ado.state.doc.environments.push({
        id: ado.state.next('environment'),
        projectId: ci.projectId,
        name,
        description: name,
        createdById: SANDBOX_USER.adoId,
        createdOn: at,
        ...(approverIds ? { approval: { approverIds: [...approverIds], minRequiredApprovers: 1, timeoutMinutes: 600, instructions: `Check ${name} first.`, requesterCannotBeApprover: false } } : {}),
      });
    }
    pipeline = {
      ...ci,
      id: ado.state.next('pipeline'),
      name: 'contoso-web-deploy',
      yamlPath: '/deploy.yml',
      runs: [],
      stages: [
        { name: 'Build', job: 'Build', steps: ['Compile'] },
        { name: 'Deploy staging', job: 'Deploy', steps: ['Deploy to staging'], environment: 'staging' },
        { name: 'Deploy production', job: 'Deploy', steps: ['Deploy to production'], environment: 'production' },
      ],
    };
    ado.state.doc.pipelines.push(pipeline);
    connection = new AzureConnection({ endpoint: { organizationUrl: ado.orgUrl, project: SANDBOX_PROJECT, team: '' }, credential: async () => ({ kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' }), log: new FakeLogger(), timeoutMs: 5_000, retries: 0 });
    const delivery = { github: async () => assert.fail('not GitHub'), azure: async () => connection };
    h = await makeHarness({
      executors: deliveryExecutors({ delivery, follow: followOnClock(ado.clock) }),
      providers: { pendingDeployments: pendingDeploymentsReader(delivery, ['azure']) },
    });
  });
  afterEach(async () => {
    await h.dispose();
    await ado.stop();
  });

  const deploy = async (ref: string) => {
    const api = await ado.api().getPipelinesApi();
    await api.runPipeline({ resources: { repositories: { self: { refName: ref } } } }, SANDBOX_PROJECT, pipeline.id);
    ado.clock.advance(5 * 60_000);
  };
  const list = () => runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: {}, mode: 'plan' });
  const answer = (input: Record<string, string>) => runAgent(h.services, { agent: releaseAgent, action: 'approvals', input, mode: 'apply' });

  it('empty, then several: each approval with its environment, stage, run, who requested it, approvers and instructions', async () => {
    assert.deepEqual(pendingOf(await list()), []);
    await deploy('refs/tags/v1.1.0');
    await deploy('refs/heads/main');
    const pending = pendingOf(await list());
    assert.equal(pending.length, 2);
    assert.deepEqual(
      pending.map((p) => [p['environment'], p['stage'], p['pipeline'], p['ref'], p['requestedBy'], p['approvers'], p['instructions']]),
      [
        ['staging', 'Deploy staging', 'contoso-web-deploy', 'refs/tags/v1.1.0', 'Sandbox User', ['Sandbox User', 'Avery Chen'], 'Check staging first.'],
        ['staging', 'Deploy staging', 'contoso-web-deploy', 'refs/heads/main', 'Sandbox User', ['Sandbox User', 'Avery Chen'], 'Check staging first.'],
      ],
    );
    assert.deepEqual(pending.map((p) => p['runId']), pipeline.runs.map((r) => r.id));
    assert.ok(pending.every((p) => /^[0-9a-f-]{36}$/.test(String(p['id']))));
  });

  it('approve one by a prefix of its id: that run moves to production, the other still waits; who approved is audited', async () => {
    await deploy('refs/tags/v1.1.0');
    await deploy('refs/heads/main');
    const [first, second] = pendingOf(await list());
    const result = await answer({ approve: String(second!['id']).slice(0, 8), comment: 'main looks good' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.match(result.applied.remote[0]!.detail, /^Deploy staging approved by Sandbox User for run \d{8}\.2; .*now waits for approval to Deploy production$/);
    const event = (await h.events()).find((e) => e.eventType === 'remote.applied' && e.metadata['kind'] === 'environment.approve');
    assert.match(String(event?.metadata['detail']), /approved by Sandbox User/);
    const after = pendingOf(await list());
    assert.deepEqual(after.map((p) => [p['runId'], p['stage']]).sort(), [[first!['runId'], 'Deploy staging'], [second!['runId'], 'Deploy production']].sort());
    assert.deepEqual(pipeline.runs[1]!.approvals!.map((a) => [a.status, a.byId, a.comment]), [['approved', SANDBOX_USER.adoId, 'main looks good']]);
    assert.equal(pipeline.runs[0]!.approvals, undefined);
  });

  it('reject by id: the stage fails and the run stops; an ambiguous or too short id is refused', async () => {
    await deploy('refs/tags/v1.1.0');
    const [p] = pendingOf(await list());
    await assert.rejects(answer({ reject: String(p!['id']).slice(0, 4), comment: 'x' }), /at least its first six characters/);
    const result = await answer({ reject: String(p!['id']), comment: 'staging smoke tests red' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.match(result.applied.remote[0]!.detail, /^Deploy staging rejected by Sandbox User for run \d{8}\.1 of contoso-web-deploy: the run stops there$/);
    assert.deepEqual(pendingOf(await list()), []);
  });

  it('not an approver: the service answers 403 and the run is refused with who the approvers are; nothing is answered', async () => {
    await deploy('refs/tags/v1.1.0');
    ado.state.doc.environments.find((e) => e.name === 'staging')!.approval!.approverIds = [AVERY.id];
    const [p] = pendingOf(await list());
    assert.deepEqual(p!['approvers'], ['Avery Chen']);
    const result = await answer({ approve: String(p!['id']) });
    assert.equal(result.applied.remote[0]!.outcome, 'refused');
    assert.match(result.applied.remote[0]!.detail, /you may not answer the approval of Deploy staging \(approvers: Avery Chen\)/);
    assert.equal(pipeline.runs[0]!.approvals, undefined);
  });

  it('answered meanwhile by someone else (409 on the write, or no longer pending): a conflict naming who', async () => {
    await deploy('refs/tags/v1.1.0');
    const [p] = pendingOf(await list());
    const id = String(p!['id']);
    const planned = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { approve: id }, mode: 'plan' });
    const api = ado.api().rest;
    await api.update(`${ado.orgUrl}/${encodeURIComponent(SANDBOX_PROJECT)}/_apis/pipelines/approvals?api-version=7.1`, [{ approvalId: id, status: 'rejected', comment: 'first' }]);
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { approve: id }, mode: 'apply', plan: { plan: planned.plan!, plannedIn: planned.runId } });
    assert.equal(result.applied.remote[0]!.outcome, 'conflict');
    assert.match(result.applied.remote[0]!.detail, /^the approval for staging was already answered \(rejected, rejected by Sandbox User\); nothing was changed$/);
    // The 409 itself: the write loses the race after the check.
    await deploy('refs/heads/main');
    const [q] = pendingOf(await list());
    ado.server.faults.add({ route: 'approvals.update', kind: 'status', status: 409, times: 1 });
    const raced = await answer({ approve: String(q!['id']) });
    assert.equal(raced.applied.remote[0]!.outcome, 'conflict');
  });

  it('gone (the run was cancelled after the listing): refused, with what to do', async () => {
    await deploy('refs/tags/v1.1.0');
    const [p] = pendingOf(await list());
    const planned = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { approve: String(p!['id']) }, mode: 'plan' });
    pipeline.runs.pop();
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'approvals', input: { approve: String(p!['id']) }, mode: 'apply', plan: { plan: planned.plan!, plannedIn: planned.runId } });
    assert.equal(result.applied.remote[0]!.outcome, 'refused');
    assert.match(result.applied.remote[0]!.detail, /no longer waits .*list the pending approvals again$/);
  });

  it('a server error (5xx) and a malformed approvals answer fail the listing with a clear error', async () => {
    await deploy('refs/tags/v1.1.0');
    ado.server.faults.add({ route: 'approvals.query', kind: 'status', status: 503, times: 5 });
    const down = await list();
    assert.equal(down.outcome, 'failed');
    assert.match(down.error ?? '', /The pending approvals could not be read\. Azure Pipelines: /);
    ado.server.faults.clear();
    ado.server.faults.add({ route: 'approvals.query', kind: 'malformed', times: 1 });
    const malformed = await list();
    assert.equal(malformed.outcome, 'failed');
    assert.match(malformed.error ?? '', /Azure Pipelines: Azure DevOps sent an answer that could not be read while listing the pending pipeline approvals/);
  });
});

describe('findPending: whole ids, unique prefixes of six or more', () => {
  const item = (id: string): PendingDeployment => ({ id, provider: 'azure', environment: 'staging', pipeline: '1', pipelineName: 'p', runId: 1, runName: '1', ref: '', approvers: [] });
  const items = [item('abcdef12-0000'), item('abcdef34-0000'), item('gh-12-3')];
  it('finds by the whole id or a unique prefix; says when a prefix names several; nothing for short prefixes', () => {
    assert.equal(findPending(items, 'GH-12-3').found?.id, 'gh-12-3');
    assert.equal(findPending(items, 'abcdef1').found?.id, 'abcdef12-0000');
    assert.equal(findPending(items, 'abcdef').ambiguous?.length, 2);
    assert.deepEqual(findPending(items, 'abc'), {});
    assert.deepEqual(findPending(items, 'ffffff'), {});
  });
});
