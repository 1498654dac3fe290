import { spawn } from 'node:child_process';
import { DevOpsError } from '../../core/errors';
import { childEnvironment } from '../process/processRunner';
import { type ReachableTag } from './workspaceGit';

/** A commit of the walk: what a release reads (no author or date: nothing uses them, and git formats them for nothing). */
export interface WalkCommit {
  readonly hash: string;
  readonly parents: readonly string[];
  /** The full raw message (`%B`). */
  readonly message: string;
}

/**
 * The history a release is planned from, in one `git log` instead of two: the walk the
 * conventional-changelog tools use to find the last release tag (`git log --date-order` from HEAD,
 * each commit's tags) also prints every commit's parents and message, and the commits in
 * `tag..HEAD` are picked out of it as it streams. Once the tag has been met and no commit still to
 * come can be in the range, git is stopped: the history before the tag is never printed.
 *
 * Why this picks out exactly `tag..HEAD`: `--date-order` never shows a commit before all of its
 * children. So when a commit is reached, every child has been seen, and it is an ancestor of the
 * tag (outside the range) exactly when the tag or one of the tag's ancestors seen so far is its
 * child: the walk marks the tag's parents, and the parents of every marked commit, as it goes.
 * Every other commit is in the range. A commit in the range is always a parent of another one in
 * the range (or HEAD), so once the tag is seen and no parent of a range commit is still unseen,
 * nothing later can be in the range.
 */
export class SinceTagWalk {
  private readonly ancestorsOfTag = new Set<string>();
  /** Parents of picked commits, outside the tag's history when added; `unseen` counts those not met yet. */
  private readonly awaited = new Set<string>();
  private unseen = 0;
  private found: ReachableTag | undefined;
  private first: string | undefined;
  private readonly picked: WalkCommit[] = [];
  private readonly tagsSeen: ReachableTag[] = [];

  constructor(
    private readonly isReleaseTag: (name: string) => boolean,
    private readonly onPicked?: (commit: WalkCommit) => void,
  ) {}

  /** Takes the walk's next commit; false once nothing later can be in the range. */
  add(commit: WalkCommit, tags: readonly string[]): boolean {
    this.first ??= commit.hash;
    for (const name of tags) this.tagsSeen.push({ name, commit: commit.hash });
    // Counted rather than deleted: git prints each commit once, and never a parent before its
    // children, so an awaited commit is met once, after it was added (a Set shrinking and growing
    // by one on every commit reallocates its table over and over).
    if (this.awaited.has(commit.hash)) this.unseen--;
    if (this.ancestorsOfTag.has(commit.hash)) {
      for (const p of commit.parents) this.ancestorsOfTag.add(p);
    } else if (!this.found && tags.some((t) => this.isReleaseTag(t))) {
      this.found = { name: tags.find((t) => this.isReleaseTag(t))!, commit: commit.hash };
      for (const p of commit.parents) this.ancestorsOfTag.add(p);
    } else {
      // Handed over, or kept: not both (a release's 10,000 commits kept twice made every
      // collection during the walk copy them twice).
      if (this.onPicked) this.onPicked(commit);
      else this.picked.push(commit);
      for (const p of commit.parents) {
        if (this.ancestorsOfTag.has(p) || this.awaited.has(p)) continue;
        this.awaited.add(p);
        this.unseen++;
      }
    }
    return !(this.found && this.unseen === 0);
  }

  /**
   * HEAD (the walk's first commit), the tag (undefined before the first release), the commits since
   * it newest first (none kept when they were handed to `onPicked`), and the tags met on the way.
   */
  result(): { head: string | undefined; tag: ReachableTag | undefined; commits: WalkCommit[]; tags: ReachableTag[] } {
    return { head: this.first, tag: this.found, commits: this.picked, tags: this.tagsSeen };
  }
}

/** The format of one record: hash, parents, tag decorations, raw message. */
const FORMAT = '--format=%H%x1f%P%x1f%D%x1f%B%x1e';

