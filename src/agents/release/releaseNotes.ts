import { type ParsedCommit } from '../../core/release/conventionalCommits';
import { HIDDEN_TYPES } from '../../core/release/bump';
import { type RepositoryLinks } from './repositoryLinks';
import { type LinkedItem, type LinkedItems } from './workItemLinks';

/** The sections of the notes, in the conventionalcommits preset's order and words. */
export const NOTE_SECTIONS = [
  { id: 'breaking', title: '⚠ Breaking changes', keepAChangelog: 'Changed' },
  { id: 'feat', title: 'Features', keepAChangelog: 'Added' },
  { id: 'fix', title: 'Bug fixes', keepAChangelog: 'Fixed' },
  { id: 'perf', title: 'Performance improvements', keepAChangelog: 'Changed' },
  { id: 'revert', title: 'Reverts', keepAChangelog: 'Removed' },
  { id: 'other', title: 'Other changes', keepAChangelog: 'Changed' },
] as const;
export type SectionId = (typeof NOTE_SECTIONS)[number]['id'];

export interface NoteEntry {
  readonly section: SectionId;
  readonly scope: string | undefined;
  readonly text: string;
  readonly commit: ParsedCommit;
  readonly items: readonly LinkedItem[];
}

/** Which section a commit goes in; undefined for hidden types (docs, chore, ...) and merges. */
export function sectionOf(c: ParsedCommit): SectionId | undefined {
  if (c.merge) return undefined;
  if (c.type === 'feat' || c.type === 'feature') return 'feat';
  if (c.type === 'fix') return 'fix';
  if (c.type === 'perf') return 'perf';
  if (c.type === 'revert' || (!c.type && c.revert)) return 'revert';
  if (HIDDEN_TYPES.includes(c.type ?? '')) return undefined;
  return 'other';
}

/** Entries of the notes: every releasable commit once in its section, breaking changes once more with their note. */
export function noteEntries(commits: readonly ParsedCommit[], linked: Pick<LinkedItems, 'items' | 'keysByCommit'>): NoteEntry[] {
  const items = linked.items;
  const byKey = new Map(items.map((i) => [i.key, i]));
  const viaPullRequest = new Map<string, LinkedItem[]>();
  for (const i of items) if (i.viaPullRequest !== undefined) for (const hash of i.commits) viaPullRequest.set(hash, [...(viaPullRequest.get(hash) ?? []), i]);
  const entries: NoteEntry[] = [];
  const none: readonly LinkedItem[] = [];
  for (let n = commits.length - 1; n >= 0; n--) {
    const c = commits[n]!;
    const keys = linked.keysByCommit.get(c.hash);
    const viaPrs = viaPullRequest.get(c.hash);
    let all = none;
    if (keys || viaPrs) {
      const named = (keys ?? []).map((k) => byKey.get(k)).filter((i): i is LinkedItem => i !== undefined);
      all = [...named, ...(viaPrs ?? []).filter((i) => !named.includes(i))];
    }
    if (c.breaking) for (const note of c.breakingNotes.length ? c.breakingNotes : [c.subject]) entries.push({ section: 'breaking', scope: c.scope, text: note, commit: c, items: all });
    const section = sectionOf(c);
    if (section) entries.push({ section, scope: c.scope, text: c.revert && !c.type ? c.header : c.subject, commit: c, items: all });
  }
  return entries;
}

/** What inline() changes: whitespace other than single inner spaces, and the characters it escapes. */
const NEEDS_INLINE = /[^\S ]| {2}|^\s|\s$|[\\`*_[\]<>]/;

/** Markdown-safe one line: no new lines, no raw HTML, brackets escaped so a subject cannot make links. */
export function inline(text: string): string {
  if (!NEEDS_INLINE.test(text)) return text;
  return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>]/g, (ch) => `\\${ch}`);
}

function itemText(i: LinkedItem): string {
  const title = i.item ? ` ${inline(i.item.title)}` : '';
  return i.item ? `[${i.label}](${i.item.url})${title}` : i.label;
}

/** Lines already made, per entry and links: the notes and the changelog section print the same entries. */
const madeLines = new WeakMap<NoteEntry, { links: RepositoryLinks | undefined; line: string }>();

export function entryLine(e: NoteEntry, links: RepositoryLinks | undefined): string {
  const made = madeLines.get(e);
  if (made && made.links === links) return made.line;
  const line = makeEntryLine(e, links);
  madeLines.set(e, { links, line });
  return line;
}

/** The entries of each section, in one pass, in the entries' order. */
export function bySection(entries: readonly NoteEntry[]): Map<SectionId, NoteEntry[]> {
  const out = new Map<SectionId, NoteEntry[]>();
  for (const e of entries) {
    const list = out.get(e.section);
    if (list) list.push(e);
    else out.set(e.section, [e]);
  }
  return out;
}

function makeEntryLine(e: NoteEntry, links: RepositoryLinks | undefined): string {
  const hash = links ? `[${e.commit.shortHash}](${links.commit(e.commit.hash)})` : e.commit.shortHash;
  const scope = e.scope ? `**${inline(e.scope)}:** ` : '';
  const items = e.items.length ? `; ${e.items.map(itemText).join(', ')}` : '';
  return `- ${scope}${inline(e.text)} (${hash}${items})`;
}

export interface NotesInput {
  readonly version: string;
  readonly previousTag: string | undefined;
  readonly tag: string;
  readonly date: string;
  readonly entries: readonly NoteEntry[];
  readonly links: RepositoryLinks | undefined;
  /** A model's plain-language summary: shown on top, marked as generated. */
  readonly summary?: { readonly text: string; readonly model: string };
}

/** The release notes (a GitHub release body, a wiki page): sections by type, each entry linked to its commit and items. */
export function renderNotes(input: NotesInput): string {
  const lines: string[] = [];
  const compare = input.links && input.previousTag ? ` ([compare](${input.links.compare(input.previousTag, input.tag)}))` : '';
  lines.push(`## ${input.version} (${input.date})${compare}`, '');
  if (input.summary) lines.push(`> **Summary (generated by ${inline(input.summary.model)}, a language model; check it against the list below):** ${inline(input.summary.text)}`, '');
  const sections = bySection(input.entries);
  for (const s of NOTE_SECTIONS) {
    const entries = sections.get(s.id);
    if (!entries) continue;
    lines.push(`### ${s.title}`, '');
    for (const e of entries) lines.push(entryLine(e, input.links));
    lines.push('');
  }
  if (!input.entries.length) lines.push('No user-visible changes.', '');
  return lines.join('\n');
}
