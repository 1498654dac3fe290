import { randomUUID } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import { type z } from 'zod';
import { type GitHubEndpoint } from '../../../core/backend';
import { DevOpsError, throwIfAborted } from '../../../core/errors';
import { type Credential, type CredentialRefresh, type Logger } from '../../../core/host';
import { redactText } from '../../../core/redact';
import { SIGN_IN_AGAIN, toDevOpsError } from './githubErrors';
import { withQueryRetries } from './queryRetry';

/**
 * One authenticated octokit pair for a GitHub endpoint, with the throttling and retry plugins:
 * - `writer` carries REST writes and GraphQL mutations, spaced as GitHub asks (one content write a
 *   second, three seconds between writes that notify people: the plugin's defaults);
 * - `reader` carries GETs and GraphQL queries. The throttling plugin puts every GraphQL request in
 *   its write queue, which would space a 10-page board read by 10 seconds; the reader gets a write
 *   queue of its own without that spacing (GitHub's one-second rule is for mutations).
 * - `query` carries GraphQL queries with neither plugin: the plugins' Bottleneck queues cost about
 *   15 ms a request in timer turns, most of a 500-page board read's cost beyond the plain client.
 *   queryRetry.ts makes the plugins' retry and rate-limit decisions for it.
 * Every call gets a deadline and the caller's AbortSignal; a 401 asks the host once for a fresh
 * credential and tries again; every error leaves as a DevOpsError.
 */

const MyOctokit = Octokit.plugin(throttling, retry);
export type Kit = InstanceType<typeof MyOctokit>;

/** The three octokits of a client (see the class comment). */
interface Kits {
  readonly reader: Kit;
  readonly writer: Kit;
  readonly query: Octokit;
}

export type CredentialSource = (request?: CredentialRefresh) => Promise<Credential | undefined>;

export interface GitHubClientTuning {
  /** Retries of a 5xx or dropped connection by the retry plugin (GitHub's own advice: a few). */
  readonly retries?: number;
  /** Milliseconds per "second" of the plugins' back-off and Retry-After (tests shorten it). */
  readonly retryBaseMs?: number;
  /** Spacing of writes (GitHub: at least one second between content writes). */
  readonly writeSpacingMs?: number;
  /** Spacing of writes that notify (issues, comments); the plugin's default is three seconds. */
  readonly notifySpacingMs?: number;
  /**
   * Content-creating writes (issues, comments) allowed an hour: GitHub's secondary limit is about
   * 500. Past it, writes wait in the queue for the next hour and, past their time-out, go to the outbox.
   */
  readonly contentPerHour?: number;
  /** Rate-limit waits up to this long are waited out once; longer ones fail (and writes queue). */
  readonly maxRateLimitWaitSeconds?: number;
}

export interface GitHubClientOptions {
  readonly endpoint: GitHubEndpoint;
  readonly credential: CredentialSource;
  readonly log: Logger;
  readonly fetch?: typeof globalThis.fetch;
  /** Per request, covering its retries. */
  readonly timeoutMs?: number;
  readonly tuning?: GitHubClientTuning;
}

/** The last rate-limit headers GitHub sent (the status bar tooltip shows them). */
export interface RateBudget {
  readonly resource: string;
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  readonly resetAt: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly write?: boolean;
}

const authorization = (c: Credential): string => (c.kind === 'bearer' ? `bearer ${c.value}` : `token ${c.value}`);

export class GitHubClient {
  private credentialValue: Credential | undefined;
  private credentialVersion = 0;
  private kits: Kits | undefined;
  private requestCount = 0;
  private lastBudget: RateBudget | undefined;
  private readonly budgets = new Map<string, RateBudget>();
  readonly timeoutMs: number;

