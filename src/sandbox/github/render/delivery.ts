import { type CommitRecord, type EnvironmentRecord, type ReleaseRecord, type RepoRecord, type ReviewRecord, type RunRecord, type WorkflowRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { jobId, type JobProgress, runProgress } from '../state/runs';
import { type GitHubState } from '../state/state';
import { userOrGhost } from './issue';
import { repositoryCore } from './repo';
import { type Urls } from './urls';

const repoApi = (repo: RepoRecord, urls: Urls) => `${urls.api}/repos/${repo.owner}/${repo.name}`;
const repoWeb = (repo: RepoRecord, urls: Urls) => `${urls.web}/${repo.owner}/${repo.name}`;

/** GitHub's `git-ref`; tags point at a commit here (lightweight tags), as the demo's are. */
export function gitRef(repo: RepoRecord, ref: string, sha: string, urls: Urls): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId('Ref', `${repo.id}:${ref}`),
    url: `${repoApi(repo, urls)}/git/${ref}`,
    object: { type: 'commit', sha, url: `${repoApi(repo, urls)}/git/commits/${sha}` },
  };
}

export function release(state: GitHubState, repo: RepoRecord, r: ReleaseRecord, urls: Urls): Record<string, unknown> {
  const api = `${repoApi(repo, urls)}/releases/${r.id}`;
  return {
    url: api,
    html_url: `${repoWeb(repo, urls)}/releases/tag/${encodeURIComponent(r.tagName)}`,
    assets_url: `${api}/assets`,
    upload_url: `${urls.api}/uploads/repos/${repo.owner}/${repo.name}/releases/${r.id}/assets{?name,label}`,
    tarball_url: r.draft ? null : `${repoApi(repo, urls)}/tarball/${r.tagName}`,
    zipball_url: r.draft ? null : `${repoApi(repo, urls)}/zipball/${r.tagName}`,
    id: r.id,
    node_id: nodeId('Release', r.id),
    tag_name: r.tagName,
    target_commitish: r.targetCommitish,
    name: r.name,
    body: r.body,
    draft: r.draft,
    prerelease: r.prerelease,
    immutable: false,
    created_at: r.createdAt,
    published_at: r.publishedAt,
    updated_at: r.publishedAt ?? r.createdAt,
    author: userOrGhost(state, r.author, urls),
    assets: [],
  };
}

export function workflow(repo: RepoRecord, w: WorkflowRecord, urls: Urls): Record<string, unknown> {
  return {
    id: w.id,
    node_id: nodeId('Workflow', w.id),
    name: w.name,
    path: w.path,
    state: w.state,
    created_at: w.createdAt,
    updated_at: w.createdAt,
    url: `${repoApi(repo, urls)}/actions/workflows/${w.id}`,
    html_url: `${repoWeb(repo, urls)}/blob/${repo.defaultBranch}/${w.path}`,
    badge_url: `${repoWeb(repo, urls)}/workflows/${encodeURIComponent(w.name)}/badge.svg`,
  };
}

function simpleCommit(c: CommitRecord | undefined, state: GitHubState): Record<string, unknown> | null {
  if (!c) return null;
  const who = state.user(c.author);
  const person = { name: who?.name ?? c.author, email: who?.email ?? `${c.author}@users.noreply.example.com` };
  return { id: c.sha, tree_id: c.tree, message: c.message, timestamp: c.date, author: person, committer: person };
}

