import { type BacklogRow, byPriority, type IterationInfo, isOpen, round, samePath, taskHours } from './backlog';
import { type TeamCapacity } from './capacity';

/**
 * Which ready items fit an iteration. Two budgets, as a team reads them in Azure Boards: the
 * velocity in the process's estimate unit (the average of past sprints, scaled down by the share
 * of the team's hours the days off take), and the team's hours against the remaining work of the
 * items' tasks, team-wide and per person. Items already in the iteration are counted first; then
 * the ready items are taken in backlog order (priority, then rank) and each either fits every
 * budget and is proposed, or is flagged with why. A flagged item does not stop the walk: a smaller
 * one after it may still fit. A capacity in the estimate unit (GitHub) is a third points budget:
 * the team's estimate for the iteration, and each person's against the items assigned to them.
 */
export type FlagReason = 'blocked' | 'unestimated' | 'overVelocity' | 'overCapacity' | 'overloadsPerson';

export interface SprintCandidate {
  readonly id: number;
  readonly title: string;
  readonly type: string;
  readonly priority?: number;
  readonly estimate?: number;
  /** Remaining hours of its open tasks. */
  readonly hours: number;
  readonly url?: string;
  readonly iterationPath?: string;
}

export interface FlaggedItem extends SprintCandidate {
  readonly reason: FlagReason;
  readonly why: string;
}

export interface Budget {
  readonly budget: number;
  readonly committed: number;
  readonly proposed: number;
}

export interface SprintFit {
  readonly iteration: IterationInfo;
  readonly committed: readonly SprintCandidate[];
  readonly proposed: readonly SprintCandidate[];
  readonly flagged: readonly FlaggedItem[];
  /** In the estimate unit; undefined without a velocity. */
  readonly points?: Budget;
  /** In hours; undefined without capacities. */
  readonly hours?: Budget;
  readonly people: readonly { readonly member: string; readonly displayName: string; readonly capacity: number; readonly committed: number; readonly proposed: number }[];
}

export interface FitInput {
  readonly iteration: IterationInfo;
  /** Open and closed items of the project, requirement level and tasks. */
  readonly rows: readonly BacklogRow[];
  /** The team's iterations (items planned into another current or future one are not candidates). */
  readonly iterations: readonly IterationInfo[];
  readonly capacity?: TeamCapacity;
  readonly velocity?: number;
  /** Story Points, Effort, Size: how the reasons name the unit. */
  readonly unit: string;
}

/** Whether a person on a task is a capacity row's member (unique name or display name, any case). */
const personOf = (capacity: TeamCapacity | undefined, who: string | undefined): TeamCapacity['members'][number] | undefined => {
  if (!who || !capacity) return undefined;
  const w = who.toLowerCase();
  return capacity.members.find((m) => m.member.toLowerCase() === w || m.displayName.toLowerCase() === w || w.includes(`<${m.member.toLowerCase()}>`));
};