/** One record of FORMAT; undefined for anything that is not one (a stray line). */
export function parseWalkRecord(record: string): { commit: WalkCommit; tags: readonly string[] } | undefined {
  // Three field separators found by position (no split of the whole record, no array of positions:
  // this runs once per commit): the message, last, may hold any text.
  const start = record.charCodeAt(0) === 10 ? 1 : 0;
  const e0 = record.indexOf('\x1f', start);
  if (e0 < 0) return undefined;
  const e1 = record.indexOf('\x1f', e0 + 1);
  if (e1 < 0) return undefined;
  const e2 = record.indexOf('\x1f', e1 + 1);
  if (e2 < 0) return undefined;
  const hash = record.slice(start, e0);
  if ((hash.length !== 40 && hash.length !== 64) || !HASH.test(hash)) return undefined;
  let tags: readonly string[] = NO_TAGS;
  if (e2 > e1 + 1) {
    const found: string[] = [];
    for (const ref of record.slice(e1 + 1, e2).split(', ')) if (ref.startsWith('tag: ')) found.push(ref.slice(5));
    if (found.length) tags = found;
  }
  let messageEnd = record.length;
  while (messageEnd > e2 + 1 && record.charCodeAt(messageEnd - 1) === 10) messageEnd--;
  return {
    commit: { hash, parents: e1 > e0 + 1 ? record.slice(e0 + 1, e1).split(' ') : NO_PARENTS, message: record.slice(e2 + 1, messageEnd) },
    tags,
  };
}

/** Shared by every record without tags or parents (most have no tag; only a root commit has no parent). */
const NO_TAGS: readonly string[] = Object.freeze([]);
const NO_PARENTS: readonly string[] = Object.freeze([]);
const HASH = /^[0-9a-f]+$/;

export interface WalkOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /**
   * Called with each commit of the range as soon as it streams in (a commit once picked is never
   * dropped), so the caller's work on it overlaps git's output instead of waiting for the end.
   * The caller keeps them: the result's `commits` is then empty.
   */
  readonly onCommit?: (commit: WalkCommit) => void;
}

/**
 * Runs the walk: `git log --date-order` from HEAD with tags decorated, messages re-encoded to
 * UTF-8 and signatures never shown (a `log.showSignature` setting would put gpg lines into the
 * messages). A repository without commits has no history (an empty walk). Errors are git's text,
 * for the caller to translate.
 */
export function walkSinceTag(isReleaseTag: (name: string) => boolean, options: WalkOptions): Promise<ReturnType<SinceTagWalk['result']>> {
  const walk = new SinceTagWalk(isReleaseTag, options.onCommit);
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DevOpsError('cancelled', 'Cancelled.'));
      return;
    }
    const child = spawn('git', ['log', '--no-color', '--no-show-signature', '--encoding=UTF-8', '--date-order', '--decorate-refs=refs/tags/', FORMAT, 'HEAD'], {
      cwd: options.cwd,
      env: childEnvironment(process.env, { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let buffered = '';
    let stderr = '';
    let stopped = false;
    let settled = false;
    const finish = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(walk.result());
    };
    const stop = (): void => {
      stopped = true;
      child.stdout.removeAllListeners('data');
      child.kill('SIGTERM');
    };
    const onAbort = (): void => {
      stop();
      finish(new DevOpsError('cancelled', 'Cancelled.'));
    };
    const timer = setTimeout(() => {
      stop();
      finish(new Error(`block timeout: git log took longer than ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < 8192) stderr += d;
    });
    /** One record to the walk; false once the walk is done (git stopped) or failed. */
    const take = (record: string): boolean => {
      const parsed = parseWalkRecord(record);
      if (parsed && !walk.add(parsed.commit, parsed.tags)) {
        stop();
        finish(undefined);
        return false;
      }
      return true;
    };
    child.stdout.on('data', (chunk: string) => {
      // Records are sliced from the chunk itself; only a record split across two chunks is joined.
      // (Appending every chunk to the leftover copied git's whole output once more, all garbage.)
      let start = 0;
      let end = chunk.indexOf('\x1e');
      try {
        if (buffered) {
          if (end < 0) {
            buffered += chunk;
            return;
          }
          const record = buffered + chunk.slice(0, end);
          buffered = '';
          start = end + 1;
          if (!take(record)) return;
          end = chunk.indexOf('\x1e', start);
        }
        while (end >= 0) {
          if (!take(chunk.slice(start, end))) return;
          start = end + 1;
          end = chunk.indexOf('\x1e', start);
        }
      } catch (error) {
        // The caller's onCommit failed: stop git and hand its error back.
        stop();
        finish(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      buffered = chunk.slice(start);
    });
    child.on('error', (error) => finish(error));
    child.on('close', (code) => {
      if (stopped) return;
      if (code === 0) finish(undefined);
      else if (/ambiguous argument 'HEAD'|does not have any commits yet|bad default revision/i.test(stderr)) finish(undefined);
      else finish(new Error(stderr.trim() || `git log exited with ${code}`));
    });
  });
}
