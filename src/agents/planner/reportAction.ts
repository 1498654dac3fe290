import { z } from 'zod';
import { type OutboxJson } from '../../core/boards/outbox';
import { DevOpsError } from '../../core/errors';
import { sprintStatus, statusMarkdown } from '../../core/planning/sprint/statusReport';
import { type BacklogRow, type IterationInfo, isOpen, samePath } from '../../core/planning/sprint/backlog';
import { type SprintBoards } from '../../core/planning/sprint/sprintBoards';
import { forecast, pastIterations, plannedMoment, velocityOf } from '../../core/planning/sprint/velocity';
import { TrackerKindSchema } from '../../core/workItem';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { type AgentPlan, emptyPlan, type FileEdit, type RemoteChange } from '../runtime/plan';
import { planningFor } from './planningContext';
import { capacityOf, pickIteration, sprintsFor } from './sprintSources';

export const ReportInputSchema = z
  .object({
    /** The iteration reported on (name or path); default: the current one. */
    iteration: z.string().min(1).max(400).optional(),
    tracker: TrackerKindSchema.optional(),
    /** Also publish the report as a page of the project wiki. */
    wiki: z.boolean().optional(),
    /** An item blocked for more than this many days is a risk (default: aiDevops.planning.blockedDays, 3). */
    blockedDays: z.coerce.number().int().min(0).max(365).optional(),
    lateAfterDays: z.coerce.number().int().min(0).max(30).optional(),
    /** Days past an iteration's start when its planned work is final (the velocity widget's setting; default 0). */
    plannedAfterDays: z.coerce.number().int().min(0).max(30).optional(),
  })
  .strict();
export type ReportActionInput = z.infer<typeof ReportInputSchema>;

export const REPORTS_DIR = '.devops/reports';

/** A file and page name from an iteration's name: letters, digits and dashes. */
const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'iteration';

const PLANNED_UNKNOWN = 'GitHub Projects keep no history of the iteration field, so the velocity has no "planned" series there.';

/** Each recent past iteration's planned work, where the tracker can read it from history. */
async function plannedOf(ctx: AgentContext, sprints: SprintBoards, iterations: readonly IterationInfo[], afterDays: number): Promise<Map<string, number> | undefined> {
  if (!sprints.planned) return undefined;
  const moments = pastIterations(iterations).flatMap((iteration) => {
    const at = plannedMoment(iteration, afterDays);
    return at && at.getTime() <= ctx.now().getTime() ? [{ iteration, at }] : [];
  });
  if (moments.length === 0) return new Map();
  await ctx.step(`Reading what the last ${moments.length} iteration${moments.length === 1 ? '' : 's'} planned at their start`, { iterations: moments.length });
  return sprints.planned(moments, ctx.signal);
}

/** When the iteration's blocked items became blocked, where the tracker's history says. */
async function blockedSinceOf(ctx: AgentContext, sprints: SprintBoards, blocked: readonly BacklogRow[]): Promise<Map<number, string> | undefined> {
  if (!sprints.blockedSince || blocked.length === 0) return undefined;
  await ctx.step(`Reading when ${blocked.length} blocked item${blocked.length === 1 ? ' was' : 's were'} blocked`, { items: blocked.length });
  return sprints.blockedSince(blocked, ctx.signal);
}

