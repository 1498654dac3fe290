import { createHmac, randomBytes } from 'node:crypto';
import { type GhContext } from '../http/context';
import { errorBody, GitHubHttpError, notFound, unprocessable, validationFailed } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { deployment, environment, environmentRef, workflowJob } from '../render/delivery';
import { userOrGhost } from '../render/issue';
import { urlsFor } from '../render/urls';
import { type RepoRecord, type ReviewRecord, type RunRecord } from '../state/model';
import { environmentOf, jobOf, type JobProgress, runProgress } from '../state/runs';
import { runOf } from './runLookup';

const D = 'https://docs.github.com/rest';
export const SIGNED_LOGS_ROUTE = 'actions.signedJobLogs';

/** The key the stand-in signs log download URLs with (new each process, as GitHub's expire). */
const SIGNING_KEY = randomBytes(32);
const LOG_URL_LIFETIME_MS = 60_000;
const signature = (jobId: number, expires: number): string => createHmac('sha256', SIGNING_KEY).update(`${jobId}:${expires}`).digest('hex');

/**
 * A job's log as GitHub writes it: a timestamped line per step, `##[group]`/`##[endgroup]` around
 * each step's output, and `##[error]` lines where a step failed.
 */
export function jobLog(repo: RepoRecord, run: RunRecord, job: JobProgress): string {
  const lines: string[] = [];
  for (const step of job.steps) {
    if (!step.startedAt) continue;
    const at = step.startedAt;
    lines.push(`${at} ##[group]Run ${step.name}`);
    if (step.conclusion === 'failure') {
      const target = job.environment ?? 'the build';
      lines.push(
        `${at} ${step.name} for ${repo.owner}/${repo.name}@${run.headSha.slice(0, 7)}${job.environment ? ` to ${job.environment}` : ''}`,
        `${at} Error: ${job.environment ? `the health check of ${target} answered 503 Service Unavailable after 3 attempts` : 'Test suite failed: 1 failing, 41 passing'}`,
        `${at} ##[error]Process completed with exit code 1.`,
      );
    } else lines.push(`${at} ${step.name}: done`);
    lines.push(`${at} ##[endgroup]`);
  }
  return lines.join('\n') + '\n';
}

function jobFromParam(ctx: GhContext, repo: RepoRecord): { run: RunRecord; job: JobProgress } {
  const found = jobOf(repo, Number(ctx.param('job_id')));
  if (!found) throw notFound(ctx.docs);
  const job = runProgress(repo, found.run, ctx.state.now()).jobs[found.index];
  if (!job) throw notFound(ctx.docs);
  return { run: found.run, job };
}

