import { promises as fs } from 'node:fs';
import path from 'node:path';
import {
  agentRuns,
  AUDIT_EVENTS,
  type AuditDisposable,
  type AuditEvent,
  AuditEventSchema,
  type AuditInput,
  type AuditMirror,
  type AuditSink,
  buildAuditEvent,
  type ChainHead,
  EMPTY_HEAD,
  isRunEnd,
  serializeEvent,
} from '../../core/audit';
import { DevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { guardPath, type RealPathResolver } from '../../core/policy/pathGuard';
import { resolveRealPath } from '../files/realPath';
import { auditDir, AUDIT_DIR, compareAuditFileNames, listAuditFiles, MAX_FILE_BYTES, parseAuditFileName, partFile, tornFileFor } from './auditLayout';
import { forEachLineBackward } from './lineStream';

export interface FileAuditSinkOptions {
  readonly workspaceRoot: string | undefined;
  readonly log: Logger;
  readonly mirror?: AuditMirror;
  readonly now?: () => Date;
  readonly realpath?: RealPathResolver;
  /** A file takes no more events once it holds this many bytes (default MAX_FILE_BYTES). */
  readonly maxFileBytes?: number;
}

export interface RecoveryReport {
  readonly file: string;
  readonly tornFile: string;
  /** Characters moved aside. */
  readonly length: number;
}

export interface OpenReport {
  readonly head: ChainHead;
  readonly recovered?: RecoveryReport;
}

interface Current {
  head: ChainHead;
  file?: string;
  /** The UTC day `file` belongs to. */
  day?: string;
  handle?: fs.FileHandle;
  /** File size after our last write: a different size means another window appended. */
  size: number;
}

const parseEvent = (line: string): AuditEvent | undefined => {
  try {
    const r = AuditEventSchema.safeParse(JSON.parse(line));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
};

const MAX_TRACKED_RUNS = 200;

/**
 * The audit trail on disk. Appends are queued in-process so concurrent callers keep the chain;
 * each event is one write to a file opened with O_APPEND, today's newest file until it reaches the
 * size limit, then the day's next part. On open, a torn last line (the editor stopped mid-write)
 * is moved to `<file>.torn`, the events before it are kept and the chain goes on from the last
 * good line. Only the tail of the newest file is read to find where the chain stands.
 */
export class FileAuditSink implements AuditSink {
  private queue: Promise<unknown> = Promise.resolve();
  private current?: Current;
  private opening?: Promise<OpenReport>;
  private readonly listeners = new Set<(event: AuditEvent) => void>();
  private readonly recoveryListeners = new Set<(report: RecoveryReport) => void>();
  /** Events of runs seen this session, so a finished run can be mirrored as a whole. */
  private readonly runs = new Map<string, AuditEvent[]>();
  private closed = false;

  constructor(private readonly options: FileAuditSinkOptions) {}

  /** The trail's folder, or undefined without a workspace. */
  get directory(): string | undefined {
    return this.options.workspaceRoot ? auditDir(this.options.workspaceRoot) : undefined;
  }

  private requireDir(): string {
    const dir = this.directory;
    if (!dir) throw new DevOpsError('notConfigured', `Open a folder first: the audit trail lives in the workspace under ${AUDIT_DIR}. Nothing was written.`);
    return dir;
  }

  onDidAppend(listener: (event: AuditEvent) => void): AuditDisposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  onDidRecover(listener: (report: RecoveryReport) => void): AuditDisposable {
    this.recoveryListeners.add(listener);
    return { dispose: () => this.recoveryListeners.delete(listener) };
  }

  /** Recovers a torn last line and finds the chain's head. Runs once; append calls it. */
  open(): Promise<OpenReport> {
    this.opening ??= this.enqueue(() => this.doOpen());
    return this.opening;
  }

  append(input: AuditInput): Promise<AuditEvent> {
    if (this.closed) return Promise.reject(new DevOpsError('unavailable', 'The audit trail is closed (the extension is shutting down); the event was not written.'));
    const dir = this.directory;
    if (!dir) return Promise.reject(new DevOpsError('notConfigured', `Open a folder first: the audit trail lives in the workspace under ${AUDIT_DIR}. Nothing was written.`));
    void this.open().catch(() => undefined);
    return this.enqueue(async () => {
      if (!this.current) await this.doOpen();
      const event = await this.write(dir, input);
      this.emit(event);
      return event;
    });
  }

  /** Resolves when every queued append is on disk (data synced). */
  async flush(): Promise<void> {
    await this.enqueue(async () => {
      await this.current?.handle?.datasync();
    });
  }

  /** Flushes, closes the file and refuses later appends. Called from the extension's deactivate. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch((e: unknown) => this.options.log.warn(`Audit trail: flush on close failed: ${e instanceof Error ? e.message : String(e)}`));
    this.closed = true;
    await this.enqueue(async () => {
      await this.current?.handle?.close();
      if (this.current) this.current.handle = undefined;
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    // One failed append must not stop the ones after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doOpen(): Promise<OpenReport> {
    const dir = this.requireDir();
    const root = this.options.workspaceRoot!;
    const guard = await guardPath(root, AUDIT_DIR, this.options.realpath ?? resolveRealPath);
    if (!guard.ok) throw new DevOpsError('refused', `The audit trail was not opened: ${guard.reason}`);
    const files = await listAuditFiles(dir);
    let recovered: RecoveryReport | undefined;
    const newest = files[files.length - 1];
    if (newest) recovered = await this.recoverTornLine(newest);
    const head = await this.readHead(files);
    await this.current?.handle?.close();
    this.current = { head, size: -1 };
    if (recovered) {
      this.options.log.warn(`Audit trail: the last line of ${recovered.file} was cut off (the editor stopped mid-write); it was moved to ${recovered.tornFile} and the trail continues from the event before it.`);
      for (const l of this.recoveryListeners) l(recovered);
    }
    return { head, ...(recovered ? { recovered } : {}) };
  }

  /** Moves a partial last line aside; a complete event that only lost its newline gets the newline back. */
  private async recoverTornLine(file: string): Promise<RecoveryReport | undefined> {
    let tail: { text: string; offset: number } | undefined;
    await forEachLineBackward(file, {}, (b, start, end, offset, terminated) => {
      if (!terminated && end > start) tail = { text: Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'), offset };
      return false;
    });
    if (!tail) return undefined;
    if (parseEvent(tail.text)) {
      await fs.appendFile(file, '\n');
      return undefined;
    }
    const tornFile = tornFileFor(file);
    await fs.appendFile(tornFile, `${tail.text}\n`);
    await fs.truncate(file, tail.offset);
    return { file, tornFile, length: tail.text.length };
  }

  /** The newest valid event's hash and seq (damage further up is verify's to report); reads files from their end. */
  private async readHead(files: readonly string[]): Promise<ChainHead> {
    for (let f = files.length - 1; f >= 0; f--) {
      let head: ChainHead | undefined;
      let lines = 0;
      await forEachLineBackward(files[f]!, {}, (b, start, end) => {
        lines++;
        const text = Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
        if (text.trim() === '') return true;
        const e = parseEvent(text);
        if (e) {
          head = { prev: e.hash, seq: e.seq };
          return false;
        }
        this.options.log.warn(`Audit trail: line ${lines} from the end of ${files[f]} is not a valid event; the chain continues from the last valid one. Run "Verify Audit Trail" for details.`);
        return true;
      });
      if (head) return head;
    }
    return EMPTY_HEAD;
  }

  /**
   * The file for an event on `day`: the day's newest part while it is under the size limit, else
   * a new part. Never a file that sorts before the trail's newest one: a clock that went back (or
   * another window's that runs ahead) keeps writing on at the end of the chain.
   */
  private async fileFor(dir: string, day: string): Promise<string> {
    const limit = this.options.maxFileBytes ?? MAX_FILE_BYTES;
    const files = await listAuditFiles(dir);
    const newest = files[files.length - 1];
    const ours = partFile(dir, day, 1);
    const base = newest && compareAuditFileNames(path.basename(newest), path.basename(ours)) > 0 ? newest : files.filter((f) => parseAuditFileName(path.basename(f))!.day === day).pop();
    if (!base) return ours;
    const size = await fs.stat(base).then((st) => st.size);
    if (size < limit) return base;
    const { day: baseDay, part } = parseAuditFileName(path.basename(base))!;
    return partFile(dir, baseDay, part + 1);
  }

  private async write(dir: string, input: AuditInput): Promise<AuditEvent> {
    const cur = this.current!;
    const now = (this.options.now ?? (() => new Date()))();
    const day = now.toISOString().slice(0, 10);
    let handle = cur.day === day ? cur.handle : undefined;
    let size = handle ? (await handle.stat()).size : -1;
    if (!handle || size >= (this.options.maxFileBytes ?? MAX_FILE_BYTES)) {
      await cur.handle?.close();
      cur.handle = undefined;
      await fs.mkdir(dir, { recursive: true });
      const file = await this.fileFor(dir, day);
      handle = cur.handle = await fs.open(file, 'a');
      cur.file = file;
      cur.day = day;
      size = (await handle.stat()).size;
      // A new file: another window may have started it, or rotated before us; go on from the disk's head.
      cur.head = await this.readHead(await listAuditFiles(dir));
    } else if (size !== cur.size) {
      // Another window appended since our last write: continue its chain, not ours.
      cur.head = await this.readHead(await listAuditFiles(dir));
    }
    const event = buildAuditEvent({ ...input }, cur.head, now);
    const data = Buffer.from(`${serializeEvent(event)}\n`, 'utf8');
    let written = 0;
    while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten;
    cur.size = size + data.length;
    cur.head = { prev: event.hash, seq: event.seq };
    return event;
  }

  private emit(event: AuditEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (e) {
        this.options.log.warn(`Audit trail listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const mirror = this.options.mirror;
    if (!mirror) return;
    const warn = (what: string) => (e: unknown) => this.options.log.warn(`Audit mirror: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    const list = this.runs.get(event.correlationId) ?? [];
    if (list.length === 0 && event.eventType !== AUDIT_EVENTS.runStarted) {
      // Outside a run: a comment of its own. A run's events reach the mirror with the run, when it ends.
      if (event.workItemId !== null) mirror.mirrorEvent(event).catch(warn(`event ${event.seq}`));
      return;
    }
    list.push(event);
    this.runs.set(event.correlationId, list);
    if (this.runs.size > MAX_TRACKED_RUNS) this.runs.delete(this.runs.keys().next().value!);
    if (isRunEnd(event)) {
      this.runs.delete(event.correlationId);
      const run = agentRuns(list)[0];
      if (run) mirror.publishRun(run).catch(warn(`run ${run.correlationId}`));
    }
  }
}
