import { type GhContext } from '../http/context';
import { notFound, unprocessable, validationFailed } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { pullRequest } from '../render/pull';
import { urlsFor } from '../render/urls';
import { type IssueRecord, type RepoRecord } from '../state/model';

const D = 'https://docs.github.com/rest/pulls/pulls';

const refSha = (repo: RepoRecord, branch: string) => repo.refs.find((r) => r.ref === `refs/heads/${branch}`)?.sha;

/** `head` as GitHub takes it: `branch` or `owner:branch` (same repository only here). */
function headBranch(repo: RepoRecord, head: string): string {
  const colon = head.indexOf(':');
  return colon >= 0 && head.slice(0, colon).toLowerCase() === repo.owner.toLowerCase() ? head.slice(colon + 1) : head;
}

function pullOf(ctx: GhContext, repo: RepoRecord): IssueRecord {
  const i = ctx.issue(repo, 'pull_number');
  // An issue number is not a pull request: 404, as on GitHub.
  if (!i.pull) throw notFound(ctx.docs);
  return i;
}

export const pullRoutes: readonly GhRouteDef[] = [
  {
    name: 'pulls.list',
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls',
    docs: `${D}#list-pull-requests`,
    contract: { path: '/repos/{owner}/{repo}/pulls', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const state = ctx.query('state') ?? 'open';
      const head = ctx.query('head');
      const base = ctx.query('base');
      const sort = ctx.query('sort') ?? 'created';
      // GitHub's default direction is desc for created/updated and for the rest too (popularity, long-running).
      const asc = ctx.query('direction') === 'asc';
      const list = repo.issues.filter(
        (i) => i.pull && (state === 'all' || i.state === state) && (!head || i.pull.headRef === headBranch(repo, head)) && (!base || i.pull.baseRef === base),
      );
      const key = (i: IssueRecord) => Date.parse(sort === 'updated' ? i.updatedAt : i.createdAt);
      list.sort((a, b) => (asc ? 1 : -1) * (key(a) - key(b) || a.number - b.number));
      const { page, headers } = paginate(ctx, list);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((i) => pullRequest(ctx.state, repo, i, urls, false)) };
    },
  },
  {
    name: 'pulls.get',
    method: 'GET',
    pattern: '/repos/:owner/:repo/pulls/:pull_number',
    docs: `${D}#get-a-pull-request`,
    contract: { path: '/repos/{owner}/{repo}/pulls/{pull_number}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: pullRequest(ctx.state, repo, pullOf(ctx, repo), urlsFor(ctx.apiBase), true) };
    },
  },
  {
    name: 'pulls.create',
    method: 'POST',
    pattern: '/repos/:owner/:repo/pulls',
    docs: `${D}#create-a-pull-request`,
    contract: { path: '/repos/{owner}/{repo}/pulls', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const body = ctx.json();
      const head = ctx.string(body, 'head', 'PullRequest', true)!;
      const base = ctx.string(body, 'base', 'PullRequest', true)!;
      const title = ctx.string(body, 'title', 'PullRequest');
      if (title === undefined || title.trim() === '') throw validationFailed([{ resource: 'PullRequest', code: 'missing_field', field: 'title' }], ctx.docs);
      const branch = headBranch(repo, head);
      const headSha = refSha(repo, branch);
      const baseSha = refSha(repo, base);
      if (!headSha) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }], ctx.docs);
      if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }], ctx.docs);
      if (headSha === baseSha) throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${branch}` }], ctx.docs);
      if (repo.issues.some((i) => i.pull && i.state === 'open' && i.pull.headRef === branch && i.pull.baseRef === base)) {
        throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${branch}.` }], ctx.docs);
      }
      const record = ctx.state.openIssue(repo, ctx.login, {
        title,
        body: ctx.string(body, 'body', 'PullRequest') ?? null,
        pull: { headRef: branch, headSha, baseRef: base, baseSha, draft: ctx.boolean(body, 'draft', 'PullRequest') ?? false, merged: false, mergedAt: null, mergedBy: null },
      });
      ctx.state.changed();
      const rendered = pullRequest(ctx.state, repo, record, urlsFor(ctx.apiBase), true);
      return { status: 201, headers: { location: String(rendered['url']) }, body: rendered };
    },
  },
  {
    name: 'pulls.update',
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/pulls/:pull_number',
    docs: `${D}#update-a-pull-request`,
    contract: { path: '/repos/{owner}/{repo}/pulls/{pull_number}', method: 'patch', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = pullOf(ctx, repo);
      const body = ctx.json();
      const title = ctx.string(body, 'title', 'PullRequest');
      const text = ctx.string(body, 'body', 'PullRequest');
      const state = ctx.string(body, 'state', 'PullRequest');
      const base = ctx.string(body, 'base', 'PullRequest');
      if (state !== undefined && state !== 'open' && state !== 'closed') throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'state' }], ctx.docs);
      if (base !== undefined && !refSha(repo, base)) throw validationFailed([{ resource: 'PullRequest', code: 'invalid', field: 'base' }], ctx.docs);
      if (state === 'open' && i.pull!.merged) throw unprocessable('Cannot reopen a merged pull request.', ctx.docs);
      const now = ctx.state.nowIso();
      if (title !== undefined) i.title = title;
      if (text !== undefined) i.body = text;
      if (base !== undefined) i.pull!.baseRef = base;
      if (state === 'closed' && i.state === 'open') Object.assign(i, { state: 'closed', closedAt: now, closedBy: ctx.login });
      if (state === 'open' && i.state === 'closed') Object.assign(i, { state: 'open', closedAt: null, closedBy: null });
      i.updatedAt = now;
      ctx.state.changed();
      return { status: 200, body: pullRequest(ctx.state, repo, i, urlsFor(ctx.apiBase), true) };
    },
  },
];
