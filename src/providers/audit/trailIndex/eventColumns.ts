export type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

/** Typed arrays by name: what the index saves and loads. */
export type Columns = Record<string, Column>;

/** Each column's first `length` entries, by name. */
export function usedPart(owner: object, names: readonly string[], length: number): Columns {
  const all = owner as Record<string, Column>;
  return Object.fromEntries(names.map((n) => [n, all[n]!.subarray(0, length)]));
}

/** Takes saved columns as the owner's own (they grow, by copying, on the next row): false when one is missing or of another kind. */
export function restoreColumns(owner: object, names: readonly string[], saved: Columns, length: number): boolean {
  const all = owner as Record<string, Column>;
  if (names.some((n) => saved[n]?.constructor !== all[n]!.constructor || saved[n]!.length !== length)) return false;
  for (const n of names) all[n] = saved[n]!;
  return true;
}

/**
 * The index's events, one row each, in trail order, as typed columns (about 40 bytes an event, so
 * a million events take about 40 MB and no per-event object). `nextInGroup` links the events of a
 * correlation id, oldest first. Strings are interned: a row holds the number of its correlation id,
 * service and event type.
 */
export class EventColumns {
  length = 0;
  file = new Uint16Array(0);
  offset = new Uint32Array(0);
  bytes = new Uint32Array(0);
  line = new Uint32Array(0);
  seq = new Uint32Array(0);
  group = new Uint32Array(0);
  service = new Uint16Array(0);
  type = new Uint16Array(0);
  /** 0: none; ids past 2^32 - 2 are stored as 2^32 - 1 and checked on the event itself. */
  workItem = new Uint32Array(0);
  /** Milliseconds since the epoch. */
  time = new Float64Array(0);
  /** The next event of the same correlation id, or -1. */
  nextInGroup = new Int32Array(0);

  constructor(capacity = 1024) {
    this.grow(capacity);
  }

