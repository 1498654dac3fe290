import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AUDIT_EVENTS, type AuditEvent, isAgentService, type RunOutcome, type LineFields, newLineFields, parseTrailLine, scanCanonicalLine } from '../../../core/audit';
import { DevOpsError, throwIfAborted } from '../../../core/errors';
import { listAuditFiles } from '../auditLayout';
import { forEachLine } from '../lineStream';
import { type Columns, EventColumns, Interner } from './eventColumns';
import { GroupTable, OUTCOMES } from './groupTable';
import { type IndexedFile, loadIndex, saveIndex } from './indexFile';

/** An event and where it sits (1-based line). */
export interface StoredEvent {
  readonly event: AuditEvent;
  readonly file: string;
  readonly line: number;
}

/** What a search narrows the trail to; every field optional. */
export interface IndexQuery {
  readonly workItemId?: number;
  /** Service names (either matches). */
  readonly services?: readonly string[];
  /** Milliseconds, inclusive start and exclusive end. */
  readonly from?: number;
  readonly to?: number;
  readonly eventTypes?: readonly string[];
}

export interface IndexSearch {
  /** Matching events, and how many correlation ids they belong to. */
  readonly total: number;
  readonly groups: number;
  /** The newest matching rows, newest first. */
  readonly rows: readonly number[];
}

/** A correlation id as the index knows it (times to the millisecond). */
export interface GroupSummary {
  readonly id: number;
  readonly correlationId: string;
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Services that wrote its events, in order of first appearance. */
  readonly services: readonly string[];
  readonly firstType: string;
  readonly lastType: string;
  /** Set for an agent run: the first agent service among its events. */
  readonly agent?: string;
  readonly outcome: RunOutcome;
  /** Events other than run.started and the run's end. */
  readonly steps: number;
  readonly workItemIds: readonly number[];
}

export interface RefreshReport {
  /** Rows added (appended lines and re-indexed files). */
  readonly added: number;
  /** The first file that had to be read again from its start because it changed behind the index's back. */
  readonly rebuiltFrom?: string;
  readonly changed: boolean;
}