  constructor(private readonly options: GitHubClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  get endpoint(): GitHubEndpoint {
    return this.options.endpoint;
  }

  /** HTTP requests sent so far (retries included). */
  get requests(): number {
    return this.requestCount;
  }

  budget(resource?: string): RateBudget | undefined {
    return resource ? this.budgets.get(resource) : this.lastBudget;
  }

  /** A REST call. `fn` gets the octokit and the request options to pass (signal). */
  async rest<T>(action: string, fn: (kit: Kit, request: { signal: AbortSignal }) => Promise<T>, options: CallOptions = {}): Promise<T> {
    return this.run(action, options, (kits, signal) => fn(options.write ? kits.writer : kits.reader, { signal }));
  }

  /** A REST call whose `data` is validated with `schema`; returns data and headers. */
  async restParsed<S extends z.ZodType>(
    action: string,
    schema: S,
    fn: (kit: Kit, request: { signal: AbortSignal }) => Promise<{ data: unknown; headers: Record<string, string | number | undefined> }>,
    options: CallOptions = {},
  ): Promise<{ data: z.output<S>; headers: Record<string, string | number | undefined> }> {
    const response = await this.rest(action, fn, options);
    try {
      return { data: schema.parse(response.data), headers: response.headers };
    } catch (error) {
      throw toDevOpsError(error, { action });
    }
  }

  /** A GraphQL query or mutation, its `data` validated with `schema`. */
  async graphql<S extends z.ZodType>(action: string, query: string, variables: Record<string, unknown>, schema: S, options: CallOptions = {}): Promise<z.output<S>> {
    const tuning = this.options.tuning ?? {};
    const policy = { retries: tuning.retries ?? 2, baseMs: tuning.retryBaseMs ?? 1000, maxWaitSeconds: tuning.maxRateLimitWaitSeconds ?? 10, log: this.options.log };
    const data = await this.run(action, options, (kits, signal) =>
      options.write
        ? kits.writer.graphql<unknown>(query, { ...variables, request: { signal } })
        : withQueryRetries(() => kits.query.graphql<unknown>(query, { ...variables, request: { signal } }), policy, signal, 'POST /graphql'),
    );
    try {
      return schema.parse(data);
    } catch (error) {
      throw toDevOpsError(error, { action });
    }
  }

  private async run<T>(action: string, options: CallOptions, call: (kits: Kits, signal: AbortSignal) => Promise<T>): Promise<T> {
    throwIfAborted(options.signal);
    let refreshed = false;
    for (;;) {
      await this.ensureCredential(action, false);
      const deadline = this.deadline(options.signal);
      try {
        // A request still waiting in the throttling queue never sees the signal: stop waiting for it.
        // (When its turn comes, fetch refuses the aborted signal at once.)
        const pending = call(this.kitsFor(), deadline.signal);
        pending.catch(() => undefined);
        const result = await Promise.race([pending, deadline.aborted]);
        // octokit swallows an abort while reading the body and hands back what it got.
        if (options.signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
        if (deadline.timedOut()) throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
        return result;
      } catch (error) {
        if (options.signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.', { cause: error });
        const status = (error as { status?: unknown }).status;
        if (status === 401 && !refreshed && !deadline.timedOut()) {
          refreshed = true;
          const before = this.credentialValue?.value;
          this.options.log.info(`GitHub refused the credential while ${action}; asking for a fresh one.`);
          await this.ensureCredential(action, true);
          if (this.credentialValue?.value !== before) continue;
        }
        throw toDevOpsError(deadline.timedOut() ? Object.assign(new Error('timed out'), { name: 'TimeoutError' }) : error, {
          action,
          timeoutMs: this.timeoutMs,
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } finally {
        deadline.dispose();
      }
    }
  }

  private async ensureCredential(action: string, forceRefresh: boolean): Promise<void> {
    if (this.credentialValue && !forceRefresh) return;
    let credential: Credential | undefined;
    try {
      credential = await this.options.credential(forceRefresh ? { forceRefresh: true } : undefined);
    } catch (error) {
      throw new DevOpsError('unauthorized', `No GitHub credential could be read while ${action}. ${SIGN_IN_AGAIN}`, { cause: error });
    }
    if (!credential) {
      this.credentialValue = undefined;
      throw new DevOpsError('unauthorized', forceRefresh ? `GitHub refused the credential (401) while ${action}. ${SIGN_IN_AGAIN}` : `GitHub is not signed in. ${SIGN_IN_AGAIN}`);
    }
    if (credential.value !== this.credentialValue?.value) this.credentialVersion++;
    this.credentialValue = credential;
  }

  /** Grows each time a different credential is taken (a new sign-in may be another account). */
  get credentialGeneration(): number {
    return this.credentialVersion;
  }

  /** Aborts on the caller's signal or after the time-out; an abort without reason keeps octokit from retrying it. */
  private deadline(outer: AbortSignal | undefined): { signal: AbortSignal; aborted: Promise<never>; timedOut: () => boolean; dispose: () => void } {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = (): void => controller.abort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const aborted = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(Object.assign(new Error('The request was aborted.'), { name: 'AbortError' })), { once: true }),
    );
    aborted.catch(() => undefined);
    return {
      signal: controller.signal,
      aborted,
      timedOut: () => timedOut,
      dispose: () => {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
      },
    };
  }

  private kitsFor(): Kits {
    if (this.kits) return this.kits;
    const tuning = this.options.tuning ?? {};
    const baseFetch = this.options.fetch ?? globalThis.fetch;
    const counting: typeof globalThis.fetch = async (input, init) => {
      this.requestCount++;
      const response = await baseFetch(input, init);
      this.noteBudget(response.headers);
      return response;
    };
    const log = this.options.log;
    const maxWait = tuning.maxRateLimitWaitSeconds ?? 10;
    const hourly = tuning.contentPerHour ?? 500;
    const onLimit = (kind: string) => (retryAfter: number, request: { method?: string; url?: string }, _kit: unknown, retryCount: number): boolean => {
      const retryNow = retryCount < 1 && retryAfter <= maxWait;
      log.warn(`GitHub ${kind} for ${request.method ?? ''} ${redactText(request.url ?? '')}: retry after ${retryAfter} s${retryNow ? '' : ' (not waiting)'}.`);
      return retryNow;
    };
    const kitLog = {
      debug: (m: string) => log.trace(redactText(m)),
      info: (m: string) => log.debug(redactText(m)),
      warn: (m: string) => log.warn(redactText(m)),
      error: (m: string) => log.error(redactText(m)),
    };
    const signIn = (kit: Octokit): void =>
      kit.hook.before('request', (request) => {
        if (this.credentialValue) request.headers.authorization = authorization(this.credentialValue);
      });
    const baseUrl = this.options.endpoint.baseUrl.replace(/\/+$/, '');
    const make = (role: 'reader' | 'writer'): Kit => {
      const spacing = role === 'writer' ? (tuning.writeSpacingMs ?? 1000) : 0;
      const kit = new MyOctokit({
        baseUrl,
        userAgent: 'ai-devops-vscode',
        request: { fetch: counting },
        log: kitLog,
        retry: { retries: tuning.retries ?? 2, retryAfterBaseValue: tuning.retryBaseMs ?? 1000 },
        throttle: {
          id: `ai-devops-${role}-${randomUUID()}`,
          retryAfterBaseValue: tuning.retryBaseMs ?? 1000,
          write: new Bottleneck.Group({ maxConcurrent: role === 'writer' ? 1 : 4, minTime: spacing }),
          // The plugin spaces writes that notify (issues, comments) by 3 s: at most 20 a minute, under
          // GitHub's 80; the reservoir adds the hourly cap the plugin does not keep.
          notifications: new Bottleneck.Group(
            role === 'writer'
              ? { maxConcurrent: 1, minTime: tuning.notifySpacingMs ?? 3000, reservoir: hourly, reservoirRefreshAmount: hourly, reservoirRefreshInterval: 3_600_000 }
              : { maxConcurrent: 1, minTime: 0 },
          ),
          onRateLimit: onLimit('rate limit'),
          onSecondaryRateLimit: onLimit('secondary rate limit'),
        },
      });
      signIn(kit);
      return kit;
    };
    const query = new Octokit({ baseUrl, userAgent: 'ai-devops-vscode', request: { fetch: counting }, log: kitLog });
    signIn(query);
    this.kits = { reader: make('reader'), writer: make('writer'), query };
    return this.kits;
  }

  private noteBudget(headers: Headers): void {
    const limit = Number(headers.get('x-ratelimit-limit'));
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    if (!headers.has('x-ratelimit-remaining') || !Number.isFinite(limit) || !Number.isFinite(remaining)) return;
    const reset = Number(headers.get('x-ratelimit-reset'));
    const budget: RateBudget = {
      resource: headers.get('x-ratelimit-resource') ?? 'core',
      limit,
      remaining,
      used: Number(headers.get('x-ratelimit-used')) || Math.max(0, limit - remaining),
      resetAt: new Date(Number.isFinite(reset) && reset > 0 ? reset * 1000 : Date.now()).toISOString(),
    };
    this.lastBudget = budget;
    this.budgets.set(budget.resource, budget);
  }
}

/** The `next` link of a paginated REST answer. */
export function nextLink(headers: Record<string, string | number | undefined>): string | undefined {
  const link = headers.link;
  if (typeof link !== 'string') return undefined;
  return /<([^>]+)>\s*;\s*rel="next"/.exec(link)?.[1];
}
