import { z } from 'zod';
import { type WorkTracker } from '../../core/boards/workTracker';
import { escapeMarkdown } from '../../core/chat/markdown';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { TrackerKindSchema, type TrackerKind, type WorkItem, workItemKey } from '../../core/workItem';
import { stateForLifecycle } from '../runtime/lifecycleMoves';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { emptyPlan, type Finding, type RemoteChange, SEVERITIES, SeveritySchema } from '../runtime/plan';
import { CATEGORIES, type Category, runScan } from './scan';

/**
 * One security work item per finding fingerprint, across runs and machines: the fingerprint is
 * written on the item (a line of its description, and the client id the trackers use to recognise
 * a create they already made, so an outbox replay never makes a second one). Before planning, the
 * tracker is asked for its open items and every item carrying a fingerprint counts: a finding
 * with an item gets none, an item whose finding is gone (fixed or suppressed) is offered for
 * closing, but only when its category was checked completely this time.
 */

export const SECURITY_TAG = 'security';
const FINGERPRINT_LINE = 'AI DevOps security fingerprint:';

/** The client id a finding's work item is created with: the same on every machine, so the trackers recognise a replay. */
export const clientIdForFinding = (fingerprint: string): string => `security-${fingerprint}`;

/** The fingerprint (and category) an item carries, from its description (Markdown on GitHub, HTML on Azure Boards). */
export function findingRefOf(item: Pick<WorkItem, 'description'>): { fingerprint: string; category: Category | undefined } | undefined {
  const line = /AI DevOps security fingerprint:\s*(?:<[^>]*>\s*)*([0-9a-f]{32})\b(?:[^(]{0,20}\(category:\s*([a-z]+))?/i.exec(item.description);
  const fingerprint = line?.[1] ?? /\bref security-([0-9a-f]{32})\b/.exec(item.description)?.[1];
  if (!fingerprint) return undefined;
  const category = (CATEGORIES as readonly string[]).includes(line?.[2]?.toLowerCase() ?? '') ? (line![2]!.toLowerCase() as Category) : undefined;
  return { fingerprint: fingerprint.toLowerCase(), category };
}

const code = (text: string): string => `\`${text.replace(/[`\r\n]/g, '')}\``;

export function workItemTitle(f: Finding): string {
  const where = f.file ? ` in ${f.file.split('/').pop()}${f.line ? `:${f.line}` : ''}` : '';
  const title = `Security (${f.severity}): ${f.message.replace(/\s+/g, ' ').trim()}${where}`;
  return title.length > 250 ? `${title.slice(0, 249)}…` : title;
}

/** The item's text: what, where, how to fix or accept it, and the fingerprint line. Never the secret (findings never hold it). */
export function workItemDescription(f: Finding, found: { at: string; by: string | undefined }): string {
  return [
    `**${f.severity}** ${f.category ?? 'security'} finding of the AI DevOps security scan: ${escapeMarkdown(f.message)}`,
    '',
    `- Rule: ${f.helpUri && /^https:\/\//.test(f.helpUri) ? `[${escapeMarkdown(f.ruleId)}](${f.helpUri.replace(/[()\s]/g, encodeURIComponent)})` : code(f.ruleId)}`,
    ...(f.file ? [`- Where: ${code(f.file)}${f.line ? ` line ${f.line}` : ''}`] : []),
    `- Found: ${found.at}${found.by ? ` by ${escapeMarkdown(found.by)}` : ''}`,
    '',
    `Fix it, or accept it with a reason: ${code(`ai-devops security suppress ${f.fingerprint} --reason "…"`)} (or the quick fix in VS Code). When a scan no longer finds it, the security agent offers to close this item.`,
    '',
    `${FINGERPRINT_LINE} ${f.fingerprint} (category: ${f.category ?? 'security'})`,
  ].join('\n');
}

const WorkItemsInput = z
  .object({
    /** Which tracker (default: the workspace's default tracker). */
    tracker: TrackerKindSchema.optional(),
    /** The work item type (default: Bug where the process has it, else Issue; GitHub: Issue). */
    type: z.string().min(1).max(100).optional(),
    /** File items for unsuppressed findings at or above this severity (default high). */
    minSeverity: SeveritySchema.optional(),
    only: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.enum(CATEGORIES)).min(1))
      .optional(),
    /** Leave items whose finding is gone open (by default they are offered for closing). */
    keepOpen: z.boolean().optional(),
  })
  .strict();
