import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import type { AzureClients, AzureConnection } from '../../../providers/boards/azureBoards/azureConnection';
import { type RemoteExecutionContext, type RemoteOutcome } from '../remote';
import { failureExcerpt, followUntil, type FollowOptions } from './follow';

/**
 * Azure Pipelines runs through azure-devops-node-api's Pipelines client: a pipeline named by id or
 * name, run for a ref with template parameters, followed to its result. Answers are read with zod
 * (the client turns the service's enum strings into numbers; both are accepted).
 */

const PipelineShape = z.object({ id: z.number(), name: z.string(), folder: z.string().nullish() });
export const RunShape = z.object({
  id: z.number(),
  name: z.string().nullish(),
  state: z.union([z.number(), z.string()]).nullish(),
  result: z.union([z.number(), z.string()]).nullish(),
  _links: z.object({ web: z.object({ href: z.string() }).partial().nullish() }).partial().nullish(),
  resources: z.object({ repositories: z.record(z.string(), z.object({ refName: z.string().nullish() }).partial()).nullish() }).partial().nullish(),
});
export type Run = z.infer<typeof RunShape>;

/** A Build Timeline record: the client turns state and result into numbers; the service's words are accepted too. */
const RecordShape = z.object({
  id: z.string(),
  parentId: z.string().nullish(),
  type: z.string().nullish(),
  name: z.string().nullish(),
  order: z.number().nullish(),
  state: z.union([z.number(), z.string()]).nullish(),
  result: z.union([z.number(), z.string()]).nullish(),
  log: z.object({ id: z.number() }).partial().nullish(),
  issues: z.array(z.object({ type: z.union([z.number(), z.string()]).nullish(), message: z.string().nullish() }).partial()).nullish(),
});
const TimelineShape = z.object({ records: z.array(RecordShape).nullish() });
export type TimelineRecord = z.infer<typeof RecordShape>;
/** TimelineRecordState and TaskResult as the client's numbers, or the service's words. */
const RECORD_STATES: Record<string, string> = { 0: 'pending', 1: 'inProgress', 2: 'completed' };
const TASK_RESULTS: Record<string, string> = { 0: 'succeeded', 1: 'succeededWithIssues', 2: 'failed', 3: 'canceled', 4: 'skipped', 5: 'abandoned' };
const byOrder = (a: TimelineRecord, b: TimelineRecord): number => (a.order ?? 0) - (b.order ?? 0);

/** RunState and RunResult as numbers (the client's enums) or the service's words. */
export const STATES: Record<string, string> = { 0: 'unknown', 1: 'inProgress', 2: 'canceling', 4: 'completed' };
const RESULTS: Record<string, string> = { 0: 'unknown', 1: 'succeeded', 2: 'failed', 4: 'canceled' };
export const word = (v: string | number | null | undefined, table: Record<string, string>): string => (typeof v === 'number' ? (table[v] ?? String(v)) : (v ?? 'unknown'));

export function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new DevOpsError('badResponse', `Azure DevOps sent an answer that could not be read while ${what} (${r.error.issues[0]?.path.join('.') || 'root'}: ${r.error.issues[0]?.message}).`);
  return r.data;
}

/** A stage's approval that waits, from the timeline: the Checkpoint.Approval record's id is the approval's id. */
export interface WaitingApproval {
  readonly approvalId: string;
  readonly stage: string;
}

/** The approvals a run's stages wait on now (Checkpoint.Approval records in progress), in stage order. */
export function waitingApprovals(records: readonly TimelineRecord[]): WaitingApproval[] {
  const byId = new Map(records.map((r) => [r.id, r]));
  const out: { approvalId: string; stage: string; order: number }[] = [];
  for (const r of records) {
    if (r.type !== 'Checkpoint.Approval' || word(r.state, RECORD_STATES) !== 'inProgress') continue;
    let stage = byId.get(r.parentId ?? '');
    while (stage && stage.type !== 'Stage') stage = byId.get(stage.parentId ?? '');
    if (stage) out.push({ approvalId: r.id, stage: stage.name ?? stage.id, order: stage.order ?? 0 });
  }
  return out.sort((a, b) => a.order - b.order).map(({ approvalId, stage }) => ({ approvalId, stage }));
}

