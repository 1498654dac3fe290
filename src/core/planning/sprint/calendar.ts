/**
 * Whole days of an iteration as Azure Boards' capacity planning counts them: the team's working
 * days (Team settings > Working days) between the iteration's start and finish, both included,
 * less days off (a range includes its start and its end). Dates are calendar days in UTC, as the
 * service stores iteration and days-off dates (midnight UTC).
 */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface DateRange {
  readonly start: string;
  readonly end: string;
}

const DAY = 86_400_000;

/** Midnight UTC of the calendar day an ISO date or date-time falls on, or NaN. */
export function dayOf(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return Number.NaN;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export const isoDay = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** The working days from `start` to `finish` (both included), from `from` on when it is later, as YYYY-MM-DD. */
export function workingDays(start: string, finish: string, working: readonly Weekday[], from?: string): string[] {
  const first = Math.max(dayOf(start), from ? dayOf(from) : Number.NEGATIVE_INFINITY);
  const last = dayOf(finish);
  if (Number.isNaN(first) || Number.isNaN(last)) return [];
  const days: string[] = [];
  for (let day = first; day <= last; day += DAY) {
    if (working.includes(WEEKDAYS[new Date(day).getUTCDay()]!)) days.push(isoDay(day));
  }
  return days;
}

/** Whether a YYYY-MM-DD day lies in any of the ranges (ends included). */
export function isOff(day: string, ranges: readonly DateRange[]): boolean {
  const d = dayOf(day);
  return ranges.some((r) => dayOf(r.start) <= d && d <= dayOf(r.end));
}
