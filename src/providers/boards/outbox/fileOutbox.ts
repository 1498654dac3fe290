import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { lock } from 'proper-lockfile';
import {
  type Outbox,
  type OutboxChoice,
  type OutboxEntry,
  type OutboxJson,
  type RemoteWriteOutcome,
  type RemoteWriteRequest,
  type SendOptions,
  type SettledWrite,
  type WriteConnection,
  type WriteContext,
  type WriteKind,
} from '../../../core/boards/outbox';
import { composeBases, homeKey, nextDue, unheld, waitsBehind } from '../../../core/boards/outboxOrder';
import { type OutboxEntrySummary } from '../../../core/boards/workTracker';
import { sameAccount, sameHome, targetLabel, type WriteHome, type WriteTarget } from '../../../core/boards/writeTarget';
import { DevOpsError } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { Listeners } from '../../../core/listeners';
import { redactText } from '../../../core/redact';
import { OutboxFile } from './outboxFile';
import { type AttemptResult, attemptWrite } from './writeAttempt';

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

/** How long this window remembers a value it wrote to a field, so a change made from a stale view still composes with it. */
const RECENT_MS = 60 * 60_000;
const RECENT_PER_FIELD = 8;

type Found = { readonly connection: WriteConnection; readonly kinds: ReadonlyMap<string, WriteKind> } | { readonly elsewhere: string };

/**
 * The durable outbox and the one write protocol (see core/boards/outbox.ts for the contract).
 * `send` makes a change's first attempt, or queues it behind a change to the same thing of the
 * same item still waiting; a change that cannot be sent, or whose answer was lost, is kept on disk
 * (`outboxFile.ts`) and replayed, in order per item and field, to the connection and account it was
 * asked for on only. Replays start on their own (a timer, at start and after each queued change)
 * and on "Send Now"; they load the tracker a change needs through its registered connection, so
 * nothing has to be opened first. Only one window replays at a time (a lock next to the file); an
 * entry's attempt count is on disk before it is sent, and every replay reads the service before it
 * writes, so a window that stops mid-send leaves nothing to send twice.
 */
