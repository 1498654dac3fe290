import { NOTE_SECTIONS, type NoteEntry } from './releaseNotes';

const HEADER = [
  '# Changelog',
  '',
  'All notable changes to this project are documented in this file.',
  '',
  'The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),',
  'and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).',
  '',
].join('\n');

const KEEP_A_CHANGELOG_ORDER = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'] as const;

/** The new version's section in Keep a Changelog's words: Added (features), Changed (breaking, perf, other), Removed (reverts), Fixed. */
export function changelogSection(version: string, date: string, entries: readonly NoteEntry[]): string {
  const lines = [`## [${version}] - ${date}`, ''];
  // Each heading's entries in one pass, in the entries' order.
  const headingOf = new Map<string, string>(NOTE_SECTIONS.map((s) => [s.id, s.keepAChangelog]));
  const byHeading = new Map<string, NoteEntry[]>();
  for (const e of entries) {
    const heading = headingOf.get(e.section)!;
    const list = byHeading.get(heading);
    if (list) list.push(e);
    else byHeading.set(heading, [e]);
  }
  for (const heading of KEEP_A_CHANGELOG_ORDER) {
    const mine = byHeading.get(heading);
    if (!mine) continue;
    lines.push(`### ${heading}`, '');
    for (const e of mine) lines.push(e.section === 'breaking' ? `- **Breaking:** ${e.line.slice(2)}` : e.line);
    lines.push('');
  }
  if (lines.length === 2) lines.push('No user-visible changes.', '');
  return lines.join('\n');
}

/**
 * CHANGELOG.md with the new section put in, nothing else touched: after the `## [Unreleased]`
 * section when there is one, else before the first version section, else after the preamble; a
 * new file gets Keep a Changelog's header. Line endings follow the file's.
 */
export function insertSection(existing: string | undefined, section: string): string {
  if (existing === undefined) return `${HEADER}\n${section}`;
  const eol = existing.includes('\r\n') ? '\r\n' : '\n';
  const block = section.split('\n').join(eol);
  const lines = existing.split(/\r?\n/);
  const isH2 = (l: string): boolean => /^##\s/.test(l);
  const unreleased = lines.findIndex((l) => /^##\s+\[?unreleased\]?/i.test(l));
  const at = unreleased >= 0 ? lines.findIndex((l, i) => i > unreleased && isH2(l)) : lines.findIndex(isH2);
  if (at < 0) {
    // No version yet: append, keeping whatever ends the file.
    const trailing = existing.endsWith('\n') ? '' : eol;
    return `${existing}${trailing}${existing.trim() ? eol : ''}${block}`;
  }
  // Offset of line `at` in the original text.
  let offset = 0;
  const parts = existing.split(/(\r?\n)/);
  for (let i = 0, line = 0; line < at && i < parts.length; i += 2, line++) offset += parts[i]!.length + (parts[i + 1]?.length ?? 0);
  return existing.slice(0, offset) + block + (block.endsWith(eol + eol) ? '' : eol) + existing.slice(offset);
}
