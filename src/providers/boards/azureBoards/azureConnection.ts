import * as azdev from 'azure-devops-node-api';
import { type IRequestHandler } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces';
import { BulkheadPolicy, ExponentialBackoff, handleWhen, type IBackoff, type IBackoffFactory, type IRetryBackoffContext, retry, type RetryPolicy } from 'cockatiel';
import { type AzureDevOpsEndpoint } from '../../../core/backend';
import { describeScope, originOf, scopeAllows } from '../../../core/credentialScope';
import { DevOpsError, isDevOpsError, throwIfAborted } from '../../../core/errors';
import { type Credential, type CredentialRefresh, type Logger } from '../../../core/host';
import { startupTimeline } from '../../../core/startupTimeline';
import { type RateLimitReading, SIGN_IN_AGAIN, toDevOpsError } from './azureErrors';

/**
 * The WebApi and its area clients, each made once: a new area client starts with an empty
 * location cache and would ask OPTIONS again before its first call.
 */
export class AzureClients {
  private readonly made = new Map<string, Promise<unknown>>();
  /**
   * Area clients are made one after another: the first asks the organization's resource areas
   * and the WebApi keeps them, but two made at once would each ask (and each ask OPTIONS first).
   */
  private making: Promise<unknown> = Promise.resolve();
  constructor(readonly web: azdev.WebApi) {
    refuseSignInPage(web.rest);
  }
  private once<T extends { rest: unknown }>(name: string, make: () => Promise<T>): Promise<T> {
    let p = this.made.get(name) as Promise<T> | undefined;
    if (!p) {
      // Making an area client asks the service where that area lives: the discovery start-up waits for.
      p = this.making
        .catch(() => undefined)
        .then(() => startupTimeline().span(`Azure DevOps: ${name} client (discovery)`, make))
        .then((client) => {
          refuseSignInPage(client.rest);
          return client;
        });
      this.making = p;
      this.made.set(name, p);
      p.catch(() => this.made.delete(name));
    }
    return p;
  }
  wit(): ReturnType<azdev.WebApi['getWorkItemTrackingApi']> {
    return this.once('wit', () => this.web.getWorkItemTrackingApi());
  }
  core(): ReturnType<azdev.WebApi['getCoreApi']> {
    return this.once('core', () => this.web.getCoreApi());
  }
  work(): ReturnType<azdev.WebApi['getWorkApi']> {
    return this.once('work', () => this.web.getWorkApi());
  }
  git(): ReturnType<azdev.WebApi['getGitApi']> {
    return this.once('git', () => this.web.getGitApi());
  }
  wiki(): ReturnType<azdev.WebApi['getWikiApi']> {
    return this.once('wiki', () => this.web.getWikiApi());
  }
  pipelines(): ReturnType<azdev.WebApi['getPipelinesApi']> {
    return this.once('pipelines', () => this.web.getPipelinesApi());
  }
  builds(): ReturnType<azdev.WebApi['getBuildApi']> {
    return this.once('build', () => this.web.getBuildApi());
  }
  policy(): ReturnType<azdev.WebApi['getPolicyApi']> {
    return this.once('policy', () => this.web.getPolicyApi());
  }
  test(): ReturnType<azdev.WebApi['getTestApi']> {
    return this.once('test', () => this.web.getTestApi());
  }
}

interface ResponseLike {
  readonly message?: { readonly statusCode?: number; readonly headers?: Record<string, unknown>; resume?: () => void };
}

/**
 * A 203 with the HTML sign-in page (what dev.azure.com answers a bad credential without the
 * Suppress header, and what some proxies do) is a success to typed-rest-client, which reads it as
 * an empty result. Turn it into the 203 error it is, so the user is asked to sign in again.
 */
function refuseSignInPage(rest: unknown): void {
  // processResponse is protected in typed-rest-client's types; every RestClient method calls it on `this`.
  const client = rest as { processResponse: (res: ResponseLike, options: unknown) => Promise<unknown>; signInGuarded?: boolean };
  if (client.signInGuarded) return;
  client.signInGuarded = true;
  const original = client.processResponse.bind(client);
  client.processResponse = (res, options) => {
    const status = res.message?.statusCode;
    const type = String(res.message?.headers?.['content-type'] ?? '');
    if (status === 203 || (status !== undefined && status < 300 && /text\/html/i.test(type))) {
      res.message?.resume?.();
      return Promise.reject(Object.assign(new Error('Azure DevOps answered with its sign-in page.'), { statusCode: 203 }));
    }
    return original(res, options);
  };
}

export type CredentialSource = (request?: CredentialRefresh) => Promise<Credential | undefined>;

