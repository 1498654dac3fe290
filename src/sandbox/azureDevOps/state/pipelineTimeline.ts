import { stableGuid } from './ids';
import { type Environment, type Pipeline, type PipelineRun } from './model';
import { DEFAULT_STAGES, runSchedule, type StageGate } from './runSchedule';

/**
 * A run's timeline as the Build Timeline API gives it (Stage > Phase > Job > Task records, each
 * with its state, result, times and log) and the logs themselves, derived from the run and the
 * state's clock: the run's time is shared evenly by every step of every stage, in order, and a
 * stage whose environment asks for an approval waits for it (runSchedule.ts). A run that fails
 * fails at its last step, whose log says why in an `##[error]` line, as an agent's does.
 */

export interface TimelineRecord {
  readonly id: string;
  readonly parentId: string | null;
  readonly type: 'Stage' | 'Phase' | 'Job' | 'Task' | 'Checkpoint' | 'Checkpoint.Approval';
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

/** A stable GUID for record `n` of a run (the service's record ids are GUIDs). */
function recordId(runId: number, n: number): string {
  const hex = (runId * 1000 + n).toString(16).padStart(12, '0');
  return `6d1c0000-0000-4000-8000-${hex.slice(-12)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function runTimeline(pipeline: Pipeline, run: PipelineRun, environments: readonly Environment[], now: Date): RunTimeline {
  const stages = pipeline.stages?.length ? pipeline.stages : DEFAULT_STAGES;
  const schedule = runSchedule(pipeline, run, environments, now);
  const { slice } = schedule;
  const queued = now.getTime() < schedule.startedAt;
  const t = now.getTime();
  const failing = run.result !== 'succeeded';
  const records: TimelineRecord[] = [];
  const logs = new Map<number, string[]>();
  let n = 0;
  let logId = 1;
  const stateOf = (from: number, to: number): TimelineRecord['state'] => (queued || t < from ? 'pending' : t < to ? 'inProgress' : 'completed');
  stages.forEach((stage, si) => {
    const slot = schedule.stages[si]!;
    const stageFrom = slot.from;
    const stageTo = slot.to;
    const lastStage = si === stages.length - 1;
    const stageId = recordId(run.id, n++);
    const phaseId = recordId(run.id, n++);
    const jobId = recordId(run.id, n++);
    const jobLog = logId++;
    const tasks: TimelineRecord[] = [];
    const jobLines: string[] = [];
    // A stage stopped at its approval, or skipped after one, runs none of its steps.
    const ran = slot.outcome === 'ran';
    // The first slice is the job's own set-up ("Initialize job"), then one per step.
    const steps = ['Initialize job', ...stage.steps];
    steps.forEach((name, i) => {
      const from = stageFrom + i * slice;
      const to = from + slice;
      const state = ran ? stateOf(from, to) : 'completed';
      const fails = ran && failing && lastStage && i === steps.length - 1 && state === 'completed';
      const id = logId++;
      const started = ran && state !== 'pending';
      if (started) {
        const lines = [`${iso(from)} ##[section]Starting: ${name}`, `${iso(from)} ${name} in ${stage.name} / ${stage.job} for ${run.refName}`];
        if (fails) lines.push(`${iso(to)} ##[error]${name} failed: the sandbox run was asked to end ${run.result} (variable sandbox.result)`, `${iso(to)} ##[error]Process completed with exit code 1.`);
        if (state === 'completed') lines.push(`${iso(to)} ##[section]Finishing: ${name}`);
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
        result: !ran ? 'skipped' : state === 'completed' ? (fails ? (run.result === 'canceled' ? 'canceled' : 'failed') : 'succeeded') : null,
        startTime: started ? iso(from) : null,
        finishTime: ran && state === 'completed' ? iso(to) : null,
        logId: started ? id : undefined,
        errorCount: fails ? 1 : 0,
        issues: fails ? [{ type: 'error', category: 'General', message: `${name} failed: the sandbox run was asked to end ${run.result}` }] : [],
      });
    });
    const identifier = stage.name.replace(/\W+/g, '_');
    let common: Pick<TimelineRecord, 'state' | 'result' | 'startTime' | 'finishTime' | 'errorCount' | 'issues'>;
    let jobCommon = undefined as typeof common | undefined;
    if (slot.outcome === 'skipped') {
      common = { state: 'completed', result: 'skipped', startTime: null, finishTime: null, errorCount: 0, issues: [] };
    } else if (slot.outcome === 'stopped') {
      const why = slot.gate?.status === 'timedOut' ? 'The approval timed out' : 'The stage was rejected';
      common = { state: 'completed', result: 'failed', startTime: iso(stageFrom), finishTime: iso(stageTo), errorCount: 1, issues: [{ type: 'error', category: 'General', message: `${why}: ${slot.gate?.environment.name ?? stage.name}.` }] };
      jobCommon = { state: 'completed', result: 'skipped', startTime: null, finishTime: null, errorCount: 0, issues: [] };
    } else {
      const state = stateOf(stageFrom, stageTo);
      const result = state === 'completed' ? (failing && lastStage ? (run.result === 'canceled' ? 'canceled' : 'failed') : 'succeeded') : null;
      common = { state, result, startTime: state === 'pending' ? null : iso(stageFrom), finishTime: state === 'completed' ? iso(stageTo) : null, errorCount: 0, issues: [] };
    }
    const job = jobCommon ?? common;
    records.push({ id: stageId, parentId: null, type: 'Stage', name: stage.name, identifier, order: si + 1, logId: undefined, ...common });
    records.push({ id: phaseId, parentId: stageId, type: 'Phase', name: stage.job, identifier: `${identifier}.${stage.job.replace(/\W+/g, '_')}`, order: 1, logId: undefined, ...job });
    records.push({ id: jobId, parentId: phaseId, type: 'Job', name: stage.job, identifier: `${identifier}.${stage.job.replace(/\W+/g, '_')}.__default`, order: 1, logId: ran && job.state !== 'pending' ? jobLog : undefined, ...job });
    if (ran && job.state !== 'pending') logs.set(jobLog, jobLines);
    records.push(...tasks);
    if (slot.gate) records.push(...checkpointRecords(stageId, slot.gate));
  });
  return { records, logs };
}

