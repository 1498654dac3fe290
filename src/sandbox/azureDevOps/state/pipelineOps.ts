import { type PipelineRun } from './model';

export type RunPhase = 'queued' | 'inProgress' | 'completed';

/** Where a run stands at `now`: it waits for an agent, runs, then finishes, on the state's clock. */
export function runPhase(run: PipelineRun, now: Date): { phase: RunPhase; startedAt?: string; finishedAt?: string } {
  const created = Date.parse(run.createdDate);
  const started = created + run.queuedSeconds * 1000;
  const finished = started + run.runSeconds * 1000;
  const t = now.getTime();
  if (t < started) return { phase: 'queued' };
  if (t < finished) return { phase: 'inProgress', startedAt: new Date(started).toISOString() };
  return { phase: 'completed', startedAt: new Date(started).toISOString(), finishedAt: new Date(finished).toISOString() };
}

/** How long a new run takes in the sandbox: a short queue, then the run. */
export const NEW_RUN_TIMING = { queuedSeconds: 5, runSeconds: 40 } as const;