export function fitSprint(input: FitInput): SprintFit {
  const { iteration, rows, capacity, unit } = input;
  const tasks = taskHours(rows);
  const candidate = (r: BacklogRow): SprintCandidate => ({
    id: r.id,
    title: r.title,
    type: r.type,
    ...(r.priority !== undefined ? { priority: r.priority } : {}),
    ...(r.estimate !== undefined ? { estimate: r.estimate } : {}),
    hours: round(tasks.get(r.id)?.hours ?? 0),
    ...(r.url ? { url: r.url } : {}),
    ...(r.iterationPath ? { iterationPath: r.iterationPath } : {}),
  });
  const scale = capacity && capacity.hoursWithoutDaysOff > 0 ? capacity.hours / capacity.hoursWithoutDaysOff : 1;
  const byEstimate = capacity?.measure === 'estimate';
  const velocityBudget = input.velocity !== undefined ? round(input.velocity * scale) : undefined;
  // In the estimate unit, the budget is the smaller of the velocity (scaled) and what the people said they can do.
  const pointsBudget = byEstimate ? Math.min(velocityBudget ?? Number.POSITIVE_INFINITY, capacity.hours) : velocityBudget;
  const hoursCapacity = byEstimate ? undefined : capacity;
  const people = new Map((capacity?.members ?? []).map((m) => [m.member, { member: m.member, displayName: m.displayName, capacity: m.hours, committed: 0, proposed: 0 }]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const loadOf = (id: number): Map<string, number> => {
    const load = new Map<string, number>();
    if (byEstimate) {
      const row = byId.get(id);
      const who = personOf(capacity, row?.assignedTo);
      if (row && who && row.estimate !== undefined) load.set(who.member, row.estimate);
      return load;
    }
    for (const t of tasks.get(id)?.tasks ?? []) {
      const who = personOf(capacity, t.assignedTo);
      if (who) load.set(who.member, (load.get(who.member) ?? 0) + (t.remainingWork ?? 0));
    }
    return load;
  };

  let points = 0;
  let hours = 0;
  const committed = rows.filter((r) => r.level === 'requirement' && isOpen(r) && samePath(r.iterationPath, iteration.path)).sort(byPriority).map(candidate);
  for (const c of committed) {
    points += c.estimate ?? 0;
    hours += c.hours;
    for (const [who, h] of loadOf(c.id)) people.get(who)!.committed += h;
  }
  const elsewhere = input.iterations.filter((i) => i.timeFrame !== 'past' && !samePath(i.path, iteration.path));
  const ready = rows
    .filter((r) => r.level === 'requirement' && r.category === 'Proposed' && !samePath(r.iterationPath, iteration.path) && !elsewhere.some((i) => samePath(i.path, r.iterationPath)))
    .sort(byPriority);

  const proposed: SprintCandidate[] = [];
  const flagged: FlaggedItem[] = [];
  let pointsProposed = 0;
  let hoursProposed = 0;
  for (const r of ready) {
    const c = candidate(r);
    const flag = (reason: FlagReason, why: string): void => void flagged.push({ ...c, reason, why });
    if (r.blocked) {
      flag('blocked', 'blocked: unblock it before it is planned');
      continue;
    }
    if (c.estimate === undefined && (byEstimate || c.hours === 0)) {
      flag('unestimated', byEstimate ? `no ${unit}: estimate it first` : `no ${unit} and no task hours: estimate it first`);
      continue;
    }
    if (pointsBudget !== undefined && c.estimate !== undefined && points + pointsProposed + c.estimate > pointsBudget + 1e-9) {
      const left = `${round(Math.max(0, pointsBudget - points - pointsProposed))} of ${pointsBudget} left`;
      const capped = byEstimate && (velocityBudget === undefined || capacity.hours < velocityBudget);
      if (capped) flag('overCapacity', `needs ${c.estimate} ${unit}; the team's capacity has ${left}`);
      else flag('overVelocity', `needs ${c.estimate} ${unit}; ${left}`);
      continue;
    }
    if (hoursCapacity && c.hours > 0 && hours + hoursProposed + c.hours > hoursCapacity.hours + 1e-9) {
      flag('overCapacity', `its tasks need ${c.hours} h; the team has ${round(Math.max(0, hoursCapacity.hours - hours - hoursProposed))} h of ${hoursCapacity.hours} h left`);
      continue;
    }
    const load = loadOf(r.id);
    const over = [...load].map(([who, h]) => ({ p: people.get(who)!, h })).find(({ p, h }) => p.committed + p.proposed + h > p.capacity + 1e-9);
    if (over) {
      const u = byEstimate ? ` ${unit}` : ' h';
      flag('overloadsPerson', `would overload ${over.p.displayName}: ${round(over.h)}${u} more on ${round(over.p.committed + over.p.proposed)}${u} planned, capacity ${over.p.capacity}${u}`);
      continue;
    }
    proposed.push(c);
    pointsProposed += c.estimate ?? 0;
    hoursProposed += c.hours;
    for (const [who, h] of load) people.get(who)!.proposed += h;
  }
  return {
    iteration,
    committed,
    proposed,
    flagged,
    ...(pointsBudget !== undefined ? { points: { budget: pointsBudget, committed: round(points), proposed: round(pointsProposed) } } : {}),
    ...(hoursCapacity ? { hours: { budget: hoursCapacity.hours, committed: round(hours), proposed: round(hoursProposed) } } : {}),
    people: [...people.values()].map((p) => ({ ...p, committed: round(p.committed), proposed: round(p.proposed) })),
  };
}
