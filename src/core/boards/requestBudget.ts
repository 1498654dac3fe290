/**
 * The services' request budgets as last seen in their rate-limit headers: GitHub's
 * x-ratelimit-* on every response (per resource: core, graphql, search), Azure DevOps'
 * X-RateLimit-* (sent once a user's usage is being delayed or is near the limit). The status bar
 * shows them, and background refresh slows down before the service has to refuse us.
 */
export interface BudgetReading {
  readonly service: 'GitHub' | 'Azure DevOps';
  readonly resource?: string;
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetAt?: string;
}

/** Below this share of the budget left, background refresh runs four times less often. */
export const LOW_BUDGET_SHARE = 0.2;
/** Below this share, background refresh waits for the reset (a user's own action still goes). */
export const CRITICAL_BUDGET_SHARE = 0.05;

export function remainingShare(reading: BudgetReading): number | undefined {
  if (reading.limit === undefined || reading.remaining === undefined || reading.limit <= 0) return undefined;
  return Math.max(0, Math.min(1, reading.remaining / reading.limit));
}

/**
 * How long to wait before the next background refresh, given the normal interval and the budgets
 * seen. Never shorter than `baseMs`; at most until the budget that is nearly spent resets.
 */
export function backgroundRefreshDelayMs(baseMs: number, readings: readonly BudgetReading[], now: Date): number {
  let delay = baseMs;
  for (const reading of readings) {
    const share = remainingShare(reading);
    if (share === undefined) continue;
    if (share < CRITICAL_BUDGET_SHARE) {
      const reset = reading.resetAt ? Date.parse(reading.resetAt) - now.getTime() : Number.NaN;
      delay = Math.max(delay, Number.isFinite(reset) && reset > 0 ? reset : baseMs * 4);
    } else if (share < LOW_BUDGET_SHARE) {
      delay = Math.max(delay, baseMs * 4);
    }
  }
  return delay;
}

const formatNumber = (n: number): string => n.toLocaleString('en-US');

/** One Markdown line per reading, e.g. `GitHub graphql: 4,812 of 5,000 left (resets 14:05 UTC)`. */
export function budgetLines(readings: readonly BudgetReading[]): string[] {
  return readings.map((r) => {
    const name = r.resource ? `${r.service} ${r.resource}` : r.service;
    const left =
      r.remaining !== undefined && r.limit !== undefined
        ? `${formatNumber(r.remaining)} of ${formatNumber(r.limit)} left`
        : r.remaining !== undefined
          ? `${formatNumber(r.remaining)} left`
          : 'no limit reported';
    const reset = r.resetAt && !Number.isNaN(Date.parse(r.resetAt)) ? ` (resets ${new Date(r.resetAt).toISOString().slice(11, 16)} UTC)` : '';
    const share = remainingShare(r);
    const warn = share !== undefined && share < LOW_BUDGET_SHARE ? ' — background refresh slowed' : '';
    return `${name}: ${left}${reset}${warn}`;
  });
}

/** The reading with the least budget left, for the status bar's short text. */
export function tightest(readings: readonly BudgetReading[]): BudgetReading | undefined {
  return [...readings].filter((r) => remainingShare(r) !== undefined).sort((a, b) => (remainingShare(a) ?? 1) - (remainingShare(b) ?? 1))[0];
}
