import path from 'node:path';
import { parseWorkItemArgument } from '../../core/chat/workItemArgument';
import { DevOpsError } from '../../core/errors';
import { parseMarkdownEpic } from '../../core/planning/markdownEpic';
import { isPlanDocument, parsePlanDocument, type PlanHeader } from '../../core/planning/planDocument';
import { type PlanItem } from '../../core/planning/planItem';
import { type EpicSourceItem } from '../../core/planning/planningBoards';
import { type TrackerKind } from '../../core/workItem';
import { type AgentContext } from '../runtime/context';
import { planningFor } from './planningContext';

/**
 * Where an epic comes from: an edited preview (the plan as the user left it), a Markdown file of
 * the workspace, a work item or GitHub issue, or free text. Each becomes a plan tree; a source
 * without sections comes back as text for the model to decompose.
 */
export type EpicSource =
  | { readonly kind: 'document'; readonly header: PlanHeader; readonly root: PlanItem; readonly notes: readonly string[] }
  | { readonly kind: 'tree'; readonly tracker: TrackerKind | undefined; readonly root: PlanItem; readonly label: string; readonly identity: string; readonly notes: readonly string[] }
  | { readonly kind: 'text'; readonly tracker: TrackerKind | undefined; readonly text: string; readonly title: string | undefined; readonly existing: EpicSourceItem | undefined; readonly label: string; readonly identity: string };

export interface EpicInput {
  readonly source?: string;
  readonly text?: string;
  readonly document?: string;
  readonly tracker?: TrackerKind;
}

const MARKDOWN = /\.(md|markdown|mdown|mkd)$/i;

export async function readEpicSource(ctx: AgentContext, input: EpicInput): Promise<EpicSource> {
  const given = [input.source, input.text, input.document].filter((x) => x !== undefined && x.trim() !== '').length;
  if (given === 0) throw new DevOpsError('invalidInput', 'What should be planned? Give a Markdown file (docs/epic.md), a work item (AB#12, #12) or the text of the epic.');
  if (given > 1) throw new DevOpsError('invalidInput', 'Give one source for the epic: a file, a work item, a plan preview or text, not several.');

  if (input.document !== undefined) {
    const doc = parsePlanDocument(input.document);
    if (!doc.ok) throw new DevOpsError('invalidInput', doc.message);
    return { kind: 'document', header: doc.header, root: doc.root, notes: doc.notes };
  }
  if (input.text !== undefined) {
    return { kind: 'text', tracker: input.tracker, text: input.text, title: undefined, existing: undefined, label: 'the text given', identity: `text:${input.text.trim().slice(0, 200)}` };
  }
  const source = input.source!.trim();
  if (MARKDOWN.test(source) || (await ctx.files.exists(source).catch(() => false))) {
    const file = await ctx.files.read(source);
    if (!file) throw new DevOpsError('notFound', `${source} was not found in the workspace.`);
    // A saved and edited preview (the `document` of an earlier plan): the plan as the user left it.
    if (isPlanDocument(file.text)) {
      const doc = parsePlanDocument(file.text);
      if (!doc.ok) throw new DevOpsError('invalidInput', `${source}: ${doc.message}`);
      return { kind: 'document', header: doc.header, root: doc.root, notes: doc.notes };
    }
    const title = path.basename(source).replace(MARKDOWN, '').replace(/[-_]+/g, ' ').trim() || source;
    const parsed = parseMarkdownEpic(file.text, { fallbackTitle: title });
    if (!parsed.ok) throw new DevOpsError('invalidInput', `${source}: ${parsed.message}`);
    if (!parsed.headed) {
      return { kind: 'text', tracker: input.tracker, text: file.text, title: parsed.root.title, existing: undefined, label: source, identity: `file:${source}` };
    }
    return { kind: 'tree', tracker: input.tracker, root: parsed.root, label: source, identity: `file:${source}`, notes: parsed.notes };
  }
  const reference = parseWorkItemArgument(source, input.tracker ?? ctx.trackers.defaultTracker);
  if (!reference) throw new DevOpsError('invalidInput', `"${source}" is neither a Markdown file of the workspace nor a work item (AB#12, #12, owner/repo#12, a work item URL).`);
  const tracker = reference.tracker;
  const boards = await planningFor(ctx, tracker);
  if (reference.tracker === 'github' && reference.owner && reference.repo && `${reference.owner}/${reference.repo}`.toLowerCase() !== boards.where().toLowerCase()) {
    throw new DevOpsError('invalidInput', `${reference.owner}/${reference.repo}#${reference.id} is in another repository; the planner works in ${boards.where()}.`);
  }
  const item = await boards.item(reference.id, ctx.signal);
  const label = tracker === 'azureBoards' ? `AB#${item.id} ${item.title}` : `#${item.id} ${item.title}`;
  const parsed = parseMarkdownEpic(item.description, { fallbackTitle: item.title });
  if (!parsed.ok) throw new DevOpsError('invalidInput', `The description of ${label}: ${parsed.message}`);
  if (!parsed.headed) return { kind: 'text', tracker, text: item.description, title: item.title, existing: item, label, identity: `item:${item.id}` };
  // The item is the epic: its own title wins over a heading in its description.
  return { kind: 'tree', tracker, root: { ...parsed.root, title: item.title, existingId: item.id }, label, identity: `item:${item.id}`, notes: parsed.notes };
}
