import { z } from 'zod';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import type { AzureConnection } from '../../../providers/boards/azureBoards/azureConnection';
import { type PendingDeployment } from '../../../core/release/pendingDeployments';
import { type RemoteExecutionContext, type RemoteOutcome } from '../remote';
import { AzurePipelinesDelivery, parsed, type Run, RunShape, STATES, waitingApprovals, word } from './azurePipelines';
import { type FollowOptions } from './follow';

/**
 * Azure Pipelines approvals and checks: the approvals a deployment's stages wait on, answered
 * from here. azure-devops-node-api has no client for the Approvals API (pipelines/approvals), so
 * these requests go through its REST client with zod reading the answers; the approval a stage
 * waits on is found from the run's Build timeline (its Checkpoint.Approval record carries the
 * approval's id). Environments (distributedtask/environments) are read the same way, to say which
 * ones the project has when the one named is not there.
 */

const API_VERSION = '7.1';

const IdentityShape = z.object({ displayName: z.string().nullish(), uniqueName: z.string().nullish(), id: z.string().nullish() }).passthrough();
const StepShape = z.object({
  assignedApprover: IdentityShape.nullish(),
  actualApprover: IdentityShape.nullish(),
  status: z.string(),
  comment: z.string().nullish(),
});
const ApprovalShape = z.object({
  id: z.string(),
  status: z.string(),
  steps: z.array(StepShape).nullish(),
  minRequiredApprovers: z.number().nullish(),
  instructions: z.string().nullish(),
  createdOn: z.string().nullish(),
});
export type Approval = z.infer<typeof ApprovalShape>;
const ApprovalListShape = z.object({ count: z.number().optional(), value: z.array(ApprovalShape) });
const EnvironmentListShape = z.object({ value: z.array(z.object({ id: z.number(), name: z.string() }).passthrough()) });
const PipelineListShape = z.array(z.object({ id: z.number(), name: z.string() }));
const BuildShape = z.object({ requestedFor: IdentityShape.nullish(), requestedBy: IdentityShape.nullish() });

export type Decision = 'approve' | 'reject';

/** One approval a run of the deployment pipeline waits on, as the editor shows it. */
export interface PendingApproval {
  readonly approvalId: string;
  readonly runId: number;
  readonly runName: string;
  readonly ref: string;
  readonly stage: string;
  readonly approvers: readonly string[];
  readonly minRequiredApprovers: number;
  readonly instructions?: string;
  readonly waitingSince?: string;
  readonly url?: string;
}

const who = (i: z.infer<typeof IdentityShape> | null | undefined): string => i?.displayName ?? i?.uniqueName ?? '?';
const words = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** A stage deploys to the environment when its name is the environment's or has it as a word ("Deploy staging"). */
export function stageTargets(stage: string, environment: string): boolean {
  const env = words(environment).join(' ');
  const name = words(stage).join(' ');
  return name === env || ` ${name} `.includes(` ${env} `);
}

export class AzureApprovals {
  private readonly delivery: AzurePipelinesDelivery;

  constructor(
    private readonly connection: AzureConnection,
    options: { readonly follow: FollowOptions },
  ) {
    this.delivery = new AzurePipelinesDelivery(connection, options);
  }

  private get project(): string {
    return this.connection.endpoint.project;
  }

  private url(path: string, query: Record<string, string> = {}): string {
    const base = this.connection.endpoint.organizationUrl.replace(/\/+$/, '');
    const q = new URLSearchParams({ ...query, 'api-version': API_VERSION });
    return `${base}/${encodeURIComponent(this.project)}/_apis/${path}?${q.toString()}`;
  }

  /** The approvals with these ids, with their steps (who is asked, who answered). */
  private async approvals(ids: readonly string[], signal: AbortSignal): Promise<Approval[]> {
    if (!ids.length) return [];
    const what = 'reading the pipeline approvals';
    const res = await this.connection.call(what, async (api) => api.web.rest.get<unknown>(this.url('pipelines/approvals', { approvalIds: ids.join(','), $expand: 'steps' }), { acceptHeader: 'application/json' }), { signal, idempotent: true });
    return parsed(ApprovalListShape, res.result, what).value;
  }

  /** The runs of the pipeline for the ref (any ref when none is given) that are still going, newest first. */
  private async activeRuns(pipelineId: number, ref: string | undefined, signal: AbortSignal): Promise<Run[]> {
    const what = 'listing the pipeline runs';
    const runs = parsed(z.array(RunShape), await this.connection.call(what, async (api) => (await api.pipelines()).listRuns(this.project, pipelineId), { signal, idempotent: true }), what);
    return runs
      .filter((r) => word(r.state, STATES) !== 'completed')
      .filter((r) => ref === undefined || r.resources?.repositories?.['self']?.refName === ref)
      .sort((a, b) => b.id - a.id);
  }

