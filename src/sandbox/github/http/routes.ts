import { createHash, randomUUID } from 'node:crypto';
import { type Route, type SandboxRequest, type SandboxResponse } from '../../http/types';
import { type RateResource } from '../state/rateLimits';
import { type GitHubState } from '../state/state';
import { GhContext } from './context';
import { errorBody, GitHubHttpError } from './errors';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where a route's response is described in @octokit/openapi's api.github.com description. */
export interface ContractRef {
  readonly path: string;
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly status: number;
}

export interface GhRouteDef {
  /** Stable name for fault injection and the request log, e.g. `issues.list`. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Below `/github`, `:name` for a path value (e.g. `/repos/:owner/:repo/issues`). */
  readonly pattern: string;
  /** The operation's page on docs.github.com, for `documentation_url` in errors. */
  readonly docs: string;
  readonly contract?: ContractRef;
  /** Counted against no budget (GET /rate_limit, as on github.com). */
  readonly free?: boolean;
  readonly handler: (ctx: GhContext) => SandboxResponse | Promise<SandboxResponse>;
}

const PRIMARY_MESSAGE = (id: number) =>
  `API rate limit exceeded for user ID ${id}. If you reach out to GitHub Support for help, please include the request ID ${randomUUID().toUpperCase()} and timestamp ${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.`;
export const SECONDARY_MESSAGE =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ';

/** The rate-limit headers each answered request got, for the mount's commonHeaders. */
export const rateHeadersOf = new WeakMap<SandboxRequest, Record<string, string>>();

/**
 * Applies the primary limit (403 with x-ratelimit-remaining 0 when the budget is spent, as
 * github.com answers a user token) and the secondary limit on content-creating requests (403 with
 * retry-after and the "secondary rate limit" message), then records the headers for the response.
 */
export function chargeRequest(req: SandboxRequest, state: GitHubState, resource: RateResource, cost: number): void {
  const limits = state.limits;
  const writes = req.method !== 'GET' && req.method !== 'HEAD';
  if (!limits.spend(resource, cost)) {
    const snap = limits.snapshot(resource);
    rateHeadersOf.set(req, limits.headers(snap));
    const user = state.user(req.principal ?? '');
    throw new GitHubHttpError(403, errorBody(403, PRIMARY_MESSAGE(user?.id ?? 0), 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'));
  }
  rateHeadersOf.set(req, limits.headers(limits.snapshot(resource)));
  if (writes) chargeContent(state);
}

/** Counts one content-creating request (a REST write or a GraphQL mutation) against the secondary limit. */
export function chargeContent(state: GitHubState): void {
  if (state.limits.spendContent()) return;
  throw new GitHubHttpError(
    403,
    errorBody(403, `${SECONDARY_MESSAGE}${randomUUID().toUpperCase()}.`, 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'),
    { 'retry-after': String(state.limits.secondaryRetryAfterSeconds) },
  );
}

const etagOf = (body: unknown): string => `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40)}"`;

/**
 * GitHub's conditional requests: a GET answered 200 carries an ETag; the same GET with
 * `If-None-Match` of that tag answers 304 with no body, and a 304 is not counted against the rate
 * limit (github.com gives the request back), so polling clients can refresh cheaply.
 */
function conditional(req: SandboxRequest, state: GitHubState, response: SandboxResponse, charged: boolean): SandboxResponse {
  if (req.method !== 'GET' || response.status !== 200 || 'stream' in response || response.body === undefined) return response;
  const etag = etagOf(response.body);
  const wanted = String(req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!wanted.includes(etag.replace(/^W\//, ''))) return { ...response, headers: { ...response.headers, etag } };
  if (charged) {
    state.limits.refund('core');
    rateHeadersOf.set(req, state.limits.headers(state.limits.snapshot('core')));
  }
  return { status: 304, headers: { etag } };
}

/** The server's routes: each def wrapped with rate limiting, conditional GETs and GitHub's error answers. */
export function buildRoutes(defs: readonly GhRouteDef[], state: GitHubState): Route[] {
  return defs.map((def) => ({
    name: def.name,
    method: def.method,
    pattern: def.pattern,
    handler: async (req: SandboxRequest): Promise<SandboxResponse> => {
      try {
        if (def.free) rateHeadersOf.set(req, state.limits.headers(state.limits.snapshot('core')));
        else chargeRequest(req, state, 'core', 1);
        return conditional(req, state, await def.handler(new GhContext(req, state, def.docs)), !def.free);
      } catch (error) {
        if (error instanceof GitHubHttpError) return { status: error.status, headers: error.headers, body: error.body };
        throw error;
      }
    },
  }));
}
