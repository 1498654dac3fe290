import { z } from 'zod';
import { isMarkedBlocked } from '../../core/boards/blockedMark';
import { type ProjectPlace, type WorkTracker } from '../../core/boards/workTracker';
import { parseWorkItemArgument, referenceText } from '../../core/chat/workItemArgument';
import { DevOpsError } from '../../core/errors';
import { ATTENTION_RECORD, attentionOf, BLOCKED_RECORD, blockedKey, blockedOf, LIFECYCLE_AGENT, withAttention } from '../../core/lifecycle/attention';
import { lifecycleForStatus } from '../../core/process';
import { redactText } from '../../core/redact/redactText';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { type AgentContext, type AgentDefinition } from '../runtime/context';
import { isFinished } from '../runtime/lifecycleMoves';
import { type AgentPlan, emptyPlan, type RemoteChange } from '../runtime/plan';

/**
 * The orchestrator's lifecycle coordination after an agent run on a work item: a run that failed
 * (or whose plan could not be applied) marks the item Blocked with a comment naming the agent,
 * what failed and the audit run; the next run of an agent on it that succeeds clears the mark
 * with a comment. The runtime starts it (lifecycleFollowUp.ts); each step is a remote change
 * (approval policy, outbox, audit). Comments are keyed by the failed run, so asking again (a
 * retry, a replay after being offline) posts each once.
 */

const RUN_ID = /^run-[A-Za-z0-9-]{1,80}$/;
const AGENT_ID = /^[a-z][a-z0-9-]{0,63}$/;

const BlockInput = z
  .object({
    workItem: z.string().min(1).max(300),
    agent: z.string().regex(AGENT_ID),
    action: z.string().regex(AGENT_ID),
    run: z.string().regex(RUN_ID),
    reason: z.string().min(1).max(4000),
  })
  .strict();
type BlockInput = z.infer<typeof BlockInput>;

const UnblockInput = z.object({ workItem: z.string().min(1).max(300), agent: z.string().regex(AGENT_ID), action: z.string().regex(AGENT_ID), run: z.string().regex(RUN_ID) }).strict();
type UnblockInput = z.infer<typeof UnblockInput>;

const OPTIONS = {
  workItem: { type: 'string', description: 'the work item (AB#12, #12, owner/repo#12)' },
  agent: { type: 'string', description: 'the agent whose run it is about' },
  action: { type: 'string', description: "that agent's action" },
  run: { type: 'string', description: 'the audit run id (run-…)' },
} as const;

async function itemFor(ctx: AgentContext, text: string): Promise<{ item: WorkItem; tracker: WorkTracker }> {
  const reference = parseWorkItemArgument(text, ctx.trackers.defaultTracker);
  if (!reference) throw new DevOpsError('invalidInput', `"${text}" does not name a work item; write AB#12, #12 or owner/repo#12.`);
  const tracker = reference.tracker === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
  if (!tracker) throw new DevOpsError('notConfigured', `${referenceText(reference)}: ${reference.tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not connected (AI DevOps: Sign In).`);
  const found = (await tracker.get([reference.id], ctx.signal)).get(reference.id);
  if (!found) throw new DevOpsError('notFound', `${referenceText(reference)} was not found.`);
  if (found instanceof Error) throw found;
  return { item: found, tracker };
}

/** Whether it shows blocked: the mark on the item, or (GitHub) its Project Status; and where it is in the Project. */
async function blockedState(ctx: AgentContext, tracker: WorkTracker, item: WorkItem, notes: string[]): Promise<{ blocked: boolean; place: ProjectPlace | undefined }> {
  let place: ProjectPlace | undefined;
  if (item.tracker === 'github' && tracker.projectPlace) {
    try {
      place = await tracker.projectPlace(item, ctx.signal);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      notes.push(`Where ${workItemKey(item)} is in the Project could not be read (${error instanceof Error ? error.message : String(error)}); the Blocked mark is chosen when the change is sent.`);
    }
  }
  const byStatus = place?.status !== undefined && lifecycleForStatus(place.status) === 'Blocked';
  return { blocked: isMarkedBlocked(item) || byStatus, place };
}

