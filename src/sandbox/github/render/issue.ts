import { type CommentRecord, type IssueRecord, type LabelRecord, type RepoRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { type GitHubState } from '../state/state';
import { issueTypeJson, issueTypesOf } from '../routes/issueTypes';
import { simpleUser } from './user';
import { type Urls } from './urls';

export function label(repo: RepoRecord, l: LabelRecord, urls: Urls): Record<string, unknown> {
  return {
    id: l.id,
    node_id: nodeId('Label', l.id),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: l.default,
  };
}

export function userOrGhost(state: GitHubState, login: string, urls: Urls): Record<string, unknown> {
  const user = state.user(login) ?? { id: 10137, login: 'ghost', name: null, email: null, type: 'User' as const, createdAt: '2008-05-13T00:00:00Z' };
  return simpleUser(user, urls);
}

/** GitHub's `issue` (pull requests too, with `pull_request` set, as the issues API serves them). */
export function issue(state: GitHubState, repo: RepoRecord, i: IssueRecord, urls: Urls): Record<string, unknown> {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const api = `${repoApi}/issues/${i.number}`;
  const web = `${urls.web}/${repo.owner}/${repo.name}/${i.pull ? 'pull' : 'issues'}/${i.number}`;
  const assignees = i.assignees.map((a) => userOrGhost(state, a, urls));
  const subs = i.subIssues.map((n) => repo.issues.find((s) => s.number === n)).filter((s) => s !== undefined);
  const completed = subs.filter((s) => s.state === 'closed').length;
  const parent = i.parent !== null ? `${repoApi}/issues/${i.parent}` : undefined;
  return {
    id: i.id,
    node_id: nodeId(i.pull ? 'PullRequest' : 'Issue', i.id),
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: web,
    number: i.number,
    state: i.state,
    title: i.title,
    body: i.body,
    user: userOrGhost(state, i.user, urls),
    labels: i.labels.map((name) => repo.labels.find((l) => l.name === name)).filter((l) => l !== undefined).map((l) => label(repo, l, urls)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: i.locked,
    active_lock_reason: null,
    comments: i.comments.length,
    ...(i.pull
      ? {
          pull_request: {
            url: `${repoApi}/pulls/${i.number}`,
            html_url: web,
            diff_url: `${web}.diff`,
            patch_url: `${web}.patch`,
            merged_at: i.pull.mergedAt,
          },
          draft: i.pull.draft,
        }
      : {}),
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_by: i.closedBy ? userOrGhost(state, i.closedBy, urls) : null,
    author_association: i.user === repo.owner ? 'OWNER' : 'MEMBER',
    state_reason: i.stateReason,
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    reactions: { url: `${api}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    sub_issues_summary: { total: subs.length, completed, percent_completed: subs.length === 0 ? 0 : Math.floor((completed * 100) / subs.length) },
    ...(parent ? { parent_issue_url: parent } : {}),
    type: typeOfIssue(state, repo, i),
  };
}

/** The issue's type as GitHub renders it, or null (no type, or a repository without issue types). */
function typeOfIssue(state: GitHubState, repo: RepoRecord, i: IssueRecord): Record<string, unknown> | null {
  const t = i.type === null || i.type === undefined ? undefined : issueTypesOf(state, repo).find((x) => x.id === i.type);
  return t ? issueTypeJson(t) : null;
}

export function comment(state: GitHubState, repo: RepoRecord, i: IssueRecord, c: CommentRecord, urls: Urls): Record<string, unknown> {
  const repoApi = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${repoApi}/issues/comments/${c.id}`,
    html_url: `${urls.web}/${repo.owner}/${repo.name}/issues/${i.number}#issuecomment-${c.id}`,
    body: c.body,
    user: userOrGhost(state, c.user, urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${repoApi}/issues/${i.number}`,
    author_association: 'MEMBER',
    performed_via_github_app: null,
    reactions: { url: `${repoApi}/issues/comments/${c.id}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
  };
}
