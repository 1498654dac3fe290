import { type GhContext } from '../http/context';
import { notFound, validationFailed } from '../http/errors';
import { type GhRouteDef } from '../http/routes';
import { type IssueTypeRecord, type RepoRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { type GitHubState } from '../state/state';

const D = 'https://docs.github.com/rest';

/** GitHub's `issue-type`. */
export function issueTypeJson(t: IssueTypeRecord): Record<string, unknown> {
  return { id: t.id, node_id: nodeId('IssueType', t.id), name: t.name, description: t.description, color: t.color, created_at: t.createdAt, updated_at: t.updatedAt, is_enabled: t.isEnabled };
}

/** The issue types a repository's issues may have: its organization's (a user's repository has none). */
export function issueTypesOf(state: GitHubState, repo: RepoRecord): readonly IssueTypeRecord[] {
  const owner = state.user(repo.owner);
  return owner?.type === 'Organization' ? (owner.issueTypes ?? []) : [];
}

/**
 * `type` on create and update: the name of an enabled issue type of the organization (a string,
 * or `{ value }`), null to clear. A name the organization has not is refused with 422, as GitHub does.
 */
export function issueTypeFromBody(ctx: GhContext, repo: RepoRecord, body: Record<string, unknown>): number | null | undefined {
  if (!('type' in body)) return undefined;
  const raw = body['type'];
  const name = typeof raw === 'object' && raw !== null ? (raw as { value?: unknown }).value : raw;
  if (name === null || name === undefined) return null;
  if (typeof name !== 'string') throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'type' }], ctx.docs);
  const found = issueTypesOf(ctx.state, repo).find((t) => t.isEnabled && t.name.toLowerCase() === name.toLowerCase());
  if (!found) throw validationFailed([{ resource: 'Issue', code: 'custom', field: 'type', message: `Issue type ${name} does not exist or is not enabled for this repository.` }], ctx.docs);
  return found.id;
}

export const issueTypeRoutes: readonly GhRouteDef[] = [
  {
    name: 'orgs.listIssueTypes',
    method: 'GET',
    pattern: '/orgs/:org/issue-types',
    docs: `${D}/orgs/issue-types#list-issue-types-for-an-organization`,
    contract: { path: '/orgs/{org}/issue-types', method: 'get', status: 200 },
    handler: (ctx) => {
      const org = ctx.state.user(ctx.param('org'));
      if (!org || org.type !== 'Organization') throw notFound(ctx.docs);
      return { status: 200, body: (org.issueTypes ?? []).map(issueTypeJson) };
    },
  },
  {
    name: 'repos.listIssueTypes',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issue-types',
    docs: `${D}/issues/issue-types#list-issue-types-for-a-repository`,
    contract: { path: '/repos/{owner}/{repo}/issue-types', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: issueTypesOf(ctx.state, repo).filter((t) => t.isEnabled).map(issueTypeJson) };
    },
  },
];
