import { type GhContext } from '../http/context';
import { errorBody, GitHubHttpError, notFound, unprocessable } from '../http/errors';
import { type GhRouteDef } from '../http/routes';
import { gitRef } from '../render/delivery';
import { urlsFor } from '../render/urls';
import { type RepoRecord } from '../state/model';

const D = 'https://docs.github.com/rest/git/refs';

/** Whether `ancestor` is reachable from `sha` by parents (a fast-forward). */
function descends(repo: RepoRecord, sha: string, ancestor: string): boolean {
  const seen = new Set<string>();
  const todo = [sha];
  while (todo.length > 0) {
    const s = todo.pop()!;
    if (s === ancestor) return true;
    if (seen.has(s)) continue;
    seen.add(s);
    todo.push(...(repo.commits.find((c) => c.sha === s)?.parents ?? []));
  }
  return false;
}

const validRefName = (ref: string) => /^refs\/[^/]+\/.+/.test(ref) && !/(\.\.|[\s~^:?*[\\]|\/\/|\/$|\.lock$|@\{)/.test(ref);

function refOf(ctx: GhContext, repo: RepoRecord) {
  const name = `refs/${ctx.param('ref')}`;
  const found = repo.refs.find((r) => r.ref === name);
  if (!found) throw notFound(ctx.docs);
  return found;
}

export const gitRoutes: readonly GhRouteDef[] = [
  {
    name: 'git.getRef',
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/ref/*ref',
    docs: `${D}#get-a-reference`,
    contract: { path: '/repos/{owner}/{repo}/git/ref/{ref}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const r = refOf(ctx, repo);
      return { status: 200, body: gitRef(repo, r.ref, r.sha, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'git.listMatchingRefs',
    method: 'GET',
    pattern: '/repos/:owner/:repo/git/matching-refs/*ref',
    docs: `${D}#list-matching-references`,
    contract: { path: '/repos/{owner}/{repo}/git/matching-refs/{ref}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const prefix = `refs/${ctx.param('ref')}`;
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, body: repo.refs.filter((r) => r.ref.startsWith(prefix)).map((r) => gitRef(repo, r.ref, r.sha, urls)) };
    },
  },
  {
    name: 'git.createRef',
    method: 'POST',
    pattern: '/repos/:owner/:repo/git/refs',
    docs: `${D}#create-a-reference`,
    contract: { path: '/repos/{owner}/{repo}/git/refs', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const body = ctx.json();
      const ref = body['ref'];
      const sha = body['sha'];
      if (typeof ref !== 'string') throw unprocessable(`Invalid request.\n\n"ref" wasn't supplied.`, ctx.docs);
      if (typeof sha !== 'string') throw unprocessable(`Invalid request.\n\n"sha" wasn't supplied.`, ctx.docs);
      if (!validRefName(ref)) throw unprocessable('Reference name is invalid', ctx.docs);
      if (!repo.commits.some((c) => c.sha === sha)) throw unprocessable('Object does not exist', ctx.docs);
      if (repo.refs.some((r) => r.ref === ref)) throw unprocessable('Reference already exists', ctx.docs);
      repo.refs.push({ ref, sha });
      repo.pushedAt = ctx.state.nowIso();
      ctx.state.changed();
      const rendered = gitRef(repo, ref, sha, urlsFor(ctx.apiBase));
      return { status: 201, headers: { location: String(rendered['url']) }, body: rendered };
    },
  },
  {
    name: 'git.updateRef',
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/git/refs/*ref',
    docs: `${D}#update-a-reference`,
    contract: { path: '/repos/{owner}/{repo}/git/refs/{ref}', method: 'patch', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const r = refOf(ctx, repo);
      const body = ctx.json();
      const sha = ctx.string(body, 'sha', 'Reference', true)!;
      const force = ctx.boolean(body, 'force', 'Reference') ?? false;
      if (!repo.commits.some((c) => c.sha === sha)) throw unprocessable('Object does not exist', ctx.docs);
      if (!force && !descends(repo, sha, r.sha)) throw unprocessable('Update is not a fast forward', ctx.docs);
      r.sha = sha;
      ctx.state.changed();
      return { status: 200, body: gitRef(repo, r.ref, r.sha, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'git.deleteRef',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/git/refs/*ref',
    docs: `${D}#delete-a-reference`,
    contract: { path: '/repos/{owner}/{repo}/git/refs/{ref}', method: 'delete', status: 204 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const name = `refs/${ctx.param('ref')}`;
      if (!repo.refs.some((r) => r.ref === name)) throw new GitHubHttpError(422, errorBody(422, 'Reference does not exist', ctx.docs));
      repo.refs = repo.refs.filter((r) => r.ref !== name);
      ctx.state.changed();
      return { status: 204 };
    },
  },
];
