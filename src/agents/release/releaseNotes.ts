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
  /** Its Markdown line (`- **scope:** text (hash; items)`), made once: the notes and the changelog both print it. */
  readonly line: string;
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

/** Entries of the notes: every releasable commit once in its section, breaking changes once more with their note; commits linked where the remote is known. */
export function noteEntries(commits: readonly ParsedCommit[], linked: Pick<LinkedItems, 'items' | 'keysByCommit'>, links: RepositoryLinks | undefined): NoteEntry[] {
  const items = linked.items;
  const byKey = new Map(items.map((i) => [i.key, i]));
  const viaPullRequest = new Map<string, LinkedItem[]>();
  for (const i of items) if (i.viaPullRequest !== undefined) for (const hash of i.commits) viaPullRequest.set(hash, [...(viaPullRequest.get(hash) ?? []), i]);
  const entries: NoteEntry[] = [];
  const none: readonly LinkedItem[] = [];
  for (let n = commits.length - 1; n >= 0; n--) {
    const c = commits[n]!;
    const section = sectionOf(c);
    if (!c.breaking && !section) continue;
    const keys = linked.keysByCommit.get(c.hash);
    const viaPrs = viaPullRequest.get(c.hash);
    let all = none;
    if (keys || viaPrs) {
      const named = (keys ?? []).map((k) => byKey.get(k)).filter((i): i is LinkedItem => i !== undefined);
      all = [...named, ...(viaPrs ?? []).filter((i) => !named.includes(i))];
    }
    // The commit's link and its items are the same in each of its entries: made once.
    const tail = `(${links ? `[${c.shortHash}](${links.commit(c.hash)})` : c.shortHash}${all.length ? `; ${all.map(itemText).join(', ')}` : ''})`;
    const scope = c.scope ? `**${inline(c.scope)}:** ` : '';
    if (c.breaking) {
      for (const note of c.breakingNotes.length ? c.breakingNotes : [c.subject]) entries.push({ section: 'breaking', scope: c.scope, text: note, commit: c, items: all, line: `- ${scope}${inline(note)} ${tail}` });
    }
    if (section) {
      const text = c.revert && !c.type ? c.header : c.subject;
      entries.push({ section, scope: c.scope, text, commit: c, items: all, line: `- ${scope}${inline(text)} ${tail}` });
    }
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
    for (const e of entries) lines.push(e.line);
    lines.push('');
  }
  if (!input.entries.length) lines.push('No user-visible changes.', '');
  return lines.join('\n');
}