export interface AzureConnectionOptions {
  readonly endpoint: AzureDevOpsEndpoint;
  readonly credential: CredentialSource;
  readonly log: Logger;
  /** Requests in flight at once (the batch fetch fans out up to this many). */
  readonly concurrency?: number;
  /** Per-request socket time-out. */
  readonly timeoutMs?: number;
  /** Retries of a read after a 429, 5xx, time-out or dropped connection. */
  readonly retries?: number;
  /** First retry delay; doubled per attempt (cockatiel's decorrelated jitter) unless Retry-After says otherwise. */
  readonly retryDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error goes up (writes go to the outbox). */
  readonly maxRetryAfterMs?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Retried on transient failures; writes are not (the outbox replays them with their client id). */
  readonly idempotent: boolean;
}

type Context = IRetryBackoffContext<unknown>;

/** cockatiel's exponential backoff, replaced by the service's Retry-After when it sent one. */
function honouringRetryAfter(inner: IBackoffFactory<unknown>): IBackoffFactory<Context> {
  return {
    next(context: Context): IBackoff<Context> {
      const base = inner.next(undefined) as IBackoff<unknown>;
      const error = 'error' in context.result ? context.result.error : undefined;
      const hinted = isDevOpsError(error) ? error.options.retryAfterMs : undefined;
      return { duration: hinted ?? base.duration, next: honouringRetryAfter(base).next };
    },
  };
}

/**
 * One authenticated azure-devops-node-api connection with the policies every call goes through:
 * a bulkhead (at most `concurrency` requests in flight), retries of reads honouring Retry-After
 * and X-RateLimit-*, per-request time-out, cancellation, and one credential refresh when the
 * service refuses the credential. Counts HTTP requests (the bench and tests read `requests`).
 */
export class AzureConnection {
  requests = 0;
  lastRateLimit: RateLimitReading | undefined;
  /** No request before this time (epoch ms): the service sent Retry-After or X-RateLimit-Delay. */
  pausedUntil: number | undefined;
  private webApi: Promise<AzureClients> | undefined;
  /** Bumped when the credential is renewed, so concurrent refusals renew it once. */
  private generation = 0;
  private readonly bulkhead: BulkheadPolicy;
  private readonly retryPolicy: RetryPolicy;

  constructor(readonly options: AzureConnectionOptions) {
    this.bulkhead = new BulkheadPolicy(options.concurrency ?? 8, Number.MAX_SAFE_INTEGER);
    const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
    this.retryPolicy = retry(
      handleWhen((e) => isDevOpsError(e) && e.transient && (e.options.retryAfterMs ?? 0) <= maxRetryAfter),
      {
        maxAttempts: options.retries ?? 3,
        backoff: honouringRetryAfter(new ExponentialBackoff({ initialDelay: options.retryDelayMs ?? 500, maxDelay: 10_000 })),
      },
    );
  }

  get endpoint(): AzureDevOpsEndpoint {
    return this.options.endpoint;
  }

  async api(): Promise<AzureClients> {
    const current = (this.webApi ??= this.build(undefined));
    try {
      return await current;
    } catch (error) {
      // Not signed in yet: ask again next time instead of keeping the failure.
      if (this.webApi === current) this.webApi = undefined;
      throw error;
    }
  }

  /**
   * Runs one client call under the policies. `what` names it for error messages
   * ("reading work items"). A refused credential is renewed once (forceRefresh), then the user is
   * told to sign in again.
   */
  async call<T>(what: string, fn: (api: AzureClients) => Promise<T>, options: CallOptions): Promise<T> {
    // The first call of each kind goes on the start-up timeline (discovery and waiting included).
    return startupTimeline().span(`Azure DevOps: ${what}`, () => this.callOnce(what, fn, options));
  }

  private async callOnce<T>(what: string, fn: (api: AzureClients) => Promise<T>, options: CallOptions): Promise<T> {
    const attempt = async (): Promise<T> => {
      throwIfAborted(options.signal);
      let generation = this.generation;
      try {
        const api = await this.api();
        generation = this.generation;
        return await this.bulkhead.execute(async () => {
          await this.waitForPause(options.signal);
          const result = await abortable(fn(api), options.signal);
          this.noteRateLimit(result);
          return result;
        });
      } catch (error) {
        this.noteRateLimit(error);
        const mapped = toDevOpsError(error, what);
        if (mapped.code !== 'unauthorized') throw mapped;
        // Many calls in flight may be refused at once: the first renews, the others use its result.
        if (generation === this.generation) {
          this.generation++;
          this.options.log.info('Azure DevOps refused the credential; asking for a fresh one.');
          this.webApi = this.build({ forceRefresh: true });
        }
        const api = await this.api();
        try {
          return await this.bulkhead.execute(() => abortable(fn(api), options.signal));
        } catch (second) {
          throw toDevOpsError(second, what);
        }
      }
    };
    if (!options.idempotent) return attempt();
    return this.retryPolicy.execute(attempt, options.signal);
  }

