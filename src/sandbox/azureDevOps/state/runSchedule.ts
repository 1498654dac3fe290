import { stableGuid } from './ids';
import { type Environment, type Pipeline, type PipelineRun } from './model';

/**
 * When each stage of a run starts and ends on the state's clock, with the approvals that gate
 * them. A run waits for an agent, then shares its run time evenly among its stages' steps (each
 * stage also has its job's set-up step). A stage that deploys to an environment with an Approval
 * check waits from the moment it is reached until the approval is answered or times out: approved,
 * the stage runs from then on (later stages move by the wait); rejected or timed out, the stage
 * fails there and the stages after it are skipped, as Azure Pipelines does.
 */

export type ApprovalStatus = 'uninitiated' | 'pending' | 'approved' | 'rejected' | 'timedOut';

export interface StageGate {
  readonly approvalId: string;
  readonly stage: string;
  readonly environment: Environment;
  readonly check: NonNullable<Environment['approval']>;
  /** When the run reached the stage (the approval's createdOn); undefined while it has not yet. */
  readonly reachedAt: number | undefined;
  readonly status: ApprovalStatus;
  /** When the status last changed (the answer, or the time-out). */
  readonly decidedAt: number | undefined;
  readonly answers: NonNullable<PipelineRun['approvals']>;
}

export interface StageSlot {
  readonly name: string;
  /** Infinity while the stage is not reached (a gate before it waits). */
  readonly from: number;
  readonly to: number;
  readonly gate: StageGate | undefined;
  /** `ran` (or will), `stopped` (its approval was rejected or timed out), `skipped` (a stage before it stopped). */
  readonly outcome: 'ran' | 'stopped' | 'skipped';
}

export interface RunSchedule {
  readonly startedAt: number;
  readonly slice: number;
  readonly stages: readonly StageSlot[];
  /** Undefined while the run goes on (or waits). */
  readonly finishedAt: number | undefined;
  /** The run's result once finished: its own, or failed when an approval stopped it. */
  readonly result: PipelineRun['result'];
}

export const DEFAULT_STAGES: NonNullable<Pipeline['stages']> = [{ name: 'Build', job: 'Build', steps: ['Checkout', 'Build', 'Test'] }];

/** The id of the approval that gates stage `index` of a run (stable, so a reload keeps it). */
export const approvalIdOf = (runId: number, index: number): string => stableGuid(`approval ${runId} stage ${index}`);

function gateOf(run: PipelineRun, index: number, stage: string, environment: Environment | undefined, reachedAt: number | undefined, now: number): StageGate | undefined {
  const check = environment?.approval;
  if (!environment || !check) return undefined;
  const answers = (run.approvals ?? []).filter((a) => a.stage === stage);
  const base = { approvalId: approvalIdOf(run.id, index), stage, environment, check, reachedAt, answers };
  if (reachedAt === undefined || now < reachedAt) return { ...base, reachedAt: undefined, status: 'uninitiated', decidedAt: undefined };
  const timeoutAt = reachedAt + check.timeoutMinutes * 60_000;
  let approvals = 0;
  for (const a of answers) {
    const at = Date.parse(a.on);
    if (at >= timeoutAt) break;
    if (a.status === 'rejected') return { ...base, status: 'rejected', decidedAt: at };
    approvals++;
    if (approvals >= check.minRequiredApprovers) return { ...base, status: 'approved', decidedAt: at };
  }
  if (now >= timeoutAt) return { ...base, status: 'timedOut', decidedAt: timeoutAt };
  return { ...base, status: 'pending', decidedAt: undefined };
}

export function runSchedule(pipeline: Pipeline, run: PipelineRun, environments: readonly Environment[], now: Date): RunSchedule {
  const stages = pipeline.stages?.length ? pipeline.stages : DEFAULT_STAGES;
  const t = now.getTime();
  const startedAt = Date.parse(run.createdDate) + run.queuedSeconds * 1000;
  const stepCount = stages.reduce((n, s) => n + s.steps.length + 1, 0);
  const slice = (run.runSeconds * 1000) / stepCount;
  const slots: StageSlot[] = [];
  let at = startedAt;
  let stoppedAt: number | undefined;
  stages.forEach((stage, index) => {
    const length = (stage.steps.length + 1) * slice;
    if (stoppedAt !== undefined) {
      slots.push({ name: stage.name, from: Infinity, to: Infinity, gate: undefined, outcome: 'skipped' });
      return;
    }
    const environment = stage.environment ? environments.find((e) => e.projectId === pipeline.projectId && e.name.toLowerCase() === stage.environment!.toLowerCase()) : undefined;
    const gate = gateOf(run, index, stage.name, environment, Number.isFinite(at) ? at : undefined, t);
    if (gate && (gate.status === 'rejected' || gate.status === 'timedOut')) {
      stoppedAt = gate.decidedAt!;
      slots.push({ name: stage.name, from: at, to: stoppedAt, gate, outcome: 'stopped' });
      return;
    }
    if (gate && gate.status !== 'approved') at = Infinity;
    else if (gate) at = Math.max(at, gate.decidedAt!);
    slots.push({ name: stage.name, from: at, to: at + length, gate, outcome: 'ran' });
    at += length;
  });
  const finishedAt = stoppedAt ?? (Number.isFinite(at) ? at : undefined);
  return {
    startedAt,
    slice,
    stages: slots,
    finishedAt: finishedAt !== undefined && t >= finishedAt ? finishedAt : undefined,
    result: stoppedAt !== undefined ? 'failed' : run.result,
  };
}
