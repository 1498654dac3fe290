import { ZodError } from 'zod';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { redactText } from '../../../core/redact';

/**
 * Turns what octokit throws (RequestError with status and headers, GraphqlResponseError, an abort,
 * a network failure) and zod's complaints into DevOpsErrors a user can act on. Duck-typed rather
 * than `instanceof`, because octokit's packages may be loaded as more than one copy.
 */

export const SIGN_IN_AGAIN = 'GitHub: sign in again or set a token with AI DevOps: Set Personal Access Token or API Key.';

interface HttpErrorLike {
  readonly status: number;
  readonly message: string;
  readonly response?: { readonly headers?: Record<string, string | number | undefined>; readonly data?: unknown };
}

const isHttpError = (e: unknown): e is HttpErrorLike =>
  e instanceof Error && typeof (e as { status?: unknown }).status === 'number' && 'request' in e;

interface GraphqlErrorLike {
  readonly errors: readonly { readonly type?: string; readonly message?: string }[];
}

const isGraphqlError = (e: unknown): e is Error & GraphqlErrorLike =>
  e instanceof Error && Array.isArray((e as { errors?: unknown }).errors) && e.name === 'GraphqlResponseError';

function hasRateLimitedData(e: Error): boolean {
  const data = (e as { data?: { errors?: unknown } }).data;
  return Array.isArray(data?.errors) && data.errors.some((x) => typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'RATE_LIMITED');
}

const isAbort = (e: unknown): boolean => e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');

const header = (e: HttpErrorLike, name: string): string | undefined => {
  const v = e.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
};

const scopes = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The scope(s) the action accepts that the token does not have, from GitHub's two scope headers. */
export function missingScopes(accepted: string | undefined, granted: string | undefined): string[] {
  const need = scopes(accepted);
  const have = new Set(scopes(granted));
  if (need.length === 0 || need.some((s) => have.has(s))) return [];
  return need;
}

/** Seconds to wait, from Retry-After or X-RateLimit-Reset. */
function retryAfterMs(e: HttpErrorLike, now: number): number | undefined {
  const after = Number(header(e, 'retry-after'));
  if (Number.isFinite(after) && after >= 0 && header(e, 'retry-after') !== undefined) return after * 1000;
  const reset = Number(header(e, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

const detailOf = (e: HttpErrorLike): string => {
  const data = e.response?.data;
  const message = typeof data === 'object' && data !== null && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : e.message;
  return redactText(message).slice(0, 300);
};

export interface ErrorContext {
  /** What was being done, for the message: `reading contoso/web#12`. */
  readonly action: string;
  /** The caller's signal: an abort by it is `cancelled`, any other abort a time-out. */
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly now?: number;
}

export function toDevOpsError(error: unknown, context: ErrorContext): DevOpsError {
  if (isDevOpsError(error)) return error;
  const { action } = context;
  if (context.signal?.aborted) return new DevOpsError('cancelled', 'Cancelled.', { cause: error });
  if (isAbort(error)) {
    return new DevOpsError('timeout', `GitHub did not answer in time while ${action}${context.timeoutMs ? ` (${Math.round(context.timeoutMs / 1000)} s)` : ''}; it will be tried again.`, { cause: error });
  }
  if (error instanceof ZodError) {
    const where = error.issues[0] ? `${error.issues[0].path.join('.') || '(root)'}: ${error.issues[0].message}` : 'unknown shape';
    return new DevOpsError('badResponse', `GitHub sent a response the extension does not understand while ${action} (${redactText(where)}).`, { cause: error });
  }
  // The throttling plugin reports a spent GraphQL budget as a plain Error carrying the response data.
  if (error instanceof Error && !isGraphqlError(error) && hasRateLimitedData(error)) {
    return new DevOpsError('rateLimited', `GitHub's GraphQL rate limit is used up while ${action}; it will be tried again later.`, { cause: error });
  }
  if (isGraphqlError(error)) {
    const first = error.errors[0];
    const text = redactText(first?.message ?? 'unknown error').slice(0, 300);
    switch (first?.type) {
      case 'NOT_FOUND':
        return new DevOpsError('notFound', `GitHub: not found while ${action} (${text}).`, { cause: error });
      case 'FORBIDDEN':
      case 'INSUFFICIENT_SCOPES':
        return new DevOpsError('forbidden', `GitHub refused ${action}: ${text}. Projects need the \`project\` scope (\`read:project\` to read); sign in again or use a token with it.`, { cause: error });
      case 'RATE_LIMITED':
        return new DevOpsError('rateLimited', `GitHub's GraphQL rate limit is used up while ${action}; it will be tried again later.`, { cause: error });
      default:
        return new DevOpsError('badResponse', `GitHub could not run the query while ${action}: ${text}.`, { cause: error });
    }
  }
  if (isHttpError(error)) {
    const status = error.status;
    const detail = detailOf(error);
    const now = context.now ?? Date.now();
    const wait = retryAfterMs(error, now);
    const limited = header(error, 'x-ratelimit-remaining') === '0' || /secondary rate|rate limit/i.test(detail);
    const base = { status, cause: error, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    if (status === 401) return new DevOpsError('unauthorized', `GitHub refused the credential (401) while ${action}. ${SIGN_IN_AGAIN}`, base);
    if (status === 429 || (status === 403 && limited)) {
      const secs = wait !== undefined ? ` (about ${Math.ceil(wait / 1000)} s)` : '';
      return new DevOpsError('rateLimited', `GitHub's rate limit was reached while ${action}; it will be tried again later${secs}.`, base);
    }
    if (status === 403) {
      const missing = missingScopes(header(error, 'x-accepted-oauth-scopes'), header(error, 'x-oauth-scopes'));
      if (missing.length > 0) {
        return new DevOpsError('forbidden', `GitHub refused ${action}: the token lacks the ${missing.map((s) => `\`${s}\``).join(' or ')} scope. ${SIGN_IN_AGAIN}`, base);
      }
      return new DevOpsError('forbidden', `GitHub refused ${action} (403): ${detail}. Check that your account may do this in the repository.`, base);
    }
    if (status === 404) return new DevOpsError('notFound', `GitHub: not found while ${action} (it does not exist, or the token cannot see it).`, base);
    if (status === 410) return new DevOpsError('notFound', `GitHub: gone while ${action} (it was deleted or transferred).`, base);
    if (status === 409) return new DevOpsError('conflict', `GitHub reported a conflict while ${action}: ${detail}.`, base);
    if (status === 422) return new DevOpsError('invalidInput', `GitHub did not accept ${action}: ${detail}.`, base);
    if (status >= 500) {
      // octokit reports a failed connection as status 500 with the network error as cause.
      const network = (error as { cause?: unknown }).cause !== undefined && error.response === undefined;
      return network
        ? new DevOpsError('unavailable', `GitHub cannot be reached while ${action} (${redactText(error.message).slice(0, 200)}); it will be tried again.`, base)
        : new DevOpsError('unavailable', `GitHub is unavailable (${status}) while ${action}; it will be tried again.`, base);
    }
    return new DevOpsError('badResponse', `GitHub answered ${status} while ${action}: ${detail}.`, base);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DevOpsError('unavailable', `GitHub request failed while ${action}: ${redactText(message).slice(0, 200)}.`, { cause: error });
}