/** How the item is marked, in the review's words. */
function markOf(item: WorkItem, place: ProjectPlace | undefined): string {
  if (item.tracker === 'azureBoards') return 'its Blocked field (where its type has one) or the Blocked tag';
  const option = place?.options.find((o) => lifecycleForStatus(o) === 'Blocked');
  if (place && option) return `Status "${option}" in project ${place.projectNumber}`;
  return 'the `blocked` label';
}

async function planBlock(ctx: AgentContext, input: BlockInput): Promise<AgentPlan> {
  const plan = emptyPlan(LIFECYCLE_AGENT, 'block', '');
  const { item, tracker } = await itemFor(ctx, input.workItem);
  const key = workItemKey(item);
  const reason = redactText(input.reason).slice(0, 1500);
  const records = blockedOf(await ctx.records.read(BLOCKED_RECORD));
  const attention = attentionOf(await ctx.records.read(ATTENTION_RECORD));
  await ctx.records.write(
    ATTENTION_RECORD,
    {
      version: 1,
      entries: withAttention(attention, {
        id: `failingAgent:${blockedKey(item.tracker, item.id)}`,
        kind: 'failingAgent',
        at: ctx.now().toISOString(),
        item: key,
        what: `The ${input.agent} agent (${input.action}) failed on ${key}: ${reason}`,
        todo: `Read run ${input.run} in Agent Runs, fix the cause and run the agent again: a run that succeeds clears the Blocked mark.`,
        run: input.run,
      }),
    },
  );
  if (isFinished(item)) {
    plan.title = `${key} is ${item.state}`;
    plan.notes.push(`${key} is ${item.state}, so it is not marked Blocked although the ${input.agent} agent failed on it.`);
    return plan;
  }
  const { blocked, place } = await blockedState(ctx, tracker, item, plan.notes);
  const comment = [
    `**Blocked by AI DevOps:** the ${input.agent} agent (${input.action}) failed on this item.`,
    '',
    `What failed: ${reason}`,
    '',
    `Audit run: \`${input.run}\` (AI DevOps: Agent Runs, or the audit trail under \`.devops/audit\`). The mark is cleared, with a comment, when an agent's next run on this item succeeds.`,
  ].join('\n');
  const changes: RemoteChange[] = [];
  if (!blocked) {
    changes.push({ id: 'block', kind: 'workItem.blocked', approval: 'trackerWrite', target: key, summary: `Mark ${key} Blocked (${markOf(item, place)}): the ${input.agent} agent failed`, payload: { tracker: item.tracker, id: item.id, blocked: true, seen: false } });
  } else plan.notes.push(`${key} is marked Blocked already; the comment says this failure too.`);
  changes.push({
    id: 'block-comment',
    kind: 'workItem.comment',
    approval: 'trackerWrite',
    target: key,
    summary: `Comment on ${key}: the ${input.agent} agent failed (run ${input.run})`,
    payload: { tracker: item.tracker, id: item.id, markdown: comment, clientId: `blocked-${input.run}` },
  });
  // Recorded while planning, like QA's history: the next run that succeeds knows whose mark it is.
  const existing = records[blockedKey(item.tracker, item.id)];
  await ctx.records.write(BLOCKED_RECORD, {
    version: 1,
    items: { ...records, [blockedKey(item.tracker, item.id)]: { run: blocked && existing ? existing.run : input.run, agent: input.agent, action: input.action, at: ctx.now().toISOString(), reason } },
  });
  plan.title = `Mark ${key} Blocked`;
  plan.summary = `The ${input.agent} agent failed on ${key}; it is marked Blocked with a comment saying why.`;
  plan.facts.push({ label: 'Work item', value: `${key} ${item.title}` }, { label: 'Failed run', value: input.run });
  plan.remote = changes;
  plan.result = { workItem: key, blocked: true, run: input.run };
  return plan;
}

