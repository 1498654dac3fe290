import type { CommitParser, ParserOptions } from 'conventional-commits-parser';

/**
 * Conventional commits as the conventional-changelog tools read them: the same parser
 * (conventional-commits-parser) with the `conventionalcommits` preset's options, merges left out
 * of the bump as the preset does, and a commit reverted inside the range dropped together with its
 * revert (conventional-commits-filter), so the recommended version agrees with
 * conventional-recommended-bump on the same history.
 */

/** The `conventionalcommits` preset's parser options (conventional-changelog-conventionalcommits, parser.js). */
export const PARSER_OPTIONS: ParserOptions = {
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: ['#'],
};

/**
 * A commit as git gives it (WorkspaceGit.historySinceTag, commitsSince): only what a release reads.
 * No author or date: nothing in a release uses them, and the walk of a long history is quicker
 * without git formatting them and us keeping them.
 */
export interface RawCommit {
  readonly hash: string;
  readonly parents: readonly string[];
  readonly message: string;
}

export interface ParsedCommit {
  readonly hash: string;
  readonly shortHash: string;
  readonly message: string;
  /** The first line. */
  readonly header: string;
  /** `feat`, `fix`, ...; undefined when the header is not a conventional one. */
  readonly type: string | undefined;
  readonly scope: string | undefined;
  /** The header after `type(scope): `, or the whole header when it is not conventional. */
  readonly subject: string;
  /** A `!` in the header or a BREAKING CHANGE footer. */
  readonly breaking: boolean;
  /** The BREAKING CHANGE notes' text. */
  readonly breakingNotes: readonly string[];
  /** What a revert commit reverts (`This reverts commit <hash>.`). */
  readonly revert: { readonly header: string | undefined; readonly hash: string | undefined } | undefined;
  /** A merge commit (two or more parents): never counted for the bump, read for pull request numbers. */
  readonly merge: boolean;
  /** The parents' hashes (a merged pull request's own commits are reached from the second). */
  readonly parents: readonly string[];
}

/** Shared by the commits without a BREAKING CHANGE note (nearly all of them). */
const NO_NOTES: readonly string[] = Object.freeze([]);

const orUndefined = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v === '' ? undefined : v);

/** The parser and the reverted-commits filter, both ESM-only packages: loaded once (esbuild bundles them). */
export interface ConventionalCommits {
  parse(raw: RawCommit): ParsedCommit;
  /**
   * The commits that count for a release, newest first: merges left out, and a commit reverted
   * within the range dropped with its revert (a revert of something released earlier stays: it is a
   * change users see).
   */
  releasable(commits: readonly ParsedCommit[]): ParsedCommit[];
}

let loaded: Promise<ConventionalCommits> | undefined;

export function conventionalCommits(): Promise<ConventionalCommits> {
  loaded ??= (async () => {
    const [{ CommitParser: Parser }, { filterRevertedCommitsSync }] = await Promise.all([import('conventional-commits-parser'), import('conventional-commits-filter')]);
    const parser = new Parser(PARSER_OPTIONS);
    return {
      parse: (raw) => parseWith(parser, raw),
      releasable: (commits) => {
        const plain = commits.filter((c) => !c.merge);
        // Without a revert the filter holds nothing back and passes every commit on in order (its
        // RevertedCommitsFilter.process); a long release then skips its generator per commit.
        if (!plain.some((c) => c.revert)) return plain;
        const candidates = plain.map((c) => ({ commit: c, header: c.header, hash: c.hash, revert: c.revert ? { header: c.revert.header ?? null, hash: c.revert.hash ?? null } : null }));
        return [...filterRevertedCommitsSync(candidates)].map((x) => x.commit);
      },
    };
  })();
  return loaded;
}