  /** Every approval a run of the pipeline (for the ref) waits on now, with who may answer it. */
  async pending(p: { pipeline: string; ref?: string }, signal: AbortSignal): Promise<PendingApproval[]> {
    const pipeline = await this.delivery.pipelineOf(p.pipeline, signal);
    const out: PendingApproval[] = [];
    for (const run of await this.activeRuns(pipeline.id, p.ref, signal)) {
      const gates = waitingApprovals(await this.delivery.timeline(run.id, signal));
      const details = new Map((await this.approvals(gates.map((g) => g.approvalId), signal)).map((a) => [a.id.toLowerCase(), a]));
      for (const g of gates) {
        const a = details.get(g.approvalId.toLowerCase());
        if (a && a.status !== 'pending') continue;
        out.push({
          approvalId: g.approvalId,
          runId: run.id,
          runName: run.name ?? String(run.id),
          ref: run.resources?.repositories?.['self']?.refName ?? '',
          stage: g.stage,
          approvers: (a?.steps ?? []).map((s) => who(s.assignedApprover)),
          minRequiredApprovers: a?.minRequiredApprovers ?? 1,
          ...(a?.instructions ? { instructions: a.instructions } : {}),
          ...(a?.createdOn ? { waitingSince: a.createdOn } : {}),
          ...(run._links?.web?.href ? { url: run._links.web.href } : {}),
        });
      }
    }
    return out;
  }

  /**
   * The approval the user picked no longer waits: answered meanwhile (by whom, a conflict), or gone
   * with its run (deleted, cancelled: refused, nothing to answer).
   */
  private async notWaiting(approvalId: string, environment: string, signal: AbortSignal): Promise<RemoteOutcome> {
    const now = (await this.approvals([approvalId], signal).catch(() => []))[0];
    if (now && now.status !== 'pending') {
      const by = (now.steps ?? []).filter((s) => s.actualApprover).map((s) => `${s.status} by ${who(s.actualApprover)}`).join(', ');
      return { kind: 'conflict', detail: `the approval for ${environment} was already answered (${now.status}${by ? `, ${by}` : ''}); nothing was changed` };
    }
    return { kind: 'refused', detail: `the approval for ${environment} no longer waits (its run was cancelled, deleted or moved on); list the pending approvals again` };
  }

  /**
   * Everything that waits for approval in the project: the pending approvals (one query), each
   * placed on its run and stage through the active runs' timelines (the Approval shape names
   * neither), with who started the run. Approvals no YAML run here waits on (another pipeline
   * kind) are counted in `unplaced`.
   */
  async pendingInProject(signal: AbortSignal): Promise<{ items: PendingDeployment[]; unplaced: number }> {
    const what = 'listing the pending pipeline approvals';
    const res = await this.connection.call(what, async (api) => api.web.rest.get<unknown>(this.url('pipelines/approvals', { state: 'pending', $expand: 'steps' }), { acceptHeader: 'application/json' }), { signal, idempotent: true });
    const open = new Map(parsed(ApprovalListShape, res.result, what).value.filter((a) => a.status === 'pending').map((a) => [a.id.toLowerCase(), a]));
    if (!open.size) return { items: [], unplaced: 0 };
    const listing = 'listing the pipelines';
    const pipelines = parsed(PipelineListShape, await this.connection.call(listing, async (api) => (await api.pipelines()).listPipelines(this.project, undefined, 1000), { signal, idempotent: true }), listing);
    const environments = await this.environmentNames(signal).catch(() => [] as string[]);
    const items: PendingDeployment[] = [];
    for (const pipeline of pipelines) {
      if (items.length === open.size) break;
      for (const run of await this.activeRuns(pipeline.id, undefined, signal)) {
        const gates = waitingApprovals(await this.delivery.timeline(run.id, signal)).filter((g) => open.has(g.approvalId.toLowerCase()));
        if (!gates.length) continue;
        const reading = `reading run ${run.id}`;
        const build = await this.connection
          .call(reading, async (api) => (await api.builds()).getBuild(this.project, run.id), { signal, idempotent: true })
          .then((b) => BuildShape.safeParse(b))
          .catch(() => undefined);
        const requester = build?.success ? (build.data.requestedFor ?? build.data.requestedBy) : undefined;
        for (const g of gates) {
          const a = open.get(g.approvalId.toLowerCase())!;
          items.push({
            id: a.id,
            provider: 'azure',
            environment: environments.find((e) => stageTargets(g.stage, e)) ?? g.stage,
            stage: g.stage,
            pipeline: String(pipeline.id),
            pipelineName: pipeline.name,
            runId: run.id,
            runName: run.name ?? String(run.id),
            ref: run.resources?.repositories?.['self']?.refName ?? '',
            ...(requester ? { requestedBy: who(requester) } : {}),
            approvers: (a.steps ?? []).map((s) => who(s.assignedApprover)),
            ...(a.instructions ? { instructions: a.instructions } : {}),
            ...(a.createdOn ? { waitingSince: a.createdOn } : {}),
            ...(run._links?.web?.href ? { url: run._links.web.href } : {}),
          });
        }
      }
    }
    return { items, unplaced: open.size - items.length };
  }

  /** The project's environment names, to say which there are when the one named is not. */
  private async environmentNames(signal: AbortSignal): Promise<string[]> {
    const what = 'listing the pipeline environments';
    const res = await this.connection.call(what, async (api) => api.web.rest.get<unknown>(this.url('distributedtask/environments'), { acceptHeader: 'application/json' }), { signal, idempotent: true });
    return parsed(EnvironmentListShape, res.result, what).value.map((e) => e.name);
  }

