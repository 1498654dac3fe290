import assert from 'node:assert/strict';
import { RequestError } from '@octokit/request-error';
import { RUN_QUEUED_MS } from '../../../../src/sandbox/github';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { startGitHub, type GitHubHarness } from './harness';

const repo = { owner: 'contoso', repo: 'contoso-web' } as const;

async function refused(p: Promise<unknown>): Promise<RequestError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof RequestError, `expected a RequestError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request succeeded');
}
const messageOf = (e: RequestError): string | undefined => (e.response?.data as { message?: string } | undefined)?.message;

/** The Deploy workflow: build 8 s, then dev, staging and production 6 s each; staging and production have required reviewers. */
const UNTIL_STAGING = RUN_QUEUED_MS + 8_000 + 6_000;

describe('GitHub stand-in: deployments (jobs, environments, pending deployments, reviews, logs, re-runs) with @octokit/rest', () => {
  let h: GitHubHarness;
  beforeEach(async () => (h = await startGitHub()));
  afterEach(() => h.stop());

  async function dispatch(inputs: Record<string, string> = {}): Promise<number> {
    const answer = await h.rest().request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...repo, workflow_id: 'deploy.yml', ref: 'v1.0.0', inputs, return_run_details: true });
    return (answer.data as { workflow_run_id: number }).workflow_run_id;
  }

  it('lists the environments with their protection rules', async () => {
    const o = h.rest();
    const all = (await o.rest.repos.getAllEnvironments(repo)).data;
    assert.deepEqual(all.environments?.map((e) => e.name), ['dev', 'staging', 'production']);
    const staging = (await o.rest.repos.getEnvironment({ ...repo, environment_name: 'staging' })).data;
    const rule = staging.protection_rules?.find((r) => r.type === 'required_reviewers') as { reviewers?: { reviewer?: { login?: string } }[] } | undefined;
    assert.deepEqual(rule?.reviewers?.map((r) => r.reviewer?.login), ['sandbox-user', 'avery-chen']);
    assert.equal((await refused(o.rest.repos.getEnvironment({ ...repo, environment_name: 'nope' }))).status, 404);
  });

  it('waits for each protected environment, is approved step by step, and keeps who approved', async () => {
    const o = h.rest();
    const id = await dispatch({ version: '1.0.0' });
    h.clock.advance(UNTIL_STAGING);
    const run = (await o.rest.actions.getWorkflowRun({ ...repo, run_id: id })).data;
    assert.equal(run.status, 'waiting');
    const jobs = (await o.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: id })).data.jobs;
    assert.deepEqual(jobs.map((j) => [j.name, j.status, j.conclusion]), [
      ['build', 'completed', 'success'],
      ['deploy-dev', 'completed', 'success'],
      ['deploy-staging', 'waiting', null],
      ['deploy-production', 'queued', null],
    ]);
    const pending = (await o.rest.actions.getPendingDeploymentsForRun({ ...repo, run_id: id })).data;
    assert.equal(pending.length, 1);
    assert.equal(pending[0]!.environment.name, 'staging');
    assert.equal(pending[0]!.current_user_can_approve, true);
    assert.deepEqual(pending[0]!.reviewers.map((r) => (r.reviewer as { login: string }).login), ['sandbox-user', 'avery-chen']);
    const staging = pending[0]!.environment.id!;
    // Approving an environment the run does not wait for is refused.
    const production = (await o.rest.repos.getEnvironment({ ...repo, environment_name: 'production' })).data.id;
    assert.equal(messageOf(await refused(o.rest.actions.reviewPendingDeploymentsForRun({ ...repo, run_id: id, environment_ids: [production], state: 'approved', comment: 'x' }))), 'No pending deployment requests to approve or reject');
    const answered = (await o.rest.actions.reviewPendingDeploymentsForRun({ ...repo, run_id: id, environment_ids: [staging], state: 'approved', comment: 'Looks good' })).data;
    assert.equal(answered[0]!.environment, 'staging');
    assert.equal(answered[0]!.creator?.login, 'sandbox-user');
    h.clock.advance(6_000);
    assert.equal((await o.rest.actions.getPendingDeploymentsForRun({ ...repo, run_id: id })).data[0]!.environment.name, 'production');
    await o.rest.actions.reviewPendingDeploymentsForRun({ ...repo, run_id: id, environment_ids: [production], state: 'approved', comment: 'Ship it' });
    h.clock.advance(6_000);
    const done = (await o.rest.actions.getWorkflowRun({ ...repo, run_id: id })).data;
    assert.deepEqual([done.status, done.conclusion], ['completed', 'success']);
    const history = (await o.rest.actions.getReviewsForRun({ ...repo, run_id: id })).data;
    assert.deepEqual(history.map((r) => [r.environments[0]!.name, r.state, r.user.login, r.comment]), [
      ['staging', 'approved', 'sandbox-user', 'Looks good'],
      ['production', 'approved', 'sandbox-user', 'Ship it'],
    ]);
  });

  it('a rejected environment fails the run; a reviewer who is not one is told so', async () => {
    const o = h.rest();
    const id = await dispatch();
    h.clock.advance(UNTIL_STAGING);
    const staging = h.state.repo('contoso', 'contoso-web')!.environments!.find((e) => e.name === 'staging')!;
    staging.reviewers = ['avery-chen'];
    assert.equal((await o.rest.actions.getPendingDeploymentsForRun({ ...repo, run_id: id })).data[0]!.current_user_can_approve, false);
    assert.match(messageOf(await refused(o.rest.actions.reviewPendingDeploymentsForRun({ ...repo, run_id: id, environment_ids: [staging.id], state: 'approved', comment: 'x' }))) ?? '', /not a required reviewer/);
    staging.reviewers = ['sandbox-user'];
    await o.rest.actions.reviewPendingDeploymentsForRun({ ...repo, run_id: id, environment_ids: [staging.id], state: 'rejected', comment: 'Not today' });
    const run = (await o.rest.actions.getWorkflowRun({ ...repo, run_id: id })).data;
    assert.deepEqual([run.status, run.conclusion], ['completed', 'failure']);
    const jobs = (await o.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: id })).data.jobs;
    assert.deepEqual(jobs.map((j) => j.conclusion), ['success', 'success', 'failure', 'skipped']);
  });

  it('a failing job names its step, and its log (through the signed redirect) holds the error', async () => {
    const o = h.rest();
    const id = await dispatch({ environment: 'dev', sandbox_result: 'failure' });
    h.clock.advance(UNTIL_STAGING);
    const jobs = (await o.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: id })).data.jobs;
    const failed = jobs.find((j) => j.conclusion === 'failure')!;
    assert.equal(failed.name, 'deploy-dev');
    assert.equal(failed.steps?.find((s) => s.conclusion === 'failure')?.name, 'Smoke test');
    assert.equal((await o.rest.actions.getJobForWorkflowRun({ ...repo, job_id: failed.id })).data.name, 'deploy-dev');
    const log = await o.rest.actions.downloadJobLogsForWorkflowRun({ ...repo, job_id: failed.id });
    assert.equal(log.status, 200);
    assert.match(String(log.data), /##\[error\]Process completed with exit code 1\./);
    assert.match(String(log.data), /health check of dev answered 503/);
    // The signed URL works without a token, and only as signed.
    const redirect = await fetch(`${h.baseUrl}/repos/contoso/contoso-web/actions/jobs/${failed.id}/logs`, { headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` }, redirect: 'manual' });
    const location = redirect.headers.get('location');
    assert.equal(redirect.status, 302);
    assert.equal((await fetch(location!)).status, 200);
    assert.equal((await fetch(location!.replace(/urlSignature=[0-9a-f]/, 'urlSignature=x'))).status, 403);
    h.clock.advance(120_000);
    assert.equal((await fetch(location!)).status, 403, 'an expired URL');
  });

  it('re-runs a completed run as its next attempt (reviews asked again), and refuses a running one', async () => {
    const o = h.rest();
    const id = await dispatch({ environment: 'dev' });
    assert.equal(messageOf(await refused(o.rest.actions.reRunWorkflow({ ...repo, run_id: id }))), 'This workflow is already running');
    h.clock.advance(UNTIL_STAGING);
    const first = (await o.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: id })).data.jobs.map((j) => j.id);
    assert.equal((await o.rest.actions.reRunWorkflow({ ...repo, run_id: id })).status, 201);
    const again = (await o.rest.actions.getWorkflowRun({ ...repo, run_id: id })).data;
    assert.deepEqual([again.status, again.run_attempt], ['queued', 2]);
    const second = (await o.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: id })).data.jobs.map((j) => j.id);
    assert.ok(second.every((j) => !first.includes(j)), 'new job ids for the new attempt');
    h.clock.advance(UNTIL_STAGING);
    assert.equal((await o.rest.actions.getWorkflowRun({ ...repo, run_id: id })).data.conclusion, 'success');
  });
});
