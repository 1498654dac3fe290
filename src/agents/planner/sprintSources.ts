import { DevOpsError } from '../../core/errors';
import { dayOf } from '../../core/planning/sprint/calendar';
import { type IterationInfo, samePath } from '../../core/planning/sprint/backlog';
import { teamCapacity, type TeamCapacity } from '../../core/planning/sprint/capacity';
import { type SprintBoards, type SprintSnapshot } from '../../core/planning/sprint/sprintBoards';
import { type TrackerKind } from '../../core/workItem';
import { type AgentContext } from '../runtime/context';
import { planningFor } from './planningContext';

/** The sprint reads of a tracker, or a clear error where sprint planning is not available. */
export async function sprintsFor(ctx: AgentContext, kind: TrackerKind): Promise<SprintBoards> {
  const boards = await planningFor(ctx, kind);
  const sprints = boards.sprints?.();
  if (!sprints) {
    throw new DevOpsError(
      'notConfigured',
      kind === 'github'
        ? 'Sprint planning on GitHub reads a Project (v2) with an iteration field: set aiDevops.github.projectNumber and plan again.'
        : 'Sprint planning is not available for this tracker.',
    );
  }
  return sprints;
}

/** The iteration a name or path means (`Sprint 4`, `Project\Sprint 4`), or the default one. */
export function pickIteration(snapshot: SprintSnapshot, wanted: string | undefined, fallback: 'next' | 'current'): IterationInfo {
  const its = snapshot.iterations;
  if (its.length === 0) throw new DevOpsError('notFound', `The team has no iterations selected in ${snapshot.where} (Project settings > Team configuration > Iterations); add sprints first.`);
  if (wanted !== undefined && wanted.trim() !== '') {
    const w = wanted.trim().replace(/^\\+/, '');
    const hit = its.find((i) => samePath(i.path, w)) ?? its.find((i) => i.name.toLowerCase() === w.toLowerCase());
    if (!hit) throw new DevOpsError('notFound', `"${wanted}" is not one of the team's iterations (${its.map((i) => i.name).join(', ')}).`);
    return hit;
  }
  const byStart = [...its].sort((a, b) => dayOf(a.start ?? '9999') - dayOf(b.start ?? '9999'));
  const current = byStart.find((i) => i.timeFrame === 'current');
  const next = byStart.find((i) => i.timeFrame === 'future');
  const hit = fallback === 'next' ? (next ?? current) : (current ?? next);
  if (!hit) throw new DevOpsError('notFound', `The team has no ${fallback === 'next' ? 'current or future' : 'current'} iteration in ${snapshot.where}; name one (--iteration "Sprint 4").`);
  return hit;
}

/** The team's capacity for an iteration (from today on when it is the current one), or undefined when nobody set any. */
export async function capacityOf(sprints: SprintBoards, snapshot: SprintSnapshot, iteration: IterationInfo, now: Date, signal: AbortSignal): Promise<TeamCapacity | undefined> {
  if (!iteration.start || !iteration.finish) return undefined;
  const set = await sprints.capacity(iteration, signal);
  if (set.members.length === 0) return undefined;
  const capacity = teamCapacity({
    start: iteration.start,
    finish: iteration.finish,
    workingDays: snapshot.workingDays,
    teamDaysOff: set.teamDaysOff,
    members: set.members,
    ...(iteration.timeFrame === 'current' ? { from: now.toISOString() } : {}),
  });
  return set.measure === 'estimate' ? { ...capacity, measure: 'estimate' } : capacity;
}
