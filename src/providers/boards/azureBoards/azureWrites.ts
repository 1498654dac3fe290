import { type JsonPatchOperation, Operation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { WorkItemErrorPolicy, WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { z } from 'zod';
import { type Observation, type OutboxJson, type WriteContext, type WriteKind } from '../../../core/boards/outbox';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { isMarkedBlocked } from '../../../core/boards/blockedMark';
import { applyTags, BLOCKED_TAG, findType, hasTag } from '../../../core/process';
import { type WorkItem } from '../../../core/workItem';
import { type AzureClients, type AzureConnection } from './azureConnection';
import { badResponse } from './azureErrors';
import { statePatch } from './azureStatePatch';
import { type ProjectInfo } from './projectInfo';
import { clientMarker, type WireWorkItem, WireWorkItemSchema } from './workItemWire';

/**
 * Azure Boards' adapters for the outbox's write protocol (core/boards/outbox.ts): per kind of
 * write, how to read what the service holds of it and how to send it. Every write is guarded by
 * what was just read (a JSON Patch `test` of the revision: a change in between is a 412, and the
 * outbox reads and decides again); comments and new items carry the client id, so a lost answer
 * is found, not sent twice.
 */

/** What the adapters need of the tracker: its connection, its reads, and its cache and audit after a write. */
export interface AzureWriteHost {
  readonly connection: AzureConnection;
  readonly project: string;
  projectInfo(signal?: AbortSignal): Promise<ProjectInfo>;
  /** The item as the service has it now, or undefined when it is deleted; a garbled answer throws. */
  read(id: number, signal?: AbortSignal): Promise<WorkItem | undefined>;
  /** The item created with this client id (its description carries it), if any. */
  findCreated(clientId: string, signal?: AbortSignal): Promise<WorkItem | undefined>;
  toItem(wire: WireWorkItem): WorkItem;
  /** `me` as the assignee field shows it when the item is assigned to the signed-in user, else the field as is. */
  assignee(item: WorkItem): string | null;
  /** The service holds the change: cache, views, audit. */
  applied(kind: AzureKind, payload: Record<string, OutboxJson>, item: WorkItem | undefined, correlationId: string | undefined, clientId: string): Promise<void>;
}

/** Field names as the user reads them (the conflict message shows them). */
export const STATE_FIELD = 'State';
export const ASSIGNEE_FIELD = 'Assigned To';
export const ITERATION_FIELD = 'Iteration Path';
export const BLOCKED_FIELD = 'Blocked';

/**
 * The patch that marks the item (as just read) blocked or clears it: the type's
 * Microsoft.VSTS.CMMI.Blocked field where its process has one (CMMI: Yes/No; Scrum's Task:
 * Yes/emptied), else the Blocked tag added to or taken from the tags it has now (none dropped).
 */
export function blockedPatch(item: WorkItem, blocked: boolean, info: ProjectInfo): JsonPatchOperation[] {
  const field = info.template ? findType(info.template, item.type)?.blockedField : undefined;
  if (field) {
    const clear = field.clear === null ? { op: Operation.Remove, path: `/fields/${field.referenceName}` } : { op: Operation.Add, path: `/fields/${field.referenceName}`, value: field.clear };
    const ops: JsonPatchOperation[] = [blocked ? { op: Operation.Add, path: `/fields/${field.referenceName}`, value: field.set } : clear];
    // A Blocked tag someone put on a type with the field goes with the unblock too.
    if (!blocked && hasTag(item.tags, BLOCKED_TAG)) ops.push({ op: Operation.Add, path: '/fields/System.Tags', value: applyTags(item.tags.join('; '), [], [BLOCKED_TAG]) });
    return field.clear === null && !blocked && !item.blocked ? ops.slice(1) : ops;
  }
  return [{ op: Operation.Add, path: '/fields/System.Tags', value: applyTags(item.tags.join('; '), blocked ? [BLOCKED_TAG] : [], blocked ? [] : [BLOCKED_TAG]) }];
}

export const AzurePayloads = {
  changeState: z.object({ id: z.number().int().positive(), state: z.string().min(1), from: z.string() }),
  assignToMe: z.object({ id: z.number().int().positive(), to: z.string().min(1), me: z.string().min(1) }),
  addComment: z.object({ id: z.number().int().positive(), html: z.string().min(1), audit: z.boolean().optional() }),
  create: z.object({ type: z.string().min(1), title: z.string(), patch: z.array(z.unknown()) }),
  linkBranch: z.object({ id: z.number().int().positive(), url: z.string().min(1), branch: z.string().min(1) }),
  setIteration: z.object({ id: z.number().int().positive(), path: z.string().min(1).max(4000), from: z.string().nullable() }),
  setBlocked: z.object({ id: z.number().int().positive(), blocked: z.boolean() }),
} as const;
export type AzureKind = keyof typeof AzurePayloads;

const CommentListSchema = z.object({ comments: z.array(z.object({ text: z.string().nullish() }).loose()).nullish(), continuationToken: z.string().nullish() }).loose();

const gone = (id: number): DevOpsError => new DevOpsError('notFound', `AB#${id} was deleted (or moved out of the project), so the change cannot be made.`, { status: 404 });

const asRecord = (payload: unknown): Record<string, OutboxJson> => payload as Record<string, OutboxJson>;

export function azureWriteKinds(host: AzureWriteHost): WriteKind[] {
  const wit = (what: string, signal: AbortSignal | undefined, fn: (api: Awaited<ReturnType<AzureClients['wit']>>) => Promise<unknown>): Promise<unknown> =>
    host.connection.call(what, async (api) => fn(await api.wit()), { idempotent: false, signal });

  const readItem = async (id: number, signal: AbortSignal | undefined): Promise<WorkItem> => {
    const item = await host.read(id, signal);
    if (!item) throw gone(id);
    return item;
  };

  /** The answer to a write, or a read of the item when the answer could not be read (the write may have been made: unsure). */
  const written = (result: unknown, what: string): WorkItem => {
    const parsed = WireWorkItemSchema.safeParse(result);
    if (!parsed.success) throw badResponse(what, parsed.error.issues[0]?.message ?? 'no work item in the answer');
    return host.toItem(parsed.data);
  };

  const fieldKind = <P extends { id: number }>(kind: AzureKind, payload: z.ZodType<P>, values: (item: WorkItem, p: P) => Record<string, OutboxJson | null>, operations: (item: WorkItem, p: P, info: ProjectInfo) => JsonPatchOperation[]): WriteKind<P> => ({
    kind,
    payload,
    observe: async (p, context) => {
      const item = await readItem(p.id, context.signal);
      return { values: values(item, p), result: item, url: item.url };
    },
    send: async (p, observed, context) => {
      const item = observed?.result as WorkItem;
      const info = await host.projectInfo(context.signal);
      const patch: JsonPatchOperation[] = [{ op: Operation.Test, path: '/rev', value: item.rev }, ...operations(item, p, info)];
      const result = await wit(`changing AB#${p.id}`, context.signal, (w) => w.updateWorkItem(null, patch, p.id, host.project));
      return written(result, `changing AB#${p.id}`);
    },
    applied: (p, result, context) => host.applied(kind, asRecord(p), result as WorkItem | undefined, context.correlationId, context.clientId),
  });

  const changeState = fieldKind('changeState', AzurePayloads.changeState, (item) => ({ [STATE_FIELD]: item.state }), (item, p, info) => [...statePatch(info, item, p.state, false).operations]);

  const assignToMe = fieldKind('assignToMe', AzurePayloads.assignToMe, (item) => ({ [ASSIGNEE_FIELD]: host.assignee(item) }), (_item, p) => [{ op: Operation.Add, path: '/fields/System.AssignedTo', value: p.to }]);

  // Sprint planning moves an item into an iteration: a field write like any other, guarded by the revision just read.
  const setIteration = fieldKind('setIteration', AzurePayloads.setIteration, (item) => ({ [ITERATION_FIELD]: item.iterationPath ?? null }), (_item, p) => [{ op: Operation.Add, path: '/fields/System.IterationPath', value: p.path }]);

  // Blocked is one yes/no whatever carries it (the field or the tag), read from the item as it is now.
  const setBlocked = fieldKind('setBlocked', AzurePayloads.setBlocked, (item) => ({ [BLOCKED_FIELD]: isMarkedBlocked(item) }), (item, p, info) => blockedPatch(item, p.blocked, info));

  const addComment: WriteKind<z.infer<typeof AzurePayloads.addComment>> = {
    kind: 'addComment',
    payload: AzurePayloads.addComment,
    observe: async (p, context) => {
      const item = await readItem(p.id, context.signal);
      return { made: await commentMade(p.id, context), result: item, url: item.url };
    },
    send: async (p, _observed, context) => {
      const what = `commenting on AB#${p.id}`;
      const result = await wit(what, context.signal, (w) => w.addComment({ text: p.html }, host.project, p.id));
      // typed-rest-client reads a 404 and a garbled body alike as null: the outbox looks for the comment before anything else.
      if (result === null || typeof result !== 'object') throw badResponse(what, 'no comment in the answer');
      // The comment moved the item's revision on; a failed read of it changes nothing about the comment.
      return host.read(p.id, context.signal).catch(() => undefined);
    },
    applied: (p, result, context) => host.applied('addComment', asRecord(p), result as WorkItem | undefined, context.correlationId, context.clientId),
  };

  async function commentMade(id: number, context: WriteContext): Promise<boolean> {
    const marker = clientMarker(context.clientId);
    let token: string | undefined;
    for (let page = 0; page < 20; page++) {
      const what = `reading the comments of AB#${id}`;
      const list = await host.connection.call(what, async (api) => (await api.wit()).getComments(host.project, id, 200, token), { idempotent: true, signal: context.signal });
      const parsed = CommentListSchema.safeParse(list);
      if (!parsed.success || list === null) throw badResponse(what, parsed.success ? 'no answer' : (parsed.error.issues[0]?.message ?? 'unexpected shape'));
      if ((parsed.data.comments ?? []).some((c) => (c.text ?? '').includes(marker))) return true;
      token = parsed.data.continuationToken ?? undefined;
      if (!token) break;
    }
    return false;
  }

  const create: WriteKind<z.infer<typeof AzurePayloads.create>> = {
    kind: 'create',
    payload: AzurePayloads.create,
    observe: async (_p, context): Promise<Observation> => {
      const item = await host.findCreated(context.clientId, context.signal);
      return item ? { made: true, result: item, url: item.url } : { made: false };
    },
    send: async (p, _observed, context) => {
      const what = `creating "${p.title}"`;
      const result = await wit(what, context.signal, (w) => w.createWorkItem(null, p.patch as JsonPatchOperation[], host.project, p.type));
      return written(result, what);
    },
    applied: (p, result, context) => host.applied('create', asRecord(p), result as WorkItem | undefined, context.correlationId, context.clientId),
  };

  const linkBranch: WriteKind<z.infer<typeof AzurePayloads.linkBranch>> = {
    kind: 'linkBranch',
    payload: AzurePayloads.linkBranch,
    observe: async (p, context) => {
      const what = `reading the links of AB#${p.id}`;
      // The batch read, not GET workItems/{id}: the client answers a 404 and a garbled body alike with null there, and only a 404 means deleted.
      const raw = await host.connection.call(
        what,
        async (api) => (await api.wit()).getWorkItemsBatch({ ids: [p.id], $expand: WorkItemExpand.Relations, errorPolicy: WorkItemErrorPolicy.Omit }, host.project),
        { idempotent: true, signal: context.signal },
      );
      if (!Array.isArray(raw)) throw badResponse(what, 'no list of work items');
      if (raw[0] === null || raw[0] === undefined) throw gone(p.id);
      const wire = WireWorkItemSchema.safeParse(raw[0]);
      if (!wire.success) throw badResponse(what, wire.error.issues[0]?.message ?? 'unexpected shape');
      const item = host.toItem(wire.data);
      const made = (wire.data.relations ?? []).some((r) => r.url.toLowerCase() === p.url.toLowerCase());
      return { made, result: item, url: item.url };
    },
    send: async (p, _observed, context) => {
      const what = `linking ${p.branch} to AB#${p.id}`;
      const patch: JsonPatchOperation[] = [{ op: Operation.Add, path: '/relations/-', value: { rel: 'ArtifactLink', url: p.url, attributes: { name: 'Branch' } } }];
      try {
        return written(await wit(what, context.signal, (w) => w.updateWorkItem(null, patch, p.id, host.project)), what);
      } catch (error) {
        // TF201035: the link exists already (made by an attempt whose answer was lost).
        if (!isDevOpsError(error) || !/TF201035/.test(error.message)) throw error;
        return readItem(p.id, context.signal);
      }
    },
    applied: (p, result, context) => host.applied('linkBranch', asRecord(p), result as WorkItem | undefined, context.correlationId, context.clientId),
  };

  return [changeState, assignToMe, addComment, create, linkBranch, setIteration, setBlocked] as WriteKind[];
}
