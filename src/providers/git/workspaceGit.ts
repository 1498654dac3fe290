import { existsSync } from 'node:fs';
import { simpleGit, type SimpleGit } from 'simple-git';
import { DevOpsError, isDevOpsError, throwIfAborted } from '../../core/errors';
import { redactText } from '../../core/redact';
import { readRepositoryRefs } from './repositoryFiles';
import { type WalkCommit, walkSinceTag } from './sinceTagWalk';

/**
 * The workspace's git repository, through simple-git (the `git` binary on PATH). Used by "start
 * work" (a branch from the default branch), the commit-message helpers and the agents (diff, recent
 * commits). Every failure is a DevOpsError saying what to do: no git installed, not a repository,
 * a repository without commits, a dirty tree that the checkout would overwrite, a merge in progress.
 */

export interface GitStatusSummary {
  /** The checked-out branch; undefined when HEAD is detached. */
  readonly branch: string | undefined;
  /** `origin/main` when the branch tracks one. */
  readonly tracking: string | undefined;
  readonly ahead: number;
  readonly behind: number;
  readonly staged: readonly string[];
  /** Changed in the working tree but not staged (modified or deleted). */
  readonly modified: readonly string[];
  readonly untracked: readonly string[];
  /** Files with unresolved merge conflicts. */
  readonly conflicted: readonly string[];
  /** A merge, rebase, cherry-pick or revert is in progress. */
  readonly operation: 'merge' | 'rebase' | 'cherry-pick' | 'revert' | undefined;
  readonly clean: boolean;
  /** The repository has no commit yet (HEAD is unborn). */
  readonly unborn: boolean;
}

export interface CommitSummary {
  readonly hash: string;
  readonly shortHash: string;
  readonly subject: string;
  readonly author: string;
  /** ISO 8601. */
  readonly date: string;
}

/** A commit with everything a release needs: parents (a merge has two or more) and the raw message. */
export interface LogCommit {
  readonly hash: string;
  readonly parents: readonly string[];
  readonly author: string;
  /** Author date, ISO 8601. */
  readonly date: string;
  /** The full raw message (`%B`): subject, body and trailers. */
  readonly message: string;
}

/** A tag reachable from HEAD, newest first in `git log --date-order`, as the conventional-changelog tools read them. */
export interface ReachableTag {
  readonly name: string;
  /** The commit the tag points at. */
  readonly commit: string;
}

export interface DiffResult {
  /** What was diffed: the index (staged changes) when anything is staged, else the working tree. */
  readonly source: 'staged' | 'workingTree';
  readonly text: string;
  /** The diff was longer than the cap and was cut at a line end. */
  readonly truncated: boolean;
  /** Size of the whole diff in bytes (UTF-8), before the cut. */
  readonly totalBytes: number;
  readonly files: readonly string[];
}

export interface CreateBranchResult {
  readonly branch: string;
  /** The ref the branch was made from (`main` or `origin/main`); the requested base when it existed already. */
  readonly from: string;
  /** False when the branch existed already and was only checked out. */
  readonly created: boolean;
}

export interface WorkspaceGitOptions {
  /**
   * Whether the folder is trusted, asked before every git process. Required, so no caller forgets:
   * git runs programs named in the repository's own `.git/config` (core.fsmonitor, hooks, diff
   * drivers), so in Restricted Mode no git process may start at all.
   */
  readonly trusted: () => boolean;
  /** Longest diff returned, in bytes. Default 200 kB: about what a model prompt can take. */
  readonly maxDiffBytes?: number;
  /** A git command taking longer than this (with no output) is stopped. Default 30 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_MAX_DIFF_BYTES = 200_000;

export const RESTRICTED_MODE =
  'This folder is open in Restricted Mode, so AI DevOps runs no program in it, git included: a folder can carry git settings (core.fsmonitor, hooks) that run commands. ' +
  'If you trust its authors, choose "Manage Workspace Trust" and trust the folder, then try again.';

export class WorkspaceGit {
  private readonly maxDiffBytes: number;
  private readonly timeoutMs: number;
  private readonly trusted: () => boolean;

  constructor(
    readonly root: string,
    options: WorkspaceGitOptions,
  ) {
    this.maxDiffBytes = options.maxDiffBytes ?? DEFAULT_MAX_DIFF_BYTES;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.trusted = options.trusted;
  }

  /** A fresh client per call so each call can carry its own abort signal; none at all in an untrusted folder. */
  private git(signal?: AbortSignal): SimpleGit {
    if (!this.trusted()) throw new DevOpsError('refused', RESTRICTED_MODE);
    if (!existsSync(this.root)) throw new DevOpsError('notFound', `The folder ${this.root} does not exist; open an existing workspace folder.`);
    return simpleGit({
      baseDir: this.root,
      maxConcurrentProcesses: 4,
      timeout: { block: this.timeoutMs },
      ...(signal ? { abort: signal } : {}),
    });
  }

