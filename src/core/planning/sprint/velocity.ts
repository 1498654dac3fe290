import { dayOf } from './calendar';
import { type BacklogRow, byPriority, type IterationInfo, isOpen, round, samePath } from './backlog';

/**
 * Velocity as Azure Boards' Velocity widget counts it, per past iteration:
 * - Planned: the estimates (Story Points, Effort, Size) of the backlog-level items that were in the
 *   iteration at its start (as of the end of its start day, plus the days the team allows for
 *   planning), whether or not they stayed; read by the tracker from the items' history.
 * - Completed: items currently in the iteration in a Completed-category state, completed by the
 *   iteration's end date.
 * - Completed late: the same, with a Closed Date after the end date (plus the days the team
 *   allows); still counted in the velocity.
 * - Incomplete: items currently in the iteration that are not completed.
 * The forecast then walks the backlog in priority order as the Forecast tool does: an item
 * belongs to sprint k when the estimates up to and including it add up to at most k times the
 * velocity.
 */
export interface IterationVelocity {
  readonly iteration: string;
  readonly path: string;
  readonly finish?: string;
  /** The estimate in the iteration at its start; undefined when the tracker keeps no history to tell. */
  readonly planned?: number;
  readonly completed: number;
  readonly completedLate: number;
  readonly incomplete: number;
  /** Completed plus completed late: the bar's height. */
  readonly velocity: number;
  readonly items: number;
  /** Completed items with no estimate (counted as 0, as the widget does). */
  readonly unestimatedCompleted: number;
}

export interface VelocityOptions {
  /** Days after the finish date before completed work counts as late (the widget's setting; 0 by default). */
  readonly lateAfterDays?: number;
  /** How many past iterations the average takes (the widget shows 6 by default). */
  readonly iterations?: number;
  /** Planned work per iteration id, as the tracker read it (see plannedMoment). */
  readonly planned?: ReadonlyMap<string, number>;
}

/**
 * When an iteration's planned work is counted: the end of its start day (UTC, as iteration dates
 * are stored), or of the day `afterDays` later (the widget's "days past start date of iteration
 * when planned work is final"). Undefined for an iteration without a start date.
 */
export function plannedMoment(iteration: IterationInfo, afterDays = 0): Date | undefined {
  if (!iteration.start) return undefined;
  const day = dayOf(iteration.start);
  return Number.isNaN(day) ? undefined : new Date(day + DAY * (afterDays + 1) - 1);
}

/** The past iterations velocity shows, oldest first: the last `count` (6 by default) that have ended. */
export function pastIterations(iterations: readonly IterationInfo[], count = 6): IterationInfo[] {
  return iterations
    .filter((i) => i.timeFrame === 'past')
    .sort((a, b) => dayOf(a.finish ?? a.start ?? '') - dayOf(b.finish ?? b.start ?? ''))
    .slice(-count);
}

const DAY = 86_400_000;

export function iterationVelocity(iteration: IterationInfo, rows: readonly BacklogRow[], options: VelocityOptions = {}): IterationVelocity {
  const mine = rows.filter((r) => r.level === 'requirement' && r.category !== 'Removed' && samePath(r.iterationPath, iteration.path));
  const lateAfter = iteration.finish ? dayOf(iteration.finish) + DAY * (1 + (options.lateAfterDays ?? 0)) : Number.POSITIVE_INFINITY;
  let completed = 0;
  let completedLate = 0;
  let incomplete = 0;
  let unestimatedCompleted = 0;
  for (const r of mine) {
    const points = r.estimate ?? 0;
    if (r.category === 'Completed') {
      if (r.estimate === undefined) unestimatedCompleted++;
      if (r.closedAt && Date.parse(r.closedAt) >= lateAfter) completedLate += points;
      else completed += points;
    } else incomplete += points;
  }
  const planned = options.planned?.get(iteration.id);
  return { iteration: iteration.name, path: iteration.path, ...(iteration.finish ? { finish: iteration.finish } : {}), ...(planned !== undefined ? { planned: round(planned) } : {}), completed, completedLate, incomplete, velocity: completed + completedLate, items: mine.length, unestimatedCompleted };
}

export interface VelocitySummary {
  /** Past iterations, oldest first (at most `iterations` of them). */
  readonly iterations: readonly IterationVelocity[];
  /** The mean velocity of the past iterations that had work assigned, or undefined when none had. */
  readonly average: number | undefined;
}

export function velocityOf(iterations: readonly IterationInfo[], rows: readonly BacklogRow[], options: VelocityOptions = {}): VelocitySummary {
  // An iteration all of whose planned work moved out still shows (planned, nothing completed).
  const past = pastIterations(iterations, Number.MAX_SAFE_INTEGER)
    .map((i) => iterationVelocity(i, rows, options))
    .filter((v) => v.items > 0 || (v.planned ?? 0) > 0)
    .slice(-(options.iterations ?? 6));
  const average = past.length ? Math.round((past.reduce((s, v) => s + v.velocity, 0) / past.length) * 100) / 100 : undefined;
  return { iterations: past, average };
}

export interface ForecastSprint {
  /** 1 = the next sprint. */
  readonly sprint: number;
  /** The future iteration it falls in, when the team has that many. */
  readonly iteration?: string;
  readonly items: readonly { readonly id: number; readonly title: string; readonly estimate: number }[];
  readonly points: number;
}

export interface Forecast {
  readonly velocity: number;
  readonly sprints: readonly ForecastSprint[];
  /** Sprints the estimated backlog needs at this velocity. */
  readonly sprintsNeeded: number;
  readonly points: number;
  /** Open backlog items with no estimate: not forecast. */
  readonly unestimated: readonly { readonly id: number; readonly title: string }[];
  /** Items bigger than one sprint's velocity (they cannot be finished in one sprint). */
  readonly tooBig: readonly { readonly id: number; readonly title: string; readonly estimate: number }[];
}

export function forecast(rows: readonly BacklogRow[], velocity: number, future: readonly IterationInfo[] = []): Forecast {
  if (!(velocity > 0)) throw new RangeError('The forecast needs a velocity above zero.');
  const backlog = rows.filter((r) => r.level === 'requirement' && isOpen(r)).sort(byPriority);
  const sprints: { sprint: number; items: { id: number; title: string; estimate: number }[]; points: number }[] = [];
  const upcoming = [...future].filter((i) => i.timeFrame !== 'past').sort((a, b) => dayOf(a.start ?? '') - dayOf(b.start ?? ''));
  let total = 0;
  for (const r of backlog) {
    if (r.estimate === undefined) continue;
    total += r.estimate;
    const sprint = Math.max(1, Math.ceil(total / velocity - 1e-9));
    while (sprints.length < sprint) sprints.push({ sprint: sprints.length + 1, items: [], points: 0 });
    const s = sprints[sprint - 1]!;
    s.items.push({ id: r.id, title: r.title, estimate: r.estimate });
    s.points += r.estimate;
  }
  return {
    velocity,
    sprints: sprints.map((s) => ({ ...s, ...(upcoming[s.sprint - 1] ? { iteration: upcoming[s.sprint - 1]!.name } : {}) })),
    sprintsNeeded: total === 0 ? 0 : Math.ceil(total / velocity - 1e-9),
    points: total,
    unestimated: backlog.filter((r) => r.estimate === undefined).map((r) => ({ id: r.id, title: r.title })),
    tooBig: backlog.filter((r) => r.estimate !== undefined && r.estimate > velocity).map((r) => ({ id: r.id, title: r.title, estimate: r.estimate! })),
  };
}
