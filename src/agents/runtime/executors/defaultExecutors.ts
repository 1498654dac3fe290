import { z } from 'zod';
import { type WorkTracker, type WriteOutcome } from '../../../core/boards/workTracker';
import { DevOpsError } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { type TrackerKind, TrackerKindSchema, type WorkItem, workItemKey } from '../../../core/workItem';
import { type WorkspaceGit } from '../../../providers/git/workspaceGit';
import { type RemoteExecutionContext, type RemoteExecutor, type RemoteOutcome, RemoteExecutors } from '../remote';
import { deliveryExecutors, type DeliveryDeps } from './deliveryExecutors';
import { payloadOf } from './payload';

export interface ExecutorDeps extends DeliveryDeps {
  readonly trackers: { azure(): WorkTracker | undefined; github(): WorkTracker | undefined };
  readonly git: (root: string) => Pick<WorkspaceGit, 'push' | 'createTag'>;
  readonly log: Logger;
}

function trackerFor(deps: ExecutorDeps, kind: TrackerKind): WorkTracker {
  const tracker = kind === 'azureBoards' ? deps.trackers.azure() : deps.trackers.github();
  if (!tracker) throw new DevOpsError('notConfigured', `${kind === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not connected; set it up (AI DevOps: Sign In) and run the agent again.`);
  return tracker;
}

/** A tracker write's outcome in the runtime's words; the outbox owns queued writes from here on. */
function fromWrite(outcome: WriteOutcome, what: string): RemoteOutcome {
  switch (outcome.kind) {
    case 'applied':
      return { kind: 'applied', detail: `${what}: ${workItemKey(outcome.item)}`, url: outcome.item.url, result: { id: outcome.item.id, url: outcome.item.url } };
    case 'queued':
      return { kind: 'queued', detail: `${what}: waiting in the outbox (${outcome.reason})` };
    case 'conflict':
      return { kind: 'conflict', detail: outcome.message };
  }
}

async function itemFor(tracker: WorkTracker, id: number, signal: AbortSignal): Promise<WorkItem> {
  const found = (await tracker.get([id], signal)).get(id);
  if (!found) throw new DevOpsError('notFound', `Work item ${id} was not found.`);
  if (found instanceof DevOpsError) throw found;
  return found;
}

/** The id of a work item a payload names directly or through the result of an earlier change. */
function resolveId(direct: number | undefined, ref: string | undefined, context: RemoteExecutionContext, what: string): number | undefined {
  if (direct !== undefined) return direct;
  if (ref === undefined) return undefined;
  const result = context.results.get(ref);
  const id = result && typeof result === 'object' && !Array.isArray(result) ? (result as { id?: unknown }).id : undefined;
  if (typeof id !== 'number') throw new DevOpsError('notFound', `${what} refers to "${ref}", whose work item id is not known (it is still queued); it will be sent when that one is.`);
  return id;
}

const CommentPayload = z.object({ tracker: TrackerKindSchema, id: z.number().int().positive().optional(), idFrom: z.string().optional(), markdown: z.string().min(1).max(32_000) }).strict();
const CreatePayload = z
  .object({
    tracker: TrackerKindSchema,
    type: z.string().min(1),
    title: z.string().min(1).max(255),
    description: z.string().max(32_000),
    parentId: z.number().int().positive().optional(),
    /** The id of a change in the same plan whose result is the parent (a feature created just before). */
    parentFrom: z.string().optional(),
    tags: z.array(z.string()).optional(),
  })
  .strict();
const StatePayload = z.object({ tracker: TrackerKindSchema, id: z.number().int().positive(), state: z.string().min(1) }).strict();
const TagPayload = z.object({ name: z.string().min(1).max(200), message: z.string().min(1).max(60_000), target: z.string().min(1).optional() }).strict();
const PushPayload = z.object({ remote: z.string().min(1).default('origin'), refs: z.array(z.string().min(1)).min(1), setUpstream: z.boolean().optional(), atomic: z.boolean().optional() }).strict();

export function workItemExecutors(deps: ExecutorDeps): RemoteExecutor[] {
  return [
    {
      kind: 'workItem.comment',
      execute: async (change, context) => {
        const p = payloadOf(change, CommentPayload);
        const id = resolveId(p.id, p.idFrom, context, change.summary);
        if (id === undefined) throw new DevOpsError('invalidInput', `The comment "${change.id}" names no work item.`);
        const tracker = trackerFor(deps, p.tracker);
        const item = await itemFor(tracker, id, context.signal);
        return fromWrite(await tracker.addComment(item, p.markdown, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` }), 'commented');
      },
    },
    {
      kind: 'workItem.create',
      execute: async (change, context) => {
        const p = payloadOf(change, CreatePayload);
        const parentId = resolveId(p.parentId, p.parentFrom, context, change.summary);
        const tracker = trackerFor(deps, p.tracker);
        return fromWrite(
          await tracker.create({ type: p.type, title: p.title, description: p.description, ...(parentId ? { parentId } : {}), ...(p.tags ? { tags: p.tags } : {}) }, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` }),
          'created',
        );
      },
    },
    {
      kind: 'workItem.state',
      execute: async (change, context) => {
        const p = payloadOf(change, StatePayload);
        const tracker = trackerFor(deps, p.tracker);
        const item = await itemFor(tracker, p.id, context.signal);
        if (item.state === p.state) return { kind: 'applied', detail: `${workItemKey(item)} is already ${p.state}`, url: item.url, result: { id: item.id } };
        return fromWrite(await tracker.changeState(item, p.state, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` }), `moved to ${p.state}`);
      },
    },
  ];
}

export function gitExecutors(deps: ExecutorDeps): RemoteExecutor[] {
  return [
    {
      kind: 'git.push',
      execute: async (change, context) => {
        const p = payloadOf(change, PushPayload);
        await deps.git(context.workspaceRoot).push(p.remote, p.refs, { setUpstream: p.setUpstream ?? false, atomic: p.atomic ?? false }, context.signal);
        return { kind: 'applied', detail: `pushed ${p.refs.join(', ')} to ${p.remote}` };
      },
    },
    {
      // A local step, but it publishes once pushed: approved with the push (pushPublish).
      kind: 'git.tag',
      execute: async (change, context) => {
        const p = payloadOf(change, TagPayload);
        const tag = await deps.git(context.workspaceRoot).createTag(p.name, p.message, p.target ?? 'HEAD', context.signal);
        return { kind: 'applied', detail: `tagged ${tag.commit.slice(0, 7)} as ${tag.name}`, result: { name: tag.name, commit: tag.commit } };
      },
    },
  ];
}

/** Every executor the runtime ships; agents that need a new kind of remote change add theirs here. */
export function defaultRemoteExecutors(deps: ExecutorDeps): RemoteExecutors {
  return new RemoteExecutors([...workItemExecutors(deps), ...gitExecutors(deps), ...deliveryExecutors(deps)]);
}
