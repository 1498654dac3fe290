import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type StateChoice, type WorkItemFilter, type WorkTracker, type WriteOutcome } from '../../../core/boards/workTracker';
import { clip, escapeMarkdown, fenced } from '../../../core/chat/markdown';
import { parseWorkItemArgument } from '../../../core/chat/workItemArgument';
import { itemKey, workItemForModel } from '../../../core/chat/workItemFormat';
import { DevOpsError } from '../../../core/errors';
import { article } from '../../../core/process';
import { type TrackerKind, TrackerKindSchema, type WorkItem } from '../../../core/workItem';
import { getWorkItem, trackerFor } from '../workItemLookup';
import { type ChatTool, type ToolContext } from './toolTypes';

const reference = z
  .union([z.string().trim().min(1).max(300), z.number().int().positive()])
  .transform((v) => String(v))
  .describe('Work item reference: 123, AB#123, #45 or owner/repo#45');

async function itemFor(raw: string, ctx: ToolContext, signal?: AbortSignal): Promise<{ item: WorkItem; tracker: WorkTracker }> {
  const ref = parseWorkItemArgument(raw, ctx.defaultTracker());
  if (!ref) throw new DevOpsError('invalidInput', `"${clip(raw, 60)}" is not a work item reference; use 123, AB#123, #45 or owner/repo#45.`);
  const item = await getWorkItem(ref, ctx.trackers, signal);
  return { item, tracker: trackerFor(ref, ctx.trackers) };
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Outside text (titles from the tracker or the model) quoted whole and escaped, so it shows as written and makes no links. */
const q = (text: string): string => `"${escapeMarkdown(text)}"`;
/** Text that will be posted, shown whole (a fenced block scrolls and cannot be closed early by the text) with its length. */
const exactly = (label: string, text: string): string => `\n\n${label} (exactly as it will be sent, ${text.length} characters):\n\n${fenced(text)}`;

/** What happened to a write, in words for the model (and the user, who sees the tool result). */
function outcomeText(outcome: WriteOutcome, done: string, key: string): string {
  switch (outcome.kind) {
    case 'applied':
      return `${done} (${itemKey(outcome.item)} is now ${outcome.item.state}, revision ${outcome.item.rev}).`;
    case 'queued':
      return `Not sent yet: ${outcome.reason}. The change is kept in the outbox (${outcome.outboxId}) and will be sent, once, when the service answers.`;
    case 'conflict':
      return `Not changed: ${key} was changed by someone else in the meantime (${outcome.message}). It is now ${outcome.remote.state}; read it again and decide.`;
    case 'refused':
      return `Not changed: the service refused it (${outcome.message}).`;
  }
}

/** The event type of a change asked for through a tool; the tracker records the change itself under the same correlation id. */
export const TOOL_INVOKED = 'tool.invoked';

interface ChangeRecord {
  readonly tool: string;
  readonly change: 'create' | 'changeState' | 'addComment';
  readonly tracker: TrackerKind;
  readonly workItemId?: number;
  readonly repository?: string;
  readonly oldState?: string;
  readonly newState?: string;
  readonly metadata?: Record<string, unknown>;
}

/**
 * Runs a confirmed change and records the request in the audit trail, whatever came of it
 * (applied, queued, conflict, failed), under a correlation id the tracker also stamps on its own
 * event of the change. An audit failure is logged, never allowed to hide the change's outcome.
 */
async function recordedWrite(ctx: ToolContext, record: ChangeRecord, write: (correlationId: string) => Promise<WriteOutcome>): Promise<WriteOutcome> {
  const correlationId = ctx.newCorrelationId();
  const append = async (outcome: string, extra: Record<string, unknown>, workItemId = record.workItemId, repository = record.repository): Promise<void> => {
    try {
      await ctx.audit.append({
        correlationId,
        eventType: TOOL_INVOKED,
        service: 'chat',
        workItemId: workItemId ?? null,
        repository: repository ?? null,
        oldState: record.oldState ?? null,
        newState: record.newState ?? null,
        metadata: { tool: record.tool, change: record.change, tracker: record.tracker, outcome, ...record.metadata, ...extra },
      });
    } catch (error) {
      ctx.log.warn(`Could not write the audit event for ${record.tool}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let outcome: WriteOutcome;
  try {
    outcome = await write(correlationId);
  } catch (error) {
    await append('failed', { error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  if (outcome.kind === 'applied') await append('applied', { rev: outcome.item.rev }, outcome.item.id, outcome.item.repository);
  else if (outcome.kind === 'queued') await append('queued', { outboxId: outcome.outboxId, reason: outcome.reason });
  else if (outcome.kind === 'conflict') await append('conflict', { message: outcome.message, remoteState: outcome.remote.state });
  else await append('refused', { message: outcome.message, code: outcome.code });
  return outcome;
}

// ---------------------------------------------------------------------------------------------

const GetInput = z.object({ id: reference }).strict();

export const getWorkItemTool: ChatTool<z.infer<typeof GetInput>> = {
  name: 'aiDevops_getWorkItem',
  description: 'Get an Azure Boards work item or GitHub issue by id, with its title, state, assignee, description, parent and children.',
  schema: GetInput,
  changes: false,
  async prepare(input) {
    return { invocationMessage: `Reading work item ${input.id}` };
  },
  async invoke(input, ctx, signal) {
    const { item } = await itemFor(input.id, ctx, signal);
    return JSON.stringify(workItemForModel(item));
  },
};

// ---------------------------------------------------------------------------------------------

const QueryInput = z
  .object({
    assignedToMe: z.boolean().optional(),
    state: z.string().trim().min(1).max(100).optional(),
    type: z.string().trim().min(1).max(100).optional(),
    currentIteration: z.boolean().optional(),
    text: z.string().trim().min(1).max(300).optional(),
    tracker: TrackerKindSchema.optional(),
    limit: z.number().int().min(1).max(200).optional(),
  })
  .strict();

async function listFrom(tracker: WorkTracker, input: z.infer<typeof QueryInput>, signal?: AbortSignal): Promise<WorkItem[]> {
  const filters: WorkItemFilter[] = [];
  if (input.assignedToMe) filters.push('assignedToMe');
  if (input.currentIteration) filters.push('currentIteration');
  if (filters.length === 0) filters.push('allOpen');
  const lists = await Promise.all(filters.map((f) => tracker.list(f, { signal })));
  // Both flags: items in both lists.
  const [first, ...rest] = lists.map((l) => l.items);
  return (first ?? []).filter((i) => rest.every((r) => r.some((o) => o.id === i.id)));
}

export const queryWorkItemsTool: ChatTool<z.infer<typeof QueryInput>> = {
  name: 'aiDevops_queryWorkItems',
  description: 'List work items by state, assignee, type, iteration or text.',
  schema: QueryInput,
  changes: false,
  async prepare() {
    return { invocationMessage: 'Querying work items' };
  },
  async invoke(input, ctx, signal) {
    const kinds: TrackerKind[] = input.tracker ? [input.tracker] : ['azureBoards', 'github'];
    const trackers = kinds.map((k) => ({ kind: k, tracker: k === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github() }));
    const connected = trackers.filter((t): t is { kind: TrackerKind; tracker: WorkTracker } => t.tracker !== undefined);
    if (connected.length === 0) trackerFor({ tracker: input.tracker ?? ctx.defaultTracker() }, ctx.trackers);
    const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
    const items = (await Promise.all(connected.map((t) => listFrom(t.tracker, input, signal)))).flat().filter(
      (i) =>
        (input.state === undefined || lower(i.state) === lower(input.state)) &&
        (input.type === undefined || lower(i.type) === lower(input.type)) &&
        (input.text === undefined || lower(`${i.title}\n${i.description}`).includes(lower(input.text))),
    );
    const limit = input.limit ?? 25;
    return JSON.stringify({
      count: items.length,
      truncated: items.length > limit,
      items: items.slice(0, limit).map((i) => ({ id: itemKey(i), type: i.type, title: i.title, state: i.state, assignedTo: i.assignedTo ?? 'nobody', iterationPath: i.iterationPath, url: i.url })),
    });
  },
};

// ---------------------------------------------------------------------------------------------

const CreateInput = z
  .object({
    type: z.string().trim().min(1).max(100).optional(),
    title: z.string().trim().min(1).max(255),
    description: z.string().max(32_000).optional(),
    parentId: z.number().int().positive().optional(),
    tracker: TrackerKindSchema.optional(),
  })
  .strict();

interface CreatePlan {
  readonly tracker: WorkTracker;
  readonly kind: TrackerKind;
  readonly type: string;
  readonly parent: WorkItem | undefined;
  readonly label: string;
}

async function planCreate(input: z.infer<typeof CreateInput>, ctx: ToolContext, signal?: AbortSignal): Promise<CreatePlan> {
  const kind = input.tracker ?? ctx.defaultTracker();
  const tracker = trackerFor({ tracker: kind }, ctx.trackers);
  const parent = input.parentId === undefined ? undefined : await getWorkItem(kind === 'azureBoards' ? { tracker: kind, id: input.parentId } : { tracker: kind, id: input.parentId }, ctx.trackers, signal);
  const allowed = await tracker.childTypes(parent);
  const type = input.type ?? allowed[allowed.length - 1];
  if (!type) throw new DevOpsError('refused', parent ? `${itemKey(parent)} (${parent.type}) cannot have children in this process.` : 'This tracker offers no work item type to create.');
  const match = allowed.find((t) => t.toLowerCase() === type.toLowerCase());
  if (!match) {
    const where = parent ? `under ${itemKey(parent)} (${parent.type})` : 'at the top level';
    throw new DevOpsError('refused', `${capitalize(article(type))} cannot be created ${where}; the process allows: ${allowed.join(', ') || 'nothing'}.`);
  }
  const { label } = await tracker.identity(signal);
  return { tracker, kind, type: match, parent, label };
}

export const createWorkItemTool: ChatTool<z.infer<typeof CreateInput>> = {
  name: 'aiDevops_createWorkItem',
  description: "Create a work item (after the user confirms), checking the process template's hierarchy rules.",
  schema: CreateInput,
  changes: true,
  async prepare(input, ctx, signal) {
    const plan = await planCreate(input, ctx, signal);
    const under = plan.parent ? ` under ${itemKey(plan.parent)} ${q(plan.parent.title)}` : '';
    const description = input.description ? exactly('Description', input.description) : '';
    return {
      invocationMessage: `Creating ${article(plan.type)} in ${plan.label}`,
      confirmation: { title: `Create ${article(plan.type)}?`, message: `Create ${article(plan.type).replace(plan.type, `**${plan.type}**`)} ${q(input.title)} in ${plan.label}${under}.${description}` },
    };
  },
  async invoke(input, ctx, signal) {
    const plan = await planCreate(input, ctx, signal);
    // A queued create has no id yet (the outbox entry names it); an applied one is recorded with its new id.
    const outcome = await recordedWrite(
      ctx,
      { tool: 'aiDevops_createWorkItem', change: 'create', tracker: plan.kind, metadata: { type: plan.type, title: input.title, ...(plan.parent ? { parentId: plan.parent.id } : {}) } },
      (correlationId) => plan.tracker.create({ type: plan.type, title: input.title, description: input.description ?? '', ...(plan.parent ? { parentId: plan.parent.id } : {}) }, { signal, correlationId, clientId: randomUUID() }),
    );
    if (outcome.kind === 'applied') return `Created ${itemKey(outcome.item)} (${plan.type}) ${q(outcome.item.title)}: ${outcome.item.url}`;
    return outcomeText(outcome, '', input.title);
  },
};

// ---------------------------------------------------------------------------------------------

const StateInput = z.object({ id: reference, state: z.string().trim().min(1).max(100) }).strict();

async function planState(input: z.infer<typeof StateInput>, ctx: ToolContext, signal?: AbortSignal): Promise<{ item: WorkItem; tracker: WorkTracker; choice: StateChoice }> {
  const { item, tracker } = await itemFor(input.id, ctx, signal);
  const choices = await tracker.allowedStates(item, signal);
  const wanted = input.state.toLowerCase();
  const choice = choices.find((c) => c.state.toLowerCase() === wanted) ?? choices.find((c) => c.lifecycle?.toLowerCase() === wanted);
  if (!choice) {
    const offer = choices.map((c) => (c.lifecycle && c.lifecycle !== c.state ? `${c.state} (${c.lifecycle})` : c.state)).join(', ');
    throw new DevOpsError('refused', `${itemKey(item)} (${item.type}, ${item.state}) cannot move to "${clip(input.state, 60)}"; it can move to: ${offer || 'no other state'}.`);
  }
  return { item, tracker, choice };
}

export const changeWorkItemStateTool: ChatTool<z.infer<typeof StateInput>> = {
  name: 'aiDevops_changeWorkItemState',
  description: "Move a work item to another lifecycle state (after the user confirms), if the process template allows the transition.",
  schema: StateInput,
  changes: true,
  async prepare(input, ctx, signal) {
    const { item, choice } = await planState(input, ctx, signal);
    const lifecycle = choice.lifecycle && choice.lifecycle !== choice.state ? ` (lifecycle: ${choice.lifecycle})` : '';
    return {
      invocationMessage: `Moving ${itemKey(item)} to ${choice.state}`,
      confirmation: { title: `Change the state of ${itemKey(item)}?`, message: `Move ${itemKey(item)} ${q(item.title)} from **${item.state}** to **${choice.state}**${lifecycle}.` },
    };
  },
  async invoke(input, ctx, signal) {
    const { item, tracker, choice } = await planState(input, ctx, signal);
    const outcome = await recordedWrite(
      ctx,
      { tool: 'aiDevops_changeWorkItemState', change: 'changeState', tracker: item.tracker, workItemId: item.id, repository: item.repository, oldState: item.state, newState: choice.state, metadata: choice.lifecycle ? { lifecycle: choice.lifecycle } : {} },
      (correlationId) => tracker.changeState(item, choice.state, { signal, correlationId, clientId: randomUUID() }),
    );
    return outcomeText(outcome, `Moved ${itemKey(item)} from ${item.state} to ${choice.state}`, itemKey(item));
  },
};

// ---------------------------------------------------------------------------------------------

const CommentInput = z.object({ id: reference, text: z.string().trim().min(1).max(32_000) }).strict();

export const addWorkItemCommentTool: ChatTool<z.infer<typeof CommentInput>> = {
  name: 'aiDevops_addWorkItemComment',
  description: 'Add a comment to a work item (after the user confirms).',
  schema: CommentInput,
  changes: true,
  async prepare(input, ctx, signal) {
    const { item } = await itemFor(input.id, ctx, signal);
    return {
      invocationMessage: `Commenting on ${itemKey(item)}`,
      confirmation: { title: `Comment on ${itemKey(item)}?`, message: `Add this comment to ${itemKey(item)} ${q(item.title)}.${exactly('Comment', input.text)}` },
    };
  },
  async invoke(input, ctx, signal) {
    const { item, tracker } = await itemFor(input.id, ctx, signal);
    const outcome = await recordedWrite(
      ctx,
      { tool: 'aiDevops_addWorkItemComment', change: 'addComment', tracker: item.tracker, workItemId: item.id, repository: item.repository, metadata: { summary: clip(input.text, 200) } },
      (correlationId) => tracker.addComment(item, input.text, { signal, correlationId, clientId: randomUUID() }),
    );
    return outcomeText(outcome, `Commented on ${itemKey(item)}`, itemKey(item));
  },
};

/** Every tool of contributes.languageModelTools, in its order. */
export const WORK_ITEM_TOOLS: readonly ChatTool<unknown>[] = [getWorkItemTool, queryWorkItemsTool, createWorkItemTool, changeWorkItemStateTool, addWorkItemCommentTool];

/** The read tools @devops offers its own model in free-form questions (it never changes anything unasked). */
export const READ_TOOLS = WORK_ITEM_TOOLS.filter((t) => !t.changes);