  /**
   * Approves (or rejects) the approval that a run of the pipeline for the ref waits on before its
   * stage for the environment, with the comment; records who answered, then follows the run until
   * it completes or waits for the next approval. Refused when no run waits there or the user may
   * not answer; a conflict when someone answered it first.
   */
  async answer(p: { pipeline: string; ref: string; environment: string; decision: Decision; comment: string; approvalId?: string }, context: RemoteExecutionContext): Promise<RemoteOutcome> {
    const { signal } = context;
    const pipeline = await this.delivery.pipelineOf(p.pipeline, signal);
    const short = p.ref.replace(/^refs\/(heads|tags)\//, '');
    const wanted = p.approvalId?.toLowerCase();
    // An approval picked by id is looked for in every active run of the pipeline, whatever its ref.
    const waiting = await this.pending({ pipeline: String(pipeline.id), ...(wanted ? {} : { ref: p.ref }) }, signal);
    const match = waiting.find((w) => (wanted ? w.approvalId.toLowerCase() === wanted : stageTargets(w.stage, p.environment)));
    if (!match && wanted) return this.notWaiting(wanted, p.environment, signal);
    if (!match) {
      const names = await this.environmentNames(signal).catch(() => undefined);
      if (names && !names.some((n) => n.toLowerCase() === p.environment.toLowerCase())) {
        return { kind: 'refused', detail: `${this.project} has no environment named ${p.environment} (it has: ${names.join(', ') || 'none'})` };
      }
      const others = waiting.map((w) => `run ${w.runName} waits for ${w.stage}`).join('; ');
      return { kind: 'refused', detail: `no run of ${pipeline.name} for ${short} waits for approval to ${p.environment}${others ? ` (${others})` : '; deploy the release first, or it has passed that stage'}` };
    }
    const status = p.decision === 'approve' ? 'approved' : 'rejected';
    const what = `${p.decision === 'approve' ? 'approving' : 'rejecting'} ${match.stage} for run ${match.runName}`;
    let answered: Approval | undefined;
    try {
      const res = await this.connection.call(
        what,
        async (api) => api.web.rest.update<unknown>(this.url('pipelines/approvals'), [{ approvalId: match.approvalId, status, comment: p.comment }], { acceptHeader: 'application/json' }),
        { signal, idempotent: false },
      );
      answered = parsed(ApprovalListShape, res.result, what).value.find((a) => a.id.toLowerCase() === match.approvalId.toLowerCase());
    } catch (error) {
      if (!isDevOpsError(error)) throw error;
      if (error.code === 'forbidden') {
        return { kind: 'refused', detail: `you may not answer the approval of ${match.stage} (approvers: ${match.approvers.join(', ') || 'none listed'}); run ${match.runName} still waits${match.url ? ` (${match.url})` : ''}` };
      }
      if (error.code === 'conflict') {
        const now = (await this.approvals([match.approvalId], signal).catch(() => []))[0];
        const by = (now?.steps ?? []).filter((s) => s.actualApprover).map((s) => `${s.status} by ${who(s.actualApprover)}`).join(', ');
        return { kind: 'conflict', detail: `the approval of ${match.stage} for run ${match.runName} was already answered (${now?.status ?? 'completed'}${by ? `, ${by}` : ''}); nothing was changed` };
      }
      throw error;
    }
    const mine = (answered?.steps ?? []).filter((s) => s.actualApprover && s.status === status).at(-1);
    const by = mine ? who(mine.actualApprover) : 'you';
    const recorded = { runId: match.runId, stage: match.stage, environment: p.environment, approvalId: match.approvalId, decision: status, by };
    if (p.decision === 'reject') {
      return { kind: 'applied', detail: `${match.stage} rejected by ${by} for run ${match.runName} of ${pipeline.name}: the run stops there`, ...(match.url ? { url: match.url } : {}), result: recorded };
    }
    if (answered && answered.status === 'pending') {
      return { kind: 'applied', detail: `${match.stage} approved by ${by} for run ${match.runName}; it still waits for ${(answered.minRequiredApprovers ?? 1) - (answered.steps ?? []).filter((s) => s.status === 'approved').length} more approval(s)`, ...(match.url ? { url: match.url } : {}), result: recorded };
    }
    const settled = await this.delivery.follow(pipeline.id, { id: match.runId, name: match.runName, _links: match.url ? { web: { href: match.url } } : undefined }, `${pipeline.name} for ${short}`, context, match.stage).catch((error: unknown) => {
      // The approval is given and recorded; a run that fails after it is reported as such, with who approved.
      if (isDevOpsError(error)) throw new DevOpsError(error.code, `${match.stage} approved by ${by}; ${error.message}`);
      throw error;
    });
    return { ...settled, detail: `${match.stage} approved by ${by} for run ${match.runName}; ${settled.detail}`, ...(settled.kind === 'applied' ? { result: recorded } : {}) };
  }
}
