import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Every long-lived process the harness starts runs in its own process group (detached), so stopping
 * it stops everything it forked too: code-server forks an extension host, file watchers and a pty
 * host; Chromium forks renderers and a GPU process. Killing only the parent would leave those behind.
 */
export interface GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or signal name) once the group leader has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when no process of the group is left. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<GroupProcess>();

export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): GroupProcess {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid === undefined) {
    // spawn reports ENOENT/EACCES asynchronously, but a missing pid already means nothing started:
    // say so now, and keep the late 'error' event from becoming an uncaught exception.
    child.once('error', () => undefined);
    throw new Error(`Could not start ${command}: no process was created (is it installed and executable?).`);
  }
  const pid = child.pid;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => resolve(`error: ${error.message}`));
  });
  const proc: GroupProcess = {
    child,
    pid,
    exited,
    stop: async (graceMs = 5000) => {
      await killGroup(pid, graceMs);
      live.delete(proc);
    },
  };
  live.add(proc);
  void exited.then(async () => {
    // The leader is gone; children it forked may live on in the group until stop() is called.
    if (!groupAlive(pid)) live.delete(proc);
  });
  return proc;
}

/**
 * The live (non-zombie) processes of group `pgid`, read from /proc. A zombie counts as gone: it
 * holds no memory or port, and whether it is reaped depends on this machine's init, not on us.
 */
export function groupMembers(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) return groupAliveBySignal(pgid) ? [pgid] : [];
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(entry));
  }
  return members;
}

export function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

function groupAliveBySignal(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but is not ours: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function killGroup(pgid: number, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // Already gone.
    }
  };
  if (!groupAlive(pgid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (!groupAlive(pgid)) return;
  signal('SIGKILL');
  const hardDeadline = Date.now() + 5000;
  while (groupAlive(pgid) && Date.now() < hardDeadline) await sleep(50);
  if (groupAlive(pgid)) throw new Error(`Process group ${pgid} survived SIGKILL: processes ${groupMembers(pgid).join(', ')} are still running.`);
}

/** Stops every group started through spawnGroup that is still running (last started first). */
export async function stopAll(graceMs = 5000): Promise<void> {
  const all = [...live].reverse();
  await Promise.all(all.map((p) => p.stop(graceMs).catch(() => undefined)));
}

/** The process groups the harness still owns (for tests and for the exit handler). */
export function liveGroups(): readonly number[] {
  return [...live].map((p) => p.pid);
}

let handlersInstalled = false;

/**
 * On Ctrl-C, SIGTERM or SIGHUP, stop every group before exiting, so no code-server or Chromium is
 * left behind. `onSignal` runs first (e.g. to print "stopping"); `exitCode` picks the exit status
 * (default 128 + the signal's number, as a shell reports it).
 */
export function stopAllOnExit(onSignal?: (signal: NodeJS.Signals) => void, exitCode?: (signal: NodeJS.Signals) => number): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // `on`, not `once`: a second Ctrl-C (or the same signal forwarded by a parent) must not kill
    // this process with the default action before the groups are stopped.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      onSignal?.(signal);
      void stopAll(2000).finally(() => process.exit(exitCode?.(signal) ?? 128 + (numbers[signal] ?? 0)));
    });
  }
  // A synchronous last resort: 'exit' handlers cannot wait, so send SIGKILL to what is left.
  process.once('exit', () => {
    for (const pid of liveGroups()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
