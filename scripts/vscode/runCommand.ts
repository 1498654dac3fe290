import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { spawnGroup } from './processGroup';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Output goes here in full; the console gets only the last lines when the command fails. */
  readonly logFile: string;
  /** Passed to the process on stdin (e.g. nothing, so apt and npm never wait for an answer). */
  readonly input?: string;
}

export class CommandFailedError extends Error {
  override readonly name = 'CommandFailedError';
  constructor(
    readonly command: string,
    readonly exit: number | string,
    readonly tail: string,
    readonly logFile: string,
  ) {
    super(`${command} failed (exit ${exit}). Last lines:\n${tail}\nFull output: ${logFile}`);
  }
}

/**
 * Runs an install step to completion in its own process group (so Ctrl-C or a failure stops every
 * process it forked, e.g. node-gyp's compilers), logging everything to a file.
 */
export async function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  log.write(`\n$ ${command} ${args.join(' ')}\n`);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  const proc = spawnGroup(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  proc.child.stdout?.on('data', keep);
  proc.child.stderr?.on('data', keep);
  // A command that exits without reading its input closes the pipe first: EPIPE then means nothing.
  proc.child.stdin?.on('error', () => undefined);
  proc.child.stdin?.end(options.input ?? '');
  const exit = await proc.exited;
  await proc.stop(2000); // anything it left running in its group
  await new Promise<void>((resolve) => log.end(resolve));
  if (exit !== 0) throw new CommandFailedError(`${command} ${args.join(' ')}`, exit, lines.slice(-25).join('\n'), options.logFile);
}
