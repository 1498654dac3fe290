import { handleWhen, retry, type IBackoff, type IBackoffFactory } from 'cockatiel';
import { type Logger } from '../../../core/host';
import { redactText } from '../../../core/redact';

/**
 * The retry rules of GraphQL queries (reads), the same decisions octokit's retry and throttling
 * plugins make, without their Bottleneck queues: Bottleneck's local store yields to the timer
 * queue several times a request (about 15 ms a request, measured: 19 ms against 3 ms for the same
 * query on loopback), which was most of what a 500-page board read cost beyond the plain client.
 * Queries need no spacing (GitHub's one-second rule is for mutations), so they skip the queue;
 * mutations keep the plugins.
 *
 * - a 5xx, a dropped connection, or GraphQL's "Something went wrong while executing your query":
 *   tried again `retries` times, after baseMs·n² (the retry plugin's back-off);
 * - a rate limit (Retry-After on a secondary limit, x-ratelimit-remaining 0 or RATE_LIMITED on
 *   the primary): waited out once when the wait is at most `maxWaitSeconds` (the throttling
 *   plugin's onRateLimit as the client configures it), else thrown for the caller to report;
 * - anything else (401, 403, 404, 422, a cancelled or timed-out request): thrown at once.
 */
export interface QueryRetryPolicy {
  readonly retries: number;
  /** Milliseconds per "second" of back-off and of a rate limit's wait (tests shorten it). */
  readonly baseMs: number;
  readonly maxWaitSeconds: number;
  readonly log: Logger;
  readonly now?: () => number;
}

interface FailureLike {
  readonly status?: number;
  readonly message: string;
  readonly headers?: Record<string, string | number | undefined>;
  readonly response?: { readonly headers?: Record<string, string | number | undefined>; readonly data?: unknown };
  readonly errors?: readonly { readonly type?: string; readonly message?: string }[];
}

const headersOf = (e: FailureLike): Record<string, string | number | undefined> => e.response?.headers ?? e.headers ?? {};

const graphqlErrors = (e: FailureLike): readonly { type?: string; message?: string }[] => {
  if (Array.isArray(e.errors)) return e.errors;
  const data = e.response?.data as { errors?: unknown } | undefined;
  return Array.isArray(data?.errors) ? (data.errors as { type?: string; message?: string }[]) : [];
};

/** Seconds to wait when `error` is a rate limit (a 401 never is), else undefined. */
export function rateLimitWait(error: unknown, now: number): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as FailureLike;
  if (e.status === 401) return undefined;
  const headers = headersOf(e);
  if (/\bsecondary rate\b/i.test(e.message)) return Number(headers['retry-after']) || 60;
  if (String(headers['x-ratelimit-remaining']) === '0' || graphqlErrors(e).some((x) => x.type === 'RATE_LIMITED')) {
    const reset = (Number(headers['x-ratelimit-reset']) || 0) * 1000;
    return Math.max(Math.ceil((reset - now) / 1000) + 1, 0);
  }
  if ((e.status === 403 || e.status === 429) && headers['retry-after'] !== undefined) return Number(headers['retry-after']) || 0;
  return undefined;
}

/** A failure worth the same question again: the service's 5xx, a lost connection, GitHub's "went wrong" error. */
export function transientFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error.name === 'AbortError' || error.name === 'TimeoutError') return false;
  const e = error as FailureLike;
  if (typeof e.status === 'number') return e.status >= 500;
  if (graphqlErrors(e).some((x) => /Something went wrong while executing your query/.test(x.message ?? ''))) return true;
  // fetch's own failure (no status): the connection was refused or dropped.
  return error.name === 'TypeError' || /fetch failed|ECONNRESET|socket hang up/i.test(error.message);
}

/**
 * Sends `send` until it answers or the policy gives up; `label` names the request in the log.
 * cockatiel's retry policy runs the loop; the decision (whether to ask again and after how long)
 * is made once per failure by the filter, which the back-off then reads, because the two kinds of
 * failure keep separate budgets (one rate-limit wait, `retries` transient failures).
 */
export async function withQueryRetries<T>(send: () => Promise<T>, policy: QueryRetryPolicy, signal: AbortSignal, label: string): Promise<T> {
  let failures = 0;
  let waited = false;
  let nextDelayMs = 0;
  const askAgain = (error: Error): boolean => {
    if (signal.aborted) return false;
    const wait = rateLimitWait(error, (policy.now ?? Date.now)());
    if (wait !== undefined) {
      const waitNow = !waited && wait <= policy.maxWaitSeconds;
      policy.log.warn(`GitHub rate limit for ${redactText(label)}: retry after ${wait} s${waitNow ? '' : ' (not waiting)'}.`);
      if (!waitNow) return false;
      waited = true;
      nextDelayMs = wait * policy.baseMs;
      return true;
    }
    if (!transientFailure(error) || failures >= policy.retries) return false;
    failures++;
    // The retry plugin's back-off: n² "seconds" after the n-th failure.
    nextDelayMs = failures ** 2 * policy.baseMs;
    return true;
  };
  const decided: IBackoffFactory<unknown> = { next: (): IBackoff<unknown> => ({ duration: nextDelayMs, next: decided.next }) };
  const retrying = retry(handleWhen(askAgain), { maxAttempts: policy.retries + 1, backoff: decided });
  retrying.onRetry(({ delay }) => policy.log.debug(`GitHub ${redactText(label)}: asking again in ${delay} ms.`));
  const run = retrying.execute(() => send(), signal);
  if (signal.aborted) return run;
  // cockatiel's back-off does not listen to the signal: a cancel answers at once, and the run it
  // leaves behind sends nothing more (its next attempt goes out with the aborted signal, which
  // fetch refuses before any request, and the filter gives up).
  let stop: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    stop = () => reject(signal.reason instanceof Error ? signal.reason : Object.assign(new Error('The request was aborted.'), { name: 'AbortError' }));
    signal.addEventListener('abort', stop, { once: true });
  });
  run.catch(() => undefined);
  cancelled.catch(() => undefined);
  try {
    return await Promise.race([run, cancelled]);
  } finally {
    signal.removeEventListener('abort', stop!);
  }
}