export const deploymentRoutes: readonly GhRouteDef[] = [
  {
    name: 'actions.listJobsForWorkflowRun',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id/jobs',
    docs: `${D}/actions/workflow-jobs#list-jobs-for-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const run = runOf(ctx, repo);
      const jobs = runProgress(repo, run, ctx.state.now()).jobs;
      const { page, headers } = paginate(ctx, [...jobs]);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: { total_count: jobs.length, jobs: page.map((j) => workflowJob(ctx.state, repo, run, j, urls)) } };
    },
  },
  {
    name: 'actions.getJobForWorkflowRun',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/jobs/:job_id',
    docs: `${D}/actions/workflow-jobs#get-a-job-for-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/jobs/{job_id}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const { run, job } = jobFromParam(ctx, repo);
      return { status: 200, body: workflowJob(ctx.state, repo, run, job, urlsFor(ctx.apiBase)) };
    },
  },
  {
    // 302 to a signed URL that serves the text without a token, as GitHub redirects to its log storage.
    name: 'actions.downloadJobLogsForWorkflowRun',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/jobs/:job_id/logs',
    docs: `${D}/actions/workflow-jobs#download-job-logs-for-a-workflow-run`,
    handler: (ctx) => {
      const repo = ctx.repo();
      const { job } = jobFromParam(ctx, repo);
      if (!job.startedAt) throw notFound(ctx.docs);
      const id = Number(ctx.param('job_id'));
      const expires = ctx.state.now().getTime() + LOG_URL_LIFETIME_MS;
      const location = `${ctx.apiBase}/_signed/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/jobs/${id}/logs?urlExpires=${expires}&urlSignature=${signature(id, expires)}`;
      return { status: 302, headers: { location } };
    },
  },
  {
    name: SIGNED_LOGS_ROUTE,
    method: 'GET',
    pattern: '/_signed/:owner/:repo/jobs/:job_id/logs',
    docs: `${D}/actions/workflow-jobs#download-job-logs-for-a-workflow-run`,
    free: true,
    handler: (ctx) => {
      const id = Number(ctx.param('job_id'));
      const expires = Number(ctx.query('urlExpires'));
      const given = ctx.query('urlSignature') ?? '';
      if (!Number.isFinite(expires) || given !== signature(id, expires) || expires < ctx.state.now().getTime()) {
        return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Server failed to authenticate the request. The signature is invalid or has expired.' };
      }
      const repo = ctx.state.repo(ctx.param('owner'), ctx.param('repo'));
      if (!repo) throw notFound(ctx.docs);
      const { run, job } = jobFromParam(ctx, repo);
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: jobLog(repo, run, job) };
    },
  },
  {
    name: 'repos.getAllEnvironments',
    method: 'GET',
    pattern: '/repos/:owner/:repo/environments',
    docs: `${D}/deployments/environments#list-environments`,
    contract: { path: '/repos/{owner}/{repo}/environments', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const all = repo.environments ?? [];
      const { page, headers } = paginate(ctx, all);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: { total_count: all.length, environments: page.map((e) => environment(ctx.state, repo, e, urls)) } };
    },
  },
  {
    name: 'repos.getEnvironment',
    method: 'GET',
    pattern: '/repos/:owner/:repo/environments/:environment_name',
    docs: `${D}/deployments/environments#get-an-environment`,
    contract: { path: '/repos/{owner}/{repo}/environments/{environment_name}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const e = environmentOf(repo, ctx.param('environment_name'));
      if (!e) throw notFound(ctx.docs);
      return { status: 200, body: environment(ctx.state, repo, e, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'actions.getPendingDeploymentsForRun',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id/pending_deployments',
    docs: `${D}/actions/workflow-runs#get-pending-deployments-for-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const run = runOf(ctx, repo);
      const waiting = runProgress(repo, run, ctx.state.now()).waitingFor;
      if (!waiting) return { status: 200, body: [] };
      const urls = urlsFor(ctx.apiBase);
      const e = waiting.environment;
      const canApprove = e.reviewers.some((r) => r.toLowerCase() === ctx.login.toLowerCase()) && !(e.preventSelfReview && run.actor.toLowerCase() === ctx.login.toLowerCase());
      return {
        status: 200,
        body: [
          {
            environment: environmentRef(repo, e, urls),
            wait_timer: e.waitTimer,
            wait_timer_started_at: e.waitTimer > 0 ? waiting.since : null,
            current_user_can_approve: canApprove,
            reviewers: e.reviewers.map((login) => ({ type: 'User', reviewer: userOrGhost(ctx.state, login, urls) })),
          },
        ],
      };
    },
  },
  {
    name: 'actions.reviewPendingDeploymentsForRun',
    method: 'POST',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id/pending_deployments',
    docs: `${D}/actions/workflow-runs#review-pending-deployments-for-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}/pending_deployments', method: 'post', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const run = runOf(ctx, repo);
      const body = ctx.json();
      const ids = body['environment_ids'];
      const state = ctx.string(body, 'state', 'DeploymentReview', true)!;
      const comment = ctx.string(body, 'comment', 'DeploymentReview', true)!;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => Number.isInteger(x))) throw validationFailed([{ resource: 'DeploymentReview', code: 'invalid', field: 'environment_ids' }], ctx.docs);
      if (state !== 'approved' && state !== 'rejected') throw validationFailed([{ resource: 'DeploymentReview', code: 'invalid', field: 'state' }], ctx.docs);
      const waiting = runProgress(repo, run, ctx.state.now()).waitingFor;
      if (!waiting || !ids.includes(waiting.environment.id)) throw unprocessable('No pending deployment requests to approve or reject', ctx.docs);
      const e = waiting.environment;
      if (!e.reviewers.some((r) => r.toLowerCase() === ctx.login.toLowerCase())) throw new GitHubHttpError(422, errorBody(422, `You are not a required reviewer of the ${e.name} environment.`, ctx.docs));
      if (e.preventSelfReview && run.actor.toLowerCase() === ctx.login.toLowerCase()) throw new GitHubHttpError(422, errorBody(422, `The ${e.name} environment does not allow the person who started the deployment to approve it.`, ctx.docs));
      const review: ReviewRecord = { environment: e.name, state, user: ctx.login, comment, at: ctx.state.nowIso() };
      run.reviews = [...(run.reviews ?? []), review];
      ctx.state.changed();
      return { status: 200, body: [deployment(ctx.state, repo, run, e, review, urlsFor(ctx.apiBase))] };
    },
  },
  {
    name: 'actions.getReviewsForRun',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id/approvals',
    docs: `${D}/actions/workflow-runs#get-the-review-history-for-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}/approvals', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const run = runOf(ctx, repo);
      const urls = urlsFor(ctx.apiBase);
      const body = (run.reviews ?? []).flatMap((r) => {
        const e = environmentOf(repo, r.environment);
        return e ? [{ environments: [environment(ctx.state, repo, e, urls)], state: r.state, user: userOrGhost(ctx.state, r.user, urls), comment: r.comment }] : [];
      });
      return { status: 200, body };
    },
  },
];