type WorkItemsInput = z.infer<typeof WorkItemsInput>;

const NAMES: Record<TrackerKind, string> = { azureBoards: 'Azure Boards', github: 'GitHub' };

function trackerOf(ctx: AgentContext, kind: TrackerKind): WorkTracker {
  const tracker = kind === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
  if (!tracker) throw new DevOpsError('notConfigured', `${NAMES[kind]} is not connected, so no security work items can be filed there. Sign in (AI DevOps: Sign In), or pick the other tracker with --tracker.`);
  return tracker;
}

/** The tracker's open items, fresh: another machine may have filed one a minute ago. Unreadable means nothing is filed (it could be a duplicate). */
async function openItems(ctx: AgentContext, tracker: WorkTracker, kind: TrackerKind): Promise<readonly WorkItem[]> {
  try {
    await tracker.refresh({ signal: ctx.signal });
    return (await tracker.list('allOpen', { signal: ctx.signal })).items;
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new DevOpsError('unavailable', `The open work items of ${NAMES[kind]} could not be read (${why}); no security work item was filed, since it might already exist. Try again when ${NAMES[kind]} answers.`, { cause: error });
  }
}

async function itemType(tracker: WorkTracker, kind: TrackerKind, wanted: string | undefined): Promise<string> {
  if (kind === 'github') {
    if (wanted && wanted !== 'Issue') throw new DevOpsError('invalidInput', `GitHub items are issues; --type ${wanted} cannot be filed there.`);
    return 'Issue';
  }
  const types = await tracker.childTypes(undefined);
  if (wanted) {
    const match = types.find((t) => t.toLowerCase() === wanted.toLowerCase());
    if (!match) throw new DevOpsError('invalidInput', `The project has no work item type "${wanted}" to file at the top level; it has ${types.join(', ')}.`);
    return match;
  }
  const choice = types.find((t) => t === 'Bug') ?? types.find((t) => t === 'Issue');
  if (!choice) throw new DevOpsError('invalidInput', `The project's process has neither Bug nor Issue; name a type with --type (${types.join(', ')}).`);
  return choice;
}