  private async run<T>(what: string, signal: AbortSignal | undefined, fn: (git: SimpleGit) => Promise<T>): Promise<T> {
    throwIfAborted(signal);
    try {
      return await fn(this.git(signal));
    } catch (error) {
      throw this.translate(what, error, signal);
    }
  }

  private translate(what: string, error: unknown, signal: AbortSignal | undefined): DevOpsError {
    if (isDevOpsError(error)) return error;
    if (signal?.aborted) return new DevOpsError('cancelled', 'Cancelled.');
    const raw = error instanceof Error ? error.message : String(error);
    const text = redactText(raw).trim();
    if (/ENOENT|spawn git|not found: git|command not found/i.test(text) && !/pathspec|did not match/i.test(text)) {
      return new DevOpsError('notConfigured', 'Git is not installed or not on PATH. Install git (https://git-scm.com) and reload the window.', { cause: error });
    }
    if (/not a git repository/i.test(text)) return this.notARepository(error);
    if (/block timeout|timed out/i.test(text)) {
      return new DevOpsError('timeout', `git took longer than ${Math.round(this.timeoutMs / 1000)} s to ${what}; try again, or check the repository (a lock file from a crashed git, a slow network drive).`, { cause: error });
    }
    if (/index\.lock/i.test(text)) {
      return new DevOpsError('refused', `Another git process is using the repository (.git/index.lock exists) so git could not ${what}. Wait for it to finish, or delete the lock file if no git is running.`, { cause: error });
    }
    const firstLines = text.split('\n').filter((l) => l.trim().length > 0).slice(0, 4).join(' ');
    return new DevOpsError('refused', `git could not ${what}: ${firstLines}`, { cause: error });
  }

  private notARepository(cause?: unknown): DevOpsError {
    return new DevOpsError('notConfigured', `${this.root} is not in a git repository. Run "git init" there (or Source Control > Initialize Repository), or open a folder inside a clone.`, cause === undefined ? {} : { cause });
  }

  private noCommits(what: string): DevOpsError {
    return new DevOpsError('refused', `The repository at ${this.root} has no commits yet, so git cannot ${what}. Make a first commit, then try again.`);
  }

  async isRepository(signal?: AbortSignal): Promise<boolean> {
    throwIfAborted(signal);
    if (!existsSync(this.root)) return false;
    try {
      return await this.git(signal).checkIsRepo();
    } catch (error) {
      const e = this.translate('check for a repository', error, signal);
      if (e.code === 'notConfigured' && /not in a git repository/.test(e.message)) return false;
      throw e;
    }
  }

  private async requireRepository(signal?: AbortSignal): Promise<void> {
    if (!(await this.isRepository(signal))) throw this.notARepository();
  }

  private hasCommits(git: SimpleGit): Promise<boolean> {
    return this.refExists(git, 'HEAD');
  }

