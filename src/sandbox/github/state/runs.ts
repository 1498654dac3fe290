import { type RunRecord } from './model';

/** How long a dispatched run waits in the queue and then runs, on the state's clock. */
export const RUN_QUEUED_MS = 5_000;
export const RUN_IN_PROGRESS_MS = 20_000;

export interface RunProgress {
  readonly status: 'queued' | 'in_progress' | 'completed';
  readonly conclusion: 'success' | 'failure' | 'cancelled' | null;
  readonly startedAt: string;
  readonly updatedAt: string;
}

/** A run moves queued > in_progress > completed as the clock passes, or ends cancelled when cancelled first. */
export function runProgress(run: RunRecord, now: Date): RunProgress {
  const created = Date.parse(run.createdAt);
  const started = created + RUN_QUEUED_MS;
  const finished = started + RUN_IN_PROGRESS_MS;
  const iso = (t: number) => new Date(t).toISOString();
  const cancelled = run.cancelledAt ? Date.parse(run.cancelledAt) : undefined;
  if (cancelled !== undefined && cancelled < finished) return { status: 'completed', conclusion: 'cancelled', startedAt: iso(Math.min(started, cancelled)), updatedAt: run.cancelledAt! };
  const t = now.getTime();
  if (t < started) return { status: 'queued', conclusion: null, startedAt: run.createdAt, updatedAt: run.createdAt };
  if (t < finished) return { status: 'in_progress', conclusion: null, startedAt: iso(started), updatedAt: iso(started) };
  return { status: 'completed', conclusion: run.outcome, startedAt: iso(started), updatedAt: iso(finished) };
}
