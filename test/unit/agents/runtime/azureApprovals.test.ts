import assert from 'node:assert/strict';
import { type OutboxJson } from '../../../../src/core/boards/outbox';
import { type DevOpsError, isDevOpsError } from '../../../../src/core/errors';
import { type RemoteChange } from '../../../../src/agents/runtime/plan';
import { type RemoteExecutionContext, type RemoteOutcome } from '../../../../src/agents/runtime/remote';
import { AzureApprovals, stageTargets } from '../../../../src/agents/runtime/executors/azureApprovals';
import { deliveryExecutors } from '../../../../src/agents/runtime/executors/deliveryExecutors';
import { AzureConnection } from '../../../../src/providers/boards/azureBoards/azureConnection';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { SANDBOX_TEAMMATES } from '../../../../src/sandbox/azureDevOps/state/state';
import { runPhase } from '../../../../src/sandbox/azureDevOps/state/pipelineOps';
import { type Pipeline } from '../../../../src/sandbox/azureDevOps/state/model';
import { startHarness, type Harness } from '../../sandbox/azureDevOps/harness';
import { FakeLogger } from '../../fakes/fakeLogger';
import { followOnClock } from './followOnClock';

const AVERY = SANDBOX_TEAMMATES[1]!;
const REF = 'refs/tags/v1.1.0';

function change(kind: string, payload: { readonly [key: string]: OutboxJson }): RemoteChange {
  return { id: kind, kind, approval: 'pushPublish', target: 't', summary: `${kind} test`, payload };
}

async function failure(p: Promise<unknown>): Promise<DevOpsError> {
  try {
    await p;
  } catch (error) {
    assert.ok(isDevOpsError(error), `expected a DevOpsError, got ${String(error)}`);
    return error;
  }
  assert.fail('it succeeded');
}

