import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { lock } from 'proper-lockfile';
import {
  type Outbox,
  type OutboxEnqueueRequest,
  type OutboxEntry,
  type OutboxReplayer,
  type ReplayResult,
} from '../../../core/boards/outbox';
import { type OutboxEntrySummary } from '../../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { redactText } from '../../../core/redact';
import { type TrackerKind } from '../../../core/workItem';
import { OutboxFile } from './outboxFile';

export interface FileOutboxOptions {
  readonly storageDir: string;
  readonly log: Logger;
  /** First retry delay after a transient failure; doubles per attempt up to maxDelayMs. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How often to look at the file when nothing is due (another window may have queued). */
  readonly pollMs?: number;
  /** Replay on a timer (the extension); tests drive `flush` themselves. */
  readonly autoReplay?: boolean;
  readonly now?: () => Date;
}

interface Listener {
  (): void;
}

/**
 * The durable outbox (see core/boards/outbox.ts for the contract). Replays in order per target,
 * stops a target at a conflict or permanent failure (kept for the user), stops a tracker for the
 * rest of a pass at a transient failure (the service is down: later entries would fail too) and
 * backs off exponentially, honouring Retry-After. Only one window replays at a time (a second
 * lock next to the file); an entry's attempt count is on disk before it is sent, so a window that
 * stops mid-send leaves a record the replayer's client-id check makes harmless.
 */
export class FileOutbox implements Outbox {
  private readonly file: OutboxFile;
  private readonly replayers = new Map<TrackerKind, OutboxReplayer>();
  private readonly listeners = new Set<Listener>();
  private cache: OutboxEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  private disposed = false;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly pollMs: number;
  private readonly now: () => Date;

