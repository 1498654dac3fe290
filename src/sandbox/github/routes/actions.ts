import { type GhContext } from '../http/context';
import { errorBody, GitHubHttpError, notFound, unprocessable } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { workflow, workflowRun } from '../render/delivery';
import { urlsFor } from '../render/urls';
import { type RepoRecord, type RunRecord, type WorkflowRecord } from '../state/model';
import { runProgress } from '../state/runs';
import { runOf } from './runLookup';

const D = 'https://docs.github.com/rest/actions';
/** The input that decides how a sandbox run ends (success unless it says failure or cancelled). */
export const SANDBOX_RESULT_INPUT = 'sandbox_result';

/** A workflow by id or by file name (`ci.yml`), as GitHub accepts both. */
function workflowOf(ctx: GhContext, repo: RepoRecord): WorkflowRecord {
  const key = ctx.param('workflow_id');
  const w = repo.workflows.find((x) => String(x.id) === key || x.path.split('/').pop() === key);
  if (!w) throw notFound(ctx.docs);
  return w;
}


/** Runs newest first, filtered by branch, event, actor, status (a status or a conclusion, as GitHub takes either). */
function listRuns(ctx: GhContext, repo: RepoRecord, runs: readonly RunRecord[]) {
  const branch = ctx.query('branch');
  const event = ctx.query('event');
  const actor = ctx.query('actor');
  const status = ctx.query('status');
  const now = ctx.state.now();
  const list = runs
    .filter((r) => {
      if (branch && r.headBranch !== branch) return false;
      if (event && r.event !== event) return false;
      if (actor && r.actor.toLowerCase() !== actor.toLowerCase()) return false;
      if (status) {
        const p = runProgress(repo, r, now);
        if (p.status !== status && p.conclusion !== status) return false;
      }
      return true;
    })
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
  const { page, headers } = paginate(ctx, list);
  const urls = urlsFor(ctx.apiBase);
  return { status: 200, headers, body: { total_count: list.length, workflow_runs: page.map((r) => workflowRun(ctx.state, repo, r, urls)) } };
}

export const actionRoutes: readonly GhRouteDef[] = [
  {
    name: 'actions.listRepoWorkflows',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/workflows',
    docs: `${D}/workflows#list-repository-workflows`,
    contract: { path: '/repos/{owner}/{repo}/actions/workflows', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const { page, headers } = paginate(ctx, repo.workflows);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: { total_count: repo.workflows.length, workflows: page.map((w) => workflow(repo, w, urls)) } };
    },
  },
  {
    name: 'actions.getWorkflow',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/workflows/:workflow_id',
    docs: `${D}/workflows#get-a-workflow`,
    contract: { path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: workflow(repo, workflowOf(ctx, repo), urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'actions.createWorkflowDispatch',
    method: 'POST',
    pattern: '/repos/:owner/:repo/actions/workflows/:workflow_id/dispatches',
    docs: `${D}/workflows#create-a-workflow-dispatch-event`,
    contract: { path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', method: 'post', status: 204 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const w = workflowOf(ctx, repo);
      const body = ctx.json();
      const ref = ctx.string(body, 'ref', 'WorkflowDispatch');
      if (ref === undefined) throw unprocessable(`Invalid request.\n\n"ref" wasn't supplied.`, ctx.docs);
      const branch = ref.replace(/^refs\/(heads|tags)\//, '');
      const target = repo.refs.find((r) => r.ref === `refs/heads/${branch}` || r.ref === `refs/tags/${branch}` || r.ref === ref);
      if (!target) throw unprocessable(`No ref found for: ${ref}`, ctx.docs);
      if (w.state !== 'active') throw new GitHubHttpError(422, errorBody(422, 'Workflow is disabled', ctx.docs));
      const raw = body['inputs'] ?? {};
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw unprocessable(`Invalid request.\n\nFor 'properties/inputs', ${JSON.stringify(raw)} is not an object.`, ctx.docs);
      const inputs = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      const unexpected = Object.keys(inputs).filter((k) => !w.inputs.includes(k));
      if (unexpected.length > 0) throw unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`, ctx.docs);
      const result = inputs[SANDBOX_RESULT_INPUT];
      const run: RunRecord = {
        id: ctx.state.nextId(),
        workflowId: w.id,
        runNumber: repo.runs.filter((r) => r.workflowId === w.id).reduce((m, r) => Math.max(m, r.runNumber), 0) + 1,
        event: 'workflow_dispatch',
        headBranch: branch,
        headSha: target.sha,
        actor: ctx.login,
        createdAt: ctx.state.nowIso(),
        outcome: result === 'failure' || result === 'cancelled' ? result : 'success',
        inputs,
        cancelledAt: null,
      };
      repo.runs.push(run);
      ctx.state.changed();
      if (body['return_run_details'] === true) {
        const rendered = workflowRun(ctx.state, repo, run, urlsFor(ctx.apiBase));
        return { status: 200, body: { workflow_run_id: run.id, run_url: rendered['url'], html_url: rendered['html_url'] } };
      }
      return { status: 204 };
    },
  },
  {
    name: 'actions.listWorkflowRunsForRepo',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/runs',
    docs: `${D}/workflow-runs#list-workflow-runs-for-a-repository`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return listRuns(ctx, repo, repo.runs);
    },
  },
  {
    name: 'actions.listWorkflowRuns',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/workflows/:workflow_id/runs',
    docs: `${D}/workflow-runs#list-workflow-runs-for-a-workflow`,
    contract: { path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const w = workflowOf(ctx, repo);
      return listRuns(ctx, repo, repo.runs.filter((r) => r.workflowId === w.id));
    },
  },
  {
    name: 'actions.getWorkflowRun',
    method: 'GET',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id',
    docs: `${D}/workflow-runs#get-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: workflowRun(ctx.state, repo, runOf(ctx, repo), urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'actions.cancelWorkflowRun',
    method: 'POST',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id/cancel',
    docs: `${D}/workflow-runs#cancel-a-workflow-run`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', method: 'post', status: 202 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const run = runOf(ctx, repo);
      if (runProgress(repo, run, ctx.state.now()).status === 'completed') throw new GitHubHttpError(409, errorBody(409, 'Cannot cancel a workflow run that is completed.', ctx.docs));
      run.cancelledAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 202, body: {} };
    },
  },
  {
    name: 'actions.reRunWorkflow',
    method: 'POST',
    pattern: '/repos/:owner/:repo/actions/runs/:run_id/rerun',
    docs: `${D}/workflow-runs#re-run-a-workflow`,
    contract: { path: '/repos/{owner}/{repo}/actions/runs/{run_id}/rerun', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const run = runOf(ctx, repo);
      if (runProgress(repo, run, ctx.state.now()).status !== 'completed') throw new GitHubHttpError(403, errorBody(403, 'This workflow is already running', ctx.docs));
      // The same run starts again as its next attempt: new jobs, reviews asked again.
      run.attempt = (run.attempt ?? 1) + 1;
      run.restartedAt = ctx.state.nowIso();
      run.reviews = [];
      run.cancelledAt = null;
      run.actor = ctx.login;
      ctx.state.changed();
      return { status: 201, body: {} };
    },
  },
];