  /** Makes room for at least `capacity` rows, keeping the rows there are. */
  grow(capacity: number): void {
    if (capacity <= this.file.length) return;
    const n = Math.max(capacity, Math.ceil(this.file.length * 1.5));
    const more = <T extends { length: number; set(a: T): void }>(old: T, make: (n: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.file = more(this.file, (k) => new Uint16Array(k));
    this.offset = more(this.offset, (k) => new Uint32Array(k));
    this.bytes = more(this.bytes, (k) => new Uint32Array(k));
    this.line = more(this.line, (k) => new Uint32Array(k));
    this.seq = more(this.seq, (k) => new Uint32Array(k));
    this.group = more(this.group, (k) => new Uint32Array(k));
    this.service = more(this.service, (k) => new Uint16Array(k));
    this.type = more(this.type, (k) => new Uint16Array(k));
    this.workItem = more(this.workItem, (k) => new Uint32Array(k));
    this.time = more(this.time, (k) => new Float64Array(k));
    this.nextInGroup = more(this.nextInGroup, (k) => new Int32Array(k));
  }

  static readonly SAVED = ['file', 'offset', 'bytes', 'line', 'seq', 'group', 'service', 'type', 'workItem', 'time', 'nextInGroup'] as const;

  save(): Columns {
    return usedPart(this, EventColumns.SAVED, this.length);
  }

  restore(saved: Columns, length: number): boolean {
    if (!restoreColumns(this, EventColumns.SAVED, saved, length)) return false;
    this.length = length;
    return true;
  }
}

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Strings to small numbers and back, looked up by the bytes a canonical line holds for them (the
 * string's JSON form without its quotes), so a line whose correlation id, service or type is
 * already known costs a hash of its bytes and no new string.
 */
export class Interner {
  /** Hash of a value's bytes -> the newest id with that hash; older ones with the same hash follow `sameHash`. */
  private readonly buckets = new Map<number, number>();
  private sameHash: Int32Array = new Int32Array(256);
  private hashes: Uint32Array = new Uint32Array(256);
  /** Each value's bytes, one after the other. */
  private arena: Uint8Array = new Uint8Array(16 * 1024);
  private starts: Uint32Array = new Uint32Array(257);
  /** Strings made on first use (a loaded index decodes only what is shown). */
  private readonly strings: (string | undefined)[] = [];
  private count = 0;
  private last = -1;

  constructor(
    private readonly limit: number,
    private readonly what: string,
  ) {}

  get size(): number {
    return this.count;
  }

  value(id: number): string {
    let v = this.strings[id];
    if (v === undefined) {
      const bytes = this.arena.subarray(this.starts[id]!, this.starts[id + 1]!);
      const plain = bytes.every((b) => b < 0x80 && b !== 0x5c);
      v = plain ? String.fromCharCode(...bytes) : (JSON.parse(`"${decoder.decode(bytes)}"`) as string);
      this.strings[id] = v;
    }
    return v;
  }

  /** Every value, in id order. */
  values(): string[] {
    return Array.from({ length: this.count }, (_, id) => this.value(id));
  }

  static readonly SAVED = ['arena', 'starts', 'hashes', 'sameHash'] as const;

  save(): Columns {
    return { arena: this.arena.subarray(0, this.starts[this.count]), starts: this.starts.subarray(0, this.count + 1), hashes: this.hashes.subarray(0, this.count), sameHash: this.sameHash.subarray(0, this.count) };
  }

  /** Takes saved tables back; the lookup map is rebuilt from the hashes (ids in order, so each bucket ends at its newest). */
  restore(saved: Columns, count: number): boolean {
    const { arena, starts, hashes, sameHash } = saved;
    if (!(arena instanceof Uint8Array && starts instanceof Uint32Array && hashes instanceof Uint32Array && sameHash instanceof Int32Array)) return false;
    if (starts.length !== count + 1 || hashes.length !== count || sameHash.length !== count || starts[count] !== arena.length || count > this.limit) return false;
    for (let id = 0; id < count; id++) if (starts[id]! > starts[id + 1]! || sameHash[id]! >= id) return false;
    // Taken as they are; add() grows them (by copying) when the next value comes.
    this.arena = arena;
    this.starts = starts;
    this.hashes = hashes;
    this.sameHash = sameHash;
    this.buckets.clear();
    for (let id = 0; id < count; id++) this.buckets.set(hashes[id]!, id);
    this.strings.length = 0;
    this.count = count;
    this.last = -1;
    return true;
  }

  /** The id of the value whose JSON form (without quotes) is `b[start, end)`; its string is made when first asked for. */
  idOfBytes(b: Uint8Array, start: number, end: number): number {
    // Lines come in runs of one action and one service: the last answer is often the answer.
    if (this.last >= 0 && this.same(this.last, b, start, end)) return this.last;
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ b[k]!, 0x01000193);
    h >>>= 0;
    for (let id = this.buckets.get(h) ?? -1; id >= 0; id = this.sameHash[id]!) {
      if (this.same(id, b, start, end)) return (this.last = id);
    }
    return (this.last = this.add(h, b, start, end));
  }

  /** The id of a string (from a line read the slow way, or a saved index). */
  id(value: string): number {
    const key = utf8.encode(JSON.stringify(value).slice(1, -1));
    const id = this.idOfBytes(key, 0, key.length);
    this.strings[id] ??= value;
    return id;
  }

  find(value: string): number | undefined {
    const key = utf8.encode(JSON.stringify(value).slice(1, -1));
    let h = 0x811c9dc5;
    for (const byte of key) h = Math.imul(h ^ byte, 0x01000193);
    for (let id = this.buckets.get(h >>> 0) ?? -1; id >= 0; id = this.sameHash[id]!) if (this.same(id, key, 0, key.length)) return id;
    return undefined;
  }

  /** Forgets every value from `count` on (the rows that used them were dropped). */
  truncate(count: number): void {
    for (let id = this.count - 1; id >= count; id--) {
      const h = this.hashes[id]!;
      const older = this.sameHash[id]!;
      if (older >= 0) this.buckets.set(h, older);
      else this.buckets.delete(h);
    }
    this.count = Math.min(count, this.count);
    this.strings.length = Math.min(this.strings.length, this.count);
    this.last = -1;
  }

  private same(id: number, b: Uint8Array, start: number, end: number): boolean {
    const from = this.starts[id]!;
    if (this.starts[id + 1]! - from !== end - start) return false;
    for (let k = 0; k < end - start; k++) if (this.arena[from + k] !== b[start + k]) return false;
    return true;
  }

  private add(h: number, b: Uint8Array, start: number, end: number): number {
    const id = this.count;
    if (id >= this.limit) throw new Error(`The audit trail has more than ${this.limit} different ${this.what}; the index cannot hold them.`);
    if (id + 2 > this.starts.length) {
      const grow = <T extends Uint32Array | Int32Array>(old: T, make: (n: number) => T): T => {
        const next = make(Math.max(old.length * 2, 256));
        next.set(old);
        return next;
      };
      this.starts = grow(this.starts, (n) => new Uint32Array(n));
      this.sameHash = grow(this.sameHash, (n) => new Int32Array(n));
      this.hashes = grow(this.hashes, (n) => new Uint32Array(n));
    }
    const at = this.starts[id]!;
    if (at + (end - start) > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, at + (end - start)));
      bigger.set(this.arena.subarray(0, at));
      this.arena = bigger;
    }
    this.arena.set(b.subarray(start, end), at);
    this.starts[id + 1] = at + (end - start);
    this.hashes[id] = h;
    this.sameHash[id] = this.buckets.get(h) ?? -1;
    this.buckets.set(h, id);
    this.count = id + 1;
    return id;
  }
}
