import { type IssueRecord, type RepoRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { GitHubState } from '../state/state';
import { issue, userOrGhost } from './issue';
import { repositoryCore } from './repo';
import { type Urls } from './urls';

function branch(state: GitHubState, repo: RepoRecord, ref: string, sha: string, urls: Urls): Record<string, unknown> {
  return { label: `${repo.owner}:${ref}`, ref, sha, user: userOrGhost(state, repo.owner, urls), repo: repositoryCore(repo, state.user(repo.owner), urls) };
}

/** GitHub's `pull-request-simple` (list) or, with `full`, `pull-request` (get, create, update). */
export function pullRequest(state: GitHubState, repo: RepoRecord, i: IssueRecord, urls: Urls, full: boolean): Record<string, unknown> {
  const pull = i.pull!;
  const asIssue = issue(state, repo, i, urls);
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/pulls/${i.number}`;
  const web = `${urls.web}/${repo.owner}/${repo.name}/pull/${i.number}`;
  const link = (href: string) => ({ href });
  const simple: Record<string, unknown> = {
    url: api,
    id: i.id,
    node_id: nodeId('PullRequest', i.id),
    html_url: web,
    diff_url: `${web}.diff`,
    patch_url: `${web}.patch`,
    issue_url: `${repoApi}/issues/${i.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${i.number}/comments`,
    statuses_url: `${repoApi}/statuses/${pull.headSha}`,
    number: i.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: asIssue['user'],
    body: i.body,
    labels: asIssue['labels'],
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.merged ? GitHubState.sha('merge', String(i.id)) : null,
    assignee: asIssue['assignee'],
    assignees: asIssue['assignees'],
    requested_reviewers: [],
    requested_teams: [],
    head: branch(state, repo, pull.headRef, pull.headSha, urls),
    base: branch(state, repo, pull.baseRef, pull.baseSha, urls),
    _links: {
      self: link(api),
      html: link(web),
      issue: link(`${repoApi}/issues/${i.number}`),
      comments: link(`${repoApi}/issues/${i.number}/comments`),
      review_comments: link(`${api}/comments`),
      review_comment: link(`${repoApi}/pulls/comments{/number}`),
      commits: link(`${api}/commits`),
      statuses: link(`${repoApi}/statuses/${pull.headSha}`),
    },
    author_association: asIssue['author_association'],
    auto_merge: null,
    draft: pull.draft,
  };
  if (!full) return simple;
  const commits = repo.commits.filter((c) => c.parents.includes(pull.baseSha) && c.sha === pull.headSha).length || 1;
  return {
    ...simple,
    merged: pull.merged,
    mergeable: pull.merged || i.state === 'closed' ? null : true,
    rebaseable: pull.merged || i.state === 'closed' ? null : true,
    mergeable_state: pull.merged || i.state === 'closed' ? 'unknown' : pull.draft ? 'draft' : 'clean',
    merged_by: pull.mergedBy ? userOrGhost(state, pull.mergedBy, urls) : null,
    comments: i.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits,
    additions: 10 * commits,
    deletions: 2 * commits,
    changed_files: commits,
  };
}
