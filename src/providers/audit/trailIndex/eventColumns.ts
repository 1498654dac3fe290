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

  /** The columns that are saved, in the order they are saved (nextInGroup is rebuilt on load). */
  saved(): readonly (Uint16Array | Uint32Array | Float64Array)[] {
    return [this.file, this.offset, this.bytes, this.line, this.seq, this.group, this.service, this.type, this.workItem, this.time];
  }
}

/** Strings to small numbers and back. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  constructor(
    private readonly limit: number,
    private readonly what: string,
  ) {}

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      if (id >= this.limit) throw new Error(`The audit trail has more than ${this.limit} different ${this.what}; the index cannot hold them.`);
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  find(value: string): number | undefined {
    return this.ids.get(value);
  }

  get size(): number {
    return this.values.length;
  }

  /** Forgets every value from `count` on (the rows that used them were dropped). */
  truncate(count: number): void {
    for (const v of this.values.splice(count)) this.ids.delete(v);
  }
}
