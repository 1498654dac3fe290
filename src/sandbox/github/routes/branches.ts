import { type GhContext } from '../http/context';
import { errorBody, GitHubHttpError } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { type RepoRecord } from '../state/model';

const D = 'https://docs.github.com/rest';

/** The branch named in the path, or GitHub's 404 "Branch not found". */
function branchOf(ctx: GhContext, repo: RepoRecord): string {
  const branch = ctx.param('branch');
  if (!repo.refs.some((r) => r.ref === `refs/heads/${branch}`)) throw new GitHubHttpError(404, errorBody(404, 'Branch not found', ctx.docs));
  return branch;
}

function protectionJson(ctx: GhContext, repo: RepoRecord, branch: string): Record<string, unknown> {
  const p = repo.branchProtection?.[branch];
  if (!p) throw new GitHubHttpError(404, errorBody(404, 'Branch not protected', ctx.docs));
  const url = `${ctx.apiBase}/repos/${repo.owner}/${repo.name}/branches/${encodeURIComponent(branch)}/protection`;
  const enabled = (value: boolean) => ({ enabled: value });
  return {
    url,
    ...(p.statusChecks
      ? { required_status_checks: { url: `${url}/required_status_checks`, strict: true, contexts: p.statusChecks, contexts_url: `${url}/required_status_checks/contexts`, checks: p.statusChecks.map((context) => ({ context, app_id: null })) } }
      : {}),
    ...(p.requiredReviewers !== undefined
      ? { required_pull_request_reviews: { url: `${url}/required_pull_request_reviews`, dismiss_stale_reviews: false, require_code_owner_reviews: false, required_approving_review_count: p.requiredReviewers, require_last_push_approval: false } }
      : {}),
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: enabled(p.linearHistory),
    allow_force_pushes: enabled(p.allowForcePushes),
    allow_deletions: enabled(p.allowDeletions),
    block_creations: enabled(false),
    required_conversation_resolution: enabled(false),
    lock_branch: enabled(false),
    allow_fork_syncing: enabled(false),
  };
}

/** Whether a ruleset's `include` names the branch (`~ALL`, `~DEFAULT_BRANCH`, `refs/heads/<name>`). */
function includes(repo: RepoRecord, include: readonly string[], branch: string): boolean {
  return include.some((i) => i === '~ALL' || (i === '~DEFAULT_BRANCH' && branch === repo.defaultBranch) || i === `refs/heads/${branch}`);
}

export const branchRoutes: readonly GhRouteDef[] = [
  {
    name: 'repos.getBranchProtection',
    method: 'GET',
    pattern: '/repos/:owner/:repo/branches/:branch/protection',
    docs: `${D}/branches/branch-protection#get-branch-protection`,
    contract: { path: '/repos/{owner}/{repo}/branches/{branch}/protection', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: protectionJson(ctx, repo, branchOf(ctx, repo)) };
    },
  },
  {
    name: 'repos.getBranchRules',
    method: 'GET',
    pattern: '/repos/:owner/:repo/rules/branches/:branch',
    docs: `${D}/repos/rules#get-rules-for-a-branch`,
    contract: { path: '/repos/{owner}/{repo}/rules/branches/{branch}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      // GitHub answers an empty list for a branch that does not exist; only active rulesets count.
      const branch = ctx.param('branch');
      const rules = (repo.rulesets ?? [])
        .filter((r) => r.enforcement === 'active' && includes(repo, r.include, branch))
        .flatMap((r) => r.rules.map((rule) => ({ type: rule.type, ...(rule.parameters ? { parameters: rule.parameters } : {}), ruleset_source_type: 'Repository', ruleset_source: `${repo.owner}/${repo.name}`, ruleset_id: r.id })));
      const { page, headers } = paginate(ctx, rules);
      return { status: 200, headers, body: page };
    },
  },
];