/** A line the index points at is no longer the event it indexed: the file changed in a way its size and time did not show. */
export class StaleIndexError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed since it was indexed.`);
  }
}

const WORK_ITEM_BIG = 0xffffffff;
const FINGERPRINT = 4096;
const KIND: Readonly<Record<string, number>> = { [AUDIT_EVENTS.runStarted]: 0, [AUDIT_EVENTS.runCompleted]: 1, [AUDIT_EVENTS.runFailed]: 2, [AUDIT_EVENTS.runCancelled]: 3 };
/** Reads of neighbouring events are merged while the gap between them is under this. */
const READ_GAP = 64 * 1024;
/** Reads in flight at once (libuv runs four by default). */
const READS = 4;

async function readAt(file: string, buffer: Buffer, position: number): Promise<number> {
  const handle = await fs.open(file, 'r');
  try {
    return (await handle.read(buffer, 0, buffer.length, position)).bytesRead;
  } finally {
    await handle.close();
  }
}

async function fingerprint(file: string, from: number, to: number): Promise<string> {
  const length = Math.max(0, to - from);
  const buffer = Buffer.alloc(length);
  if (length > 0) await readAt(file, buffer, from);
  return createHash('sha256').update(buffer).digest('hex');
}

/**
 * The trail's index: one streaming pass over the files records, for every event, where its line
 * is and what the views and `/audit` filter on (correlation id, service, type, work item, time),
 * and for every correlation id its count, ends and run outcome, with the groups kept in order of
 * their newest event. Pages, runs and searches are answered from it and only the events shown
 * are read back from disk, by offset. It is saved beside the verified head (outside the
 * workspace) and brought up to date on open by reading only what was appended since; a file that
 * changed in any other way is read again from its start, with every file after it.
 */
export class AuditIndex {
  private readonly columns = new EventColumns();
  private groups = new GroupTable();
  private readonly groupIds = new Interner(0xffffffff, 'correlation ids');
  private readonly serviceIds = new Interner(0xffff, 'services');
  private readonly typeIds = new Interner(0xffff, 'event types');
  private files: IndexedFile[] = [];
  /** Per service id: is it an agent? Per type id: its KIND or -1. */
  private readonly agentService: boolean[] = [];
  private readonly typeKind: number[] = [];
  private readonly fields: LineFields = newLineFields();
  private dirty = false;

  private constructor(
    readonly dir: string,
    private readonly stateFile: string | undefined,
  ) {}

  /** The index of the trail in `dir`, loaded from `stateFile` when one was saved (call `refresh` next). */
  static async open(dir: string, stateFile?: string): Promise<AuditIndex> {
    const index = new AuditIndex(dir, stateFile);
    if (stateFile) await index.load(stateFile);
    return index;
  }

  get eventCount(): number {
    return this.columns.length;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** True when rows changed since the last save. */
  get unsaved(): boolean {
    return this.dirty;
  }

  /** Services that wrote events, in the order they first appear. */
  services(): readonly string[] {
    return this.serviceIds.values();
  }

  /** Brings the index up to the files on disk; `onProgress` gets bytes read and bytes to read. */
  async refresh(options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<RefreshReport> {
    const names = (await listAuditFiles(this.dir)).map((f) => path.basename(f));
    const stats = await Promise.all(names.map((n) => fs.stat(path.join(this.dir, n)).catch(() => undefined)));
    // How many indexed files stand as they are; the last of them may have grown.
    let keep = 0;
    let appendTo: number | undefined;
    for (; keep < this.files.length; keep++) {
      const f = this.files[keep]!;
      const st = stats[keep];
      if (names[keep] !== f.name || !st) break;
      if (st.size === f.diskSize && st.mtimeMs === f.mtimeMs && st.ino === f.ino) continue;
      const last = keep === this.files.length - 1;
      if (last && st.ino === f.ino && st.size > f.size && (await this.stillPrefix(f))) {
        appendTo = keep;
        keep++;
      }
      break;
    }
    const rebuiltFrom = keep < this.files.length ? this.files[keep]!.name : undefined;
    if (rebuiltFrom !== undefined) this.truncate(keep);
    const work: { name: string; index: number; from: number }[] = [];
    if (appendTo !== undefined) work.push({ name: this.files[appendTo]!.name, index: appendTo, from: this.files[appendTo]!.size });
    for (let i = this.files.length; i < names.length; i++) work.push({ name: names[i]!, index: i, from: 0 });
    const total = work.reduce((n, w) => n + ((stats[w.index]?.size ?? 0) - w.from), 0);
    let done = 0;
    const before = this.columns.length;
    for (const w of work) {
      throwIfAborted(options.signal);
      const start = done;
      await this.indexFile(w.name, w.index, w.from, options.signal, (read) => options.onProgress?.((done = start + read), total));
    }
    const added = this.columns.length - before;
    const changed = added > 0 || rebuiltFrom !== undefined || work.length > 0;
    if (changed) this.dirty = true;
    return { added, changed, ...(rebuiltFrom !== undefined ? { rebuiltFrom } : {}) };
  }

  /** Marks a file as changed so the next refresh reads it (and every later file) again. */
  invalidate(name: string): void {
    const f = this.files.find((x) => x.name === name);
    if (f) f.mtimeMs = -1;
  }

  /** Saves the index (when it changed) for the next window. */
  async save(): Promise<void> {
    if (!this.stateFile || !this.dirty) return;
    this.dirty = false;
    const prefixed = (prefix: string, columns: Columns) => Object.fromEntries(Object.entries(columns).map(([k, v]) => [`${prefix}.${k}`, v]));
    await saveIndex(
      this.stateFile,
      { version: 2, events: this.columns.length, groups: this.groups.size, newestGroup: this.groups.newest, services: this.serviceIds.size, types: this.typeIds.size, files: this.files },
      {
        ...prefixed('events', this.columns.save()),
        ...prefixed('groups', this.groups.save()),
        ...prefixed('groupIds', this.groupIds.save()),
        ...prefixed('serviceIds', this.serviceIds.save()),
        ...prefixed('typeIds', this.typeIds.save()),
      },
    );
  }

  /** Groups (correlation ids) from the one with the newest event back: up to `limit` after group `after`. */
  newestGroups(limit: number, after = -1, runsOnly = false): number[] {
    const out: number[] = [];
    const g = this.groups;
    for (let id = g.olderThan(after); id >= 0 && out.length < limit; id = g.olderThan(id)) {
      if (!runsOnly || g.agent[id]! >= 0) out.push(id);
    }
    return out;
  }

  /** Whether there is a group (or run) older than `group`. */
  hasOlder(group: number, runsOnly = false): boolean {
    for (let id = this.groups.olderThan(group); id >= 0; id = this.groups.olderThan(id)) if (!runsOnly || this.groups.agent[id]! >= 0) return true;
    return false;
  }

  /** What the views show of a group without reading its events: counts, ends, services, run outcome, work items. */
  summary(id: number): GroupSummary {
    const g = this.groups;
    const c = this.columns;
    const agent = g.agent[id]!;
    const services = new Set<string>();
    const workItemIds = new Set<number>();
    for (let r = g.first[id]!; r >= 0; r = c.nextInGroup[r]!) {
      services.add(this.serviceIds.value(c.service[r]!));
      const item = c.workItem[r]!;
      if (item !== 0 && item !== WORK_ITEM_BIG) workItemIds.add(item);
    }
    const first = g.first[id]!;
    const last = g.last[id]!;
    return {
      id,
      correlationId: this.groupIds.value(id),
      count: g.count[id]!,
      firstAt: new Date(c.time[first]!).toISOString(),
      lastAt: new Date(c.time[last]!).toISOString(),
      services: [...services],
      firstType: this.typeIds.value(c.type[first]!),
      lastType: this.typeIds.value(c.type[last]!),
      ...(agent >= 0 ? { agent: this.serviceIds.value(agent) } : {}),
      outcome: OUTCOMES[g.outcome[id]!]!,
      steps: g.steps[id]!,
      workItemIds: [...workItemIds],
    };
  }

  groupOf(correlationId: string): number | undefined {
    return this.groupIds.find(correlationId);
  }

  /** A group's rows, oldest first. */
  groupRows(id: number): number[] {
    const rows: number[] = [];
    for (let r = this.groups.first[id]!; r >= 0; r = this.columns.nextInGroup[r]!) rows.push(r);
    return rows;
  }

  /** The newest `limit` rows before row `before` (newest first). */
  newestRows(limit: number, before = this.columns.length): number[] {
    const out: number[] = [];
    for (let r = Math.min(before, this.columns.length) - 1; r >= 0 && out.length < limit; r--) out.push(r);
    return out;
  }

  /** Rows matching the query, counted over the whole trail; the newest `limit` of them returned. */
  search(query: IndexQuery, limit: number): IndexSearch {
    const c = this.columns;
    const services = query.services?.map((s) => this.serviceIds.find(s)).filter((s): s is number => s !== undefined);
    const types = query.eventTypes?.map((t) => this.typeIds.find(t)).filter((t): t is number => t !== undefined);
    if ((query.services && services!.length === 0) || (query.eventTypes && types!.length === 0)) return { total: 0, groups: 0, rows: [] };
    const item = query.workItemId === undefined ? undefined : Math.min(query.workItemId, WORK_ITEM_BIG);
    const from = query.from ?? -Infinity;
    const to = query.to ?? Infinity;
    const seen = new Uint8Array(this.groups.size);
    const rows: number[] = [];
    let total = 0;
    let groups = 0;
    for (let r = c.length - 1; r >= 0; r--) {
      if (item !== undefined && c.workItem[r] !== item) continue;
      if (services && !services.includes(c.service[r]!)) continue;
      if (types && !types.includes(c.type[r]!)) continue;
      const t = c.time[r]!;
      if (t < from || t >= to) continue;
      total++;
      if (rows.length < limit) rows.push(r);
      const g = c.group[r]!;
      if (seen[g] === 0) {
        seen[g] = 1;
        groups++;
      }
    }
    return { total, groups, rows };
  }

  /**
   * The events of `rows`, in the order given, read from their files by offset: rows close together
   * in a file are read at once, each file is opened once, and up to READS reads are in flight.
   */
  async readEvents(rows: readonly number[]): Promise<StoredEvent[]> {
    const c = this.columns;
    const order = rows.map((r, i) => ({ r, i })).sort((a, b) => c.file[a.r]! - c.file[b.r]! || c.offset[a.r]! - c.offset[b.r]!);
    // Runs of rows in one file close enough to read at once: [first, last) of `order`, and the bytes.
    const ranges: { first: number; last: number; file: number; start: number; end: number }[] = [];
    for (let k = 0; k < order.length; ) {
      const file = c.file[order[k]!.r]!;
      const start = c.offset[order[k]!.r]!;
      let end = start + c.bytes[order[k]!.r]!;
      let j = k + 1;
      while (j < order.length && c.file[order[j]!.r] === file && c.offset[order[j]!.r]! - end <= READ_GAP) {
        end = Math.max(end, c.offset[order[j]!.r]! + c.bytes[order[j]!.r]!);
        j++;
      }
      ranges.push({ first: k, last: j, file, start, end });
      k = j;
    }
    const out: StoredEvent[] = new Array<StoredEvent>(rows.length);
    const handles = new Map<number, Promise<fs.FileHandle>>();
    const open = (file: number): Promise<fs.FileHandle> => {
      let h = handles.get(file);
      if (!h) {
        const name = this.files[file]!.name;
        h = fs.open(path.join(this.dir, name), 'r').catch(() => {
          throw new StaleIndexError(name);
        });
        handles.set(file, h);
      }
      return h;
    };
    const fields = newLineFields();
    const readRange = async ({ first, last, file, start, end }: (typeof ranges)[number]): Promise<void> => {
      const name = this.files[file]!.name;
      const full = path.join(this.dir, name);
      const buffer = Buffer.allocUnsafe(end - start);
      const { bytesRead } = await (await open(file)).read(buffer, 0, buffer.length, start);
      const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
      for (let k = first; k < last; k++) {
        const { r, i } = order[k]!;
        const at = c.offset[r]! - start;
        const to = at + c.bytes[r]!;
        if (to > bytesRead) throw new StaleIndexError(name);
        const text = buffer.toString('utf8', at, to);
        // A line the fast path recognises is a valid event as it stands: JSON.parse is enough.
        const event = scanCanonicalLine(view, at, to, fields, true) ? (JSON.parse(text) as AuditEvent) : eventOrUndefined(text);
        if (!event || event.seq !== c.seq[r]) throw new StaleIndexError(name);
        out[i] = { event, file: full, line: c.line[r]! };
      }
    };
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < ranges.length) await readRange(ranges[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(READS, ranges.length) }, worker));
    } finally {
      await Promise.all([...handles.values()].map((h) => h.then((x) => x.close(), () => undefined)));
    }
    return out;
  }

  /** Row facts without reading the file: for labels and counts. */
  row(r: number): { service: string; eventType: string; time: number; group: number } {
    const c = this.columns;
    return { service: this.serviceIds.value(c.service[r]!), eventType: this.typeIds.value(c.type[r]!), time: c.time[r]!, group: c.group[r]! };
  }

  private async stillPrefix(f: IndexedFile): Promise<boolean> {
    const file = path.join(this.dir, f.name);
    const [head, tail] = await Promise.all([fingerprint(file, 0, Math.min(FINGERPRINT, f.size)), fingerprint(file, Math.max(0, f.size - FINGERPRINT), f.size)]);
    return head === f.head && tail === f.tail;
  }

  /** Drops the rows of files `keep` and after; rebuilds the groups from the rows left. */
  private truncate(keep: number): void {
    const f = this.files[keep]!;
    this.columns.length = f.firstEvent;
    this.groupIds.truncate(f.groupsBefore);
    this.serviceIds.truncate(f.servicesBefore);
    this.typeIds.truncate(f.typesBefore);
    this.agentService.length = this.serviceIds.size;
    this.typeKind.length = this.typeIds.size;
    this.files = this.files.slice(0, keep);
    this.rebuildGroups();
  }

  private rebuildGroups(): void {
    this.groups = new GroupTable();
    const c = this.columns;
    for (let r = 0; r < c.length; r++) this.link(r, c.group[r]!, c.service[r]!, c.type[r]!);
  }

  private link(r: number, g: number, service: number, type: number): void {
    const c = this.columns;
    const previous = this.groups.add(g, r, this.agentService[service] ? service : -1, this.typeKind[type]!);
    c.nextInGroup[r] = -1;
    if (previous >= 0) c.nextInGroup[previous] = r;
  }

  /** A new service or type gets its facts (is it an agent, is it a run's start or end) once. */
  private noteService(id: number): number {
    if (id === this.agentService.length) this.agentService.push(isAgentService(this.serviceIds.value(id)));
    return id;
  }

  private noteType(id: number): number {
    if (id === this.typeKind.length) this.typeKind.push(KIND[this.typeIds.value(id)] ?? -1);
    return id;
  }

  private async indexFile(name: string, index: number, from: number, signal: AbortSignal | undefined, onBytes: (read: number) => void): Promise<void> {
    const full = path.join(this.dir, name);
    const st = await fs.stat(full);
    if (st.size > 0xffffffff) throw new DevOpsError('unavailable', `${name} is over 4 GiB; the audit index reads files up to 4 GiB (the extension starts a new file at 16 MiB).`);
    let f = this.files[index];
    if (!f) {
      f = { name, size: 0, diskSize: 0, mtimeMs: 0, ino: 0, lines: 0, firstEvent: this.columns.length, groupsBefore: this.groupIds.size, servicesBefore: this.serviceIds.size, typesBefore: this.typeIds.size, head: '', tail: '' };
      this.files[index] = f;
    }
    const fileNo = index;
    let line = f.lines;
    let size = from;
    const fields = this.fields;
    let text: Buffer | undefined;
    let textOf: Uint8Array | undefined;
    const day = new Uint8Array(10);
    let dayMs = Number.NaN;
    await forEachLine(full, { from, signal, onBytes }, (b, start, end, offset, terminated) => {
      // A line still being written (or torn) waits for the next refresh.
      if (!terminated) return false;
      line++;
      size = offset + (end - start) + 1;
      if (textOf !== b) {
        textOf = b;
        text = Buffer.from(b.buffer, b.byteOffset, b.length);
      }
      const t = text!;
      let g: number;
      let s: number;
      let y: number;
      let workItem: number | null;
      let seq: number;
      let time: number;
      if (scanCanonicalLine(b, start, end, fields, true)) {
        g = this.groupIds.idOfBytes(b, fields.correlationId, fields.correlationIdEnd);
        s = this.noteService(this.serviceIds.idOfBytes(b, fields.service, fields.serviceEnd));
        y = this.noteType(this.typeIds.idOfBytes(b, fields.eventType, fields.eventTypeEnd));
        workItem = fields.workItemId;
        seq = fields.seq;
        // The day's midnight is worked out once a day of lines; the time of day from its digits.
        const ts = fields.timestamp;
        let sameDay = !Number.isNaN(dayMs);
        for (let k = 0; k < 10 && sameDay; k++) sameDay = day[k] === b[ts + k];
        if (!sameDay) {
          day.set(b.subarray(ts, ts + 10));
          dayMs = Date.parse(`${t.toString('latin1', ts, ts + 10)}T00:00:00.000Z`);
        }
        time = dayMs + timeOfDayMs(b, ts + 11);
      } else {
        const p = parseTrailLine(t.toString('utf8', start, end));
        if (p.kind !== 'event') return true;
        g = this.groupIds.id(p.event.correlationId);
        s = this.noteService(this.serviceIds.id(p.event.service));
        y = this.noteType(this.typeIds.id(p.event.eventType));
        ({ workItemId: workItem, seq } = p.event);
        time = Date.parse(p.event.timestamp);
      }
      if (seq > 0xffffffff) return true;
      const c = this.columns;
      const r = c.length;
      if (r === c.file.length) c.grow(r + 1);
      c.file[r] = fileNo;
      c.offset[r] = offset;
      c.bytes[r] = end - start;
      c.line[r] = line;
      c.seq[r] = seq;
      c.group[r] = g;
      c.service[r] = s;
      c.type[r] = y;
      c.workItem[r] = workItem === null ? 0 : Math.min(workItem, WORK_ITEM_BIG);
      c.time[r] = time;
      c.length = r + 1;
      this.link(r, g, s, y);
      return true;
    });
    f.lines = line;
    f.size = size;
    f.diskSize = st.size;
    f.mtimeMs = st.mtimeMs;
    f.ino = st.ino;
    [f.head, f.tail] = await Promise.all([fingerprint(full, 0, Math.min(FINGERPRINT, size)), fingerprint(full, Math.max(0, size - FINGERPRINT), size)]);
  }

  private async load(stateFile: string): Promise<void> {
    const saved = await loadIndex(stateFile);
    if (!saved) return;
    const { header, arrays } = saved;
    const part = (prefix: string) => Object.fromEntries(Object.entries(arrays).flatMap(([k, v]) => (k.startsWith(`${prefix}.`) ? [[k.slice(prefix.length + 1), v]] : [])));
    const whole =
      this.columns.restore(part('events'), header.events) &&
      this.groups.restore(part('groups'), header.groups, header.newestGroup) &&
      this.groupIds.restore(part('groupIds'), header.groups) &&
      this.serviceIds.restore(part('serviceIds'), header.services) &&
      this.typeIds.restore(part('typeIds'), header.types);
    if (!whole) return this.reset();
    for (let id = 0; id < this.serviceIds.size; id++) this.noteService(id);
    for (let id = 0; id < this.typeIds.size; id++) this.noteType(id);
    this.files = header.files;
    // Rows must point at files, strings and groups that exist; otherwise start again.
    const c = this.columns;
    const g = this.groups;
    for (let r = 0; r < c.length; r++) {
      if (c.file[r]! >= this.files.length || c.group[r]! >= g.size || c.service[r]! >= this.serviceIds.size || c.type[r]! >= this.typeIds.size || c.nextInGroup[r]! >= c.length) return this.reset();
    }
    for (let id = 0; id < g.size; id++) if (g.first[id]! >= c.length || g.last[id]! >= c.length || g.newer[id]! >= g.size || g.older[id]! >= g.size) return this.reset();
  }

  private reset(): void {
    this.columns.length = 0;
    this.groupIds.truncate(0);
    this.serviceIds.truncate(0);
    this.typeIds.truncate(0);
    this.agentService.length = 0;
    this.typeKind.length = 0;
    this.files = [];
    this.groups = new GroupTable();
  }
}

function eventOrUndefined(text: string): AuditEvent | undefined {
  const p = parseTrailLine(text);
  return p.kind === 'event' ? p.event : undefined;
}

/** `HH:MM:SS(.fraction)` at `at` as milliseconds (the scanner has checked its form); fractions past milliseconds are cut. */
function timeOfDayMs(b: Uint8Array, at: number): number {
  const d = (k: number) => b[at + k]! - 0x30;
  let ms = ((d(0) * 10 + d(1)) * 3600 + (d(3) * 10 + d(4)) * 60 + (d(6) * 10 + d(7))) * 1000;
  if (b[at + 8] === 0x2e) {
    let scale = 100;
    for (let k = at + 9; scale >= 1 && b[k]! >= 0x30 && b[k]! <= 0x39; k++, scale /= 10) ms += (b[k]! - 0x30) * scale;
  }
  return ms;
}
