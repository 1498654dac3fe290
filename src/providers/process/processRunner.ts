import { spawn } from 'node:child_process';
import { DevOpsError } from '../../core/errors';
import { isSensitiveKey } from '../../core/redact';

/**
 * Runs one program without a shell, in its own process group, so cancelling or timing out stops
 * everything it started (a test runner's workers, a dev server a test spawned), not just the
 * parent. Only the runtime's command runner calls this, after the command policy allowed the
 * command and the approval policy approved it.
 */
export interface ProcessRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Stops the process group (SIGTERM, then SIGKILL after `graceMs`). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Extra environment entries; names that look secret are refused. */
  readonly env?: Readonly<Record<string, string>>;
  /** Variables of the parent's environment the child must not get. */
  readonly unsetEnv?: readonly string[];
  /** Called with output as it arrives (progress in the UI); the full text comes back in the result. */
  readonly onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Most bytes kept per stream; beyond it the head and the tail are kept. Default 4 MB. */
  readonly maxOutputBytes?: number;
  readonly graceMs?: number;
}

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  readonly durationMs: number;
  /** The pid of the group leader (tests check that nothing of the group survives). */
  readonly pid: number | undefined;
  readonly outputTruncated: boolean;
}

/**
 * The environment a child gets: the parent's, minus every variable whose name says it holds a
 * secret (GITHUB_TOKEN, SYSTEM_ACCESSTOKEN, OPENAI_API_KEY, ...): a cloned repository's test
 * script must not be able to read the tokens the editor or a pipeline holds.
 */
export function childEnvironment(parent: NodeJS.ProcessEnv, extra: Readonly<Record<string, string>> = {}, unset: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  // Windows names are case-insensitive (Path, PATH): compare as upper case there.
  const fold = (k: string): string => (process.platform === 'win32' ? k.toUpperCase() : k);
  const removed = new Set(unset.map(fold));
  for (const [k, v] of Object.entries(parent)) {
    if (v !== undefined && !isSensitiveKey(k) && !removed.has(fold(k))) env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (isSensitiveKey(k)) throw new DevOpsError('refused', `The environment variable ${k} looks like a secret; agents never pass secrets to commands.`);
    env[k] = v;
  }
  return env;
}

class Capture {
  private head = '';
  private tail = '';
  private bytes = 0;
  truncated = false;

  constructor(private readonly max: number) {}

  add(text: string): void {
    this.bytes += Buffer.byteLength(text);
    if (!this.truncated && this.bytes <= this.max) {
      this.head += text;
      return;
    }
    if (!this.truncated) {
      this.truncated = true;
      this.tail = this.head.slice(Math.floor(this.max / 2));
      this.head = this.head.slice(0, Math.floor(this.max / 2));
    }
    this.tail = (this.tail + text).slice(-Math.floor(this.max / 2));
  }

  text(): string {
    return this.truncated ? `${this.head}\n…[output cut: ${this.bytes} bytes in all]…\n${this.tail}` : this.head;
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') {
      // No process groups: taskkill walks the tree.
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // Already gone.
  }
}

export function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const started = Date.now();
  const max = request.maxOutputBytes ?? 4 * 1024 * 1024;
  const out = new Capture(max);
  const err = new Capture(max);
  return new Promise((resolve, reject) => {
    if (request.signal?.aborted) {
      reject(new DevOpsError('cancelled', 'Cancelled.'));
      return;
    }
    const child = spawn(request.file, [...request.args], {
      cwd: request.cwd,
      shell: false,
      detached: process.platform !== 'win32',
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnvironment(process.env, request.env, request.unsetEnv),
    });
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (child.pid === undefined) return;
      killGroup(child.pid, 'SIGTERM');
      killTimer ??= setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), request.graceMs ?? 3000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, request.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    request.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      out.add(t);
      request.onOutput?.('stdout', t);
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      err.add(t);
      request.onOutput?.('stderr', t);
    });
    const finish = (): void => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      finish();
      if (killTimer) clearTimeout(killTimer);
      const why = error.code === 'ENOENT' ? `"${request.file}" was not found on PATH; install it or add it to PATH` : error.code === 'EACCES' ? `"${request.file}" is not executable` : error.message;
      reject(new DevOpsError('notFound', `Could not run ${request.file}: ${why}.`, { cause: error }));
    });
    // The leader exited: anything it left in its group (a server a test forked and forgot) is
    // stopped too, which also closes the pipes such leftovers would hold open.
    child.once('exit', () => {
      if (child.pid !== undefined && process.platform !== 'win32') killGroup(child.pid, 'SIGKILL');
    });
    child.once('close', (code, signal) => {
      finish();
      if (killTimer) clearTimeout(killTimer);
      resolve({
        exitCode: code,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        cancelled,
        durationMs: Date.now() - started,
        pid: child.pid,
        outputTruncated: out.truncated || err.truncated,
      });
    });
  });
}
