/**
 * GitHub's rate limits as github.com applies them to a user token: a primary budget per resource
 * (`core` 5,000 requests an hour, `graphql` 5,000 points an hour) that resets at a fixed time, and
 * a secondary limit on content-creating requests (80 a minute). Runtime only; tests lower the
 * numbers to reach them.
 */
export type RateResource = 'core' | 'graphql' | 'search';

export interface ResourceWindow {
  limit: number;
  used: number;
  /** Epoch ms at which `used` returns to 0. */
  resetAt: number;
}

export interface RateSnapshot {
  readonly resource: RateResource;
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  /** Epoch seconds, as the x-ratelimit-reset header carries it. */
  readonly reset: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

export class RateLimits {
  /** Hourly budgets; set `limits.windows.core.limit = 3` in a test to reach the limit quickly. */
  readonly windows: Record<RateResource, ResourceWindow>;
  /** Content-creating requests (POST, PATCH, PUT, DELETE and GraphQL mutations) allowed per minute. */
  contentPerMinute = 80;
  /** Seconds GitHub asks a client to wait after a secondary limit. */
  secondaryRetryAfterSeconds = 60;
  private contentRequests: number[] = [];

  constructor(private readonly now: () => number) {
    const t = now();
    this.windows = {
      core: { limit: 5_000, used: 0, resetAt: t + HOUR },
      graphql: { limit: 5_000, used: 0, resetAt: t + HOUR },
      search: { limit: 30, used: 0, resetAt: t + MINUTE },
    };
  }

  private window(resource: RateResource): ResourceWindow {
    const w = this.windows[resource];
    const t = this.now();
    if (t >= w.resetAt) {
      w.used = 0;
      w.resetAt = t + (resource === 'search' ? MINUTE : HOUR);
    }
    return w;
  }

  snapshot(resource: RateResource): RateSnapshot {
    const w = this.window(resource);
    return { resource, limit: w.limit, used: w.used, remaining: Math.max(0, w.limit - w.used), reset: Math.ceil(w.resetAt / 1000) };
  }

  /** Spends `cost` from the budget; false (nothing spent) when there is not enough left. */
  spend(resource: RateResource, cost = 1): boolean {
    const w = this.window(resource);
    if (w.used + cost > w.limit) return false;
    w.used += cost;
    return true;
  }

  /** Gives back what a request spent (a 304 answer to a conditional request is free on GitHub). */
  refund(resource: RateResource, cost = 1): void {
    const w = this.window(resource);
    w.used = Math.max(0, w.used - cost);
  }

  /** Counts one content-creating request; false when that exceeds the per-minute secondary limit. */
  spendContent(): boolean {
    const t = this.now();
    this.contentRequests = this.contentRequests.filter((at) => at > t - MINUTE);
    if (this.contentRequests.length >= this.contentPerMinute) return false;
    this.contentRequests.push(t);
    return true;
  }

  headers(s: RateSnapshot): Record<string, string> {
    return {
      'x-ratelimit-limit': String(s.limit),
      'x-ratelimit-remaining': String(s.remaining),
      'x-ratelimit-reset': String(s.reset),
      'x-ratelimit-used': String(s.used),
      'x-ratelimit-resource': s.resource,
    };
  }
}
