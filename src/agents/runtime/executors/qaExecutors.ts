import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { workItemKey } from '../../../core/workItem';
import { type RemoteExecutor } from '../remote';
import { CreatePayload, type ExecutorDeps, fromWrite, payloadOf, resolveId, trackerFor } from './executorSupport';

/**
 * Remote changes of the QA agent, general enough for others: a work item created only when no
 * open one carries its tag yet (one Bug per failing test, however many runs report it), and an
 * automated run published to Azure Test Plans.
 */
export interface TestRunPublisher {
  publish(
    run: { readonly name: string; readonly comment: string; readonly results: readonly z.infer<typeof ResultPayload>[] },
    signal?: AbortSignal,
  ): Promise<{ readonly id: number; readonly url: string; readonly results: number }>;
}

const CreateOncePayload = CreatePayload.extend({
  /** The tag that makes it the same item across runs (`qa-test-<fingerprint>`); an open item with it means "already filed". */
  onceTag: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/),
});

const ResultPayload = z
  .object({
    title: z.string().min(1),
    automatedTestName: z.string().min(1),
    storage: z.string(),
    outcome: z.enum(['Passed', 'Failed', 'NotExecuted']),
    durationMs: z.number().nonnegative(),
    errorMessage: z.string().optional(),
    stackTrace: z.string().optional(),
    bugIds: z.array(z.number().int().positive()).optional(),
  })
  .strict();
const PublishPayload = z.object({ name: z.string().min(1).max(256), comment: z.string().max(4000), results: z.array(ResultPayload).min(1) }).strict();

export function qaExecutors(deps: ExecutorDeps): RemoteExecutor[] {
  return [
    {
      kind: 'workItem.createOnce',
      execute: async (change, context) => {
        const p = payloadOf(change, CreateOncePayload);
        const tracker = trackerFor(deps, p.tracker);
        // Look at the service, not the cache: another run (a pipeline) may have filed it since planning.
        await tracker.refresh({ signal: context.signal }).catch((error: unknown) => deps.log.warn(`Could not refresh ${p.tracker} before filing "${p.title}": ${error instanceof Error ? error.message : String(error)}`));
        const open = await tracker.list('allOpen', { signal: context.signal });
        const tag = p.onceTag.toLowerCase();
        const existing = open.items.find((i) => i.tags.some((t) => t.toLowerCase() === tag));
        if (existing) return { kind: 'applied', detail: `already filed as ${workItemKey(existing)}`, url: existing.url, result: { id: existing.id, url: existing.url, existing: true } };
        const parentId = resolveId(p.parentId, p.parentFrom, context, change.summary);
        const tags = [...new Set([...(p.tags ?? []), p.onceTag])];
        return fromWrite(
          await tracker.create({ type: p.type, title: p.title, description: p.description, ...(parentId ? { parentId } : {}), tags }, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` }),
          'created',
        );
      },
    },
    {
      kind: 'testPlans.publishRun',
      execute: async (change, context) => {
        const p = payloadOf(change, PublishPayload);
        const publisher = await deps.testRuns?.();
        if (!publisher) throw new DevOpsError('notConfigured', 'Azure DevOps is not connected, so the run cannot be published to Test Plans; set it up (AI DevOps: Sign In) and run QA again.');
        const published = await publisher.publish({ name: p.name, comment: p.comment, results: p.results }, context.signal);
        return { kind: 'applied', detail: `published test run ${published.id} with ${published.results} results`, url: published.url, result: { id: published.id, url: published.url } };
      },
    },
  ];
}