async function planUnblock(ctx: AgentContext, input: UnblockInput): Promise<AgentPlan> {
  const plan = emptyPlan(LIFECYCLE_AGENT, 'unblock', '');
  const { item, tracker } = await itemFor(ctx, input.workItem);
  const key = workItemKey(item);
  const id = blockedKey(item.tracker, item.id);
  const records = blockedOf(await ctx.records.read(BLOCKED_RECORD));
  const record = records[id];
  if (!record) {
    plan.title = `${key} was not blocked by an agent`;
    plan.notes.push(`No agent's failure marked ${key} Blocked, so the ${input.agent} agent's success leaves it as it is.`);
    return plan;
  }
  const { [id]: _cleared, ...rest } = records;
  await ctx.records.write(BLOCKED_RECORD, { version: 1, items: rest });
  const attention = attentionOf(await ctx.records.read(ATTENTION_RECORD));
  const left = attention.filter((e) => e.id !== `failingAgent:${id}`);
  if (left.length !== attention.length) await ctx.records.write(ATTENTION_RECORD, { version: 1, entries: left });
  const { blocked, place } = await blockedState(ctx, tracker, item, plan.notes);
  // The mark may still wait in the outbox (blocked offline): clearing it is asked all the same (it is a no-op when nothing is set).
  plan.remote.push({ id: 'unblock', kind: 'workItem.blocked', approval: 'trackerWrite', target: key, summary: `Clear ${key}'s Blocked mark (${markOf(item, place)}): the ${input.agent} agent's run succeeded`, payload: { tracker: item.tracker, id: item.id, blocked: false, seen: true } });
  if (blocked) {
    plan.remote.push({
      id: 'unblock-comment',
      kind: 'workItem.comment',
      approval: 'trackerWrite',
      target: key,
      summary: `Comment on ${key}: unblocked (run ${input.run} succeeded)`,
      payload: {
        tracker: item.tracker,
        id: item.id,
        markdown: `**Unblocked by AI DevOps:** the ${input.agent} agent (${input.action}) succeeded on this item (audit run \`${input.run}\`), so the Blocked mark set after run \`${record.run}\` (the ${record.agent} agent) is cleared${item.tracker === 'github' && place ? ' and the item is back in Ready' : ''}.`,
        clientId: `unblocked-${record.run}`,
      },
    });
  } else plan.notes.push(`${key} does not show Blocked here (the mark may still be waiting in the outbox); it is cleared without a comment.`);
  plan.title = `Clear ${key}'s Blocked mark`;
  plan.summary = `The ${input.agent} agent succeeded on ${key}, which run ${record.run} had left Blocked.`;
  plan.facts.push({ label: 'Work item', value: `${key} ${item.title}` }, { label: 'Blocked by', value: `${record.run} (${record.agent})` });
  plan.result = { workItem: key, blocked: false, run: input.run, blockedBy: record.run };
  return plan;
}

export const lifecycleAgent: AgentDefinition = {
  id: LIFECYCLE_AGENT,
  title: 'Lifecycle',
  description: "Mark a work item Blocked when an agent fails on it, and clear the mark when an agent's next run on it succeeds (the runtime runs it after such runs)",
  actions: [
    {
      name: 'block',
      description: 'Mark the work item Blocked with a comment naming the agent, what failed and the audit run.',
      input: BlockInput,
      options: { ...OPTIONS, reason: { type: 'string', description: 'what failed' } },
      plan: (ctx, input: BlockInput) => planBlock(ctx, input),
    },
    {
      name: 'unblock',
      description: 'Clear the Blocked mark an agent failure set, with a comment, after a run that succeeded.',
      input: UnblockInput,
      options: OPTIONS,
      plan: (ctx, input: UnblockInput) => planUnblock(ctx, input),
    },
  ],
};
