import { z } from 'zod';
import { TrackerKindSchema, type TrackerKind } from '../workItem';
import { formatEstimate } from './estimates';
import { parseMarkdownEpic } from './markdownEpic';
import { levelProblem, type PlanItem, PlanItemSchema } from './planItem';

/**
 * The editable preview of a plan: a Markdown document in the very format a Markdown epic is
 * written in (markdownEpic.ts), so what the user edits is read back by the same parser. Renaming
 * is editing a line, re-estimating is editing `[5 pts]`, moving is cutting a section and pasting
 * it under another heading, dropping is deleting lines. Descriptions are written as blockquotes
 * so a list inside one stays a description. The first line is an HTML comment (invisible in the
 * rendered preview) that says where the plan goes; it is checked again when the plan is applied.
 */
export const PlanHeaderSchema = z
  .object({
    version: z.literal(1),
    tracker: TrackerKindSchema,
    /** The project (Azure Boards) or owner/repo (GitHub) the plan was made for. */
    where: z.string().min(1).max(300),
    /** The process template the types were named for (Azure Boards). */
    process: z.string().max(100).optional(),
    /** The plan's identity: every item it creates carries a reference made from it, so a resumed plan finds what it made. */
    key: z.string().regex(/^plan-[0-9a-f]{12}$/),
    /** Where the epic came from (a file, an item), for the user. */
    source: z.string().max(500).optional(),
  })
  .strict();
export type PlanHeader = z.infer<typeof PlanHeaderSchema>;

const HEADER = /^\s*<!--\s*ai-devops plan\s+(\{[^\n]*\})\s*$/;

export const PLAN_DOCUMENT_HELP = [
  'Edit this plan before anything is created: rename a line, change an estimate ([5 pts], tasks [4h]),',
  'move a section (cut it and paste it under another heading), delete lines to drop items.',
  'Items written with their id (AB#12, #12) exist already and are kept as they are.',
  'Nothing is created until you apply it: ai-devops plan epic <this file> --apply, or @devops /plan <this file> and Review and Apply.',
];

/** A reference to an existing item as the preview writes it. */
export const referenceText = (tracker: TrackerKind, id: number): string => (tracker === 'azureBoards' ? `AB#${id}` : `#${id}`);

/** A title as Markdown text that reads back as itself: backslashes doubled, and what would parse as structure escaped. */
export function escapeTitle(title: string): string {
  let t = title.replace(/\\/g, '\\\\');
  t = t.replace(/^((?:AB)?)#(\d)/i, '$1\\#$2');
  t = t.replace(/^\[([ xX])\]/, '\\[$1]');
  t = t.replace(/^([-+*>])/, '\\$1');
  t = t.replace(/^(\d+)([.)])/, '$1\\$2');
  // A trailing "[3]" or "(2 points)" would read back as an estimate.
  t = t.replace(/([[(])(\s*\d+(?:[.,]\d+)?\s*[a-z ]*[\])]\s*)$/i, '\\$1$2');
  return t;
}

export function renderPlanDocument(header: PlanHeader, root: PlanItem): string {
  const out: string[] = [`<!-- ai-devops plan ${JSON.stringify(header)}`, ...PLAN_DOCUMENT_HELP, '-->', ''];
  const titleOf = (item: PlanItem): string => `${item.existingId !== undefined ? `${referenceText(header.tracker, item.existingId)} ` : ''}${escapeTitle(item.title)}${formatEstimate(item.level, item.estimate)}`;
  const body = (item: PlanItem): void => {
    if (item.description.trim()) out.push(...item.description.trim().split('\n').map((l) => (l.trim() ? `> ${l}` : '>')), '');
    if (item.acceptanceCriteria.length) out.push('**Acceptance criteria**', '', ...item.acceptanceCriteria.map((c) => `- ${escapeTitle(c)}`), '');
  };
  out.push(`# ${titleOf(root)}`, '');
  body(root);
  for (const feature of root.children) {
    out.push(`## ${titleOf(feature)}`, '');
    body(feature);
    for (const story of feature.children) {
      out.push(`### ${titleOf(story)}`, '');
      body(story);
      if (story.children.length) {
        out.push('**Tasks**', '');
        for (const task of story.children) {
          out.push(`- ${titleOf(task)}`);
          if (task.description.trim()) out.push(...task.description.trim().split('\n').map((l) => (l.trim() ? `  ${l}` : '')));
        }
        out.push('');
      }
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Whether a text is a plan preview (its first line is the preview's header comment), not an epic. */
export const isPlanDocument = (text: string): boolean => /^\s*<!--\s*ai-devops plan\s+\{/.test(text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '');

export type PlanDocumentResult =
  | { readonly ok: true; readonly header: PlanHeader; readonly root: PlanItem; readonly notes: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** Reads an edited preview back: its header checked with zod, its body with the Markdown epic parser and the plan schema. */
export function parsePlanDocument(text: string): PlanDocumentResult {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const m = HEADER.exec(firstLine);
  if (!m) return { ok: false, message: 'This is not an AI DevOps plan: its first line must be the "<!-- ai-devops plan {…}" comment the preview starts with. Plan the epic again to get a fresh preview.' };
  let json: unknown;
  try {
    json = JSON.parse(m[1]!);
  } catch {
    return { ok: false, message: 'The plan\'s first line (its "<!-- ai-devops plan {…}" header) was changed and no longer reads; plan the epic again to get a fresh preview.' };
  }
  const header = PlanHeaderSchema.safeParse(json);
  if (!header.success) {
    const issue = header.error.issues[0];
    return { ok: false, message: `The plan's header is not valid (${issue?.path.join('.') || 'header'}: ${issue?.message}); plan the epic again to get a fresh preview.` };
  }
  const parsed = parseMarkdownEpic(text, { fallbackTitle: '', absoluteLevels: true });
  if (!parsed.ok) return parsed;
  if (!parsed.root.title) return { ok: false, message: 'The plan has no epic: its first heading (# Title) was removed. Put it back, or plan the epic again.' };
  const checked = PlanItemSchema.safeParse(parsed.root);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return { ok: false, message: `The plan does not read as a plan (${issue?.path.join('.') || 'plan'}: ${issue?.message}).` };
  }
  const problem = levelProblem(checked.data);
  if (problem) return { ok: false, message: problem };
  return { ok: true, header: header.data, root: checked.data, notes: parsed.notes };
}
