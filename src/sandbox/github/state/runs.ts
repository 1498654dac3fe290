import { type EnvironmentRecord, type RepoRecord, type RunRecord, type WorkflowJobRecord } from './model';

/** How long a dispatched run waits in the queue and then runs, on the state's clock. */
export const RUN_QUEUED_MS = 5_000;
export const RUN_IN_PROGRESS_MS = 20_000;

/** The job a workflow without jobs runs: one job for the whole run time. */
const DEFAULT_JOB: WorkflowJobRecord = { name: 'build', steps: ['Set up job', 'Checkout', 'Run tests', 'Complete job'], seconds: RUN_IN_PROGRESS_MS / 1000 };

export type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepProgress {
  readonly number: number;
  readonly name: string;
  readonly status: 'queued' | 'in_progress' | 'completed';
  readonly conclusion: Conclusion | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
}

export interface JobProgress {
  readonly index: number;
  readonly name: string;
  readonly environment: string | undefined;
  readonly status: 'queued' | 'waiting' | 'in_progress' | 'completed';
  readonly conclusion: Conclusion | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly steps: readonly StepProgress[];
  /** The failing step's number, when the job failed in one. */
  readonly failedStep?: number;
}

export interface RunProgress {
  readonly status: 'queued' | 'in_progress' | 'waiting' | 'completed';
  readonly conclusion: Conclusion | null;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly jobs: readonly JobProgress[];
  /** The environment a job waits for, and since when (its review is pending). */
  readonly waitingFor?: { readonly environment: EnvironmentRecord; readonly job: string; readonly since: string };
}

const iso = (t: number): string => new Date(t).toISOString();

export function workflowJobs(repo: RepoRecord, run: RunRecord): readonly WorkflowJobRecord[] {
  return repo.workflows.find((w) => w.id === run.workflowId)?.jobs ?? [DEFAULT_JOB];
}

export function environmentOf(repo: RepoRecord, name: string | undefined): EnvironmentRecord | undefined {
  return name === undefined ? undefined : (repo.environments ?? []).find((e) => e.name.toLowerCase() === name.toLowerCase());
}

/** A job's steps at `t`, evenly spread over its time; the failing one second to last (before "Complete job"). */
function steps(job: WorkflowJobRecord, start: number, end: number, t: number, outcome: 'success' | 'failure' | 'cancelled'): { steps: StepProgress[]; failedStep?: number } {
  const n = job.steps.length;
  const span = (end - start) / n;
  const failAt = outcome === 'failure' ? Math.max(0, n - 2) : -1;
  const out: StepProgress[] = [];
  let ended = false;
  for (let i = 0; i < n; i++) {
    const s = start + i * span;
    const e = start + (i + 1) * span;
    const name = job.steps[i]!;
    if (ended) out.push({ number: i + 1, name, status: 'completed', conclusion: 'skipped', startedAt: null, completedAt: null });
    else if (t < s) out.push({ number: i + 1, name, status: 'queued', conclusion: null, startedAt: null, completedAt: null });
    else if (t < e) out.push({ number: i + 1, name, status: 'in_progress', conclusion: null, startedAt: iso(s), completedAt: null });
    else {
      const conclusion: Conclusion = i === failAt ? 'failure' : outcome === 'cancelled' && i === n - 1 ? 'cancelled' : 'success';
      out.push({ number: i + 1, name, status: 'completed', conclusion, startedAt: iso(s), completedAt: iso(e) });
      if (conclusion !== 'success') ended = true;
    }
  }
  return { steps: out, ...(failAt >= 0 && t >= end ? { failedStep: failAt + 1 } : {}) };
}

/**
 * Where a run stands at `now`. Its jobs run one after another from the end of the queue time; a
 * job that deploys to an environment with required reviewers waits (status `waiting`) until a
 * review answers it: approved, it runs from then on; rejected, it fails and the rest are skipped.
 * The `environment` input stops the run after the job for that environment (later jobs skipped).
 * The `sandbox_result` input makes the last job that runs fail (or end cancelled); a cancel stops
 * the job in progress and skips the rest. A re-run starts the whole run again.
 */
