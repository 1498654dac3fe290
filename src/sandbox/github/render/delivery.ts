import { type CommitRecord, type ReleaseRecord, type RepoRecord, type RunRecord, type WorkflowRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { runProgress } from '../state/runs';
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
  const progress = runProgress(run, state.now());
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
    run_attempt: 1,
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