export const workItemsAction: AgentAction<WorkItemsInput> = {
  name: 'workitems',
  description: 'File one security work item (Bug or Issue, tagged security) per open finding, never twice; offer to close those whose finding is gone.',
  input: WorkItemsInput,
  options: {
    tracker: { type: 'string', description: 'azureBoards or github (default: aiDevops.workItems.defaultTracker).' },
    type: { type: 'string', description: 'Work item type (default Bug, else Issue; GitHub: Issue).' },
    minSeverity: { type: 'string', description: `File findings at or above this severity (${SEVERITIES.join(', ')}; default high).` },
    only: { type: 'string', description: `Comma-separated categories (${CATEGORIES.join(', ')}; default all).` },
    keepOpen: { type: 'boolean', description: 'Leave items whose finding is gone open (by default they are commented on and closed, after approval).' },
  },
  plan: async (ctx, input) => {
    const kind = input.tracker ?? ctx.trackers.defaultTracker;
    const tracker = trackerOf(ctx, kind);
    const categories = input.only ?? [...CATEGORIES];
    const outcome = await runScan(ctx, { categories });
    await ctx.step(`Reading the open work items of ${NAMES[kind]}`);
    const items = await openItems(ctx, tracker, kind);
    const byFingerprint = new Map<string, { item: WorkItem; category: Category | undefined }>();
    for (const item of items) {
      const ref = findingRefOf(item);
      if (ref && !byFingerprint.has(ref.fingerprint)) byFingerprint.set(ref.fingerprint, { item, category: ref.category });
    }
    const threshold = SEVERITIES.indexOf(input.minSeverity ?? 'high');
    const open = outcome.findings.filter((f) => !f.suppressed);
    const wanted = open.filter((f) => SEVERITIES.indexOf(f.severity) <= threshold);
    const remote: RemoteChange[] = [];
    const notes = [...outcome.notes];
    const already: string[] = [];
    let type: string | undefined;
    const found = { at: ctx.now().toISOString(), by: ctx.user };
    for (const f of wanted) {
      const existing = byFingerprint.get(f.fingerprint);
      if (existing) {
        already.push(workItemKey(existing.item));
        continue;
      }
      type ??= await itemType(tracker, kind, input.type);
      remote.push({
        id: `file-${f.fingerprint}`,
        kind: 'workItem.create',
        approval: 'trackerWrite',
        target: NAMES[kind],
        summary: `New ${type}: ${workItemTitle(f)}`,
        payload: { tracker: kind, type, title: workItemTitle(f), description: workItemDescription(f, found), tags: [SECURITY_TAG, `${SECURITY_TAG}-${f.category ?? 'other'}`], clientId: clientIdForFinding(f.fingerprint) },
      });
    }
    // An item is closed only when its category was checked completely now: a service that was down or a tool that was missing says nothing about a fix.
    const incomplete = new Set<string>([...outcome.skipped.map((s) => s.category), ...outcome.incomplete]);
    const stillOpen = new Set(open.map((f) => f.fingerprint));
    const suppressed = new Set(outcome.findings.filter((f) => f.suppressed).map((f) => f.fingerprint));
    let leftOpen = 0;
    for (const [fingerprint, { item, category }] of input.keepOpen ? [] : byFingerprint) {
      if (stillOpen.has(fingerprint)) continue;
      if (!category || !categories.includes(category) || incomplete.has(category)) {
        leftOpen++;
        continue;
      }
      const done = await stateForLifecycle(tracker, item, 'Done', ctx.signal).catch(() => undefined);
      if (!done) {
        notes.push(`${workItemKey(item)}'s finding is gone, but its process has no done state it can move to from ${item.state}; close it by hand.`);
        continue;
      }
      const accepted = suppressed.has(fingerprint);
      const commentId = `comment-${item.id}`;
      const markdown = accepted
        ? `The AI DevOps security scan of ${found.at} finds this finding accepted in .devops/security-baseline.json (see its reason there); closing.`
        : `The AI DevOps security scan of ${found.at} no longer finds this: it is fixed; closing.`;
      remote.push(
        { id: commentId, kind: 'workItem.comment', approval: 'trackerWrite', target: workItemKey(item), summary: `Comment on ${workItemKey(item)}: its finding is ${accepted ? 'suppressed' : 'fixed'}`, payload: { tracker: item.tracker, id: item.id, markdown } },
        { id: `close-${item.id}`, kind: 'workItem.state', approval: 'trackerWrite', target: workItemKey(item), summary: `${workItemKey(item)} → ${done.state}: its finding is ${accepted ? 'suppressed' : 'fixed'}`, payload: { tracker: item.tracker, id: item.id, state: done.state }, dependsOn: [commentId] },
      );
    }
    if (leftOpen) notes.push(`${leftOpen} security item${leftOpen === 1 ? ' was' : 's were'} left open: ${leftOpen === 1 ? 'its' : 'their'} category was not checked completely in this scan.`);
    const creating = remote.filter((r) => r.kind === 'workItem.create').length;
    const closing = remote.filter((r) => r.kind === 'workItem.state').length;
    return {
      ...emptyPlan('security', 'workitems', 'Security work items'),
      summary: `${creating} new security work item${creating === 1 ? '' : 's'} in ${NAMES[kind]}, ${already.length} already filed, ${closing} to close (${wanted.length} open finding${wanted.length === 1 ? '' : 's'} at or above ${input.minSeverity ?? 'high'}).`,
      facts: [...outcome.facts, { label: 'Work items', value: `${byFingerprint.size} open security item${byFingerprint.size === 1 ? '' : 's'} in ${NAMES[kind]}${already.length ? ` (${already.join(', ')} already filed)` : ''}` }],
      findings: outcome.findings,
      ...(input.only ? { checkedCategories: input.only } : {}),
      notes,
      remote,
      result: { tracker: kind, create: creating, alreadyFiled: already, close: closing, skipped: outcome.skipped.map((s) => ({ category: s.category, why: s.why })) },
    };
  },
};