export function runProgress(repo: RepoRecord, run: RunRecord, now: Date): RunProgress {
  const t = now.getTime();
  const start = Date.parse(run.restartedAt ?? run.createdAt);
  const cancelledAt = run.cancelledAt ? Date.parse(run.cancelledAt) : undefined;
  const defs = workflowJobs(repo, run);
  const wanted = run.inputs['environment'];
  const lastIndex = wanted ? defs.findIndex((j) => j.environment?.toLowerCase() === wanted.toLowerCase()) : -1;
  const runs = (i: number): boolean => lastIndex < 0 || i <= lastIndex;
  const finalIndex = lastIndex < 0 ? defs.length - 1 : lastIndex;
  const jobs: JobProgress[] = [];
  let cursor = start + RUN_QUEUED_MS;
  let ended: { at: number; conclusion: Conclusion } | undefined;
  let waitingFor: RunProgress['waitingFor'];
  let updated = start;
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i]!;
    const base = { index: i, name: def.name, environment: def.environment };
    const skipped = (): JobProgress => ({ ...base, status: 'completed', conclusion: 'skipped', startedAt: null, completedAt: null, steps: def.steps.map((name, n) => ({ number: n + 1, name, status: 'completed', conclusion: 'skipped', startedAt: null, completedAt: null })) });
    const queued = (): JobProgress => ({ ...base, status: 'queued', conclusion: null, startedAt: null, completedAt: null, steps: def.steps.map((name, n) => ({ number: n + 1, name, status: 'queued', conclusion: null, startedAt: null, completedAt: null })) });
    if (ended || !runs(i)) {
      jobs.push(skipped());
      continue;
    }
    if (waitingFor) {
      jobs.push(queued());
      continue;
    }
    const env = environmentOf(repo, def.environment);
    if (env && env.reviewers.length > 0) {
      const review = (run.reviews ?? []).find((r) => r.environment.toLowerCase() === env.name.toLowerCase() && Date.parse(r.at) <= t);
      if (!review) {
        if (cancelledAt !== undefined) {
          ended = { at: cancelledAt, conclusion: 'cancelled' };
          jobs.push({ ...skipped(), conclusion: 'cancelled', completedAt: iso(cancelledAt) });
          updated = cancelledAt;
          continue;
        }
        if (t < cursor) {
          jobs.push(queued());
          continue;
        }
        waitingFor = { environment: env, job: def.name, since: iso(cursor) };
        jobs.push({ ...queued(), status: 'waiting' });
        updated = Math.max(updated, cursor);
        continue;
      }
      const answered = Date.parse(review.at);
      if (review.state === 'rejected') {
        ended = { at: answered, conclusion: 'failure' };
        jobs.push({ ...skipped(), conclusion: 'failure', completedAt: iso(answered) });
        updated = answered;
        continue;
      }
      cursor = Math.max(cursor, answered);
    }
    if (env && env.waitTimer > 0) cursor += env.waitTimer * 60_000;
    const jobStart = cursor;
    const jobEnd = cursor + def.seconds * 1000;
    if (cancelledAt !== undefined && cancelledAt < jobEnd) {
      ended = { at: cancelledAt, conclusion: 'cancelled' };
      const progress = cancelledAt < jobStart ? { steps: skipped().steps } : steps(def, jobStart, jobEnd, Math.min(t, cancelledAt), 'success');
      const stopped = progress.steps.map((s) => (s.status === 'completed' ? s : { ...s, status: 'completed' as const, conclusion: 'cancelled' as const, completedAt: iso(cancelledAt) }));
      jobs.push({ ...base, status: 'completed', conclusion: 'cancelled', startedAt: cancelledAt < jobStart ? null : iso(jobStart), completedAt: iso(cancelledAt), steps: stopped });
      updated = cancelledAt;
      continue;
    }
    const outcome = i === finalIndex ? run.outcome : 'success';
    if (t < jobStart) {
      jobs.push(queued());
      continue;
    }
    const progress = steps(def, jobStart, jobEnd, t, outcome);
    if (t < jobEnd) {
      jobs.push({ ...base, status: 'in_progress', conclusion: null, startedAt: iso(jobStart), completedAt: null, steps: progress.steps });
      updated = Math.max(updated, jobStart);
    } else {
      const conclusion: Conclusion = outcome === 'failure' ? 'failure' : outcome === 'cancelled' ? 'cancelled' : 'success';
      jobs.push({ ...base, status: 'completed', conclusion, startedAt: iso(jobStart), completedAt: iso(jobEnd), steps: progress.steps, ...(progress.failedStep ? { failedStep: progress.failedStep } : {}) });
      updated = jobEnd;
      if (conclusion !== 'success') ended = { at: jobEnd, conclusion };
    }
    cursor = jobEnd;
  }
  const startedAt = iso(Math.min(start + RUN_QUEUED_MS, cancelledAt ?? Number.POSITIVE_INFINITY));
  const done = jobs.every((j) => j.status === 'completed');
  if (done) {
    const conclusion: Conclusion = ended?.conclusion ?? 'success';
    return { status: 'completed', conclusion, startedAt, updatedAt: iso(updated), jobs };
  }
  if (waitingFor) return { status: 'waiting', conclusion: null, startedAt, updatedAt: iso(updated), jobs, waitingFor };
  if (t < start + RUN_QUEUED_MS) return { status: 'queued', conclusion: null, startedAt: run.restartedAt ?? run.createdAt, updatedAt: run.restartedAt ?? run.createdAt, jobs };
  return { status: 'in_progress', conclusion: null, startedAt, updatedAt: iso(updated), jobs };
}

/** A job's id: derived from its run, attempt and place, so it can be found again from the id alone. */
export const jobId = (run: RunRecord, index: number): number => run.id * 100 + ((run.attempt ?? 1) - 1) * 10 + index + 1;

export function jobOf(repo: RepoRecord, id: number): { run: RunRecord; index: number } | undefined {
  const run = repo.runs.find((r) => r.id === Math.floor(id / 100));
  if (!run) return undefined;
  const index = (id % 100) - ((run.attempt ?? 1) - 1) * 10 - 1;
  return index >= 0 && index < workflowJobs(repo, run).length ? { run, index } : undefined;
}
