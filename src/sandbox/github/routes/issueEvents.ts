import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { userOrGhost } from '../render/issue';
import { urlsFor, type Urls } from '../render/urls';
import { type IssueEventRecord, type RepoRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { type GitHubState } from '../state/state';

const D = 'https://docs.github.com/rest/issues';

/** GitHub's `labeled-issue-event` / `unlabeled-issue-event`, as the issue events list serves them. */
function labelEvent(state: GitHubState, repo: RepoRecord, e: IssueEventRecord, urls: Urls): Record<string, unknown> {
  return {
    id: e.id,
    node_id: nodeId(e.event === 'labeled' ? 'LabeledEvent' : 'UnlabeledEvent', e.id),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/issues/events/${e.id}`,
    actor: userOrGhost(state, e.actor, urls),
    event: e.event,
    commit_id: null,
    commit_url: null,
    created_at: e.createdAt,
    performed_via_github_app: null,
    label: { name: e.label, color: e.color },
  };
}

export const issueEventRoutes: readonly GhRouteDef[] = [
  {
    name: 'issues.listEvents',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:issue_number/events',
    docs: `${D}/events#list-issue-events`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/events', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const { page, headers } = paginate(ctx, i.events ?? []);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((e) => labelEvent(ctx.state, repo, e, urls)) };
    },
  },
];
