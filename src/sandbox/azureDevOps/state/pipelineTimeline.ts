import { type Pipeline, type PipelineRun } from './model';
import { runPhase } from './pipelineOps';

/**
 * A run's timeline as the Build Timeline API gives it (Stage > Phase > Job > Task records, each
 * with its state, result, times and log) and the logs themselves, derived from the run and the
 * state's clock: the run's time is shared evenly by every step of every stage, in order. A run
 * that fails fails at its last step, whose log says why in an `##[error]` line, as an agent's does.
 */

export interface TimelineRecord {
  readonly id: string;
  readonly parentId: string | null;
  readonly type: 'Stage' | 'Phase' | 'Job' | 'Task';
  readonly name: string;
  readonly identifier: string | null;
  readonly order: number;
  readonly state: 'pending' | 'inProgress' | 'completed';
  readonly result: 'succeeded' | 'failed' | 'canceled' | 'skipped' | null;
  readonly startTime: string | null;
  readonly finishTime: string | null;
  readonly logId: number | undefined;
  readonly errorCount: number;
  readonly issues: readonly { readonly type: 'error'; readonly category: string; readonly message: string }[];
}

export interface RunTimeline {
  readonly records: readonly TimelineRecord[];
  /** Log id -> its lines, for the records that have started. */
  readonly logs: ReadonlyMap<number, readonly string[]>;
}

const DEFAULT_STAGES: NonNullable<Pipeline['stages']> = [{ name: 'Build', job: 'Build', steps: ['Checkout', 'Build', 'Test'] }];

/** A stable GUID for record `n` of a run (the service's record ids are GUIDs). */
function recordId(runId: number, n: number): string {
  const hex = (runId * 1000 + n).toString(16).padStart(12, '0');
  return `6d1c0000-0000-4000-8000-${hex.slice(-12)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function runTimeline(pipeline: Pipeline, run: PipelineRun, now: Date): RunTimeline {
  const stages = pipeline.stages?.length ? pipeline.stages : DEFAULT_STAGES;
  const { phase } = runPhase(run, now);
  const started = Date.parse(run.createdDate) + run.queuedSeconds * 1000;
  const stepCount = stages.reduce((n, s) => n + s.steps.length + 1, 0);
  const slice = (run.runSeconds * 1000) / stepCount;
  const t = now.getTime();
  const failing = run.result !== 'succeeded';
  const records: TimelineRecord[] = [];
  const logs = new Map<number, string[]>();
  let n = 0;
  let logId = 1;
  let at = started;
  const stateOf = (from: number, to: number): TimelineRecord['state'] => (phase === 'queued' || t < from ? 'pending' : t < to ? 'inProgress' : 'completed');
  stages.forEach((stage, si) => {
    const stageFrom = at;
    const stageTo = at + (stage.steps.length + 1) * slice;
    const lastStage = si === stages.length - 1;
    const stageId = recordId(run.id, n++);
    const phaseId = recordId(run.id, n++);
    const jobId = recordId(run.id, n++);
    const jobLog = logId++;
    const tasks: TimelineRecord[] = [];
    const jobLines: string[] = [];
    // The first slice is the job's own set-up ("Initialize job"), then one per step.
    const steps = ['Initialize job', ...stage.steps];
    steps.forEach((name, i) => {
      const from = stageFrom + i * slice;
      const to = from + slice;
      const state = stateOf(from, to);
      const fails = failing && lastStage && i === steps.length - 1 && state === 'completed';
      const lines = [`${iso(from)} ##[section]Starting: ${name}`, `${iso(from)} ${name} in ${stage.name} / ${stage.job} for ${run.refName}`];
      if (fails) lines.push(`${iso(to)} ##[error]${name} failed: the sandbox run was asked to end ${run.result} (variable sandbox.result)`, `${iso(to)} ##[error]Process completed with exit code 1.`);
      if (state === 'completed') lines.push(`${iso(to)} ##[section]Finishing: ${name}`);
      const id = logId++;
      if (state !== 'pending') {
        logs.set(id, lines);
        jobLines.push(...lines);
      }
      tasks.push({
        id: recordId(run.id, n++),
        parentId: jobId,
        type: 'Task',
        name,
        identifier: null,
        order: i + 1,
        state,
        result: state === 'completed' ? (fails ? (run.result === 'canceled' ? 'canceled' : 'failed') : 'succeeded') : null,
        startTime: state === 'pending' ? null : iso(from),
        finishTime: state === 'completed' ? iso(to) : null,
        logId: state === 'pending' ? undefined : id,
        errorCount: fails ? 1 : 0,
        issues: fails ? [{ type: 'error', category: 'General', message: `${name} failed: the sandbox run was asked to end ${run.result}` }] : [],
      });
    });
    const state = stateOf(stageFrom, stageTo);
    const result = state === 'completed' ? (failing && lastStage ? (run.result === 'canceled' ? 'canceled' : 'failed') : 'succeeded') : null;
    const common = { state, result, startTime: state === 'pending' ? null : iso(stageFrom), finishTime: state === 'completed' ? iso(stageTo) : null, errorCount: 0, issues: [] } as const;
    records.push({ id: stageId, parentId: null, type: 'Stage', name: stage.name, identifier: stage.name.replace(/\W+/g, '_'), order: si + 1, logId: undefined, ...common });
    records.push({ id: phaseId, parentId: stageId, type: 'Phase', name: stage.job, identifier: `${stage.name.replace(/\W+/g, '_')}.${stage.job.replace(/\W+/g, '_')}`, order: 1, logId: undefined, ...common });
    records.push({ id: jobId, parentId: phaseId, type: 'Job', name: stage.job, identifier: `${stage.name.replace(/\W+/g, '_')}.${stage.job.replace(/\W+/g, '_')}.__default`, order: 1, logId: state === 'pending' ? undefined : jobLog, ...common });
    if (state !== 'pending') logs.set(jobLog, jobLines);
    records.push(...tasks);
    at = stageTo;
  });
  return { records, logs };
}
