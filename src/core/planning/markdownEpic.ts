import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { splitEstimate, unitOf } from './estimates';
import { MAX_TITLE, type PlanItem, type PlanLevel } from './planItem';

/**
 * A Markdown epic as a plan, without a model: the single top heading is the epic (else the file's
 * name is), each section below it a feature, each sub-section a story, each list item under a
 * story a task. Deeper headings, paragraphs, code and tables are descriptions. A line that says
 * "Acceptance criteria" (a heading, a bold or plain line, with or without a colon) makes the next
 * list the acceptance criteria of the item it is under; a list straight under a feature lists its
 * stories. `AB#12` or `#12` in front of a title names an item that exists; a trailing `[5]`,
 * `[5 pts]` or, for tasks, `[4h]` is the estimate. A blockquote is description as it stands (the
 * editable preview writes descriptions that way, so a list in a description stays one).
 */
export interface MarkdownEpicOptions {
  /** The epic's title when the document has no single top heading (the file's name). */
  readonly fallbackTitle: string;
  /**
   * `#` is the epic, `##` a feature, `###` a story, whatever else the document holds (the
   * preview's form: deleting every feature heading must not turn the stories into features).
   * Otherwise levels are read relative to the headings the document has.
   */
  readonly absoluteLevels?: boolean;
}

export type MarkdownEpicResult =
  | { readonly ok: true; readonly root: PlanItem; readonly headed: boolean; readonly notes: readonly string[] }
  | { readonly ok: false; readonly message: string };

interface Draft {
  level: PlanLevel;
  title: string;
  estimate?: number;
  existingId?: number;
  acceptanceCriteria: string[];
  description: string[];
  children: Draft[];
  line: number;
}

const AC_LABEL = /^(acceptance criteria|acceptance|ac|definition of done|done when)$/i;
const TASKS_LABEL = /^(tasks|to ?dos?|work items|sub-?tasks)$/i;
const REFERENCE = /^(?:AB)?#(\d{1,9})\s+(?=\S)/i;
const CHECKBOX = /^\[[ xX]\]\s+/;

const md = new MarkdownIt('commonmark');

