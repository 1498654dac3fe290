import { stripVTControlCharacters } from 'node:util';
import { DevOpsError, throwIfAborted } from '../../../core/errors';
import { redactText } from '../../../core/redact';

/** How a started run is followed: polled every `intervalMs` until it settles, for at most `timeoutMs`. */
export interface FollowOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Waits between polls (tests pass one that moves the stand-in's clock). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The clock the time-out is measured on. */
  readonly now?: () => number;
}

/** Five seconds between polls, ten minutes in all: a deployment that takes longer is left running and linked. */
export const DEFAULT_FOLLOW: FollowOptions = { intervalMs: 5_000, timeoutMs: 10 * 60_000 };

export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DevOpsError('cancelled', 'Cancelled.'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new DevOpsError('cancelled', 'Cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls `look` until it returns a value (the run settled) or the time is up (undefined). Each poll
 * may report progress; cancellation stops the wait at once.
 */
export async function followUntil<T>(look: () => Promise<T | undefined>, options: FollowOptions, signal: AbortSignal): Promise<T | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    throwIfAborted(signal);
    const settled = await look();
    if (settled !== undefined) return settled;
    if (now() >= deadline) return undefined;
    await sleep(options.intervalMs, signal);
  }
}

/** The text without control characters (what is left of them after the terminal sequences are gone). */
const printable = (text: string): string => [...text].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f).join('');

/**
 * The lines of a failed job's log that say why, for an error message: the `##[error]` lines and
 * the two before each, without timestamps, control characters or anything that looks secret, and
 * short (a log is remote text, shown in the editor and written to the audit trail).
 */
export function failureExcerpt(log: string, maxChars = 600): string {
  const lines = log.split(/\r?\n/).map((l) => printable(stripVTControlCharacters(l).replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z\s?/, '')));
  const picked = new Set<number>();
  lines.forEach((l, i) => {
    if (!/##\[error\]/.test(l)) return;
    for (let k = Math.max(0, i - 2); k <= i; k++) if (!/^##\[(group|endgroup)\]/.test(lines[k]!)) picked.add(k);
  });
  const text = [...picked].sort((a, b) => a - b).map((i) => lines[i]!.replace('##[error]', '').trim()).filter(Boolean).join(' | ');
  const safe = redactText(text);
  return safe.length > maxChars ? `${safe.slice(0, maxChars - 1)}…` : safe;
}
