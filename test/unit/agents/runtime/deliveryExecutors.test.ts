import assert from 'node:assert/strict';
import { type Credential } from '../../../../src/core/host';
import { type DevOpsError, isDevOpsError } from '../../../../src/core/errors';
import { type OutboxJson } from '../../../../src/core/boards/outbox';
import { type RemoteChange } from '../../../../src/agents/runtime/plan';
import { type RemoteExecutionContext, type RemoteOutcome } from '../../../../src/agents/runtime/remote';
import { deliveryExecutors, type DeliveryClients } from '../../../../src/agents/runtime/executors/deliveryExecutors';
import { failureExcerpt } from '../../../../src/agents/runtime/executors/follow';
import { AzureConnection } from '../../../../src/providers/boards/azureBoards/azureConnection';
import { GitHubClient } from '../../../../src/providers/boards/github/githubClient';
import { SANDBOX_CREDENTIALS, SANDBOX_GITHUB, SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from '../../sandbox/azureDevOps/harness';
import { startGitHub, type GitHubHarness } from '../../sandbox/github/harness';
import { FakeLogger } from '../../fakes/fakeLogger';
import { followOnClock } from './followOnClock';

const FAST = { retries: 1, retryBaseMs: 5, writeSpacingMs: 0, notifySpacingMs: 0, maxRateLimitWaitSeconds: 1 } as const;

const followOn = followOnClock;

function change(kind: string, payload: { readonly [key: string]: OutboxJson }, id = kind): RemoteChange {
  return { id, kind, approval: 'pushPublish', target: 't', summary: `${kind} test`, payload };
}

async function run(executors: ReturnType<typeof deliveryExecutors>, c: RemoteChange, options: { signal?: AbortSignal; progress?: string[] } = {}): Promise<RemoteOutcome> {
  const executor = executors.find((e) => e.kind === c.kind)!;
  const context: RemoteExecutionContext = { runId: 'run-1', workspaceRoot: '/tmp', signal: options.signal ?? new AbortController().signal, results: new Map(), progress: (m) => options.progress?.push(m) };
  return executor.execute(c, context);
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

describe('delivery executors: GitHub releases, workflow runs and environment approvals through GitHubClient (octokit) against the stand-in', function () {
  // Many requests per test over loopback; a loaded machine makes them slow, never wrong.
  this.timeout(60_000);
  let h: GitHubHarness;
  let token: string;
  let executors: ReturnType<typeof deliveryExecutors>;
  const repo = () => h.state.repo('contoso', 'contoso-web')!;

  function clientFor(): GitHubClient {
    return new GitHubClient({
      endpoint: { baseUrl: h.baseUrl, owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, projectNumber: SANDBOX_GITHUB.projectNumber },
      credential: async (): Promise<Credential> => ({ kind: 'pat', value: token, source: 'secretStorage' }),
      log: new FakeLogger(),
      timeoutMs: 5_000,
      tuning: FAST,
    });
  }

  beforeEach(async () => {
    h = await startGitHub();
    token = SANDBOX_CREDENTIALS.githubToken;
    const client = clientFor();
    const delivery: DeliveryClients = { github: async () => client, azure: async () => assert.fail('not Azure') };
    executors = deliveryExecutors({ delivery, follow: followOn(h.clock) });
  });
  afterEach(() => h.stop());

  const deploy = (parameters: Record<string, string>, optional: string[] = ['version'], pipeline = 'deploy.yml') => change('pipeline.run', { provider: 'github', pipeline, ref: 'refs/tags/v1.0.0', parameters, optional });
  const approve = (environment: string) => change('environment.approve', { provider: 'github', pipeline: 'deploy.yml', ref: 'refs/tags/v1.0.0', environment, comment: `Promote v1.0.0 to ${environment}` });

  it('publishes a release once: the same notes again count as done, other notes are a conflict and nothing is overwritten', async () => {
    repo().refs.push({ ref: 'refs/tags/v1.1.0', sha: repo().refs.find((r) => r.ref === 'refs/heads/main')!.sha });
    const payload = { tag: 'v1.1.0', name: 'v1.1.0', body: '## Features\n\n- checkout', prerelease: false };
    const made = await run(executors, change('github.release', payload));
    assert.equal(made.kind, 'applied');
    assert.match(made.kind === 'applied' ? (made.url ?? '') : '', /\/releases\/tag\/v1\.1\.0$/);
    const again = await run(executors, change('github.release', payload));
    assert.deepEqual([again.kind, again.detail], ['applied', 'the release v1.1.0 was already published with these notes']);
    const other = await run(executors, change('github.release', { ...payload, body: 'different' }));
    assert.equal(other.kind, 'conflict');
    assert.equal(repo().releases.find((r) => r.tagName === 'v1.1.0')!.body, payload.body);
  });

  it('runs a workflow for the tag, follows its jobs with progress, and links the successful run', async () => {
    const progress: string[] = [];
    const outcome = await run(executors, deploy({ version: '1.0.0', environment: 'dev' }), { progress });
    assert.equal(outcome.kind, 'applied');
    assert.match(outcome.detail, /^run #1 of deploy\.yml for v1\.0\.0 succeeded$/);
    const runRecord = repo().runs.at(-1)!;
    assert.deepEqual([runRecord.headBranch, runRecord.inputs], ['v1.0.0', { version: '1.0.0', environment: 'dev' }]);
    assert.ok(progress.some((p) => /^Run #1: in_progress, build > /.test(p)), progress.join('\n'));
    assert.ok(progress.some((p) => /deploy-dev > Deploy/.test(p)), progress.join('\n'));
  });

  it('drops the version it added when the workflow does not take it, and refuses an input the user named that the workflow does not take', async () => {
    const ci = await run(executors, deploy({ version: '1.0.0' }, ['version'], 'ci.yml'));
    assert.equal(ci.kind, 'applied');
    assert.match(ci.detail, /ci\.yml takes no version input, so it was not sent/);
    assert.deepEqual(repo().runs.at(-1)!.inputs, {});
    const refused = await failure(run(executors, deploy({ region: 'eu' }, [], 'ci.yml')));
    assert.equal(refused.code, 'invalidInput');
    assert.match(refused.message, /Unexpected inputs provided: \["region"\]/);
  });

  it('a failing deployment names the job and step and quotes why from the job log', async () => {
    const error = await failure(run(executors, deploy({ environment: 'dev', sandbox_result: 'failure' })));
    assert.match(error.message, /^Run #1 of deploy\.yml for v1\.0\.0 ended failure: deploy-dev failed at step "Smoke test": .*health check of dev answered 503 Service Unavailable after 3 attempts \| Process completed with exit code 1\./);
    assert.match(error.message, /\/actions\/runs\/\d+\)\.$/);
  });

  it('promotes through the environments: stops at staging, approval recorded with who, then production, then done', async () => {
    const started = await run(executors, deploy({ version: '1.0.0' }));
    assert.equal(started.kind, 'applied');
    assert.match(started.detail, /now waits for approval to staging$/);
    const staging = await run(executors, approve('staging'));
    assert.equal(staging.kind, 'applied');
    assert.match(staging.detail, /^staging approved by sandbox-user for run #1; run #1 of deploy\.yml for v1\.0\.0 now waits for approval to production$/);
    assert.deepEqual(staging.kind === 'applied' ? staging.result : undefined, { runId: repo().runs.at(-1)!.id, environment: 'staging', approvedBy: 'sandbox-user' });
    const production = await run(executors, approve('production'));
    assert.match(production.detail, /^production approved by sandbox-user for run #1; run #1 of deploy\.yml for v1\.0\.0 succeeded$/);
    assert.deepEqual(repo().runs.at(-1)!.reviews!.map((r) => [r.environment, r.state, r.user, r.comment]), [
      ['staging', 'approved', 'sandbox-user', 'Promote v1.0.0 to staging'],
      ['production', 'approved', 'sandbox-user', 'Promote v1.0.0 to production'],
    ]);
  });

  it('rejects a waiting deployment with the comment: who rejected is in the outcome and the review history', async () => {
    await run(executors, deploy({ version: '1.0.0' }));
    const rejected = await run(executors, change('environment.approve', { provider: 'github', pipeline: 'deploy.yml', ref: 'refs/tags/v1.0.0', environment: 'staging', comment: 'Smoke tests red', decision: 'reject' }));
    assert.equal(rejected.kind, 'applied');
    assert.match(rejected.detail, /^staging rejected by sandbox-user for run #1: the run stops there$/);
    assert.deepEqual(repo().runs.at(-1)!.reviews!.map((r) => [r.environment, r.state, r.user, r.comment]), [['staging', 'rejected', 'sandbox-user', 'Smoke tests red']]);
  });

  it('refuses to approve when no run waits for the environment, or when the user is not one of its reviewers', async () => {
    const none = await run(executors, approve('staging'));
    assert.deepEqual([none.kind, none.detail], ['refused', 'deploy.yml has no run for v1.0.0; deploy the release first']);
    await run(executors, deploy({ version: '1.0.0' }));
    const early = await run(executors, approve('production'));
    assert.equal(early.kind, 'refused');
    assert.match(early.detail, /no run of deploy\.yml for v1\.0\.0 waits for production \(the latest, #1, is waiting/);
    repo().environments!.find((e) => e.name === 'staging')!.reviewers = ['avery-chen'];
    const notMine = await run(executors, approve('staging'));
    assert.equal(notMine.kind, 'refused');
    assert.match(notMine.detail, /not one of the reviewers of staging \(avery-chen\); run #1 still waits/);
    assert.equal(repo().runs.at(-1)!.reviews, undefined);
  });

  it('a refused token, a malformed answer and a server error each end with a clear error', async () => {
    token = 'ghp_' + 'x'.repeat(36);
    const unauthorized = await failure(run(executors, deploy({ version: '1.0.0' })));
    assert.equal(unauthorized.code, 'unauthorized');
    assert.doesNotMatch(unauthorized.message, /ghp_x/);
    token = SANDBOX_CREDENTIALS.githubToken;
    h.server.faults.add({ route: 'repos.getReleaseByTag', kind: 'malformed', times: 3 });
    const malformed = await failure(run(executors, change('github.release', { tag: 'v1.0.0', name: 'v1.0.0', body: 'x', prerelease: false })));
    assert.equal(malformed.code, 'badResponse');
    h.server.faults.add({ route: 'actions.createWorkflowDispatch', kind: 'status', status: 503 });
    const down = await failure(run(executors, deploy({ version: '1.0.0' })));
    assert.equal(down.code, 'unavailable');
    assert.equal(repo().runs.filter((r) => r.inputs['version']).length, 0, 'no run was started');
  });

  it('cancelling while the run is followed stops at once', async () => {
    const controller = new AbortController();
    const executorsCancelling = deliveryExecutors({ delivery: { github: async () => clientFor(), azure: async () => assert.fail('not Azure') }, follow: followOn(h.clock, () => controller.abort()) });
    const error = await failure(run(executorsCancelling, deploy({ version: '1.0.0' }), { signal: controller.signal }));
    assert.equal(error.code, 'cancelled');
  });

  it('refuses a malformed payload (a ref or pipeline that is not one) before calling anything', async () => {
    const bads: { readonly [key: string]: OutboxJson }[] = [
      { provider: 'github', pipeline: 'deploy.yml', ref: 'main --upload-pack=evil', parameters: {} },
      { provider: 'github', pipeline: '../../orgs/x', ref: 'main', parameters: {}, extra: 1 },
      { provider: 'gitlab', pipeline: 'deploy.yml', ref: 'main', parameters: {} },
    ];
    for (const bad of bads) {
      const error = await failure(run(executors, change('pipeline.run', bad)));
      assert.equal(error.code, 'invalidInput');
      assert.match(error.message, /The pipeline\.run change "pipeline\.run" is malformed/);
    }
    assert.equal(h.server.requests.length, 0);
  });

  it('log excerpts keep the error lines, without timestamps, control characters or secrets', () => {
    const secret = 'ghp_' + 'A'.repeat(36);
    const log = [
      '2026-03-18T10:00:00.000Z ##[group]Run Deploy',
      '2026-03-18T10:00:00.000Z Deploying with token ' + secret,
      '2026-03-18T10:00:00.000Z \u001b[31mError: connection refused',
      '2026-03-18T10:00:00.000Z ##[error]Process completed with exit code 1.',
      '2026-03-18T10:00:00.000Z ##[endgroup]',
    ].join('\n');
    const excerpt = failureExcerpt(log);
    assert.doesNotMatch(excerpt, /ghp_A|\[31m|2026-03-18T/);
    assert.ok(!excerpt.includes('\u001b'));
    assert.match(excerpt, /Error: connection refused \| Process completed with exit code 1\.$/);
    assert.ok(failureExcerpt('##[error]' + 'x'.repeat(2000)).length <= 600);
  });
});

describe('delivery executors: Azure Pipelines runs through azure-devops-node-api against the stand-in', function () {
  this.timeout(60_000);
  let h: Harness;
  let executors: ReturnType<typeof deliveryExecutors>;
  let pipelineId: number;

  beforeEach(async () => {
    h = await startHarness();
    const ci = h.state.doc.pipelines[0]!;
    pipelineId = h.state.next('pipeline');
    h.state.doc.pipelines.push({ ...ci, id: pipelineId, name: 'contoso-web-deploy', yamlPath: '/deploy.yml', parameters: ['environment'], runs: [] });
    const connection = new AzureConnection({ endpoint: { organizationUrl: h.orgUrl, project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` }, credential: async () => ({ kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' }), log: new FakeLogger(), timeoutMs: 5_000, retries: 0 });
    executors = deliveryExecutors({ delivery: { github: async () => assert.fail('not GitHub'), azure: async () => connection }, follow: followOn(h.clock) });
  });
  afterEach(() => h.stop());

  const deploy = (parameters: Record<string, string>, pipeline = 'contoso-web-deploy', optional = ['version']) => change('pipeline.run', { provider: 'azure', pipeline, ref: 'refs/tags/v1.1.0', parameters, optional });

  it('runs a pipeline by name for the tag (dropping the version it does not declare) and follows it to success', async () => {
    const progress: string[] = [];
    const outcome = await run(executors, deploy({ environment: 'dev', version: '1.1.0' }), { progress });
    assert.equal(outcome.kind, 'applied');
    assert.match(outcome.detail, /^run \d{8}\.1 of contoso-web-deploy for v1\.1\.0 \(contoso-web-deploy declares no version parameter, so it was not sent\) succeeded$/);
    assert.match(outcome.kind === 'applied' ? (outcome.url ?? '') : '', /_build\/results\?buildId=\d+$/);
    const runRecord = h.state.doc.pipelines.find((p) => p.id === pipelineId)!.runs.at(-1)!;
    assert.deepEqual([runRecord.refName, runRecord.templateParameters], ['refs/tags/v1.1.0', { environment: 'dev' }]);
    assert.ok(progress.some((p) => /: inProgress$/.test(p)));
  });

  it('follows a multi-stage run stage by stage, job and step from the Build timeline', async () => {
    const deployPipeline = h.state.doc.pipelines.find((p) => p.id === pipelineId)!;
    deployPipeline.stages = [
      { name: 'Build', job: 'Build', steps: ['Checkout', 'Compile'] },
      { name: 'Deploy dev', job: 'Deploy', steps: ['Download artifact', 'Deploy to dev'] },
    ];
    const progress: string[] = [];
    const outcome = await run(executors, deploy({ environment: 'dev' }), { progress });
    assert.equal(outcome.kind, 'applied', outcome.detail);
    const seen = progress.filter((p) => /stage/.test(p)).map((p) => p.replace(/^Run \S+: inProgress, /, ''));
    assert.ok(seen.includes('stage Build > Build > Compile'), seen.join('\n'));
    assert.ok(seen.includes('stage Deploy dev > Deploy > Deploy to dev'), seen.join('\n'));
    assert.ok(seen.indexOf('stage Build > Build > Compile') < seen.indexOf('stage Deploy dev > Deploy > Deploy to dev'));
  });

  it('by id too; a failed run is reported with its link; an unknown pipeline lists the ones there are', async () => {
    const fail = deliveryExecutors({
      delivery: { github: async () => assert.fail('not GitHub'), azure: async () => new AzureConnection({ endpoint: { organizationUrl: h.orgUrl, project: SANDBOX_PROJECT, team: '' }, credential: async () => ({ kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' }), log: new FakeLogger(), timeoutMs: 5_000, retries: 0 }) },
      follow: followOn(h.clock, () => {
        const last = h.state.doc.pipelines.find((p) => p.id === pipelineId)!.runs.at(-1);
        if (last) last.result = 'failed';
      }),
    });
    const error = await failure(run(fail, deploy({ environment: 'staging' }, String(pipelineId), [])));
    // The timeline names the failed step; its log (Build logs API) says why, without timestamps.
    assert.match(error.message, /^Run \d{8}\.1 of contoso-web-deploy for v1\.1\.0 ended failed: stage Build, job Build failed at step "Test": .*Test failed: the sandbox run was asked to end failed \(variable sandbox\.result\) \| Process completed with exit code 1\. \(.*_build\/results\?buildId=\d+\)\.$/);
    assert.doesNotMatch(error.message, /\d{4}-\d\d-\d\dT/);
    const unknown = await failure(run(executors, deploy({}, 'nope')));
    assert.equal(unknown.code, 'notFound');
    assert.match(unknown.message, /has no pipeline named nope \(it has: contoso-web-ci, contoso-web-deploy\)/);
    const parameter = await failure(run(executors, deploy({ region: 'eu' }, 'contoso-web-deploy', [])));
    assert.match(parameter.message, /Unexpected parameter 'region'/);
  });
});