/** Inline text of a label candidate: `**Acceptance criteria:**` → `acceptance criteria`. */
const labelText = (s: string): string =>
  s
    .replace(/[*_`]/g, '')
    .replace(/[:：]\s*$/u, '')
    .trim();

export function parseMarkdownEpic(source: string, options: MarkdownEpicOptions): MarkdownEpicResult {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const tokens = md.parse(lines.join('\n'), {});
  const notes: string[] = [];

  // Headings at the top level, to decide which level is the epic, which the features and stories.
  const headings: { level: number; index: number }[] = [];
  tokens.forEach((t, index) => {
    if (t.type === 'heading_open' && t.level === 0) headings.push({ level: Number(t.tag.slice(1)), index });
  });
  const levels = [...new Set(headings.map((h) => h.level))].sort((a, b) => a - b);
  const top = levels[0];
  const topCount = headings.filter((h) => h.level === top).length;
  let epicHeading: { level: number; index: number } | undefined;
  let featureLevel: number | undefined;
  let storyLevel: number | undefined;
  if (options.absoluteLevels) {
    const h1 = headings.filter((h) => h.level === 1);
    if (h1.length > 1) return { ok: false, message: `Line ${(tokens[h1[1]!.index]!.map?.[0] ?? 0) + 1}: a plan has one epic, the one "# " heading; make this one a "## " feature or remove it.` };
    epicHeading = h1[0];
    featureLevel = 2;
    storyLevel = 3;
  } else {
    epicHeading = top !== undefined && topCount === 1 && headings[0]?.level === top ? headings[0] : undefined;
    const sectionLevels = epicHeading ? levels.slice(1) : levels;
    featureLevel = sectionLevels[0];
    storyLevel = sectionLevels[1];
  }

  const root: Draft = { level: 'epic', title: options.fallbackTitle, acceptanceCriteria: [], description: [], children: [], line: 1 };
  let feature: Draft | undefined;
  let story: Draft | undefined;
  let listRole: 'ac' | 'tasks' | undefined;
  const current = (): Draft => story ?? feature ?? root;

  const rawLines = (t: Token): string[] => (t.map ? lines.slice(t.map[0], t.map[1]) : []);
  const titled = (level: PlanLevel, raw: string, line: number): Draft | string => {
    let text = raw.replace(CHECKBOX, '').trim();
    let existingId: number | undefined;
    const ref = REFERENCE.exec(text);
    if (ref) {
      existingId = Number(ref[1]);
      text = text.slice(ref[0].length);
    }
    const split = splitEstimate(text);
    if (split.unit !== undefined && split.unit !== unitOf(level)) {
      notes.push(`Line ${line}: "${split.title}" is a ${level}, estimated in ${unitOf(level)}; the ${split.unit} written there were taken as ${unitOf(level)}.`);
    }
    const title = unescapeMarkdown(split.title);
    if (!title) return `Line ${line}: a ${level} needs a title.`;
    if (title.length > MAX_TITLE) return `Line ${line}: the ${level} title is ${title.length} characters long; at most ${MAX_TITLE} fit.`;
    return {
      level,
      title,
      ...(split.estimate !== undefined ? { estimate: split.estimate } : {}),
      ...(existingId !== undefined ? { existingId } : {}),
      acceptanceCriteria: [],
      description: [],
      children: [],
      line,
    };
  };

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const line = (t.map?.[0] ?? 0) + 1;
    const end = closingIndex(tokens, i);
    if (t.type === 'heading_open') {
      const text = tokens[i + 1]?.content ?? '';
      const level = Number(t.tag.slice(1));
      const label = labelText(text);
      if (AC_LABEL.test(label)) listRole = 'ac';
      else if (TASKS_LABEL.test(label) && story) listRole = 'tasks';
      else if (epicHeading && i === epicHeading.index) {
        const epic = titled('epic', text, line);
        if (typeof epic === 'string') return { ok: false, message: epic };
        root.title = epic.title;
        if (epic.estimate !== undefined) root.estimate = epic.estimate;
        if (epic.existingId !== undefined) root.existingId = epic.existingId;
        root.line = line;
        listRole = undefined;
      } else if (level === featureLevel) {
        const made = titled('feature', text, line);
        if (typeof made === 'string') return { ok: false, message: made };
        feature = made;
        story = undefined;
        root.children.push(feature);
        listRole = undefined;
      } else if (level === storyLevel && !feature && options.absoluteLevels) {
        return { ok: false, message: `Line ${line}: the story "${text.trim()}" is not under a feature; put a "## " feature heading above it.` };
      } else if (level === storyLevel && feature) {
        const made = titled('story', text, line);
        if (typeof made === 'string') return { ok: false, message: made };
        story = made;
        feature.children.push(story);
        listRole = undefined;
      } else {
        current().description.push(...rawLines(t), '');
        listRole = undefined;
      }
    } else if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      const items = listItems(tokens, i, end, lines);
      const holder = current();
      if (listRole === 'ac') {
        holder.acceptanceCriteria.push(...items.map((it) => unescapeMarkdown(it.text.replace(CHECKBOX, '').trim())).filter((s) => s.length > 0));
      } else if (story) {
        for (const it of items) {
          const task = titled('task', it.text, it.line);
          if (typeof task === 'string') return { ok: false, message: task };
          task.description = it.rest;
          story.children.push(task);
        }
      } else if (feature) {
        for (const it of items) {
          const made = titled('story', it.text, it.line);
          if (typeof made === 'string') return { ok: false, message: made };
          made.description = it.rest;
          feature.children.push(made);
        }
      } else {
        root.description.push(...rawLines(t), '');
      }
      listRole = undefined;
    } else if (t.type === 'paragraph_open') {
      const text = tokens[i + 1]?.content ?? '';
      const label = labelText(text);
      if (AC_LABEL.test(label)) listRole = 'ac';
      else if (TASKS_LABEL.test(label) && story) listRole = 'tasks';
      else {
        current().description.push(...rawLines(t), '');
        listRole = undefined;
      }
    } else if (t.type === 'blockquote_open') {
      current().description.push(...rawLines(t).map((l) => l.replace(/^\s{0,3}>\s?/, '')), '');
      listRole = undefined;
    } else if (t.type === 'html_block' && /^\s*<!--[\s\S]*-->\s*$/.test(t.content)) {
      // Comments (the preview's header) are not part of any description.
    } else if (t.map) {
      current().description.push(...rawLines(t), '');
      listRole = undefined;
    }
    i = end + 1;
  }

  const finish = (d: Draft): PlanItem => ({
    level: d.level,
    title: d.title,
    ...(d.estimate !== undefined ? { estimate: d.estimate } : {}),
    acceptanceCriteria: d.acceptanceCriteria,
    description: tidy(d.description),
    ...(d.existingId !== undefined ? { existingId: d.existingId } : {}),
    children: d.children.map(finish),
  });
  return { ok: true, root: finish(root), headed: featureLevel !== undefined, notes };
}

/** The index of the token that closes the block opened at `start` (the same index for a single token). */
function closingIndex(tokens: readonly Token[], start: number): number {
  const t = tokens[start]!;
  if (t.nesting !== 1) return start;
  let depth = 0;
  for (let j = start; j < tokens.length; j++) {
    depth += tokens[j]!.nesting;
    if (depth === 0) return j;
  }
  return tokens.length - 1;
}

interface ListEntry {
  readonly text: string;
  /** The item's other lines (continuation paragraphs, nested lists), dedented: its description. */
  readonly rest: string[];
  readonly line: number;
}

/** The items of the list opened at `start`: each one's first line of text and the rest of its lines. */
function listItems(tokens: readonly Token[], start: number, end: number, lines: readonly string[]): ListEntry[] {
  const out: ListEntry[] = [];
  const depth0 = tokens[start]!.level;
  for (let j = start + 1; j < end; j++) {
    const t = tokens[j]!;
    if (t.type !== 'list_item_open' || t.level !== depth0 + 1 || !t.map) continue;
    const first = tokens[j + 1]?.type === 'paragraph_open' ? tokens[j + 2] : undefined;
    const firstText = first?.content.split('\n')[0] ?? '';
    const itemLines = lines.slice(t.map[0], t.map[1]);
    const indent = /^\s*(?:[-*+]|\d+[.)])\s*/.exec(itemLines[0] ?? '')?.[0].length ?? 2;
    const rest = itemLines
      .slice(1)
      .map((l) => (l.slice(0, indent).trim() === '' ? l.slice(indent) : l.trimStart()))
      .filter((l, k, all) => !(k === all.length - 1 && l.trim() === ''));
    out.push({ text: firstText, rest, line: t.map[0] + 1 });
  }
  return out;
}

/** CommonMark's backslash escapes of ASCII punctuation, undone: `\\[3]` is `[3]`, `\\#12` is `#12`. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function tidy(lines: readonly string[]): string {
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