describe('Azure Pipelines approvals and checks: answered through azure-devops-node-api against the stand-in', function () {
  // Many requests per test over loopback; a loaded machine makes them slow, never wrong.
  this.timeout(60_000);
  let h: Harness;
  let pat: string;
  let pipeline: Pipeline;
  let executors: ReturnType<typeof deliveryExecutors>;
  let connection: AzureConnection;

  beforeEach(async () => {
    h = await startHarness();
    pat = SANDBOX_CREDENTIALS.azureDevOpsPat;
    const ci = h.state.doc.pipelines[0]!;
    const projectId = ci.projectId;
    const at = h.state.now().toISOString();
    const env = (name: string, approverIds?: string[]) => {
      h.state.doc.environments.push({
        id: h.state.next('environment'),
        projectId,
        name,
        description: `The ${name} environment`,
        createdById: SANDBOX_USER.adoId,
        createdOn: at,
        ...(approverIds ? { approval: { approverIds, minRequiredApprovers: 1, timeoutMinutes: 60, instructions: `Check the ${name} smoke tests first.`, requesterCannotBeApprover: false } } : {}),
      });
    };
    h.state.doc.environments.length = 0;
    env('dev');
    env('staging', [SANDBOX_USER.adoId, AVERY.id]);
    env('production', [SANDBOX_USER.adoId]);
    pipeline = {
      ...ci,
      id: h.state.next('pipeline'),
      name: 'contoso-web-deploy',
      yamlPath: '/deploy.yml',
      runs: [],
      stages: [
        { name: 'Build', job: 'Build', steps: ['Checkout', 'Compile'] },
        { name: 'Deploy dev', job: 'Deploy', steps: ['Deploy to dev'], environment: 'dev' },
        { name: 'Deploy staging', job: 'Deploy', steps: ['Deploy to staging'], environment: 'staging' },
        { name: 'Deploy production', job: 'Deploy', steps: ['Deploy to production'], environment: 'production' },
      ],
    };
    h.state.doc.pipelines.push(pipeline);
    connection = new AzureConnection({ endpoint: { organizationUrl: h.orgUrl, project: SANDBOX_PROJECT, team: '' }, credential: async () => ({ kind: 'pat', value: pat, source: 'sandbox' }), log: new FakeLogger(), timeoutMs: 5_000, retries: 0 });
    executors = deliveryExecutors({ delivery: { github: async () => assert.fail('not GitHub'), azure: async () => connection }, follow: followOnClock(h.clock) });
  });
  afterEach(() => h.stop());

  async function run(c: RemoteChange, signal = new AbortController().signal): Promise<RemoteOutcome> {
    const context: RemoteExecutionContext = { runId: 'run-1', workspaceRoot: '/tmp', signal, results: new Map(), progress: () => undefined };
    return executors.find((e) => e.kind === c.kind)!.execute(c, context);
  }
  const deploy = () => run(change('pipeline.run', { provider: 'azure', pipeline: 'contoso-web-deploy', ref: REF, parameters: {}, optional: [] }));
  const answer = (environment: string, decision: 'approve' | 'reject' = 'approve', comment = `Promote v1.1.0 to ${environment}`) =>
    run(change('environment.approve', { provider: 'azure', pipeline: 'contoso-web-deploy', ref: REF, environment, comment, decision }));
  const lastRun = () => pipeline.runs.at(-1)!;
  const phase = () => runPhase(pipeline, lastRun(), h.state.doc.environments, h.state.now());

  it('a deployment stops at the staging approval, which is listed with its approvers, instructions and run', async () => {
    const started = await deploy();
    assert.equal(started.kind, 'applied');
    assert.match(started.detail, /^run \d{8}\.1 of contoso-web-deploy for v1\.1\.0 now waits for approval to Deploy staging$/);
    assert.equal(phase().phase, 'inProgress');
    const pending = await new AzureApprovals(connection, { follow: followOnClock(h.clock) }).pending({ pipeline: 'contoso-web-deploy' }, new AbortController().signal);
    assert.equal(pending.length, 1);
    const [p] = pending;
    assert.deepEqual([p!.stage, p!.ref, p!.approvers, p!.minRequiredApprovers, p!.instructions], ['Deploy staging', REF, ['Sandbox User', 'Avery Chen'], 1, 'Check the staging smoke tests first.']);
    assert.match(p!.url ?? '', /_build\/results\?buildId=\d+$/);
    assert.match(p!.approvalId, /^[0-9a-f-]{36}$/);
  });

  it('promotes staging then production: who approved is in the outcome (the audit trail), the run then succeeds', async () => {
    await deploy();
    const staging = await answer('staging');
    assert.equal(staging.kind, 'applied');
    assert.match(staging.detail, /^Deploy staging approved by Sandbox User for run \d{8}\.1; run \d{8}\.1 of contoso-web-deploy for v1\.1\.0 now waits for approval to Deploy production$/);
    const result = staging.kind === 'applied' ? (staging.result as Record<string, OutboxJson>) : {};
    assert.deepEqual([result['stage'], result['environment'], result['decision'], result['by']], ['Deploy staging', 'staging', 'approved', 'Sandbox User']);
    const production = await answer('production');
    assert.match(production.detail, /^Deploy production approved by Sandbox User for run \d{8}\.1; run \d{8}\.1 of contoso-web-deploy for v1\.1\.0 succeeded$/);
    assert.deepEqual(
      lastRun().approvals!.map((a) => [a.stage, a.status, a.byId, a.comment]),
      [
        ['Deploy staging', 'approved', SANDBOX_USER.adoId, 'Promote v1.1.0 to staging'],
        ['Deploy production', 'approved', SANDBOX_USER.adoId, 'Promote v1.1.0 to production'],
      ],
    );
    assert.deepEqual([phase().phase, phase().result], ['completed', 'succeeded']);
  });

  it('a rejection stops the run there: the stage fails and production is skipped', async () => {
    await deploy();
    const rejected = await answer('staging', 'reject', 'Smoke tests red on staging');
    assert.equal(rejected.kind, 'applied');
    assert.match(rejected.detail, /^Deploy staging rejected by Sandbox User for run \d{8}\.1 of contoso-web-deploy: the run stops there$/);
    assert.deepEqual([phase().phase, phase().result], ['completed', 'failed']);
    const timeline = await (await h.api().getBuildApi()).getBuildTimeline(SANDBOX_PROJECT, lastRun().id);
    const stage = (name: string) => timeline.records!.find((r) => r.type === 'Stage' && r.name === name)!;
    // The client gives TaskResult as numbers: 2 failed, 4 skipped.
    assert.deepEqual([stage('Deploy staging').result, stage('Deploy production').result], [2, 4]);
    assert.match(stage('Deploy staging').issues![0]!.message!, /The stage was rejected: staging/);
  });

  it('an approval left unanswered times out on the clock: the run fails and nothing waits any more', async () => {
    await deploy();
    h.clock.advance(61 * 60_000);
    assert.deepEqual([phase().phase, phase().result], ['completed', 'failed']);
    const late = await answer('staging');
    assert.equal(late.kind, 'refused');
    assert.match(late.detail, /^no run of contoso-web-deploy for v1\.1\.0 waits for approval to staging; deploy the release first, or it has passed that stage$/);
    const api = await h.api().getBuildApi();
    const records = (await api.getBuildTimeline(SANDBOX_PROJECT, lastRun().id)).records!;
    assert.match(records.find((r) => r.type === 'Stage' && r.name === 'Deploy staging')!.issues![0]!.message!, /The approval timed out: staging/);
  });

  it('refuses what it cannot answer: no run waiting, an environment the project lacks, a user who is not an approver (403)', async () => {
    const none = await answer('staging');
    assert.equal(none.kind, 'refused');
    assert.match(none.detail, /no run of contoso-web-deploy for v1\.1\.0 waits for approval to staging/);
    await deploy();
    const unknown = await answer('qa');
    assert.deepEqual([unknown.kind, unknown.detail], ['refused', `${SANDBOX_PROJECT} has no environment named qa (it has: dev, staging, production)`]);
    const early = await answer('production');
    assert.equal(early.kind, 'refused');
    assert.match(early.detail, /waits for approval to production \(run \d{8}\.1 waits for Deploy staging\)/);
    h.state.doc.environments.find((e) => e.name === 'staging')!.approval!.approverIds = [AVERY.id];
    const notMine = await answer('staging');
    assert.equal(notMine.kind, 'refused');
    assert.match(notMine.detail, /you may not answer the approval of Deploy staging \(approvers: Avery Chen\); run \d{8}\.1 still waits/);
    assert.equal(lastRun().approvals, undefined);
  });

  it('an approval already answered is a 409 from the stand-in, and the executor reports it as a conflict changing nothing', async () => {
    await deploy();
    const api = h.api();
    const build = await api.getBuildApi();
    const approvalId = (await build.getBuildTimeline(SANDBOX_PROJECT, lastRun().id)).records!.find((r) => r.type === 'Checkpoint.Approval')!.id!;
    const url = `${h.orgUrl}/${encodeURIComponent(SANDBOX_PROJECT)}/_apis/pipelines/approvals?api-version=7.1`;
    const first = await api.rest.update<{ value: { status: string; steps: { actualApprover?: { displayName: string } }[] }[] }>(url, [{ approvalId, status: 'approved', comment: 'ok' }]);
    assert.deepEqual([first.result!.value[0]!.status, first.result!.value[0]!.steps[0]!.actualApprover?.displayName], ['approved', 'Sandbox User']);
    await assert.rejects(api.rest.update(url, [{ approvalId, status: 'rejected', comment: 'too late' }]), (e: { statusCode?: number; message?: string }) => e.statusCode === 409 && /already approved/.test(e.message ?? ''));
    // A second deployment, answered by someone else between the listing and the answer.
    h.clock.advance(10 * 60_000);
    await deploy();
    h.server.faults.add({ route: 'approvals.update', kind: 'status', status: 409, times: 1 });
    const raced = await answer('staging');
    assert.equal(raced.kind, 'conflict');
    assert.match(raced.detail, /^the approval of Deploy staging for run \d{8}\.\d was already answered/);
    assert.equal(lastRun().approvals, undefined);
  });

  it('a refused credential (401), a server error (5xx, not retried: a write) and a missing pipeline (404) end with clear errors', async () => {
    await deploy();
    h.server.faults.add({ route: 'approvals.update', kind: 'status', status: 503, times: 1 });
    const down = await failure(answer('staging'));
    assert.equal(down.code, 'unavailable');
    assert.equal(lastRun().approvals, undefined);
    const again = await answer('staging');
    assert.equal(again.kind, 'applied', again.detail);
    const missing = await failure(run(change('environment.approve', { provider: 'azure', pipeline: 'nope', ref: REF, environment: 'staging', comment: 'x' })));
    assert.equal(missing.code, 'notFound');
    assert.match(missing.message, /has no pipeline named nope/);
    // A new connection (the one above keeps the client it signed in with).
    pat = 'x'.repeat(52);
    connection = new AzureConnection({ endpoint: { organizationUrl: h.orgUrl, project: SANDBOX_PROJECT, team: '' }, credential: async () => ({ kind: 'pat', value: pat, source: 'sandbox' }), log: new FakeLogger(), timeoutMs: 5_000, retries: 0 });
    const unauthorized = await failure(answer('production'));
    assert.equal(unauthorized.code, 'unauthorized');
    assert.doesNotMatch(unauthorized.message, /x{52}/);
  });

  it('malformed approvals are refused at the boundary, and a stage is matched to an environment by word only', async () => {
    await deploy();
    h.server.faults.add({ route: 'approvals.query', kind: 'malformed', times: 1 });
    const malformed = await failure(answer('staging'));
    assert.equal(malformed.code, 'badResponse');
    assert.ok(stageTargets('Deploy staging', 'staging'));
    assert.ok(stageTargets('Production', 'production'));
    assert.ok(!stageTargets('Deploy prod', 'production'));
    assert.ok(!stageTargets('Staging2', 'staging'));
  });
});
