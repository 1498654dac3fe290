import { round } from './backlog';
import { type DateRange, isOff, type Weekday, workingDays } from './calendar';

/**
 * A team's capacity for one iteration, as Azure Boards' capacity page computes it: each member's
 * hours a day (the sum of their activities) times the working days of the iteration that are
 * neither the team's days off nor their own. For the current iteration only the days from today on
 * count (work already behind the team is not capacity any more).
 */
export interface MemberCapacityInput {
  /** How the member is named on work items (the unique name, else the display name). */
  readonly member: string;
  readonly displayName: string;
  readonly activities: readonly { readonly name: string; readonly perDay: number }[];
  readonly daysOff: readonly DateRange[];
}

export interface MemberCapacity {
  readonly member: string;
  readonly displayName: string;
  readonly perDay: number;
  /** Working days left to the member after the team's and their own days off. */
  readonly days: number;
  /** Working days the member is off (the team's days off not counted again). */
  readonly daysOff: number;
  readonly hours: number;
}

export interface TeamCapacity {
  /**
   * What `hours` count: hours of work (Azure Boards' capacity, against tasks' remaining work), or
   * the estimate unit itself (GitHub: each person's estimate per iteration, against the estimates of
   * the items assigned to them). Hours when absent.
   */
  readonly measure?: 'hours' | 'estimate';
  /** The iteration's working days counted (from today for the current iteration). */
  readonly workingDays: number;
  /** Of those, the team's days off. */
  readonly teamDaysOff: number;
  readonly members: readonly MemberCapacity[];
  /** Every member's hours together. */
  readonly hours: number;
  /** The hours the same members would have with no days off at all (the base the velocity is scaled by). */
  readonly hoursWithoutDaysOff: number;
}

export interface CapacityInput {
  readonly start: string;
  readonly finish: string;
  readonly workingDays: readonly Weekday[];
  readonly teamDaysOff: readonly DateRange[];
  readonly members: readonly MemberCapacityInput[];
  /** Count only the days from this day on (today, for the current iteration). */
  readonly from?: string;
}

export function teamCapacity(input: CapacityInput): TeamCapacity {
  const days = workingDays(input.start, input.finish, input.workingDays, input.from);
  const teamOpen = days.filter((d) => !isOff(d, input.teamDaysOff));
  const members = input.members.map((m): MemberCapacity => {
    // Unrounded until the product: a GitHub capacity per iteration spread over its days is a fraction.
    const exact = m.activities.reduce((sum, a) => sum + Math.max(0, a.perDay), 0);
    const open = teamOpen.filter((d) => !isOff(d, m.daysOff));
    return { member: m.member, displayName: m.displayName, perDay: round(exact), days: open.length, daysOff: teamOpen.length - open.length, hours: round(exact * open.length) };
  });
  return {
    workingDays: days.length,
    teamDaysOff: days.length - teamOpen.length,
    members,
    hours: round(members.reduce((sum, m) => sum + m.hours, 0)),
    hoursWithoutDaysOff: round(input.members.reduce((sum, m) => sum + m.activities.reduce((a, x) => a + Math.max(0, x.perDay), 0) * days.length, 0)),
  };
}
