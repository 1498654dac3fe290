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

/** A commit as git gives it (WorkspaceGit.commitsSince). */
export interface RawCommit {
  readonly hash: string;
  readonly parents: readonly string[];
  readonly author: string;
  readonly date: string;
  readonly message: string;
}

export interface ParsedCommit {
  readonly hash: string;
  readonly shortHash: string;
  readonly author: string;
  readonly date: string;
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
}

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
        const candidates = commits.filter((c) => !c.merge).map((c) => ({ commit: c, header: c.header, hash: c.hash, revert: c.revert ? { header: c.revert.header ?? null, hash: c.revert.hash ?? null } : null }));
        return [...filterRevertedCommitsSync(candidates)].map((x) => x.commit);
      },
    };
  })();
  return loaded;
}

/**
 * Only a BREAKING CHANGE note and a revert come from below the header (references are read apart,
 * from the whole message): a message with neither is parsed by its first line alone, which gives
 * the same type, scope, subject and `!` note at a fraction of the cost on long histories.
 */
const NEEDS_BODY = /BREAKING[ -]CHANGE|revert/i;

function parseWith(parser: CommitParser, raw: RawCommit): ParsedCommit {
  const c = parser.parse(NEEDS_BODY.test(raw.message) ? raw.message : (raw.message.split('\n', 1)[0] ?? ''));
  const header = orUndefined(c.header) ?? raw.message.split('\n', 1)[0] ?? '';
  const type = orUndefined(c['type']);
  const breakingNotes = c.notes.filter((n) => /^BREAKING[ -]CHANGE$/i.test(n.title)).map((n) => n.text.trim());
  return {
    hash: raw.hash,
    shortHash: raw.hash.slice(0, 7),
    author: raw.author,
    date: raw.date,
    message: raw.message,
    header,
    type,
    scope: orUndefined(c['scope']),
    subject: (type ? orUndefined(c['subject']) : undefined) ?? header,
    breaking: c.notes.length > 0,
    breakingNotes,
    revert: c.revert ? { header: orUndefined(c.revert['header']), hash: orUndefined(c.revert['hash']) } : undefined,
    merge: raw.parents.length > 1,
  };
}