/**
 * What sends a message to the full parser. Without any of these, the parser's answer for the fields
 * we read (header, type, scope, subject, notes, revert) comes from the first line alone: the body
 * can only add a note (a BREAKING CHANGE keyword line, matched case-insensitively anywhere in a
 * line), a revert (`Revert …`/`revert: …` at the start, case-insensitive), a field (a line
 * `-name-` sets that property, even `type`), or drop lines (`gpg:` lines). This test is a
 * superset of those triggers (a word anywhere, any `-…-` line), so it errs only towards the parser;
 * test/unit/core/release/fastParse.test.ts holds both to the same answer over the fixture
 * histories and a seeded random history.
 */
const NEEDS_PARSER = /BREAKING[ -]CHANGE|revert|gpg:|^-.*-$/im;

/** conventional-commits-parser's trimNewLines: no line breaks at either end. */
function trimNewLines(input: string): string {
  const first = input.search(/[^\r\n]/);
  if (first < 0) return '';
  let last = input.length - 1;
  while (input[last] === '\r' || input[last] === '\n') last--;
  return input.substring(first, last + 1);
}

/** The parser's first line: after trimNewLines, up to the first `\n` (a `\r` before it dropped, as `split(/\r?\n/)` does). */
function firstLine(message: string): string {
  const text = trimNewLines(message);
  const nl = text.indexOf('\n');
  if (nl < 0) return text;
  return text.slice(0, text[nl - 1] === '\r' ? nl - 1 : nl);
}

/**
 * The header alone, as the parser reads it: the breaking pattern first, then the plain one; a `!`
 * header is a BREAKING CHANGE note whose text is the subject. Undefined when the message needs the
 * full parser (see NEEDS_PARSER).
 */
export function parseHeaderOnly(raw: RawCommit): ParsedCommit | undefined {
  if (NEEDS_PARSER.test(raw.message)) return undefined;
  const header = firstLine(raw.message);
  if (!header.trim()) return undefined;
  // The breaking pattern needs a literal `!: `; most headers have none, so most need one match, not two.
  const breaking = header.includes('!: ') ? PARSER_OPTIONS.breakingHeaderPattern!.exec(header) : null;
  const m = breaking ?? PARSER_OPTIONS.headerPattern!.exec(header);
  const type = orUndefined(m?.[1]);
  const note = breaking ? trimNewLines(breaking[3] ?? '') : undefined;
  return {
    hash: raw.hash,
    shortHash: raw.hash.slice(0, 7),
    message: raw.message,
    header,
    type,
    scope: orUndefined(m?.[2]),
    subject: (type ? orUndefined(m?.[3]) : undefined) ?? header,
    breaking: breaking !== null,
    breakingNotes: note !== undefined ? [note.trim()] : NO_NOTES,
    revert: undefined,
    merge: raw.parents.length > 1,
    parents: raw.parents,
  };
}

/** The full parser's reading. A message with no text at all (git allows one) is a commit without a type whose header is empty. */
export function parseFully(parser: CommitParser, raw: RawCommit): ParsedCommit {
  const empty = !raw.message.trim();
  const c = empty ? undefined : parser.parse(raw.message);
  const header = orUndefined(c?.header) ?? firstLine(raw.message);
  const type = orUndefined(c?.['type']);
  const notes = c?.notes ?? [];
  return {
    hash: raw.hash,
    shortHash: raw.hash.slice(0, 7),
    message: raw.message,
    header,
    type,
    scope: orUndefined(c?.['scope']),
    subject: (type ? orUndefined(c?.['subject']) : undefined) ?? header,
    breaking: notes.length > 0,
    breakingNotes: notes.filter((n) => /^BREAKING[ -]CHANGE$/i.test(n.title)).map((n) => n.text.trim()),
    revert: c?.revert ? { header: orUndefined(c.revert['header']), hash: orUndefined(c.revert['hash']) } : undefined,
    merge: raw.parents.length > 1,
    parents: raw.parents,
  };
}

function parseWith(parser: CommitParser, raw: RawCommit): ParsedCommit {
  return parseHeaderOnly(raw) ?? parseFully(parser, raw);
}
