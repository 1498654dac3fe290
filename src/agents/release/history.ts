import semver from 'semver';
import { DevOpsError } from '../../core/errors';
import { type ConventionalCommits, conventionalCommits, type ParsedCommit, type RawCommit } from '../../core/release/conventionalCommits';
import { type GitReader } from '../runtime/context';

/** The last release and what happened since, as the conventional-changelog tools see it. */
export interface ReleaseHistory {
  /** The last release tag (`v1.2.0`, `web@1.2.0`), undefined before the first release. */
  readonly lastTag: string | undefined;
  /** Its version without the prefix, undefined before the first release. */
  readonly lastVersion: string | undefined;
  readonly head: string;
  /** Every commit since the tag, newest first, merges included (they name pull requests). */
  readonly commits: readonly ParsedCommit[];
  /** Those that count for the version: no merges, reverted pairs removed. */
  readonly releasable: readonly ParsedCommit[];
}

/**
 * The last release tag: the first tag met in `git log --date-order` from HEAD whose name is the
 * prefix followed by a semantic version, as conventional-recommended-bump finds it.
 */
export function lastReleaseTag(tags: readonly { readonly name: string }[], prefix: string): { tag: string; version: string } | undefined {
  for (const { name } of tags) {
    if (!name.startsWith(prefix)) continue;
    const version = semver.valid(name.slice(prefix.length));
    if (version) return { tag: name, version };
  }
  return undefined;
}

/** Whether a tag name is a release tag with this prefix: the prefix, then a semantic version. */
export function isReleaseTag(name: string, prefix: string): boolean {
  return name.startsWith(prefix) && semver.valid(name.slice(prefix.length)) !== null;
}

export interface HistoryOptions {
  readonly tagPrefix: string;
  /** A package's folder: only the commits touching it. */
  readonly path?: string;
  /** Called with each commit once parsed, while git still streams the rest: work done here is off the plan's tail. */
  readonly onParsed?: (commit: ParsedCommit) => void;
}

export async function readHistory(git: GitReader | undefined, options: HistoryOptions, signal: AbortSignal): Promise<ReleaseHistory> {
  if (!git) throw new DevOpsError('notConfigured', 'The release agent reads the git history, and this folder is not a git repository (or git is not installed). Run it inside a clone.');
  // The parser loads while git starts; commits are parsed as they stream in once it is there.
  let parser: ConventionalCommits | undefined;
  const cc = conventionalCommits().then((p) => (parser = p));
  const parsed: ParsedCommit[] = [];
  const queue: RawCommit[] = [];
  const onParsed = options.onParsed;
  const keep = (c: ParsedCommit): void => {
    parsed.push(c);
    onParsed?.(c);
  };
  const onCommit = (raw: RawCommit): void => {
    if (!parser) {
      queue.push(raw);
      return;
    }
    if (queue.length) for (const waiting of queue.splice(0)) keep(parser.parse(waiting));
    keep(parser.parse(raw));
  };
  let last: { tag: string; version: string } | undefined;
  let head: string;
  if (options.path) {
    // A package's commits are those touching its folder: git's path-limited walk, after the tag walk.
    const tags = await git.reachableTags(signal);
    last = lastReleaseTag(tags, options.tagPrefix);
    head = await git.headCommit(signal);
    for (const c of await git.commitsSince(last?.tag, { path: options.path }, signal)) onCommit(c);
  } else {
    const walk = await git.historySinceTag((name) => isReleaseTag(name, options.tagPrefix), signal, onCommit);
    if (!walk.head) throw new DevOpsError('refused', 'The repository has no commits yet, so there is nothing to release. Make a first commit, then try again.');
    head = walk.head;
    last = walk.tag ? { tag: walk.tag.name, version: semver.valid(walk.tag.name.slice(options.tagPrefix.length))! } : undefined;
  }
  const loaded = await cc;
  for (const waiting of queue.splice(0)) keep(loaded.parse(waiting));
  return { lastTag: last?.tag, lastVersion: last?.version, head, commits: parsed, releasable: loaded.releasable(parsed) };
}