export function workflowRun(state: GitHubState, repo: RepoRecord, run: RunRecord, urls: Urls): Record<string, unknown> {
  const w = repo.workflows.find((x) => x.id === run.workflowId);
  const progress = runProgress(repo, run, state.now());
  const api = `${repoApi(repo, urls)}/actions/runs/${run.id}`;
  const repository = repositoryCore(repo, state.user(repo.owner), urls);
  const actor = userOrGhost(state, run.actor, urls);
  return {
    id: run.id,
    name: w?.name ?? null,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: run.id + 1,
    check_suite_node_id: nodeId('WorkflowRun', `suite:${run.id}`),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: w?.path ?? '',
    display_title: w?.name ?? `Run ${run.runNumber}`,
    run_number: run.runNumber,
    event: run.event,
    status: progress.status,
    conclusion: progress.conclusion,
    workflow_id: run.workflowId,
    url: api,
    html_url: `${repoWeb(repo, urls)}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: progress.updatedAt,
    run_started_at: progress.startedAt,
    run_attempt: run.attempt ?? 1,
    actor,
    triggering_actor: actor,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${repoApi(repo, urls)}/check-suites/${run.id + 1}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    workflow_url: `${repoApi(repo, urls)}/actions/workflows/${run.workflowId}`,
    head_commit: simpleCommit(repo.commits.find((c) => c.sha === run.headSha), state),
    repository,
    head_repository: repository,
  };
}

/** GitHub's `job`: a workflow job with its steps, as far as the run has got. */
export function workflowJob(state: GitHubState, repo: RepoRecord, run: RunRecord, job: JobProgress, urls: Urls): Record<string, unknown> {
  const id = jobId(run, job.index);
  const w = repo.workflows.find((x) => x.id === run.workflowId);
  const started = job.startedAt ?? run.restartedAt ?? run.createdAt;
  return {
    id,
    run_id: run.id,
    run_url: `${repoApi(repo, urls)}/actions/runs/${run.id}`,
    run_attempt: run.attempt ?? 1,
    node_id: nodeId('CheckRun', id),
    head_sha: run.headSha,
    url: `${repoApi(repo, urls)}/actions/jobs/${id}`,
    html_url: `${repoWeb(repo, urls)}/actions/runs/${run.id}/job/${id}`,
    status: job.status,
    conclusion: job.conclusion,
    created_at: run.restartedAt ?? run.createdAt,
    started_at: started,
    completed_at: job.completedAt,
    name: job.name,
    steps: job.steps.map((s) => ({ name: s.name, status: s.status, conclusion: s.conclusion, number: s.number, started_at: s.startedAt, completed_at: s.completedAt })),
    check_run_url: `${repoApi(repo, urls)}/check-runs/${id}`,
    labels: ['ubuntu-latest'],
    runner_id: job.startedAt ? 1 : null,
    runner_name: job.startedAt ? 'GitHub Actions 1' : null,
    runner_group_id: job.startedAt ? 1 : null,
    runner_group_name: job.startedAt ? 'GitHub Actions' : null,
    workflow_name: w?.name ?? null,
    head_branch: run.headBranch,
  };
}

/** The short form of an environment inside a pending deployment or a review. */
export function environmentRef(repo: RepoRecord, e: EnvironmentRecord, urls: Urls): Record<string, unknown> {
  return {
    id: e.id,
    node_id: nodeId('Environment', e.id),
    name: e.name,
    url: `${repoApi(repo, urls)}/environments/${encodeURIComponent(e.name)}`,
    html_url: `${repoWeb(repo, urls)}/deployments/activity_log?environments_filter=${encodeURIComponent(e.name)}`,
  };
}

/** GitHub's `environment`, with its protection rules. */
export function environment(state: GitHubState, repo: RepoRecord, e: EnvironmentRecord, urls: Urls): Record<string, unknown> {
  const rules: Record<string, unknown>[] = [];
  if (e.reviewers.length) {
    rules.push({ id: e.id * 10 + 1, node_id: nodeId('Gate', e.id * 10 + 1), prevent_self_review: e.preventSelfReview, type: 'required_reviewers', reviewers: e.reviewers.map((login) => ({ type: 'User', reviewer: userOrGhost(state, login, urls) })) });
  }
  if (e.waitTimer > 0) rules.push({ id: e.id * 10 + 2, node_id: nodeId('Gate', e.id * 10 + 2), type: 'wait_timer', wait_timer: e.waitTimer });
  return { ...environmentRef(repo, e, urls), created_at: e.createdAt, updated_at: e.createdAt, protection_rules: rules, deployment_branch_policy: null };
}

/** GitHub's `deployment`, as the answer to a review shows the deployment it let go (or stopped). */
export function deployment(state: GitHubState, repo: RepoRecord, run: RunRecord, e: EnvironmentRecord, review: ReviewRecord, urls: Urls): Record<string, unknown> {
  const id = run.id * 1000 + e.id;
  const api = `${repoApi(repo, urls)}/deployments/${id}`;
  return {
    url: api,
    id,
    node_id: nodeId('Deployment', id),
    sha: run.headSha,
    ref: run.headBranch,
    task: 'deploy',
    payload: {},
    original_environment: e.name,
    environment: e.name,
    description: null,
    creator: userOrGhost(state, run.actor, urls),
    created_at: review.at,
    updated_at: review.at,
    statuses_url: `${api}/statuses`,
    repository_url: repoApi(repo, urls),
    transient_environment: false,
    production_environment: /prod/i.test(e.name),
  };
}
