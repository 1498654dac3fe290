import { type Environment, type Pipeline, type PipelineRun } from './model';
import { runSchedule } from './runSchedule';

export type RunPhase = 'queued' | 'inProgress' | 'completed';

/**
 * Where a run stands at `now`: it waits for an agent, runs (and waits for the approvals its
 * stages' environments ask for), then finishes, on the state's clock. The result is the run's
 * own, or failed when an approval was rejected or timed out.
 */
export function runPhase(
  pipeline: Pipeline,
  run: PipelineRun,
  environments: readonly Environment[],
  now: Date,
): { phase: RunPhase; startedAt?: string; finishedAt?: string; result: PipelineRun['result'] } {
  const schedule = runSchedule(pipeline, run, environments, now);
  const t = now.getTime();
  if (t < schedule.startedAt) return { phase: 'queued', result: schedule.result };
  const startedAt = new Date(schedule.startedAt).toISOString();
  if (schedule.finishedAt === undefined) return { phase: 'inProgress', startedAt, result: schedule.result };
  return { phase: 'completed', startedAt, finishedAt: new Date(schedule.finishedAt).toISOString(), result: schedule.result };
}

/** How long a new run takes in the sandbox: a short queue, then the run. */
export const NEW_RUN_TIMING = { queuedSeconds: 5, runSeconds: 40 } as const;