  /**
   * Reads the X-RateLimit-* values the client attaches to results and errors (`rateLimit`). A
   * Retry-After or X-RateLimit-Delay, even on a success, pauses every request of this connection
   * for that long, as the service asks; the values are kept for the status bar.
   */
  private noteRateLimit(carrier: unknown): void {
    const r = carrier !== null && typeof carrier === 'object' ? (carrier as { rateLimit?: Record<string, unknown> }).rateLimit : undefined;
    if (!r || typeof r !== 'object') return;
    const n = (v: unknown): number | undefined => {
      const x = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : undefined;
      return x !== undefined && Number.isFinite(x) ? x : undefined;
    };
    const reset = n(r.reset);
    this.lastRateLimit = {
      limit: n(r.limit),
      remaining: n(r.remaining),
      resource: typeof r.resource === 'string' ? r.resource : undefined,
      resetAt: reset !== undefined ? new Date(reset * 1000).toISOString() : undefined,
    };
    const waitSeconds = n(r.retryAfter) ?? n(r.delay);
    if (waitSeconds !== undefined && waitSeconds > 0) {
      const until = Date.now() + Math.min(waitSeconds * 1000, this.options.maxRetryAfterMs ?? 30_000);
      this.pausedUntil = Math.max(this.pausedUntil ?? 0, until);
    }
  }

  /** True when fewer than a tenth of the rate-limit budget is left: background refresh should slow down. */
  get nearRateLimit(): boolean {
    const r = this.lastRateLimit;
    if (r?.remaining === undefined || r.limit === undefined || r.limit <= 0) return this.pausedUntil !== undefined && this.pausedUntil > Date.now();
    return r.remaining / r.limit < 0.1;
  }

  private async waitForPause(signal: AbortSignal | undefined): Promise<void> {
    const wait = (this.pausedUntil ?? 0) - Date.now();
    if (wait <= 0) return;
    await abortable(new Promise<void>((resolve) => setTimeout(resolve, wait).unref()), signal);
  }

  private async build(request: CredentialRefresh | undefined): Promise<AzureClients> {
    const credential = await this.options.credential(request);
    if (!credential) {
      if (request?.forceRefresh) throw new DevOpsError('unauthorized', SIGN_IN_AGAIN);
      throw new DevOpsError('notConfigured', 'Not signed in to Azure DevOps: run AI DevOps: Sign In to Azure DevOps or GitHub, or set a PAT with AI DevOps: Set Personal Access Token or API Key.');
    }
    const inner = credential.kind === 'bearer' ? azdev.getBearerHandler(credential.value) : azdev.getPersonalAccessTokenHandler(credential.value);
    const scope = credential.scope;
    const counting: IRequestHandler = {
      prepareRequest: (options) => {
        this.requests++;
        // The location service names the hosts of each area; the credential goes only where it is bound.
        const url = requestUrl(options);
        if (scope && !scopeAllows(scope, url)) {
          throw new DevOpsError('refused', `Azure DevOps sent a request to ${originOf(url) ?? url}, where your credential (for ${describeScope(scope)}) is not sent. Nothing was sent there.`);
        }
        inner.prepareRequest(options);
      },
      canHandleAuthentication: () => false,
      handleAuthentication: () => Promise.reject(new Error('not handled')),
    };
    return new AzureClients(
      new azdev.WebApi(this.options.endpoint.organizationUrl, counting, {
        socketTimeout: this.options.timeoutMs ?? 30_000,
        allowRetries: false,
      }),
    );
  }
}

/** The URL typed-rest-client is about to request (its options carry host, port and path; the agent, the protocol). */
function requestUrl(options: { host?: string | null; port?: number | string | null; path?: string | null; agent?: unknown }): string {
  const protocol = (options.agent as { protocol?: unknown } | undefined)?.protocol;
  const scheme = typeof protocol === 'string' ? protocol : Number(options.port) === 80 ? 'http:' : 'https:';
  const host = (options.host ?? '').includes(':') ? `[${options.host}]` : (options.host ?? '');
  return `${scheme}//${host}${options.port ? `:${options.port}` : ''}${options.path ?? ''}`;
}

/** Settles with the call, or rejects with `cancelled` as soon as the signal fires (the socket is left to finish). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new DevOpsError('cancelled', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DevOpsError('cancelled', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