export class FileOutbox implements Outbox {
  private readonly file: OutboxFile;
  private readonly connections = new Set<WriteConnection>();
  private readonly changed = new Listeners((error) => this.options.log.warn(`An outbox listener failed: ${String(error)}`));
  private readonly settled = new Listeners<[SettledWrite]>((error) => this.options.log.warn(`An outbox listener failed: ${String(error)}`));
  private cache: OutboxEntry[] = [];
  /** What this window's connections are connected to, last time they were asked (for the pending list). */
  private homes: { readonly home: WriteHome; readonly account: string | undefined }[] | undefined;
  private readonly recent = new Map<string, { value: OutboxJson; at: number }[]>();
  /** One change at a time per item in this window, first attempts and replays alike. */
  private readonly subjects = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<number> | undefined;
  private disposed = false;
  /** Settles once the file was read at start; every change and replay waits for it (a failure is theirs to report). */
  private loaded: Promise<void> = Promise.resolve();
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
    const { outbox, ready } = FileOutbox.openInBackground(options);
    await ready;
    return outbox;
  }

  /**
   * The outbox at once, its file read in the background (activation waits for no disk): until
   * `ready`, `pending()` lists nothing, and listeners hear when the entries arrive. Changes, replays
   * and the user's choices wait for the file; when it cannot be read, `ready` and each of them fail
   * with why, and nothing is lost (the file is left as it was).
   */
  static openInBackground(options: FileOutboxOptions): { outbox: FileOutbox; ready: Promise<FileOutbox> } {
    const outbox = new FileOutbox(options);
    outbox.loaded = (async () => {
      try {
        await mkdir(options.storageDir, { recursive: true });
        // Through update() so a damaged file is cleaned up (and a copy kept) once, at start.
        outbox.cache = await outbox.file.update((entries) => ({ result: entries }));
      } catch (error) {
        throw new DevOpsError('unavailable', `The outbox for remote changes could not be opened in ${options.storageDir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      if (outbox.cache.length > 0) outbox.changed.fire();
      if (options.autoReplay) outbox.schedule(0);
    })();
    // Each caller that needs the file gets the failure; this one only keeps it from going unhandled.
    outbox.loaded.catch(() => undefined);
    return { outbox, ready: outbox.loaded.then(() => outbox) };
  }

  get path(): string {
    return this.file.file;
  }

  entries(): readonly OutboxEntry[] {
    return [...this.cache];
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
      where: e.target ? targetLabel(e.target) : 'no recorded connection',
      elsewhere: this.elsewhere(e),
      conflict: e.conflict ?? [],
      url: e.url,
    }));
  }

  /** Why a pending entry waits for another window, as far as this window knows its connections. */
  private elsewhere(entry: OutboxEntry): string | undefined {
    const target = entry.target;
    if (!target) return 'It was queued by an earlier version of the extension that did not record which organization or repository it was for, so it is never sent; discard it and make the change again.';
    const homes = this.homes;
    if (homes === undefined) return undefined;
    const match = homes.find((h) => sameHome(target, h.home));
    if (!match) return `It goes to ${targetLabel(target)} only, and this window is connected to ${homes.map((h) => targetLabel(h.home)).join(' and ') || 'nothing'}: it is sent from a window connected there.`;
    if (match.account !== undefined && !sameAccount(target.account, match.account)) return `It was asked for as ${target.account ?? 'another account'}, and this window is signed in as ${match.account}: it is sent only as ${target.account ?? 'that account'}.`;
    return undefined;
  }

  connect(connection: WriteConnection): { dispose(): void } {
    this.connections.add(connection);
    void this.refreshHomes();
    if (this.options.autoReplay) this.schedule(0);
    return { dispose: () => this.connections.delete(connection) };
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.changed.on(listener);
  }

  onDidSettle(listener: (settled: SettledWrite) => void): { dispose(): void } {
    return this.settled.on(listener);
  }

  // ------------------------------------------------------------------------------ first attempt

  async send(request: RemoteWriteRequest, options: SendOptions = {}): Promise<RemoteWriteOutcome> {
    await this.loaded;
    return this.oneAtATime(`${homeKey(request.target)}|${request.subject}`, async () => {
      const found = options.via ? await this.viaConnection(options.via, request.target) : await this.connectionFor(request.target, options.signal);
      if ('elsewhere' in found) throw new DevOpsError('notConfigured', `Cannot send "${request.description}": ${found.elsewhere}`);
      const kind = found.kinds.get(request.kind);
      if (!kind) throw new DevOpsError('invalidInput', `${targetLabel(request.target)} has no way to send a "${request.kind}" change.`);
      // Behind a change to the same thing of the same item that is still waiting: in order, after it.
      const entries = await this.file.snapshot();
      const before = waitsBehind(entries, request);
      const changes = composeBases(request, entries, (field) => this.recentValues(request.target, request.subject, field));
      if (before) {
        const reason = `it waits for an earlier change, "${before.description}", that is not sent yet`;
        return this.queue(request, changes, reason, 0);
      }
      const context: WriteContext = { clientId: request.clientId, correlationId: request.correlationId, signal: options.signal, fresh: true, since: this.now().toISOString(), mayRepeat: request.mayRepeat === true };
      const result = await attemptWrite(kind, { payload: request.payload, changes, overwrite: request.overwrite === true }, context);
      switch (result.kind) {
        case 'applied':
          this.remember(request.target, request.subject, changes);
          return result;
        case 'conflict':
          return { kind: 'conflict', fields: result.fields, remote: result.remote, message: conflictMessage(request.description, result.fields) };
        case 'refused':
          return { kind: 'refused', code: result.error.code, message: result.error.message };
        case 'retry': {
          // Not signed in, or no connection: the user fixes that first; nothing was sent.
          if (!result.unsure && (result.error.code === 'unauthorized' || result.error.code === 'notConfigured')) throw result.error;
          // Whether it was made is checked before it is sent again, so an unreadable answer never makes a second one.
          const reason = result.error.code === 'badResponse' ? `its answer could not be read (${result.error.message}); it will be checked, and sent if it was not made` : result.error.message;
          return this.queue(request, changes, reason, result.error.options.retryAfterMs ?? 0);
        }
      }
    });
  }

  private async queue(request: RemoteWriteRequest, changes: RemoteWriteRequest['changes'], reason: string, retryAfterMs: number): Promise<RemoteWriteOutcome> {
    const entry = await this.file.update((entries) => {
      const existing = entries.find((e) => e.clientId === request.clientId && e.target !== undefined && homeKey(e.target) === homeKey(request.target));
      if (existing) return { result: existing, write: undefined };
      const created: OutboxEntry = {
        id: randomUUID(),
        clientId: request.clientId,
        tracker: request.target.service,
        target: request.target,
        subject: request.subject,
        touches: [...request.touches],
        // Composed again under the lock: another window may have queued a change to the same field meanwhile.
        changes: composeBases({ ...request, changes: changes ?? [] }, entries, (field) => this.recentValues(request.target, request.subject, field)),
        kind: request.kind,
        payload: request.payload,
        description: request.description,
        createdAt: this.now().toISOString(),
        attempts: 0,
        lastError: redactText(reason),
        // The service just failed; the timer does not hammer it again at once.
        notBefore: new Date(this.now().getTime() + Math.max(this.baseDelayMs, retryAfterMs)).toISOString(),
        state: 'pending',
        ...(request.overwrite ? { overwrite: true } : {}),
        ...(request.mayRepeat ? { mayRepeat: true } : {}),
        ...(request.correlationId !== undefined ? { correlationId: request.correlationId } : {}),
      };
      return { result: created, write: [...entries, created] };
    });
    await this.reload();
    this.options.log.info(`Outbox: queued "${entry.description}" for ${entry.target ? targetLabel(entry.target) : 'an unknown connection'} (${redactText(reason)}).`);
    if (this.options.autoReplay) this.schedule(this.baseDelayMs);
    return { kind: 'queued', outboxId: entry.id, reason: redactText(reason) };
  }

  // ------------------------------------------------------------------------------ the user's choices

  async discard(id: string): Promise<void> {
    await this.loaded;
    await this.file.update((entries) => ({ result: undefined, write: entries.filter((e) => e.id !== id) }));
    await this.reload();
  }

  async resolve(id: string, choice: OutboxChoice): Promise<void> {
    await this.loaded;
    const updated = await this.patch(id, (e) => {
      const { conflict: _conflict, notBefore: _notBefore, ...rest } = e;
      return { ...rest, state: 'pending', ...(choice === 'overwrite' ? { overwrite: true } : {}) };
    });
    if (!updated) throw new DevOpsError('notFound', 'That change is no longer waiting (another window sent or discarded it).');
    await this.reload();
    if (this.options.autoReplay) this.schedule(0);
  }

  // ------------------------------------------------------------------------------ replay

  /** Sends what can be sent now, ignoring backoff (the user asked); loads the trackers it needs. */
  flush(signal?: AbortSignal): Promise<number> {
    return this.replay({ respectBackoff: false, signal });
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.clear();
    this.settled.clear();
  }

  /** Re-reads the file (another window may have changed it) and tells listeners when it differs. */
  async reload(): Promise<void> {
    const next = await this.file.snapshot();
    const changed = JSON.stringify(next) !== JSON.stringify(this.cache);
    this.cache = next;
    if (changed) this.changed.fire();
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
    await this.loaded;
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
      await this.refreshHomes();
      const skipHomes = new Set<string>();
      const tried = new Set<string>();
      for (;;) {
        if (options.signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
        const entries = await this.file.snapshot();
        const next = nextDue(entries, { now: this.now().getTime(), respectBackoff: options.respectBackoff, skipHomes, tried });
        if (!next?.target) break;
        tried.add(next.id);
        const target = next.target;
        const outcome = await this.oneAtATime(`${homeKey(target)}|${next.subject}`, () => this.replayOne(next, target, options.signal));
        if (outcome === 'applied') sent++;
        if (outcome === 'stop') skipHomes.add(homeKey(target));
        await this.reload();
      }
    } finally {
      await release().catch(() => undefined);
      await this.reload();
      if (this.options.autoReplay) this.scheduleNext();
    }
    return sent;
  }

  /** One entry: to its own connection and account only; the outcome recorded, the user told. */
  private async replayOne(queued: OutboxEntry, target: WriteTarget, signal: AbortSignal | undefined): Promise<'applied' | 'kept' | 'stop'> {
    let found: Found;
    try {
      found = await this.connectionFor(target, signal);
    } catch (error) {
      return this.retry(queued, error instanceof DevOpsError ? error : new DevOpsError('unavailable', `Reading who is signed in failed: ${redactText(String(error))}`));
    }
    if ('elsewhere' in found) {
      this.options.log.debug(`Outbox: "${queued.description}" waits: ${found.elsewhere}`);
      return 'stop';
    }
    const kind = found.kinds.get(queued.kind);
    if (!kind) {
      await this.settle(queued, 'refused', `${targetLabel(target)} has no way to send a "${queued.kind}" change (written by another version of the extension?).`);
      return 'kept';
    }
    // On disk before sending: a window that stops now leaves attempts > 0 behind, and the next replay reads before it writes.
    const entry = await this.patch(queued.id, (e) => ({ ...e, attempts: e.attempts + 1 }));
    if (!entry) return 'kept';
    const context: WriteContext = { clientId: entry.clientId, correlationId: entry.correlationId, signal, fresh: false, since: entry.createdAt, mayRepeat: entry.mayRepeat === true };
    let result: AttemptResult;
    try {
      result = await attemptWrite(kind, { payload: entry.payload, changes: entry.changes, overwrite: entry.overwrite === true }, context);
    } catch (error) {
      // Cancelled (the user stopped Send Now): tried again later, nothing decided.
      return this.retry(entry, error instanceof DevOpsError ? error : new DevOpsError('cancelled', 'Cancelled.'));
    }
    switch (result.kind) {
      case 'applied':
        await this.file.update((all) => ({ result: undefined, write: all.filter((e) => e.id !== entry.id) }));
        this.remember(target, entry.subject, entry.changes);
        this.options.log.info(`Outbox: sent "${entry.description}"${result.alreadyApplied ? ' (it had already been made)' : ''}.`);
        await this.announce({ ...this.settledBase(entry), outcome: 'applied', message: `${entry.description}: sent.`, fields: [], url: undefined });
        return 'applied';
      case 'conflict':
        await this.patch(entry.id, (e) => ({ ...e, state: 'conflict', conflict: [...result.fields], ...(result.url ? { url: result.url } : {}), lastError: conflictMessage(entry.description, result.fields) }));
        this.options.log.warn(`Outbox: "${entry.description}" conflicts with a change made on the service: ${conflictMessage(entry.description, result.fields)}`);
        await this.announce({ ...this.settledBase(entry), outcome: 'conflict', message: conflictMessage(entry.description, result.fields), fields: result.fields, url: result.url });
        return 'kept';
      case 'refused':
        await this.settle(entry, 'refused', result.error.message, result.url);
        return 'kept';
      case 'retry':
        return this.retry(entry, result.error);
    }
  }

  private async settle(entry: OutboxEntry, outcome: 'refused', message: string, url?: string): Promise<void> {
    const text = redactText(message);
    await this.patch(entry.id, (e) => ({ ...e, state: 'refused', lastError: text, ...(url ? { url } : {}) }));
    this.options.log.warn(`Outbox: "${entry.description}" was refused: ${text}`);
    await this.announce({ ...this.settledBase(entry), outcome, message: text, fields: [], url });
  }

  /** Tells listeners how a change ended, after the cache holds it: they read pending() for its state and the user's choices. */
  private async announce(settled: SettledWrite): Promise<void> {
    await this.reload();
    this.settled.fire(settled);
  }

  private settledBase(entry: OutboxEntry): Pick<SettledWrite, 'id' | 'clientId' | 'correlationId' | 'tracker' | 'description' | 'where'> {
    return { id: entry.id, clientId: entry.clientId, correlationId: entry.correlationId, tracker: entry.tracker, description: entry.description, where: entry.target ? targetLabel(entry.target) : '' };
  }

  /** Backoff (doubling, with jitter, at least the service's Retry-After); the connection rests for the rest of this pass. */
  private async retry(entry: OutboxEntry, error: DevOpsError): Promise<'stop'> {
    const delay = Math.max(this.backoff(Math.max(1, entry.attempts)), error.options.retryAfterMs ?? 0);
    await this.patch(entry.id, (e) => ({ ...e, lastError: redactText(error.message), notBefore: new Date(this.now().getTime() + delay).toISOString() }));
    return 'stop';
  }

  // ------------------------------------------------------------------------------ connections

  /** The registered connection for a target, its account checked; or why the change waits for another window. */
  private async connectionFor(target: WriteTarget, signal: AbortSignal | undefined): Promise<Found> {
    const homes: WriteHome[] = [];
    for (const connection of this.connections) {
      const home = await connection.home().catch(() => undefined);
      if (!home) continue;
      homes.push(home);
      if (!sameHome(target, home)) continue;
      if (target.account !== undefined) {
        const account = await connection.account(signal);
        if (!sameAccount(target.account, account)) return { elsewhere: `it was asked for as ${target.account} and this window is signed in as ${account ?? 'nobody'}` };
      }
      return { connection, kinds: await connection.kinds() };
    }
    return { elsewhere: `it goes to ${targetLabel(target)} only, and this window is connected to ${homes.map(targetLabel).join(' and ') || 'nothing'}` };
  }

  /** The caller's own connection, when it is connected to the target (a tracker never writes elsewhere through it). */
  private async viaConnection(connection: WriteConnection, target: WriteTarget): Promise<Found> {
    const home = await connection.home();
    if (!home || !sameHome(target, home)) return { elsewhere: `it goes to ${targetLabel(target)} and the tracker sending it is connected to ${home ? targetLabel(home) : 'nothing'}` };
    return { connection, kinds: await connection.kinds() };
  }

  private async refreshHomes(): Promise<void> {
    const homes: { home: WriteHome; account: string | undefined }[] = [];
    for (const connection of this.connections) {
      const home = await connection.home().catch(() => undefined);
      if (!home || homes.some((h) => sameHome(h.home, home))) continue;
      // Only an account the connection already knows: listing loads nothing and asks nobody.
      homes.push({ home, account: connection.knownAccount() });
    }
    const before = JSON.stringify(this.homes);
    this.homes = homes;
    if (JSON.stringify(homes) !== before) this.changed.fire();
  }

  // ------------------------------------------------------------------------------ helpers

  private remember(target: WriteTarget, subject: string, changes: readonly { field: string; want: OutboxJson }[]): void {
    const at = this.now().getTime();
    for (const change of changes) {
      const key = `${homeKey(target)}|${subject}|${change.field}`;
      const kept = (this.recent.get(key) ?? []).filter((r) => at - r.at < RECENT_MS);
      kept.push({ value: change.want, at });
      this.recent.set(key, kept.slice(-RECENT_PER_FIELD));
    }
  }

  private recentValues(target: WriteTarget, subject: string, field: string): OutboxJson[] {
    const at = this.now().getTime();
    return (this.recent.get(`${homeKey(target)}|${subject}|${field}`) ?? []).filter((r) => at - r.at < RECENT_MS).map((r) => r.value);
  }

  private oneAtATime<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.subjects.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    this.subjects.set(key, tail);
    void tail.then(() => {
      if (this.subjects.get(key) === tail) this.subjects.delete(key);
    });
    return run;
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
    // Only what a pass would send: a change held behind one that waits for the user, or meant for another window, wakes nothing.
    const due = unheld(this.cache).filter((e) => this.elsewhere(e) === undefined).map((e) => (e.notBefore ? Date.parse(e.notBefore) : 0));
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

/** `AB#7: State → Closed: State is Resolved on the service (you saw Active).` */
export function conflictMessage(description: string, fields: readonly { field: string; theirs: OutboxJson | null; seen: OutboxJson | null }[]): string {
  const shown = (v: OutboxJson | null): string => (v === null ? 'empty' : typeof v === 'string' ? v : JSON.stringify(v));
  const parts = fields.map((f) => `${f.field} is ${shown(f.theirs)} on the service (you saw ${shown(f.seen)})`);
  return `${description}: someone else changed it: ${parts.join('; ')}.`;
}

export async function createFileOutbox(options: FileOutboxOptions): Promise<FileOutbox> {
  return FileOutbox.open(options);
}
