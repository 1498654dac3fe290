import { spawn } from 'node:child_process';
import { DevOpsError } from '../../core/errors';

/**
 * ripgrep as the TODO index's first pass: it walks a folder with git's ignore rules and names the
 * files whose bytes contain a tag, on every core, faster than any walk written in JavaScript (the
 * index then reads and parses only those). The same ripgrep VS Code ships for its own search;
 * Todo Tree uses it the same way.
 *
 * The flags make ripgrep's choice of files the index's own: every `.gitignore` on the way down
 * (also outside a git repository), no `.ignore`/`.rgignore`, no global or `.git/info/exclude`
 * rules, none from parent folders; hidden files searched but not `.git`; symbolic links not
 * followed; binary files searched as text (the index decides what is binary, as it does for a
 * file it reads itself); no user config file (RIPGREP_CONFIG_PATH could change any of this).
 */
export interface RipgrepSearchOptions {
  readonly ripgrepPath: string;
  /** The folder searched; paths come back relative to it with forward slashes. */
  readonly root: string;
  /** Plain strings, matched case-sensitively as the index's own byte test does. */
  readonly tags: readonly string[];
  /**
   * Instead of `tags`: one pattern in ripgrep's regex syntax, matched case-insensitively (the
   * secret scan's anchors, candidates.ts).
   */
  readonly regex?: string;
  /** What is searched for, in the cancellation message ("The TODO index rebuild was cancelled."). */
  readonly purpose?: string;
  /** `files.exclude` globs, relative to the folder: passed on so ripgrep does not walk into them. */
  readonly excludeGlobs: readonly string[];
  readonly threads?: number;
  readonly signal?: AbortSignal;
}

export interface RipgrepSummary {
  /** Files ripgrep searched (after ignore rules), when it reported them. */
  readonly filesSearched: number | undefined;
  /** ripgrep met a file or directory it could not read (exit code 2 with messages off). */
  readonly partial: boolean;
}

/** ripgrep could not be started or refused the search: the caller walks the folder itself. */
export class RipgrepUnavailableError extends Error {}

/** VS Code's `files.exclude` globs are relative to the folder; ripgrep's `--glob` would match a slash-less glob at any depth. */
export function ripgrepExcludeGlob(glob: string): string {
  const trimmed = glob.trim();
  return trimmed.startsWith('**/') || trimmed.startsWith('/') ? `!${trimmed}` : `!/${trimmed}`;
}

export function ripgrepArguments(options: Pick<RipgrepSearchOptions, 'tags' | 'regex' | 'excludeGlobs' | 'threads'>): string[] {
  const args = [
    '--no-config',
    '--files-with-matches',
    '--null',
    '--stats',
    '--no-messages',
    '--hidden',
    '--no-require-git',
    '--no-ignore-dot',
    '--no-ignore-exclude',
    '--no-ignore-global',
    '--no-ignore-parent',
    '--text',
    '--glob',
    '!.git',
  ];
  if (options.threads !== undefined && options.threads > 0) args.push('--threads', String(options.threads));
  for (const glob of options.excludeGlobs) if (glob.trim().length > 0) args.push('--glob', ripgrepExcludeGlob(glob));
  if (options.regex !== undefined) args.push('--ignore-case', '--regexp', options.regex);
  else {
    args.push('--fixed-strings');
    for (const tag of options.tags) args.push('--regexp', tag);
  }
  args.push('--', '.');
  return args;
}

const STATS_SEARCHED = /(\d+) files searched/;

/**
 * The files under `root` that contain a tag (or match `regex`), in batches as ripgrep finds them (order varies from
 * run to run). Read the batches promptly: ripgrep waits while they are not consumed. Ends with
 * ripgrep's summary; throws RipgrepUnavailableError when ripgrep cannot run or rejects its
 * arguments, DevOpsError('cancelled') when the signal aborts (ripgrep is stopped then).
 */
export async function* searchFilesWithTags(options: RipgrepSearchOptions): AsyncGenerator<string[], RipgrepSummary> {
  const cancelled = `The ${options.purpose ?? 'TODO index rebuild'} was cancelled.`;
  if (options.signal?.aborted) throw new DevOpsError('cancelled', cancelled);
  if (options.regex === undefined && options.tags.length === 0) return { filesSearched: 0, partial: false };
  const child = spawn(options.ripgrepPath, ripgrepArguments(options), { cwd: options.root, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  const stderr: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.join('').length < 4000) stderr.push(text);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  const stop = (): void => {
    child.kill();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  let rest = '';
  try {
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\0');
      rest = parts.pop() ?? '';
      // What follows the last NUL is the start of a name, or at the end ripgrep's stats block.
      if (parts.length > 0) yield parts.map(normalise);
    }
    const result = await exited;
    if (options.signal?.aborted) throw new DevOpsError('cancelled', cancelled);
    if (result.error !== undefined) throw new RipgrepUnavailableError(`ripgrep could not start (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`);
    const message = stderr.join('').trim();
    // 0: files found, 1: none; 2 with no message: something unreadable was skipped (messages are off).
    if (result.code === 2 && message.length > 0) throw new RipgrepUnavailableError(`ripgrep refused the search: ${message.split('\n')[0]}`);
    if (result.code !== 0 && result.code !== 1 && result.code !== 2) throw new RipgrepUnavailableError(`ripgrep stopped (${result.signal ?? `exit code ${result.code}`})`);
    const searched = STATS_SEARCHED.exec(rest);
    return { filesSearched: searched ? Number(searched[1]) : undefined, partial: result.code === 2 };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** `./src/a.ts` or `.\src\a.ts` to `src/a.ts`. */
function normalise(name: string): string {
  const relative = name.startsWith('./') || name.startsWith('.\\') ? name.slice(2) : name;
  return process.platform === 'win32' ? relative.replace(/\\/g, '/') : relative;
}