  private constructor(private readonly options: FileOutboxOptions) {
    this.file = new OutboxFile(options.storageDir, options.log);
    this.baseDelayMs = options.baseDelayMs ?? 5_000;
    this.maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
    this.pollMs = options.pollMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Opens the outbox in `storageDir` (creating nothing until the first change) and loads it. */
  static async open(options: FileOutboxOptions): Promise<FileOutbox> {
    const outbox = new FileOutbox(options);
    await mkdir(options.storageDir, { recursive: true });
    // Through update() so a damaged file is cleaned up (and a copy kept) once, at start.
    outbox.cache = await outbox.file.update((entries) => ({ result: entries }));
    if (options.autoReplay) outbox.schedule(0);
    return outbox;
  }

  get path(): string {
    return this.file.file;
  }

  entries(tracker?: TrackerKind): readonly OutboxEntry[] {
    return tracker === undefined ? [...this.cache] : this.cache.filter((e) => e.tracker === tracker);
  }

  pending(): readonly OutboxEntrySummary[] {
    return this.cache.map((e) => ({
      id: e.id,
      tracker: e.tracker,
      description: e.description,
      attempts: e.attempts,
      lastError: e.lastError,
      createdAt: e.createdAt,
      state: e.state,
    }));
  }

  async enqueue(request: OutboxEnqueueRequest): Promise<OutboxEntry> {
    const entry = await this.file.update((entries) => {
      const existing = entries.find((e) => e.clientId === request.clientId && e.tracker === request.tracker);
      if (existing) return { result: existing, write: undefined };
      const created: OutboxEntry = {
        id: randomUUID(),
        clientId: request.clientId,
        tracker: request.tracker,
        kind: request.kind,
        payload: request.payload,
        ...(request.target !== undefined ? { target: request.target } : {}),
        description: request.description,
        createdAt: this.now().toISOString(),
        attempts: 0,
        ...(request.reason !== undefined ? { lastError: redactText(request.reason) } : {}),
        // The service just refused; do not hammer it again from the timer right away.
        notBefore: new Date(this.now().getTime() + this.baseDelayMs).toISOString(),
        state: 'pending',
      };
      return { result: created, write: [...entries, created] };
    });
    await this.reload();
    if (this.options.autoReplay) this.schedule(this.baseDelayMs);
    return entry;
  }

  registerReplayer(replayer: OutboxReplayer): { dispose(): void } {
    this.replayers.set(replayer.tracker, replayer);
    if (this.options.autoReplay) this.schedule(0);
    return {
      dispose: () => {
        if (this.replayers.get(replayer.tracker) === replayer) this.replayers.delete(replayer.tracker);
      },
    };
  }

  /** Sends what can be sent now, ignoring backoff (the user asked). */
  flush(signal?: AbortSignal): Promise<number> {
    return this.replay({ respectBackoff: false, signal });
  }

  async discard(id: string): Promise<void> {
    await this.file.update((entries) => ({ result: undefined, write: entries.filter((e) => e.id !== id) }));
    await this.reload();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  /** Re-reads the file (another window may have changed it) and tells listeners when it differs. */
  async reload(): Promise<void> {
    const next = await this.file.snapshot();
    const changed = JSON.stringify(next) !== JSON.stringify(this.cache);
    this.cache = next;
    if (changed) for (const l of [...this.listeners]) l();
  }

  private replay(options: { respectBackoff: boolean; signal?: AbortSignal }): Promise<number> {
    // One pass at a time per window; a second caller waits for the running pass, then runs its own.
    const run = async (): Promise<number> => {
      try {
        return await this.replayLocked(options);
      } finally {
        this.flushing = undefined;
      }
    };
    const previous = this.flushing;
    const next = previous ? previous.catch(() => 0).then(run) : run();
    this.flushing = next;
    return next;
  }

  private async replayLocked(options: { respectBackoff: boolean; signal?: AbortSignal }): Promise<number> {
    let release: (() => Promise<void>) | undefined;
    try {
      // A path of its own: proper-lockfile keeps its locks by path, and the data lock uses the file's.
      release = await lock(`${this.file.file}.replay`, {
        realpath: false,
        stale: 30_000,
        retries: 0,
        onCompromised: (error) => this.options.log.warn(`The outbox replay lock was taken over: ${error.message}`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
        this.options.log.debug('Another window is replaying the outbox.');
        await this.reload();
        return 0;
      }
      throw error;
    }
    let sent = 0;
    try {
      const stoppedTrackers = new Set<TrackerKind>();
      const tried = new Set<string>();
      for (;;) {
        if (options.signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
        const entries = await this.file.snapshot();
        const next = this.nextDue(entries, stoppedTrackers, tried, options.respectBackoff);
        if (!next) break;
        tried.add(next.id);
        const replayer = this.replayers.get(next.tracker);
        if (!replayer) {
          stoppedTrackers.add(next.tracker);
          continue;
        }
        // On disk before sending: a window that stops now leaves attempts > 0 behind.
        const attempt = await this.patch(next.id, (e) => ({ ...e, attempts: e.attempts + 1 }));
        if (!attempt) continue;
        const result = await this.send(replayer, attempt, options.signal);
        if (result.kind === 'applied') {
          sent++;
          await this.file.update((all) => ({ result: undefined, write: all.filter((e) => e.id !== attempt.id) }));
          this.options.log.info(`Outbox: sent "${attempt.description}"${result.alreadyApplied ? ' (it had already been applied)' : ''}.`);
        } else if (result.kind === 'retry') {
          stoppedTrackers.add(attempt.tracker);
          const delay = Math.max(this.backoff(attempt.attempts), result.error.options.retryAfterMs ?? 0);
          await this.patch(attempt.id, (e) => ({ ...e, lastError: redactText(result.error.message), notBefore: new Date(this.now().getTime() + delay).toISOString() }));
        } else {
          const state = result.kind === 'conflict' ? 'conflict' : 'failed';
          await this.patch(attempt.id, (e) => ({ ...e, state, lastError: redactText(result.message) }));
          this.options.log.warn(`Outbox: "${attempt.description}" ${state === 'conflict' ? 'conflicts with a change made elsewhere' : 'cannot be sent'}: ${redactText(result.message)}`);
        }
        await this.reload();
      }
    } finally {
      await release().catch(() => undefined);
      await this.reload();
      if (this.options.autoReplay) this.scheduleNext();
    }
    return sent;
  }

  /** The first entry that may go now: pending, its tracker not stopped, nothing earlier of its target held back. */
  private nextDue(entries: readonly OutboxEntry[], stopped: ReadonlySet<TrackerKind>, tried: ReadonlySet<string>, respectBackoff: boolean): OutboxEntry | undefined {
    const heldTargets = new Set<string>();
    const now = this.now().getTime();
    for (const e of entries) {
      const hold = (): void => {
        if (e.target !== undefined) heldTargets.add(e.target);
      };
      if (e.target !== undefined && heldTargets.has(e.target)) continue;
      if (e.state !== 'pending' || stopped.has(e.tracker) || tried.has(e.id)) {
        hold();
        continue;
      }
      if (respectBackoff && e.notBefore !== undefined && Date.parse(e.notBefore) > now) {
        hold();
        continue;
      }
      return e;
    }
    return undefined;
  }

  private async send(replayer: OutboxReplayer, entry: OutboxEntry, signal: AbortSignal | undefined): Promise<ReplayResult> {
    try {
      return await replayer.replay(entry, signal);
    } catch (error) {
      if (isDevOpsError(error)) {
        if (error.code === 'cancelled') return { kind: 'retry', error };
        if (error.code === 'conflict') return { kind: 'conflict', message: error.message };
        if (error.transient || error.code === 'unauthorized') return { kind: 'retry', error };
        return { kind: 'failed', message: error.message };
      }
      // An unexpected error (a dropped connection surfacing as a plain Error): try again later.
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'retry', error: new DevOpsError('unavailable', `Sending failed: ${redactText(message)}`, { cause: error }) };
    }
  }

  private async patch(id: string, change: (e: OutboxEntry) => OutboxEntry): Promise<OutboxEntry | undefined> {
    return this.file.update((entries) => {
      const index = entries.findIndex((e) => e.id === id);
      if (index < 0) return { result: undefined };
      const updated = change(entries[index]!);
      const write = [...entries];
      write[index] = updated;
      return { result: updated, write };
    });
  }

  private backoff(attempts: number): number {
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.max(0, attempts - 1));
    // Up to 20% jitter so windows that went offline together do not come back in lockstep.
    return Math.round(exp * (0.8 + Math.random() * 0.2));
  }

  private scheduleNext(): void {
    const due = this.cache.filter((e) => e.state === 'pending').map((e) => (e.notBefore ? Date.parse(e.notBefore) : 0));
    const wait = due.length ? Math.max(0, Math.min(...due) - this.now().getTime()) : this.pollMs;
    this.schedule(Math.min(wait, this.pollMs));
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.replay({ respectBackoff: true }).catch((error: unknown) => {
        this.options.log.warn(`Outbox replay failed: ${redactText(error instanceof Error ? error.message : String(error))}`);
        this.schedule(this.pollMs);
      });
    }, delayMs);
    this.timer.unref();
  }
}

export async function createFileOutbox(options: FileOutboxOptions): Promise<FileOutbox> {
  return FileOutbox.open(options);
}