  private async refExists(git: SimpleGit, ref: string): Promise<boolean> {
    // `--quiet` fails with an empty stderr, which simple-git resolves as success: judge by the output.
    try {
      return (await git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim().length > 0;
    } catch {
      return false;
    }
  }

  /** The checked-out branch (also on a repository with no commits); undefined when HEAD is detached. */
  async currentBranch(signal?: AbortSignal): Promise<string | undefined> {
    await this.requireRepository(signal);
    return this.run('read the current branch', signal, async (git) => {
      try {
        const name = (await git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
        return name.length > 0 ? name : undefined;
      } catch {
        // symbolic-ref fails only on a detached HEAD.
        return undefined;
      }
    });
  }

  /**
   * The branch new work starts from: what origin/HEAD points at, else a local or remote `main`,
   * else `master`. Returned as a short name (`main`); createBranch works out whether to start from
   * the local branch or `origin/main`.
   */
  async defaultBranch(signal?: AbortSignal): Promise<string> {
    await this.requireRepository(signal);
    return this.run('find the default branch', signal, async (git) => {
      if (!(await this.hasCommits(git))) throw this.noCommits('find the default branch');
      try {
        const head = (await git.raw(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).trim();
        if (head.startsWith('origin/') && (await this.refExists(git, head))) return head.slice('origin/'.length);
      } catch {
        // No origin/HEAD (no remote, or a clone made without it): fall back to the usual names.
      }
      for (const name of ['main', 'master']) {
        if ((await this.refExists(git, `refs/heads/${name}`)) || (await this.refExists(git, `refs/remotes/origin/${name}`))) return name;
      }
      throw new DevOpsError(
        'notFound',
        `Could not tell the default branch of ${this.root}: origin/HEAD is not set and there is no main or master branch. Set it with "git remote set-head origin --auto", or create main.`,
      );
    });
  }

  async status(signal?: AbortSignal): Promise<GitStatusSummary> {
    await this.requireRepository(signal);
    return this.run('read the status', signal, async (git) => {
      const s = await git.status();
      const unborn = !(await this.hasCommits(git));
      const operation = await this.operationInProgress(git);
      const staged = unique([...s.staged, ...s.created, ...s.renamed.map((r) => r.to)]);
      const modified = unique(s.files.filter((f) => f.working_dir === 'M' || f.working_dir === 'D').map((f) => f.path));
      return {
        branch: s.detached ? undefined : (s.current ?? undefined),
        tracking: s.tracking ?? undefined,
        ahead: s.ahead,
        behind: s.behind,
        staged,
        modified,
        untracked: s.not_added,
        conflicted: s.conflicted,
        operation,
        clean: s.isClean(),
        unborn,
      };
    });
  }

  private async operationInProgress(git: SimpleGit): Promise<GitStatusSummary['operation']> {
    const gitDir = (await git.raw(['rev-parse', '--absolute-git-dir'])).trim();
    const checks: readonly [NonNullable<GitStatusSummary['operation']>, readonly string[]][] = [
      ['rebase', ['rebase-merge', 'rebase-apply']],
      ['merge', ['MERGE_HEAD']],
      ['cherry-pick', ['CHERRY_PICK_HEAD']],
      ['revert', ['REVERT_HEAD']],
    ];
    for (const [op, files] of checks) if (files.some((f) => existsSync(`${gitDir}/${f}`))) return op;
    return undefined;
  }

  /**
   * Creates `name` from `from` (a short branch name like `main`: the local branch when it exists,
   * else `origin/<from>`) and checks it out; an existing `name` is checked out instead. Uncommitted
   * changes come along when git can carry them; when the checkout would overwrite them, or a merge
   * or rebase is in progress, nothing is changed and the error says what to do.
   */
  async createBranch(name: string, from: string, signal?: AbortSignal): Promise<CreateBranchResult> {
    await this.requireRepository(signal);
    return this.run(`create the branch ${name}`, signal, async (git) => {
      if (!(await this.hasCommits(git))) throw this.noCommits(`create the branch ${name}`);
      await this.checkRefName(git, name);
      const status = await this.status(signal);
      if (status.operation) {
        throw new DevOpsError('refused', `A ${status.operation} is in progress in ${this.root}. Finish it or abort it (git ${status.operation} --abort), then start work again.`);
      }
      if (status.conflicted.length > 0) {
        throw new DevOpsError('refused', `${status.conflicted.length} file(s) have unresolved conflicts (${preview(status.conflicted)}). Resolve and commit them, then start work again.`);
      }
      if (status.branch === name) return { branch: name, from, created: false };
      const exists = await this.refExists(git, `refs/heads/${name}`);
      const start = exists ? undefined : await this.resolveStart(git, from);
      try {
        await git.raw(exists ? ['switch', name] : ['switch', '--create', name, start!]);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        if (/would be overwritten|overwritten by checkout|Please commit your changes or stash them/i.test(text)) {
          const files = overwrittenFiles(text);
          throw new DevOpsError(
            'refused',
            `Your uncommitted changes${files.length ? ` to ${preview(files)}` : ''} would be overwritten by switching to ${name}. Commit or stash them (Source Control > Stash), then start work again.`,
            { cause: error },
          );
        }
        throw error;
      }
      return { branch: name, from: start ?? from, created: !exists };
    });
  }

  private async checkRefName(git: SimpleGit, name: string): Promise<void> {
    try {
      await git.raw(['check-ref-format', '--branch', name]);
    } catch {
      throw new DevOpsError('invalidInput', `"${name}" is not a valid branch name (no spaces, "..", "~^:?*[\\", and no leading "-" or trailing "." or ".lock").`);
    }
  }

  private async resolveStart(git: SimpleGit, from: string): Promise<string> {
    const short = from.replace(/^refs\/heads\//, '');
    if (await this.refExists(git, `refs/heads/${short}`)) return short;
    const remote = short.startsWith('origin/') ? short : `origin/${short}`;
    if (await this.refExists(git, `refs/remotes/${remote}`)) return remote;
    throw new DevOpsError('notFound', `The branch ${short} does not exist here or on origin. Fetch (git fetch origin) or pick another base branch.`);
  }

  /**
   * Pushes refs (`task-12-dev`, `refs/tags/v1.2.0`) to a remote with git's own credentials (its
   * credential helper, SSH agent): the extension never hands git a token. A rejection says why.
   * `atomic`: every ref or none (a release's branch and tag go together).
   */
  async push(remote: string, refs: readonly string[], options: { readonly setUpstream?: boolean; readonly atomic?: boolean } = {}, signal?: AbortSignal): Promise<void> {
    await this.requireRepository(signal);
    if (!/^[A-Za-z0-9._-]+$/.test(remote)) throw new DevOpsError('invalidInput', `"${remote}" is not a remote name such as origin.`);
    for (const ref of refs) if (ref.startsWith('-') || /[\s:~^?*[\\]/.test(ref)) throw new DevOpsError('invalidInput', `"${ref}" is not a branch or tag name that can be pushed.`);
    await this.run(`push ${refs.join(', ')} to ${remote}`, signal, async (git) => {
      const remotes = await git.getRemotes();
      if (!remotes.some((r) => r.name === remote)) throw new DevOpsError('notFound', `This repository has no remote "${remote}". Add it (git remote add ${remote} <url>) and try again.`);
      try {
        await git.raw(['push', ...(options.setUpstream ? ['--set-upstream'] : []), ...(options.atomic ? ['--atomic'] : []), '--', remote, ...refs]);
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        if (/rejected|non-fast-forward|fetch first/i.test(text)) throw new DevOpsError('conflict', `${remote} refused the push because it has commits this copy does not (${refs.join(', ')}). Pull or fetch, then try again.`, { cause: error });
        if (/Authentication failed|could not read Username|Permission denied|403|401/i.test(text)) throw new DevOpsError('unauthorized', `${remote} refused the credentials git used for the push. Sign in to the remote with git (credential helper or SSH key), then try again.`, { cause: error });
        throw error;
      }
    });
  }

  /**
   * Tags reachable from HEAD in the order the conventional-changelog tools meet them: commits in
   * `git log --date-order`, each commit's tags as git decorates it. The first that matches a
   * release's prefix is its last release. Empty on a repository without commits.
   */
  async reachableTags(signal?: AbortSignal): Promise<readonly ReachableTag[]> {
    await this.requireRepository(signal);
    return this.run('read the tags', signal, async (git) => {
      if (!(await this.hasCommits(git))) return [];
      // Only tagged commits are printed (the walk and its order are the same): a few lines, not one per commit.
      const out = await git.raw(['log', '--date-order', '--decorate-refs=refs/tags/', '--simplify-by-decoration', '--format=%H%x1f%D', 'HEAD']);
      const tags: ReachableTag[] = [];
      for (const line of out.split('\n')) {
        const sep = line.indexOf('\x1f');
        if (sep < 0 || sep === line.length - 1) continue;
        const commit = line.slice(0, sep);
        for (const ref of line.slice(sep + 1).split(', ')) if (ref.startsWith('tag: ')) tags.push({ name: ref.slice(5), commit });
      }
      return tags;
    });
  }

  /**
   * Commits in `from..to` (`to` is HEAD unless given; every commit reachable from it when `from` is undefined), newest
   * first, merges included, optionally only those touching `path` (a monorepo package).
   */
  async commitsSince(from: string | undefined, options: { readonly path?: string; readonly to?: string } = {}, signal?: AbortSignal): Promise<readonly LogCommit[]> {
    await this.requireRepository(signal);
    for (const ref of [from, options.to]) if (ref !== undefined && (ref.startsWith('-') || /[\s:~^?*[\\]/.test(ref))) throw new DevOpsError('invalidInput', `"${ref}" is not a tag or commit name.`);
    return this.run('read the history', signal, async (git) => {
      if (!(await this.hasCommits(git))) return [];
      const to = options.to ?? 'HEAD';
      const range = from === undefined ? to : `${from}..${to}`;
      const out = await git.raw(['log', '--no-color', '--format=%H%x1f%P%x1f%an%x1f%aI%x1f%B%x1e', range, ...(options.path ? ['--', options.path] : [])]);
      return parseLog(out);
    });
  }

  /**
   * The history since the last release tag in one walk (see sinceTagWalk.ts): the first tag met in
   * `git log --date-order` from HEAD that `isReleaseTag` accepts, HEAD, and the commits in
   * `tag..HEAD` (every commit reachable from HEAD when there is no such tag), newest first, merges
   * included. Nothing before the tag is printed. Empty on a repository without commits. With
   * `onCommit`, each commit goes to it as it streams in and `commits` is empty.
   */
  async historySinceTag(isReleaseTag: (name: string) => boolean, signal?: AbortSignal, onCommit?: (commit: WalkCommit) => void): Promise<{ readonly head: string | undefined; readonly tag: ReachableTag | undefined; readonly commits: readonly WalkCommit[] }> {
    throwIfAborted(signal);
    if (!this.trusted()) throw new DevOpsError('refused', RESTRICTED_MODE);
    if (!existsSync(this.root)) throw new DevOpsError('notFound', `The folder ${this.root} does not exist; open an existing workspace folder.`);
    try {
      const { head, tag, commits } = await walkSinceTag(isReleaseTag, { cwd: this.root, timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}), ...(onCommit ? { onCommit } : {}) });
      return { head, tag, commits };
    } catch (error) {
      throw this.translate('read the history', error, signal);
    }
  }

  /**
   * Whether a tag exists (reachable or not: a new release tag must not take one) and a remote's URL
   * (credentials stripped; undefined when there is no such remote), for a release plan to read
   * while it walks the history. From the repository's files when their layout is the usual one
   * (repositoryFiles.ts: no git process, each of which costs the plan ~15 ms of CPU), else from
   * two git processes side by side.
   */
  async tagsAndRemote(remote: string, signal?: AbortSignal): Promise<{ hasTag(name: string): Promise<boolean>; readonly remoteUrl: string | undefined }> {
    if (remote.startsWith('-')) throw new DevOpsError('invalidInput', `"${remote}" is not a remote name.`);
    throwIfAborted(signal);
    if (!this.trusted()) throw new DevOpsError('refused', RESTRICTED_MODE);
    const files = await readRepositoryRefs(this.root, remote);
    if (files) {
      const remoteUrl = files.remoteUrl ? stripCredentials(files.remoteUrl) : undefined;
      return { remoteUrl, hasTag: async (name) => files.hasTag(name) ?? (await this.tagRefExists(name, signal)) };
    }
    return this.run('read the tags and remotes', signal, async (git) => {
      const [tags, url] = await Promise.all([git.raw(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags/']), git.raw(['remote', 'get-url', remote]).catch(() => '')]);
      const names = new Set(splitLines(tags));
      return { hasTag: async (name: string) => names.has(name), remoteUrl: url.trim() ? stripCredentials(url.trim()) : undefined };
    });
  }

  /** Whether refs/tags/<name> exists, whatever it points at (for-each-ref lists a tag of a tree too). */
  private tagRefExists(name: string, signal?: AbortSignal): Promise<boolean> {
    return this.run(`look for the tag ${name}`, signal, async (git) => {
      const out = await git.raw(['for-each-ref', '--format=%(refname)', `refs/tags/${name}`]);
      return splitLines(out).includes(`refs/tags/${name}`);
    });
  }

  /** The commit HEAD points at. */
  async headCommit(signal?: AbortSignal): Promise<string> {
    await this.requireRepository(signal);
    return this.run('read HEAD', signal, async (git) => {
      if (!(await this.hasCommits(git))) throw this.noCommits('read HEAD');
      return (await git.raw(['rev-parse', 'HEAD'])).trim();
    });
  }

  async tagExists(name: string, signal?: AbortSignal): Promise<boolean> {
    await this.requireRepository(signal);
    return this.run(`look for the tag ${name}`, signal, (git) => this.refExists(git, `refs/tags/${name}`));
  }

  /** The fetch URL of a remote (credentials in it removed), or undefined when there is no such remote. */
  async remoteUrl(remote = 'origin', signal?: AbortSignal): Promise<string | undefined> {
    await this.requireRepository(signal);
    return this.run('read the remotes', signal, async (git) => {
      const found = (await git.getRemotes(true)).find((r) => r.name === remote);
      return found?.refs.fetch ? stripCredentials(found.refs.fetch) : undefined;
    });
  }

  /**
   * Creates an annotated tag at `target` (default HEAD). An existing tag is refused, never moved:
   * a release tag that others may have fetched must not change under them.
   */
  async createTag(name: string, message: string, target = 'HEAD', signal?: AbortSignal): Promise<{ readonly name: string; readonly commit: string }> {
    await this.requireRepository(signal);
    return this.run(`create the tag ${name}`, signal, async (git) => {
      if (!(await this.hasCommits(git))) throw this.noCommits(`create the tag ${name}`);
      try {
        await git.raw(['check-ref-format', `refs/tags/${name}`]);
      } catch {
        throw new DevOpsError('invalidInput', `"${name}" is not a valid tag name.`);
      }
      if (target.startsWith('-')) throw new DevOpsError('invalidInput', `"${target}" is not a commit.`);
      if (await this.refExists(git, `refs/tags/${name}`)) {
        const at = (await git.raw(['rev-parse', `refs/tags/${name}^{commit}`])).trim();
        const wanted = (await git.raw(['rev-parse', `${target}^{commit}`])).trim();
        if (at === wanted) return { name, commit: at };
        throw new DevOpsError('conflict', `The tag ${name} already exists at ${at.slice(0, 7)}, not at ${wanted.slice(0, 7)}; a published tag is never moved. Pick the next version, or delete the tag yourself if it was never pushed.`);
      }
      await git.raw(['tag', '-a', name, '-m', message, target]);
      return { name, commit: (await git.raw(['rev-parse', `refs/tags/${name}^{commit}`])).trim() };
    });
  }

  /** The staged diff when anything is staged, else the working tree's; cut at `maxDiffBytes`. */
  async diff(signal?: AbortSignal): Promise<DiffResult> {
    await this.requireRepository(signal);
    return this.run('read the diff', signal, async (git) => {
      const stagedFiles = splitLines(await git.raw(['diff', '--cached', '--name-only']));
      const source: DiffResult['source'] = stagedFiles.length > 0 ? 'staged' : 'workingTree';
      const args = source === 'staged' ? ['diff', '--cached', '--no-color', '--no-ext-diff'] : ['diff', '--no-color', '--no-ext-diff'];
      const files = source === 'staged' ? stagedFiles : splitLines(await git.raw(['diff', '--name-only']));
      const full = await git.raw(args);
      return { source, files, ...capText(full, this.maxDiffBytes) };
    });
  }

  async recentCommits(count = 20, signal?: AbortSignal): Promise<readonly CommitSummary[]> {
    await this.requireRepository(signal);
    return this.run('read the history', signal, async (git) => {
      if (!(await this.hasCommits(git))) throw this.noCommits('list commits');
      const log = await git.log({ maxCount: Math.max(1, Math.floor(count)) });
      return log.all.map((c) => ({
        hash: c.hash,
        shortHash: c.hash.slice(0, 7),
        subject: c.message,
        author: c.author_name,
        date: new Date(c.date).toISOString(),
      }));
    });
  }
}

/** `git log` with the %x1f/%x1e format above, into commits. */
export function parseLog(out: string): LogCommit[] {
  const commits: LogCommit[] = [];
  for (const record of out.split('\x1e')) {
    const text = record.replace(/^\n/, '');
    if (!text) continue;
    const [hash, parents, author, date, ...rest] = text.split('\x1f');
    if (!hash || !/^[0-9a-f]{40,64}$/.test(hash)) continue;
    commits.push({ hash, parents: parents ? parents.split(' ').filter(Boolean) : [], author: author ?? '', date: date ?? '', message: rest.join('\x1f').replace(/\n+$/, '') });
  }
  return commits;
}

/** `https://user:token@host/x` -> `https://host/x`: a remote URL may carry a credential. */
function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

function preview(files: readonly string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`;
}

function overwrittenFiles(gitMessage: string): string[] {
  return gitMessage
    .split('\n')
    .filter((l) => /^\s+\S/.test(l) && !/Please|Aborting/.test(l))
    .map((l) => l.trim());
}

/** Cuts text to at most `maxBytes` UTF-8 bytes at a line end (or a character boundary for one huge line). */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean; totalBytes: number } {
  const buffer = Buffer.from(text, 'utf8');
  const totalBytes = buffer.length;
  if (totalBytes <= maxBytes) return { text, truncated: false, totalBytes };
  let cut = buffer.subarray(0, maxBytes).toString('utf8');
  // A multi-byte character split by the cut decodes as U+FFFD at the end; drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > 0) cut = cut.slice(0, lastNewline + 1);
  return { text: cut, truncated: true, totalBytes };
}