export async function planReport(ctx: AgentContext, input: ReportActionInput): Promise<AgentPlan> {
  const kind = input.tracker ?? ctx.trackers.defaultTracker;
  if (input.wiki && kind === 'github') throw new DevOpsError('invalidInput', 'GitHub wikis have no API to write pages through; write the report without the wiki (it goes under .devops/reports/), or publish it to an Azure DevOps wiki with --tracker azureBoards.');
  const boards = await planningFor(ctx, kind);
  const sprints = await sprintsFor(ctx, kind);
  await ctx.step(`Reading the iterations and the backlog of ${sprints.where()}`, { tracker: kind });
  const snapshot = await sprints.snapshot(ctx.signal);
  const iteration = pickIteration(snapshot, input.iteration, 'current');
  const now = ctx.now();
  const capacity = await capacityOf(sprints, snapshot, iteration, now, ctx.signal);
  const planned = await plannedOf(ctx, sprints, snapshot.iterations, input.plannedAfterDays ?? 0);
  const velocity = velocityOf(snapshot.iterations, snapshot.rows, { ...(input.lateAfterDays !== undefined ? { lateAfterDays: input.lateAfterDays } : {}), ...(planned ? { planned } : {}) });
  const outlook = velocity.average !== undefined && velocity.average > 0 ? forecast(snapshot.rows, velocity.average, snapshot.iterations.filter((i) => i.timeFrame === 'future')) : undefined;
  const blockedDays = input.blockedDays ?? boards.blockedDays;
  const blockedSince = await blockedSinceOf(ctx, sprints, snapshot.rows.filter((r) => r.blocked && isOpen(r) && samePath(r.iterationPath, iteration.path)));
  const status = sprintStatus({ iteration, iterations: snapshot.iterations, rows: snapshot.rows, now, unit: snapshot.unit, ...(capacity ? { capacity } : {}), ...(blockedDays !== undefined ? { blockedDays } : {}), ...(blockedSince ? { blockedSince } : {}) });
  const markdown = statusMarkdown({ where: snapshot.where, unit: snapshot.unit, now, status, velocity, ...(outlook ? { forecast: outlook } : {}), reference: (id) => sprints.reference(id) });

  const day = now.toISOString().slice(0, 10);
  const file = `${REPORTS_DIR}/status-${slug(iteration.name)}-${day}.md`;
  const existing = await ctx.files.read(file);
  const edits: FileEdit[] =
    existing === undefined
      ? [{ path: file, action: 'create', content: markdown, why: `The status of ${iteration.name} on ${day}` }]
      : existing.text === markdown
        ? []
        : [{ path: file, action: 'modify', content: markdown, baseSha256: existing.sha256, why: `The status of ${iteration.name}, written again on ${day}` }];
  const remote: RemoteChange[] = [];
  const page = `/Status/${slug(iteration.name)}-${day}`;
  if (input.wiki) remote.push({ id: 'wiki', kind: 'wiki.page', approval: 'pushPublish', target: `wiki ${page}`, summary: `Publish the status of ${iteration.name} as the wiki page ${page}`, payload: { path: page, content: markdown } });

  const count = (n: number, what: string): string => `${n} ${what}`;
  const plan = emptyPlan('plan', 'report', `Status of ${iteration.name} in ${snapshot.where}`);
  return {
    ...plan,
    summary: `${iteration.name}: ${count(status.done.length, 'done')}, ${count(status.inProgress.length, 'in progress')}, ${count(status.blocked.length, 'blocked')}, ${count(status.notStarted.length, 'not started')}; ${status.risks.length} risk${status.risks.length === 1 ? '' : 's'}.`,
    facts: [
      { label: 'Iteration', value: `${iteration.name} (${status.points.done} of ${status.points.planned} ${snapshot.unit} done)` },
      ...(velocity.average !== undefined ? [{ label: 'Velocity', value: `${velocity.average} ${snapshot.unit} a sprint` }] : []),
      ...velocity.iterations.map((v) => ({ label: v.iteration, value: `${v.planned !== undefined ? `planned ${v.planned}, ` : ''}completed ${v.completed}, completed late ${v.completedLate}, incomplete ${v.incomplete} ${snapshot.unit}` })),
      ...(outlook ? [{ label: 'Forecast', value: `${outlook.points} ${snapshot.unit} of estimated backlog: ${outlook.sprintsNeeded} sprint${outlook.sprintsNeeded === 1 ? '' : 's'}` }] : []),
      ...status.risks.slice(0, 30).map((r) => ({ label: 'Risk', value: `${r.id !== undefined ? `${sprints.reference(r.id)} ` : ''}${r.title}: ${r.why}` })),
    ],
    notes: [
      ...(existing !== undefined && existing.text === markdown ? [`${file} already holds this report.`] : []),
      ...(planned === undefined && velocity.iterations.length > 0 ? [PLANNED_UNKNOWN] : []),
    ],
    edits,
    remote: remote.map((c) => ({ ...c, payload: c.payload as OutboxJson })),
    result: {
      tracker: kind,
      where: snapshot.where,
      unit: snapshot.unit,
      file,
      ...(input.wiki ? { wikiPage: page } : {}),
      status: JSON.parse(JSON.stringify(status)) as OutboxJson,
      velocity: JSON.parse(JSON.stringify(velocity)) as OutboxJson,
      forecast: outlook ? (JSON.parse(JSON.stringify(outlook)) as OutboxJson) : null,
      markdown,
    },
  };
}

export const reportAction: AgentAction<ReportActionInput> = {
  name: 'report',
  description: `Status of an iteration (done, in progress, blocked, risks), velocity and forecast as Markdown under ${REPORTS_DIR}/; --wiki also publishes it to the project wiki.`,
  input: ReportInputSchema,
  positionals: ['iteration'],
  options: {
    tracker: { type: 'string', description: 'azureBoards or github (the Project of aiDevops.github.projectNumber, with its iteration field).' },
    wiki: { type: 'boolean', description: 'Also publish the report as a page of the Azure DevOps project wiki (not on GitHub).' },
    blockedDays: { type: 'string', description: 'Days an item may stay blocked (counted from the change that blocked it) before it is a risk (default: aiDevops.planning.blockedDays, 3).' },
    lateAfterDays: { type: 'string', description: 'Days after an iteration ends before completed work counts as late (default 0).' },
    plannedAfterDays: { type: 'string', description: "Days past an iteration's start when its planned work is final (default 0: the start day)." },
  },
  plan: planReport,
};
