import { z } from 'zod';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import type { GitHubClient, Kit } from '../../../providers/boards/github/githubClient';
import { githubPendingId, type PendingDeployment } from '../../../core/release/pendingDeployments';
import { type RemoteExecutionContext, type RemoteOutcome } from '../remote';
import { failureExcerpt, followUntil, type FollowOptions } from './follow';

/**
 * GitHub's side of shipping: releases, workflow_dispatch runs followed to the end (or to the
 * environment they wait for), and answers to pending deployments. Every call goes through the
 * shared GitHubClient (credential, throttling, retries, time-outs); every answer is read with zod.
 */

const ReleaseShape = z.object({ id: z.number(), html_url: z.string(), body: z.string().nullable().optional(), tag_name: z.string() });
const RunShape = z.object({
  id: z.number(),
  run_number: z.number(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  html_url: z.string(),
  head_branch: z.string().nullable(),
  event: z.string(),
});
type Run = z.infer<typeof RunShape>;
/** What the list of waiting runs needs on top: the workflow, who started it, since when. */
const WaitingRunShape = RunShape.extend({ path: z.string().nullish(), name: z.string().nullish(), updated_at: z.string().nullish(), actor: z.object({ login: z.string() }).nullish() });
const WaitingRunsShape = z.object({ total_count: z.number(), workflow_runs: z.array(WaitingRunShape) });
const RunsShape = z.object({ total_count: z.number(), workflow_runs: z.array(RunShape) });
const StepShape = z.object({ name: z.string(), status: z.string(), conclusion: z.string().nullable(), number: z.number() });
const JobShape = z.object({ id: z.number(), name: z.string(), status: z.string(), conclusion: z.string().nullable(), steps: z.array(StepShape).optional() });
const JobsShape = z.object({ jobs: z.array(JobShape) });
const PendingShape = z.array(
  z.object({
    environment: z.object({ id: z.number(), name: z.string() }),
    current_user_can_approve: z.boolean(),
    wait_timer_started_at: z.string().nullish(),
    reviewers: z.array(z.object({ type: z.string().optional(), reviewer: z.object({ login: z.string().optional(), name: z.string().optional(), slug: z.string().optional() }).passthrough() })),
  }),
);
const ReviewsShape = z.array(z.object({ environments: z.array(z.object({ name: z.string().optional() })), state: z.string(), user: z.object({ login: z.string() }), comment: z.string() }));
const DispatchShape = z.object({ workflow_run_id: z.number() }).partial();

/** A branch or tag as workflow_dispatch takes it: its short name. */
export const shortRef = (ref: string): string => ref.replace(/^refs\/(heads|tags)\//, '');

export interface GitHubDeliveryOptions {
  readonly follow: FollowOptions;
}

export class GitHubDelivery {
  constructor(
    private readonly client: GitHubClient,
    private readonly options: GitHubDeliveryOptions,
  ) {}

  private get repo(): { owner: string; repo: string } {
    return { owner: this.client.endpoint.owner, repo: this.client.endpoint.repo };
  }

  /** Publishes a release for a pushed tag; an existing release is left alone (the same notes count as done). */
  async publishRelease(p: { tag: string; name: string; body: string; prerelease: boolean }, signal: AbortSignal): Promise<RemoteOutcome> {
    const existing = await this.client
      .restParsed(`reading the release of ${p.tag}`, ReleaseShape, (kit, request) => kit.rest.repos.getReleaseByTag({ ...this.repo, tag: p.tag, request }), { signal })
      .then((r) => r.data)
      .catch((error: unknown) => {
        if (isDevOpsError(error) && error.code === 'notFound') return undefined;
        throw error;
      });
    if (existing) {
      if ((existing.body ?? '').trim() === p.body.trim()) return { kind: 'applied', detail: `the release ${p.tag} was already published with these notes`, url: existing.html_url, result: { id: existing.id, url: existing.html_url } };
      return { kind: 'conflict', detail: `${p.tag} already has a release with other notes (${existing.html_url}); it was not overwritten` };
    }
    const made = await this.client.restParsed(
      `publishing the release ${p.tag}`,
      ReleaseShape,
      (kit, request) => kit.rest.repos.createRelease({ ...this.repo, tag_name: p.tag, name: p.name, body: p.body, prerelease: p.prerelease, draft: false, request }),
      { signal, write: true },
    );
    return { kind: 'applied', detail: `published the release ${p.tag}${p.prerelease ? ' (pre-release)' : ''}`, url: made.data.html_url, result: { id: made.data.id, url: made.data.html_url } };
  }

  /**
   * Dispatches a workflow for a ref and follows the run: the run id from the dispatch answer, or
   * found by polling when the server answers 204 (GitHub Enterprise Server without run details).
   * Inputs in `optional` are dropped and the dispatch sent again when the workflow does not
   * declare them (GitHub answers 422 "Unexpected inputs provided").
   */
  async runWorkflow(p: { workflow: string; ref: string; inputs: Record<string, string>; optional: readonly string[] }, context: RemoteExecutionContext): Promise<RemoteOutcome> {
    const { signal } = context;
    const ref = shortRef(p.ref);
    const before = new Set((await this.runsOf(p.workflow, ref, signal)).map((r) => r.id));
    let inputs = { ...p.inputs };
    const dispatch = async (kit: Kit, request: { signal: AbortSignal }): Promise<{ status: number; data: unknown }> => {
      const send = () => kit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...this.repo, workflow_id: p.workflow, ref, inputs, return_run_details: true, request });
      try {
        return await send();
      } catch (error) {
        const unexpected = unexpectedInputs(error);
        const droppable = unexpected?.length && unexpected.every((k) => p.optional.includes(k));
        if (!droppable) throw error;
        inputs = Object.fromEntries(Object.entries(inputs).filter(([k]) => !unexpected.includes(k)));
        return await send();
      }
    };
    const answer = await this.client.rest(`starting ${p.workflow} for ${ref}`, dispatch, { signal, write: true });
    const dropped = Object.keys(p.inputs).filter((k) => !(k in inputs));
    const given = answer.status === 200 ? DispatchShape.safeParse(answer.data) : undefined;
    let runId = given?.success ? given.data.workflow_run_id : undefined;
    if (runId === undefined) {
      // No run details: the new run is the one that was not there before the dispatch.
      const found = await followUntil(async () => (await this.runsOf(p.workflow, ref, signal)).find((r) => !before.has(r.id) && r.event === 'workflow_dispatch'), { ...this.options.follow, timeoutMs: Math.min(this.options.follow.timeoutMs, 60_000) }, signal);
      if (!found) return { kind: 'applied', detail: `started ${p.workflow} for ${ref}, but its run did not appear within a minute; see the workflow's runs on GitHub` };
      runId = found.id;
    }
    const note = dropped.length ? ` (${p.workflow} takes no ${dropped.join(', ')} input, so it was not sent)` : '';
    return this.follow(runId, `${p.workflow} for ${ref}${note}`, context, undefined);
  }

  /**
   * Approves the deployment of `ref` into `environment` in the newest run of the workflow that
   * waits for it, records who approved, and follows the run until it settles again.
   */
  async approve(p: { workflow: string; ref: string; environment: string; comment: string; decision?: 'approve' | 'reject'; runId?: number }, context: RemoteExecutionContext): Promise<RemoteOutcome> {
    const state = p.decision === 'reject' ? 'rejected' : 'approved';
    const { signal } = context;
    const ref = shortRef(p.ref);
    // A run picked from the list of waiting deployments is answered exactly; else the newest that waits for the environment.
    const runs = p.runId !== undefined ? [await this.runById(p.runId, signal)] : await this.runsOf(p.workflow, ref, signal);
    if (p.runId !== undefined && !runs[0]) return { kind: 'refused', detail: `run ${p.runId} of ${p.workflow} is gone (deleted, or not in this repository); list the pending deployments again` };
    for (const run of runs.filter((r): r is Run => r?.status === 'waiting')) {
      const pending = await this.pendingOf(run.id, signal);
      const match = pending.find((d) => d.environment.name.toLowerCase() === p.environment.toLowerCase());
      if (!match) continue;
      if (!match.current_user_can_approve) {
        const who = match.reviewers.map((r) => r.reviewer.login ?? r.reviewer.slug ?? r.reviewer.name ?? '?').join(', ');
        return { kind: 'refused', detail: `you are not one of the reviewers of ${match.environment.name} (${who || 'none listed'}); run #${run.run_number} still waits (${run.html_url})` };
      }
      await this.client.rest(
        `${state === 'approved' ? 'approving' : 'rejecting'} ${match.environment.name} for run #${run.run_number}`,
        (kit, request) => kit.rest.actions.reviewPendingDeploymentsForRun({ ...this.repo, run_id: run.id, environment_ids: [match.environment.id], state, comment: p.comment, request }),
        { signal, write: true },
      );
      const reviews = await this.reviewsOf(run.id, signal);
      const mine = [...reviews].reverse().find((r) => r.state === state && r.environments.some((e) => e.name?.toLowerCase() === match.environment.name.toLowerCase()));
      const by = mine?.user.login ?? 'you';
      if (state === 'rejected') {
        return { kind: 'applied', detail: `${match.environment.name} rejected by ${by} for run #${run.run_number}: the run stops there`, url: run.html_url, result: { runId: run.id, environment: match.environment.name, rejectedBy: by } };
      }
      const settled = await this.follow(run.id, `${p.workflow} for ${ref}`, context, match.environment.name);
      return { ...settled, detail: `${match.environment.name} approved by ${by} for run #${run.run_number}; ${settled.detail}`, ...(settled.kind === 'applied' ? { result: { runId: run.id, environment: match.environment.name, approvedBy: by } } : {}) };
    }
    const latest = runs[0];
    if (p.runId !== undefined && latest) {
      // The run picked no longer waits for the environment: answered meanwhile (a conflict, with who), or it moved on.
      const reviews = await this.reviewsOf(latest.id, signal).catch(() => []);
      const earlier = reviews.filter((r) => r.environments.some((e) => e.name?.toLowerCase() === p.environment.toLowerCase())).at(-1);
      if (earlier) return { kind: 'conflict', detail: `${p.environment} for run #${latest.run_number} was already answered (${earlier.state} by ${earlier.user.login}); nothing was changed` };
      return { kind: 'refused', detail: `run #${latest.run_number} no longer waits for ${p.environment} (it is ${latest.conclusion ?? latest.status}: ${latest.html_url})` };
    }
    return {
      kind: 'refused',
      detail: latest
        ? `no run of ${p.workflow} for ${ref} waits for ${p.environment} (the latest, #${latest.run_number}, is ${latest.conclusion ?? latest.status}: ${latest.html_url})`
        : `${p.workflow} has no run for ${ref}; deploy the release first`,
    };
  }

  /**
   * Every deployment in the repository that waits for a review: the runs whose status is
   * `waiting`, and for each the environments it waits on (one run may wait on several), with who
   * may review and whether the signed-in user may.
   */
  async pendingDeployments(signal: AbortSignal): Promise<PendingDeployment[]> {
    const runs = (await this.client.restParsed('listing the waiting workflow runs', WaitingRunsShape, (kit, request) => kit.rest.actions.listWorkflowRunsForRepo({ ...this.repo, status: 'waiting', per_page: 100, request }), { signal })).data.workflow_runs;
    const out: PendingDeployment[] = [];
    for (const run of runs) {
      const workflow = (run.path ?? '').split('/').pop() || String(run.id);
      for (const d of await this.pendingOf(run.id, signal)) {
        out.push({
          id: githubPendingId(run.id, d.environment.id),
          provider: 'github',
          environment: d.environment.name,
          pipeline: workflow,
          pipelineName: run.name ?? workflow,
          runId: run.id,
          runName: `#${run.run_number}`,
          ref: run.head_branch ?? '',
          ...(run.actor ? { requestedBy: run.actor.login } : {}),
          approvers: d.reviewers.map((r) => r.reviewer.login ?? r.reviewer.slug ?? r.reviewer.name ?? '?'),
          canAnswer: d.current_user_can_approve,
          ...((d.wait_timer_started_at ?? run.updated_at) ? { waitingSince: (d.wait_timer_started_at ?? run.updated_at)! } : {}),
          url: run.html_url,
        });
      }
    }
    return out;
  }

  /** A run by id; undefined when GitHub says there is none (404). */
  private async runById(runId: number, signal: AbortSignal): Promise<Run | undefined> {
    return this.client
      .restParsed(`reading run ${runId}`, RunShape, (kit, request) => kit.rest.actions.getWorkflowRun({ ...this.repo, run_id: runId, request }), { signal })
      .then((r) => r.data)
      .catch((error: unknown) => {
        if (isDevOpsError(error) && error.code === 'notFound') return undefined;
        throw error;
      });
  }

  private async reviewsOf(runId: number, signal: AbortSignal): Promise<z.infer<typeof ReviewsShape>> {
    return (await this.client.restParsed(`reading the reviews of run ${runId}`, ReviewsShape, (kit, request) => kit.rest.actions.getReviewsForRun({ ...this.repo, run_id: runId, request }), { signal })).data;
  }

  private async runsOf(workflow: string, ref: string, signal: AbortSignal): Promise<Run[]> {
    const answer = await this.client.restParsed(`listing the runs of ${workflow}`, RunsShape, (kit, request) => kit.rest.actions.listWorkflowRuns({ ...this.repo, workflow_id: workflow, branch: ref, per_page: 30, request }), { signal });
    return answer.data.workflow_runs;
  }

  private async pendingOf(runId: number, signal: AbortSignal): Promise<z.infer<typeof PendingShape>> {
    return (await this.client.restParsed(`reading the pending deployments of run ${runId}`, PendingShape, (kit, request) => kit.rest.actions.getPendingDeploymentsForRun({ ...this.repo, run_id: runId, request }), { signal })).data;
  }

  /**
   * Follows a run until it completes or waits for an environment other than `past` (the one
   * just approved). Success, or waiting, is applied; a failure names the failing job and step
   * and quotes the log lines that say why.
   */
  private async follow(runId: number, what: string, context: RemoteExecutionContext, past: string | undefined): Promise<RemoteOutcome> {
    const { signal } = context;
    let last = '';
    const settled = await followUntil(
      async () => {
        const run = (await this.client.restParsed(`reading run ${runId}`, RunShape, (kit, request) => kit.rest.actions.getWorkflowRun({ ...this.repo, run_id: runId, request }), { signal })).data;
        if (run.status === 'completed') return { run };
        if (run.status === 'waiting') {
          const waiting = (await this.pendingOf(run.id, signal)).map((d) => d.environment.name);
          if (waiting.length && !waiting.some((w) => w.toLowerCase() === past?.toLowerCase())) return { run, waiting };
        }
        const jobs = await this.jobsOf(run.id, signal);
        const active = jobs.find((j) => j.status === 'in_progress');
        const step = active?.steps?.find((s) => s.status === 'in_progress');
        const line = `Run #${run.run_number}: ${run.status ?? 'queued'}${active ? `, ${active.name}${step ? ` > ${step.name}` : ''}` : ''}`;
        if (line !== last) context.progress?.(line);
        last = line;
        return undefined;
      },
      this.options.follow,
      signal,
    );
    if (!settled) return { kind: 'applied', detail: `started ${what}; run ${runId} was still going when following stopped`, url: await this.urlOf(runId, signal), result: { runId } };
    const { run } = settled;
    if ('waiting' in settled && settled.waiting) {
      return { kind: 'applied', detail: `run #${run.run_number} of ${what} now waits for approval to ${settled.waiting.join(', ')}`, url: run.html_url, result: { runId: run.id, waitingFor: settled.waiting.join(',') } };
    }
    if (run.conclusion === 'success') return { kind: 'applied', detail: `run #${run.run_number} of ${what} succeeded`, url: run.html_url, result: { runId: run.id } };
    throw new DevOpsError('refused', `Run #${run.run_number} of ${what} ended ${run.conclusion ?? 'without a conclusion'}${await this.failureOf(run.id, signal)} (${run.html_url}).`);
  }

  private async urlOf(runId: number, signal: AbortSignal): Promise<string | undefined> {
    return (await this.client.restParsed(`reading run ${runId}`, RunShape, (kit, request) => kit.rest.actions.getWorkflowRun({ ...this.repo, run_id: runId, request }), { signal }).catch(() => undefined))?.data.html_url;
  }

  private async jobsOf(runId: number, signal: AbortSignal): Promise<z.infer<typeof JobShape>[]> {
    return (await this.client.restParsed(`listing the jobs of run ${runId}`, JobsShape, (kit, request) => kit.rest.actions.listJobsForWorkflowRun({ ...this.repo, run_id: runId, per_page: 100, request }), { signal })).data.jobs;
  }

  /** `: job X failed at step "Y": <log lines>`, or nothing when no job failed (rejected, cancelled). */
  private async failureOf(runId: number, signal: AbortSignal): Promise<string> {
    const jobs = await this.jobsOf(runId, signal).catch(() => []);
    const job = jobs.find((j) => j.conclusion === 'failure' && j.steps?.some((s) => s.conclusion === 'failure'));
    if (!job) {
      const stopped = jobs.find((j) => j.conclusion === 'failure' || j.conclusion === 'cancelled');
      return stopped ? `: ${stopped.name} ${stopped.conclusion === 'cancelled' ? 'was cancelled' : 'did not run (its deployment was rejected, or it failed before its steps)'}` : '';
    }
    const step = job.steps!.find((s) => s.conclusion === 'failure')!;
    const log = await this.client
      .rest(`reading the log of ${job.name}`, (kit, request) => kit.rest.actions.downloadJobLogsForWorkflowRun({ ...this.repo, job_id: job.id, request }), { signal })
      .then((r) => (typeof r.data === 'string' ? r.data : String(r.data)))
      .catch(() => '');
    const why = failureExcerpt(log);
    return `: ${job.name} failed at step "${step.name}"${why ? `: ${why}` : ''}`;
  }
}

/** The input names GitHub's 422 "Unexpected inputs provided: [...]" lists (octokit's RequestError, read by shape). */
function unexpectedInputs(error: unknown): string[] | undefined {
  const e = error as { status?: unknown; response?: { data?: { message?: unknown } } } | null;
  if (e?.status !== 422) return undefined;
  const message = e.response?.data?.message;
  const m = typeof message === 'string' ? /Unexpected inputs provided: (\[.*\])/s.exec(message) : null;
  if (!m) return undefined;
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(m[1]!));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