export class AzurePipelinesDelivery {
  constructor(
    private readonly connection: AzureConnection,
    private readonly options: { readonly follow: FollowOptions },
  ) {}

  private get project(): string {
    return this.connection.endpoint.project;
  }

  /**
   * Runs a pipeline for a ref and follows it. Parameters in `optional` are dropped and the run
   * asked again when the pipeline's YAML does not declare them (the service answers 400
   * "Unexpected parameter 'x'").
   */
  async run(p: { pipeline: string; ref: string; parameters: Record<string, string>; optional: readonly string[] }, context: RemoteExecutionContext): Promise<RemoteOutcome> {
    const { signal } = context;
    const pipeline = await this.pipelineOf(p.pipeline, signal);
    let parameters = { ...p.parameters };
    const start = async (api: AzureClients): Promise<unknown> => {
      const client = await api.pipelines();
      for (;;) {
        try {
          return await client.runPipeline({ resources: { repositories: { self: { refName: p.ref } } }, templateParameters: parameters }, this.project, pipeline.id);
        } catch (error) {
          const name = /Unexpected parameter '([^']+)'/.exec(String((error as { message?: unknown }).message ?? ''))?.[1];
          if (!name || !p.optional.includes(name) || !(name in parameters)) throw error;
          parameters = Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== name));
        }
      }
    };
    const what = `running ${pipeline.name} for ${p.ref}`;
    const run = parsed(RunShape, await this.connection.call(what, start, { signal, idempotent: false }), what);
    const dropped = Object.keys(p.parameters).filter((k) => !(k in parameters));
    const label = `${pipeline.name} for ${p.ref.replace(/^refs\/(heads|tags)\//, '')}${dropped.length ? ` (${pipeline.name} declares no ${dropped.join(', ')} parameter, so it was not sent)` : ''}`;
    return this.follow(pipeline.id, run, label, context);
  }

  /** A pipeline by id, or by name (or folder\name) among the project's pipelines. */
  async pipelineOf(key: string, signal: AbortSignal): Promise<z.infer<typeof PipelineShape>> {
    const what = `finding the pipeline ${key}`;
    if (/^\d+$/.test(key)) return parsed(PipelineShape, await this.connection.call(what, async (api) => (await api.pipelines()).getPipeline(this.project, Number(key)), { signal, idempotent: true }), what);
    const all = parsed(z.array(PipelineShape), await this.connection.call(what, async (api) => (await api.pipelines()).listPipelines(this.project, undefined, 1000), { signal, idempotent: true }), what);
    const wanted = key.toLowerCase().replace(/^\\+/, '');
    const found = all.find((x) => x.name.toLowerCase() === wanted || `${(x.folder ?? '').replace(/^\\+/, '')}\\${x.name}`.toLowerCase().replace(/^\\+/, '') === wanted);
    if (!found) throw new DevOpsError('notFound', `${this.project} has no pipeline named ${key} (it has: ${all.map((x) => x.name).join(', ') || 'none'}).`);
    return found;
  }

  /**
   * Follows a run until it completes or a stage other than `past` (the one just approved) waits
   * for an approval. Success, or waiting, is applied; a failure names the failing stage, job and
   * step and quotes the log lines that say why.
   */
  async follow(pipelineId: number, started: Run, what: string, context: RemoteExecutionContext, past?: string): Promise<RemoteOutcome> {
    const { signal } = context;
    let url = started._links?.web?.href;
    let last = '';
    let waiting: string | undefined;
    const done = await followUntil(
      async () => {
        const reading = `reading run ${started.id} of ${what}`;
        const run = parsed(RunShape, await this.connection.call(reading, async (api) => (await api.pipelines()).getRun(this.project, pipelineId, started.id), { signal, idempotent: true }), reading);
        url = run._links?.web?.href ?? url;
        const state = word(run.state, STATES);
        if (state === 'completed') return run;
        const gates = waitingApprovals(await this.timeline(started.id, signal).catch(() => []));
        const gate = gates.find((g) => g.stage !== past);
        if (gate) {
          waiting = gate.stage;
          return run;
        }
        const where = await this.whereItIs(started.id, signal).catch(() => '');
        const line = `Run ${run.name ?? run.id}: ${state}${where ? `, ${where}` : ''}`;
        if (line !== last) context.progress?.(line);
        last = line;
        return undefined;
      },
      this.options.follow,
      signal,
    );
    const name = started.name ?? String(started.id);
    if (done && waiting !== undefined) return { kind: 'applied', detail: `run ${name} of ${what} now waits for approval to ${waiting}`, ...(url ? { url } : {}), result: { runId: started.id, waitingFor: waiting } };
    if (!done) return { kind: 'applied', detail: `started ${what}; run ${name} was still going when following stopped`, ...(url ? { url } : {}), result: { runId: started.id } };
    const result = word(done.result, RESULTS);
    if (result === 'succeeded') return { kind: 'applied', detail: `run ${name} of ${what} succeeded`, ...(url ? { url } : {}), result: { runId: done.id } };
    const failed = await this.failureOf(done.id, signal).catch(() => '');
    throw new DevOpsError('refused', `Run ${name} of ${what} ended ${result}${failed || '; its logs show the failing step'}${url ? ` (${url})` : ''}.`);
  }

  /** The run's timeline records (Stage > Phase > Job > Task, and each stage's checkpoints), read with zod. */
  async timeline(buildId: number, signal: AbortSignal): Promise<TimelineRecord[]> {
    const reading = `reading the timeline of run ${buildId}`;
    const t = parsed(TimelineShape, await this.connection.call(reading, async (api) => (await api.builds()).getBuildTimeline(this.project, buildId), { signal, idempotent: true }), reading);
    return t.records ?? [];
  }

  /** `Stage Deploy > Deploy > Step` of what runs now, from the timeline; empty when nothing runs yet. */
  private async whereItIs(buildId: number, signal: AbortSignal): Promise<string> {
    const records = await this.timeline(buildId, signal);
    const running = (type: string, parent?: string): TimelineRecord | undefined =>
      records.filter((r) => r.type === type && (parent === undefined || r.parentId === parent) && word(r.state, RECORD_STATES) === 'inProgress').sort(byOrder)[0];
    const stage = running('Stage');
    if (!stage) return '';
    const phases = new Set(records.filter((r) => r.type === 'Phase' && r.parentId === stage.id).map((r) => r.id));
    const job = records.filter((r) => r.type === 'Job' && phases.has(r.parentId ?? '') && word(r.state, RECORD_STATES) === 'inProgress').sort(byOrder)[0];
    const task = job ? running('Task', job.id) : undefined;
    return [`stage ${stage.name ?? '?'}`, job?.name, task?.name].filter(Boolean).join(' > ');
  }

  /**
   * `: stage S, job J failed at step "T": <the log's error lines>` from the timeline and the failed
   * step's log (Build logs API); nothing when the timeline names no failed step.
   */
  private async failureOf(buildId: number, signal: AbortSignal): Promise<string> {
    const records = await this.timeline(buildId, signal);
    const failedTask = records.filter((r) => r.type === 'Task' && ['failed', 'canceled'].includes(word(r.result, TASK_RESULTS))).sort(byOrder)[0];
    if (!failedTask) return '';
    const byId = new Map(records.map((r) => [r.id, r]));
    const job = byId.get(failedTask.parentId ?? '');
    let stage = job;
    while (stage && stage.type !== 'Stage') stage = byId.get(stage.parentId ?? '');
    let why = '';
    const logId = failedTask.log?.id;
    if (logId !== undefined) {
      const reading = `reading the log of ${failedTask.name ?? 'the failed step'}`;
      const lines = await this.connection.call(reading, async (api) => (await api.builds()).getBuildLogLines(this.project, buildId, logId), { signal, idempotent: true }).catch(() => undefined);
      if (Array.isArray(lines)) why = failureExcerpt(lines.filter((l): l is string => typeof l === 'string').join('\n'));
    }
    if (!why) why = (failedTask.issues ?? []).map((i) => i.message ?? '').filter(Boolean).join(' ').slice(0, 600);
    const place = [stage ? `stage ${stage.name ?? '?'}` : undefined, job ? `job ${job.name ?? '?'}` : undefined].filter(Boolean).join(', ');
    return `: ${place ? `${place} ` : ''}${word(failedTask.result, TASK_RESULTS) === 'canceled' ? 'was cancelled' : 'failed'} at step "${failedTask.name ?? '?'}"${why ? `: ${why}` : ''}`;
  }
}
