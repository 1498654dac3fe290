import { z } from 'zod';
import { type OutboxJson } from '../../core/boards/outbox';
import { DevOpsError } from '../../core/errors';
import { isOpen } from '../../core/planning/sprint/backlog';
import { fitSprint } from '../../core/planning/sprint/sprintFit';
import { forecast, velocityOf } from '../../core/planning/sprint/velocity';
import { TrackerKindSchema } from '../../core/workItem';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { type AgentPlan, emptyPlan, type RemoteChange } from '../runtime/plan';
import { capacityOf, pickIteration, sprintsFor } from './sprintSources';

export const SprintInputSchema = z
  .object({
    /** The iteration to plan (name or path); default: the next one. */
    iteration: z.string().min(1).max(400).optional(),
    tracker: TrackerKindSchema.optional(),
    /** Days after an iteration's end before completed work counts as late (the velocity widget's setting). */
    lateAfterDays: z.coerce.number().int().min(0).max(30).optional(),
    /** Make the moves part of the plan (otherwise it only shows what fits). */
    apply: z.boolean().optional(),
  })
  .strict();
export type SprintActionInput = z.infer<typeof SprintInputSchema>;

export async function planSprint(ctx: AgentContext, input: SprintActionInput): Promise<AgentPlan> {
  const kind = input.tracker ?? ctx.trackers.defaultTracker;
  const sprints = await sprintsFor(ctx, kind);
  await ctx.step(`Reading the iterations and the backlog of ${sprints.where()}`, { tracker: kind });
  const snapshot = await sprints.snapshot(ctx.signal);
  const iteration = pickIteration(snapshot, input.iteration, 'next');
  if (iteration.timeFrame === 'past') throw new DevOpsError('invalidInput', `${iteration.name} has ended; plan the current or a future iteration.`);
  await ctx.step(`Reading the capacity and days off of ${iteration.name}`, { iteration: iteration.path });
  const capacity = await capacityOf(sprints, snapshot, iteration, ctx.now(), ctx.signal);
  const velocity = velocityOf(snapshot.iterations, snapshot.rows, input.lateAfterDays !== undefined ? { lateAfterDays: input.lateAfterDays } : {});
  if (!capacity && velocity.average === undefined) {
    throw new DevOpsError(
      'notConfigured',
      `Nothing to plan ${iteration.name} against: no one has capacity set for it and no past iteration has completed work to give a velocity. ${kind === 'github' ? "Set each person's estimate per iteration in aiDevops.github.capacity" : "Set the team's capacity (Boards > Sprints > Capacity)"} and plan again.`,
    );
  }
  const fit = fitSprint({ iteration, rows: snapshot.rows, iterations: snapshot.iterations, ...(capacity ? { capacity } : {}), ...(velocity.average !== undefined ? { velocity: velocity.average } : {}), unit: snapshot.unit });
  const ahead = snapshot.iterations.filter((i) => i.timeFrame !== 'past');
  const outlook = velocity.average !== undefined && velocity.average > 0 ? forecast(snapshot.rows, velocity.average, ahead) : undefined;

  const remote: RemoteChange[] = [];
  if (input.apply) {
    // As on the Azure Boards backlog, an item's open tasks move into the sprint with it.
    for (const c of fit.proposed) {
      const move = (id: number, title: string, what: string): void => {
        const change = sprints.move(id, iteration);
        remote.push({ id: `move-${id}`, kind: change.kind, approval: 'trackerWrite', target: sprints.where(), summary: `Move ${sprints.reference(id)} "${title.slice(0, 200)}" into ${iteration.name}${what}`, payload: change.payload });
      };
      move(c.id, c.title, c.estimate !== undefined ? ` (${c.estimate} ${snapshot.unit})` : '');
      for (const t of snapshot.rows.filter((r) => r.level === 'task' && r.parentId === c.id && isOpen(r) && r.iterationPath?.toLowerCase() !== iteration.path.toLowerCase())) move(t.id, t.title, ', with its parent');
    }
  }
  const ref = (id: number): string => sprints.reference(id);
  const plan = emptyPlan('plan', 'sprint', `Plan ${iteration.name} in ${sprints.where()}`);
  const notes: string[] = [...(snapshot.notes ?? [])];
  const byEstimate = capacity?.measure === 'estimate';
  const capUnit = byEstimate ? snapshot.unit : 'h';
  if (!capacity) notes.push(kind === 'github' ? `aiDevops.github.capacity names nobody: only the velocity was checked, not people's capacity.` : `No one has capacity set for ${iteration.name}: only the velocity was checked, not hours.`);
  if (velocity.average === undefined) notes.push('No past iteration has completed work yet: only hours were checked, not the velocity.');
  if (capacity && capacity.hours < capacity.hoursWithoutDaysOff) notes.push(`Days off take ${Math.round((1 - capacity.hours / capacity.hoursWithoutDaysOff) * 100)}% of the team's ${byEstimate ? 'capacity' : 'hours'}, so the velocity budget is scaled down as much.`);
  return {
    ...plan,
    summary: `${fit.proposed.length} item${fit.proposed.length === 1 ? '' : 's'} fit${fit.proposed.length === 1 ? 's' : ''} ${iteration.name}${fit.points ? ` (${fit.points.committed + fit.points.proposed} of ${fit.points.budget} ${snapshot.unit})` : ''}${fit.hours ? `, ${fit.hours.committed + fit.hours.proposed} of ${fit.hours.budget} h` : ''}; ${fit.flagged.length} do${fit.flagged.length === 1 ? 'es' : ''} not.`,
    facts: [
      { label: 'Iteration', value: `${iteration.name}${iteration.start && iteration.finish ? ` (${iteration.start.slice(0, 10)} to ${iteration.finish.slice(0, 10)})` : ''}` },
      ...(capacity ? [{ label: 'Capacity', value: `${capacity.hours} ${capUnit}: ${capacity.members.map((m) => `${m.displayName} ${m.hours} ${capUnit} (${m.days} days${m.daysOff ? `, ${m.daysOff} off` : ''})`).join(', ')}${capacity.teamDaysOff ? `; ${capacity.teamDaysOff} team day${capacity.teamDaysOff === 1 ? '' : 's'} off` : ''}` }] : []),
      ...(velocity.average !== undefined ? [{ label: 'Velocity', value: `${velocity.average} ${snapshot.unit} a sprint (${velocity.iterations.map((v) => `${v.iteration} ${v.velocity}`).join(', ')})` }] : []),
      ...(fit.committed.length ? [{ label: 'Already in it', value: fit.committed.map((c) => ref(c.id)).join(', ') }] : []),
      ...fit.proposed.map((c) => ({ label: 'Fits', value: `${ref(c.id)} ${c.title}${c.estimate !== undefined ? ` (${c.estimate} ${snapshot.unit}${c.hours ? `, ${c.hours} h` : ''})` : c.hours ? ` (${c.hours} h)` : ''}` })),
      ...fit.flagged.map((f) => ({ label: 'Does not fit', value: `${ref(f.id)} ${f.title}: ${f.why}` })),
    ],
    notes,
    remote: remote.map((c) => ({ ...c, payload: c.payload as OutboxJson })),
    result: {
      tracker: kind,
      where: snapshot.where,
      unit: snapshot.unit,
      iteration: { name: iteration.name, path: iteration.path, start: iteration.start ?? null, finish: iteration.finish ?? null, timeFrame: iteration.timeFrame },
      capacity: capacity ? (JSON.parse(JSON.stringify(capacity)) as OutboxJson) : null,
      velocity: JSON.parse(JSON.stringify(velocity)) as OutboxJson,
      budget: { points: fit.points ? { ...fit.points } : null, hours: fit.hours ? { ...fit.hours } : null },
      people: JSON.parse(JSON.stringify(fit.people)) as OutboxJson,
      committed: JSON.parse(JSON.stringify(fit.committed)) as OutboxJson,
      proposed: JSON.parse(JSON.stringify(fit.proposed)) as OutboxJson,
      flagged: JSON.parse(JSON.stringify(fit.flagged)) as OutboxJson,
      forecast: outlook ? (JSON.parse(JSON.stringify(outlook)) as OutboxJson) : null,
    },
  };
}

export const sprintAction: AgentAction<SprintActionInput> = {
  name: 'sprint',
  description: 'Plan an iteration: the ready items that fit the team\'s capacity (days off included) and velocity, and why the rest do not; --apply moves them in.',
  input: SprintInputSchema,
  positionals: ['iteration'],
  options: {
    tracker: { type: 'string', description: 'azureBoards or github (the Project of aiDevops.github.projectNumber, with its iteration field).' },
    lateAfterDays: { type: 'string', description: 'Days after an iteration ends before completed work counts as late (velocity; default 0).' },
    apply: { type: 'boolean', description: 'Move the items that fit into the iteration: the iteration path, or the GitHub Project\'s iteration field (through the approval policy and the outbox).' },
  },
  plan: planSprint,
};
