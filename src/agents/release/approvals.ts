import { z } from 'zod';
import { type OutboxJson } from '../../core/boards/outbox';
import { DevOpsError } from '../../core/errors';
import { findPending, pendingLine, type PendingDeployment } from '../../core/release/pendingDeployments';
import { type AgentAction } from '../runtime/context';
import { emptyPlan, type RemoteChange } from '../runtime/plan';
import './releaseProviders';

/** An Azure approval id (a GUID, or six or more of its first characters) or a GitHub `gh-<run>-<environment>`. */
const PendingId = z.string().trim().min(6, 'an approval id from the list (at least its first six characters)').max(80).regex(/^(?:[0-9A-Fa-f-]+|gh-\d+-\d+)$/, 'an approval id from the list (a GUID, or gh-<run>-<environment> for GitHub)');

const ApprovalsInput = z
  .object({
    /** Approve this pending deployment. */
    approve: PendingId.optional(),
    /** Reject this pending deployment. */
    reject: PendingId.optional(),
    /** Recorded with the answer (a rejection must say why). */
    comment: z.string().trim().max(1000).optional(),
  })
  .strict()
  .refine((i) => !(i.approve && i.reject), { message: 'approve or reject one deployment, not both', path: ['reject'] })
  .refine((i) => !i.reject || (i.comment ?? '').length > 0, { message: 'a rejection needs a --comment saying why (it is recorded with the answer)', path: ['comment'] });

const json = (p: PendingDeployment): Record<string, OutboxJson> => ({
  id: p.id,
  provider: p.provider,
  environment: p.environment,
  ...(p.stage ? { stage: p.stage } : {}),
  pipeline: p.pipelineName,
  runId: p.runId,
  run: p.runName,
  ref: p.ref,
  ...(p.requestedBy ? { requestedBy: p.requestedBy } : {}),
  approvers: [...p.approvers],
  ...(p.canAnswer !== undefined ? { canAnswer: p.canAnswer } : {}),
  ...(p.instructions ? { instructions: p.instructions } : {}),
  ...(p.waitingSince ? { waitingSince: p.waitingSince } : {}),
  ...(p.url ? { url: p.url } : {}),
});

/** The remote change that answers one pending deployment, exactly that one (its approval id or run). */
export function answerChange(p: PendingDeployment, decision: 'approve' | 'reject', comment: string): RemoteChange {
  const service = p.provider === 'github' ? 'GitHub environment' : 'Azure Pipelines environment';
  return {
    id: decision,
    kind: 'environment.approve',
    approval: 'pushPublish',
    target: `${p.environment} (${service})`,
    summary: `${decision === 'approve' ? 'Approve' : 'Reject'} the deployment to ${p.environment}: ${p.pipelineName} run ${p.runName}${p.ref ? ` (${p.ref.replace(/^refs\/(heads|tags)\//, '')})` : ''}${comment ? `, "${comment.slice(0, 200)}"` : ''}`,
    payload: {
      provider: p.provider,
      pipeline: p.pipeline,
      ref: p.ref || 'HEAD',
      environment: p.environment,
      comment,
      decision,
      ...(p.provider === 'azure' ? { approvalId: p.id } : { runId: p.runId }),
    },
  };
}

/**
 * `release approvals`: the deployments waiting for approval in the connected backends (Azure
 * Pipelines approvals and checks, GitHub environments' pending deployments); with `approve` or
 * `reject`, the one answer as a plan step, so the approval policy asks, the executor answers that
 * very approval and the audit trail records who answered.
 */
export const approvalsAction: AgentAction<z.infer<typeof ApprovalsInput>> = {
  name: 'approvals',
  description: 'List the deployments waiting for approval (Azure Pipelines, GitHub environments); approve or reject one with a comment.',
  input: ApprovalsInput,
  options: {
    approve: { type: 'string', description: 'Approve the pending deployment with this id (from the list).' },
    reject: { type: 'string', description: 'Reject the pending deployment with this id (from the list); needs --comment.' },
    comment: { type: 'string', description: 'The comment recorded with the answer.' },
  },
  plan: async (ctx, input) => {
    const reader = ctx.providers.pendingDeployments;
    if (!reader || !reader.providers.length) throw new DevOpsError('notConfigured', 'Pending approvals come from Azure Pipelines or GitHub Actions, and neither is connected. Sign in (AI DevOps: Sign In) or try the sandbox.');
    await ctx.step('Listing the deployments that wait for approval', { providers: [...reader.providers] });
    const { items, problems } = await reader.list(ctx.signal);
    if (!items.length && problems.length >= reader.providers.length) throw new DevOpsError('unavailable', `The pending approvals could not be read. ${problems.join(' ')}`);
    const decision = input.approve ? 'approve' : input.reject ? 'reject' : undefined;
    const facts = items.map((p) => ({
      label: `${p.id}`,
      value: `${pendingLine(p)}${p.approvers.length ? ` · approvers: ${p.approvers.join(', ')}` : ''}${p.canAnswer === false ? ' · you are not one of them' : ''}${p.instructions ? ` · instructions: ${p.instructions}` : ''}`.slice(0, 2000),
      ...(p.url ? { source: p.url } : {}),
    }));
    const result = { pending: items.map(json) };
    if (!decision) {
      const title = items.length ? `${items.length} deployment(s) wait for approval` : 'No deployment waits for approval';
      return {
        ...emptyPlan('release', 'approvals', title),
        summary: items.length ? `Answer one with approve or reject and a comment (release approvals --approve <id>, or the editor's Review Pending Deployment Approvals).` : `Nothing waits for approval in ${reader.providers.map((p) => (p === 'azure' ? 'Azure Pipelines' : 'GitHub Actions')).join(' or ')}.`,
        facts,
        notes: [...problems],
        result,
      };
    }
    const id = (input.approve ?? input.reject)!;
    const { found, ambiguous } = findPending(items, id);
    if (ambiguous) throw new DevOpsError('invalidInput', `${id} names ${ambiguous.length} pending approvals (${ambiguous.map((a) => a.id).join(', ')}); give more of the id.`);
    if (!found) {
      throw new DevOpsError('notFound', `No deployment with the id ${id} waits for approval (it was answered, or its run ended or was cancelled).${items.length ? ` Waiting now: ${items.map((i) => `${i.id} (${i.environment})`).join(', ')}.` : ' Nothing waits now.'}`);
    }
    if (found.canAnswer === false) {
      throw new DevOpsError('forbidden', `You may not answer the deployment of ${found.pipelineName} run ${found.runName} to ${found.environment}: its reviewers are ${found.approvers.join(', ') || 'not listed'}. Ask one of them${found.url ? ` (${found.url})` : ''}.`);
    }
    const comment = input.comment || `${decision === 'approve' ? 'Approved' : 'Rejected'} from AI DevOps`;
    const change = answerChange(found, decision, comment);
    return {
      ...emptyPlan('release', 'approvals', `${decision === 'approve' ? 'Approve' : 'Reject'} the deployment to ${found.environment}`),
      summary: `${change.summary}.${decision === 'reject' ? ' The run stops there.' : ''}`,
      facts: [
        { label: 'Waiting', value: pendingLine(found) },
        { label: 'Approvers', value: found.approvers.join(', ') || 'not listed' },
        ...(found.instructions ? [{ label: 'Instructions', value: found.instructions.slice(0, 2000) }] : []),
        { label: 'Answer', value: `${decision}: ${comment}` },
      ],
      remote: [change],
      notes: [...problems],
      result: { ...result, answering: found.id, decision },
    };
  },
};
