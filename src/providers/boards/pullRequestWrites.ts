import { z } from 'zod';
import { type PullRequestFound, type PullRequestHost, type PullRequestOutcome, type PullRequestRequest, type WriteRequestOptions } from '../../core/boards/codeHost';
import { type Outbox, type WriteKind } from '../../core/boards/outbox';
import { type WriteTarget } from '../../core/boards/writeTarget';

/** The outbox kind of opening a pull request, on Azure Repos and on GitHub alike. */
export const PULL_REQUEST_KIND = 'pullRequest.create';

/** How an entry is read back from disk: a damaged one is refused, never sent. */
export const PullRequestPayloadSchema = z
  .object({
    repository: z.string().min(1).max(200).optional(),
    sourceBranch: z.string().min(1).max(250),
    targetBranch: z.string().min(1).max(250),
    title: z.string().min(1).max(400),
    description: z.string().max(4_000),
    workItemIds: z.array(z.number().int().positive()).max(50).optional(),
    isDraft: z.boolean().optional(),
  })
  .strict();

const ResultSchema = z.object({ id: z.number().int(), url: z.string(), existed: z.boolean() });

/**
 * The outbox adapter for one repository host. The services keep one open pull request per source
 * and target branch, so an open one for the same branches is this change made (by this run after
 * a lost answer, or by an earlier run of the same plan): never a second one.
 */
export function pullRequestWriteKind(host: PullRequestHost): WriteKind<PullRequestRequest> {
  const withExisted = (found: PullRequestFound, existed: boolean): z.infer<typeof ResultSchema> => ({ id: found.id, url: found.url, existed });
  return {
    kind: PULL_REQUEST_KIND,
    payload: PullRequestPayloadSchema,
    observe: async (p, context) => {
      const found = await host.findOpen(p, context.signal);
      return found ? { made: true, result: withExisted(found, true), url: found.url } : { made: false };
    },
    send: async (p, _observed, context) => withExisted(await host.create(p, context.signal), false),
  };
}

/** Opens a pull request through the outbox, to `target` (the repository and the account), as CodeHosts.openPullRequest promises. */
export async function sendPullRequest(outbox: Outbox, target: WriteTarget, request: PullRequestRequest, write: WriteRequestOptions): Promise<PullRequestOutcome> {
  const arrow = `${request.sourceBranch} → ${request.targetBranch}`;
  const outcome = await outbox.send(
    {
      target,
      kind: PULL_REQUEST_KIND,
      subject: `pull ${request.sourceBranch}`,
      touches: [`pull ${request.sourceBranch}→${request.targetBranch}`],
      payload: PullRequestPayloadSchema.parse(request),
      description: `Pull request ${arrow}: ${request.title}`,
      clientId: write.clientId,
      ...(write.correlationId ? { correlationId: write.correlationId } : {}),
      // A re-run of the same plan, or a change resumed after a restart, may have opened it already.
      mayRepeat: true,
    },
    write.signal ? { signal: write.signal } : {},
  );
  switch (outcome.kind) {
    case 'applied': {
      const result = ResultSchema.safeParse(outcome.result);
      if (!result.success) return { kind: 'refused', message: `The pull request ${arrow} was opened, but its number could not be read; find it on the service.` };
      return { kind: 'applied', id: result.data.id, url: result.data.url, existed: result.data.existed || outcome.alreadyApplied };
    }
    case 'queued':
      return { kind: 'queued', reason: outcome.reason };
    case 'conflict':
    case 'refused':
      return { kind: 'refused', message: outcome.message };
  }
}
