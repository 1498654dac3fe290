import { fullRepository } from '../render/repo';
import { urlsFor } from '../render/urls';
import { privateUser, publicUser } from '../render/user';
import { notFound } from '../http/errors';
import { type GhRouteDef } from '../http/routes';

const D = 'https://docs.github.com/rest';

/** The token's user, other users, repositories and the rate-limit status. */
export const coreRoutes: readonly GhRouteDef[] = [
  {
    name: 'users.getAuthenticated',
    method: 'GET',
    pattern: '/user',
    docs: `${D}/users/users#get-the-authenticated-user`,
    contract: { path: '/user', method: 'get', status: 200 },
    handler: (ctx) => {
      const me = ctx.me;
      const owned = ctx.state.doc.repos.filter((r) => r.owner === me.login).length;
      return { status: 200, headers: { 'x-oauth-scopes': ctx.state.scopes.join(', '), 'x-accepted-oauth-scopes': '' }, body: privateUser(me, urlsFor(ctx.apiBase), owned) };
    },
  },
  {
    name: 'users.getByUsername',
    method: 'GET',
    pattern: '/users/:username',
    docs: `${D}/users/users#get-a-user`,
    contract: { path: '/users/{username}', method: 'get', status: 200 },
    handler: (ctx) => {
      const user = ctx.state.user(ctx.param('username'));
      if (!user) throw notFound(ctx.docs);
      return { status: 200, body: publicUser(user, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'repos.get',
    method: 'GET',
    pattern: '/repos/:owner/:repo',
    docs: `${D}/repos/repos#get-a-repository`,
    contract: { path: '/repos/{owner}/{repo}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: fullRepository(repo, ctx.state.user(repo.owner), urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'rateLimit.get',
    method: 'GET',
    pattern: '/rate_limit',
    docs: `${D}/rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user`,
    contract: { path: '/rate_limit', method: 'get', status: 200 },
    free: true,
    handler: (ctx) => {
      const of = (r: 'core' | 'graphql' | 'search') => {
        const s = ctx.state.limits.snapshot(r);
        return { limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset };
      };
      const core = of('core');
      return { status: 200, body: { resources: { core, graphql: of('graphql'), search: of('search') }, rate: core } };
    },
  },
];
