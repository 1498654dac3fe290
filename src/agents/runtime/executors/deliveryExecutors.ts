import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import type { AzureConnection } from '../../../providers/boards/azureBoards/azureConnection';
import type { GitHubClient } from '../../../providers/boards/github/githubClient';
import { type RemoteExecutor } from '../remote';
import { AzureApprovals } from './azureApprovals';
import { AzurePipelinesDelivery } from './azurePipelines';
import { DEFAULT_FOLLOW, type FollowOptions } from './follow';
import { GitHubDelivery } from './githubDelivery';
import { payloadOf } from './payload';

/** The service clients delivery needs; each answers "not configured" (with how to fix it) when its service is not set up. */
export interface DeliveryClients {
  github(): Promise<GitHubClient>;
  azure(): Promise<AzureConnection>;
}

export interface DeliveryDeps {
  readonly delivery?: DeliveryClients;
  readonly follow?: FollowOptions;
}

const Provider = z.enum(['github', 'azure']);
/** A workflow file (`deploy.yml`), a workflow id, or an Azure Pipelines id, name or folder\name. */
const PipelineName = z.string().min(1).max(200).regex(/^[\w .\\/@+-]+$/, 'a workflow file or a pipeline id or name');
const Ref = z.string().min(1).max(250).regex(/^[\w./@+-]+$/, 'a branch or tag');
const ReleasePayload = z.object({ tag: Ref, name: z.string().min(1).max(250), body: z.string().max(125_000), prerelease: z.boolean() }).strict();
const RunPayload = z
  .object({
    provider: Provider,
    pipeline: PipelineName,
    ref: Ref,
    parameters: z.record(z.string().regex(/^[A-Za-z_][\w.-]*$/), z.string().max(10_000)),
    /** Parameters the agent added itself (the version): left out when the pipeline does not declare them. */
    optional: z.array(z.string()).optional(),
  })
  .strict();
const ApprovePayload = z
  .object({
    provider: Provider,
    pipeline: PipelineName,
    ref: Ref,
    environment: z.string().min(1).max(100),
    comment: z.string().max(1_000),
    /** Approve (the default) or reject the deployment waiting for the environment. */
    decision: z.enum(['approve', 'reject']).optional(),
    /** The exact Azure approval picked from the list of pending ones (else the run's stage for the environment). */
    approvalId: z.string().regex(/^[0-9A-Fa-f-]{8,64}$/, 'an approval id').optional(),
    /** The exact GitHub run picked from the list of pending deployments (else the newest waiting run for the ref). */
    runId: z.number().int().positive().optional(),
  })
  .strict();

function clients(deps: DeliveryDeps): DeliveryClients {
  if (!deps.delivery) throw new DevOpsError('notConfigured', 'Releases and deployments need GitHub or Azure DevOps, and neither is available here.');
  return deps.delivery;
}

/** github.release, pipeline.run (GitHub Actions or Azure Pipelines) and environment.approve (approve or reject, either service). */
export function deliveryExecutors(deps: DeliveryDeps): RemoteExecutor[] {
  const follow = deps.follow ?? DEFAULT_FOLLOW;
  const github = async () => new GitHubDelivery(await clients(deps).github(), { follow });
  return [
    {
      kind: 'github.release',
      execute: async (change, context) => {
        const p = payloadOf(change, ReleasePayload);
        return (await github()).publishRelease(p, context.signal);
      },
    },
    {
      kind: 'pipeline.run',
      execute: async (change, context) => {
        const p = payloadOf(change, RunPayload);
        const optional = p.optional ?? [];
        if (p.provider === 'github') return (await github()).runWorkflow({ workflow: p.pipeline, ref: p.ref, inputs: p.parameters, optional }, context);
        return new AzurePipelinesDelivery(await clients(deps).azure(), { follow }).run({ pipeline: p.pipeline, ref: p.ref, parameters: p.parameters, optional }, context);
      },
    },
    {
      kind: 'environment.approve',
      execute: async (change, context) => {
        const p = payloadOf(change, ApprovePayload);
        const decision = p.decision ?? 'approve';
        if (p.provider === 'azure') return new AzureApprovals(await clients(deps).azure(), { follow }).answer({ pipeline: p.pipeline, ref: p.ref, environment: p.environment, decision, comment: p.comment, ...(p.approvalId ? { approvalId: p.approvalId } : {}) }, context);
        return (await github()).approve({ workflow: p.pipeline, ref: p.ref, environment: p.environment, comment: p.comment, decision, ...(p.runId !== undefined ? { runId: p.runId } : {}) }, context);
      },
    },
  ];
}
