import { randomUUID } from 'node:crypto';
import { type ServiceMount } from '../http/types';
import { authenticate } from './http/auth';
import { GITHUB_PREFIX } from './http/context';
import { errorBody } from './http/errors';
import { buildRoutes, rateHeadersOf, type GhRouteDef } from './http/routes';
import { actionRoutes } from './routes/actions';
import { branchRoutes } from './routes/branches';
import { deploymentRoutes, SIGNED_LOGS_ROUTE } from './routes/deployments';
import { coreRoutes } from './routes/core';
import { gitRoutes } from './routes/git';
import { graphqlRoutes } from './routes/graphql';
import { issueEventRoutes } from './routes/issueEvents';
import { issueRoutes } from './routes/issues';
import { issueTypeRoutes } from './routes/issueTypes';
import { labelRoutes } from './routes/labels';
import { pullRoutes } from './routes/pulls';
import { releaseRoutes } from './routes/releases';
import { subIssueRoutes } from './routes/subIssues';
import { WEB_ROUTE, webRoutes } from './routes/web';
import { type GitHubState } from './state/state';

export const GITHUB_SERVICE = 'github';

/** Every route the stand-in serves (names are what fault injection and the request log use). */
export const GITHUB_ROUTES: readonly GhRouteDef[] = [
  ...coreRoutes,
  ...issueRoutes,
  ...issueTypeRoutes,
  ...subIssueRoutes,
  ...labelRoutes,
  ...issueEventRoutes,
  ...pullRoutes,
  ...gitRoutes,
  ...branchRoutes,
  ...releaseRoutes,
  ...actionRoutes,
  ...deploymentRoutes,
  ...graphqlRoutes,
  ...webRoutes,
];

/**
 * The headers github.com sends with a primary rate-limit refusal; the server adds Retry-After to an
 * injected 429, and @octokit/plugin-throttling reads x-ratelimit-remaining 0 and the reset time.
 */
export function rateLimitHeaders(retryAfterSeconds: number): Record<string, string> {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-used': '5000',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + retryAfterSeconds),
    'x-ratelimit-resource': 'core',
  };
}

/**
 * The GitHub stand-in as a SandboxServer mount: REST at `server.urlOf('github')` (what
 * @octokit/rest takes as baseUrl) and GraphQL at `${base}/graphql` (where @octokit/graphql posts
 * with the same baseUrl).
 */
export function createGitHubMount(state: GitHubState): ServiceMount {
  return {
    name: GITHUB_SERVICE,
    prefix: GITHUB_PREFIX,
    routes: buildRoutes(GITHUB_ROUTES, state),
    authenticate,
    anonymousRoutes: [WEB_ROUTE, SIGNED_LOGS_ROUTE],
    errorBody: (status, message) => errorBody(status, message),
    rateLimitHeaders,
    commonHeaders: (req) => ({
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-content-type-options': 'nosniff',
      ...(rateHeadersOf.get(req) ?? state.limits.headers({ resource: 'core', limit: 60, used: 0, remaining: 60, reset: Math.ceil(state.clock().getTime() / 1000) + 3600 })),
    }),
  };
}