/**
 * The stage's checks as the timeline shows them: a Checkpoint record under the stage and a
 * Checkpoint.Approval record under it whose id is the approval's id (what a client passes to the
 * Approvals API), in progress while the approval waits.
 */
function checkpointRecords(stageId: string, gate: StageGate): TimelineRecord[] {
  const state: TimelineRecord['state'] = gate.status === 'uninitiated' ? 'pending' : gate.status === 'pending' ? 'inProgress' : 'completed';
  const result: TimelineRecord['result'] = gate.status === 'approved' ? 'succeeded' : gate.status === 'rejected' || gate.status === 'timedOut' ? 'failed' : null;
  const times = {
    startTime: gate.reachedAt !== undefined ? iso(gate.reachedAt) : null,
    finishTime: gate.decidedAt !== undefined ? iso(gate.decidedAt) : null,
  };
  const common = { state, result, ...times, logId: undefined, errorCount: 0, issues: [] } as const;
  const checkpointId = stableGuid(`checkpoint ${gate.approvalId}`);
  return [
    { id: checkpointId, parentId: stageId, type: 'Checkpoint', name: 'Checkpoint', identifier: `Checkpoint_${gate.stage.replace(/\W+/g, '_')}`, order: 0, ...common },
    { id: gate.approvalId, parentId: checkpointId, type: 'Checkpoint.Approval', name: 'Checkpoint.Approval', identifier: gate.approvalId, order: 1, ...common },
  ];
}
