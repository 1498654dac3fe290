/**
 * Where start-up time goes: spans (a start and an end, in the process's monotonic milliseconds)
 * recorded by the parts that take it (activation's steps, the sandbox starting, the GitHub schema
 * being built, Azure DevOps discovery and the first queries, the Azure Boards tree's first rows).
 *
 * One timeline per extension host, kept on globalThis under a registry symbol: the build gives
 * each lazily loaded chunk its own copy of this module, and they must all write to the same one.
 * Only the first span of each name is kept (start-up happens once), so it stays small.
 */
export interface TimelineSpan {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Something to say about it ("from the cache", "120 items"). */
  readonly note?: string;
}

const KEY = Symbol.for('ai-devops.startupTimeline');
/** Set by the bundle's first line (esbuild banner): when the extension's code started to run. */
const BUNDLE_START = Symbol.for('ai-devops.bundleStart');
/** Set by the bundle's last line (esbuild footer): when the top-level code of every module it holds had run. */
const BUNDLE_END = Symbol.for('ai-devops.bundleEnd');
const MAX_SPANS = 200;

type Global = typeof globalThis & { [KEY]?: StartupTimeline; [BUNDLE_START]?: number; [BUNDLE_END]?: number };

export class StartupTimeline {
  private readonly spans = new Map<string, TimelineSpan>();
  private readonly listeners = new Set<(span: TimelineSpan) => void>();

  constructor(
    /** The origin the report counts from. */
    readonly origin: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  now(): number {
    return this.clock();
  }

  /** Records a span that ran from `start` until now (the first of its name only). */
  record(name: string, start: number, note?: string, end = this.clock()): void {
    if (this.spans.has(name) || this.spans.size >= MAX_SPANS) return;
    const span = { name, start, end, ...(note === undefined ? {} : { note }) };
    this.spans.set(name, span);
    for (const l of this.listeners) l(span);
  }

  /** Runs `work`, recording how long it took (also when it fails). */
  async span<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.spans.has(name)) return work();
    const start = this.clock();
    try {
      return await work();
    } finally {
      this.record(name, start);
    }
  }

  /** The same for synchronous work (a schema build blocks the event loop: worth knowing). */
  spanSync<T>(name: string, work: () => T): T {
    if (this.spans.has(name)) return work();
    const start = this.clock();
    try {
      return work();
    } finally {
      this.record(name, start);
    }
  }

  get(name: string): TimelineSpan | undefined {
    return this.spans.get(name);
  }

  /** Every span, by start time (the longer first, so an enclosing span comes before what it holds). */
  list(): TimelineSpan[] {
    return [...this.spans.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  }

  onDidRecord(listener: (span: TimelineSpan) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** This extension host's timeline, counting from the bundle's first line (or from now, outside the bundle). */
export function startupTimeline(): StartupTimeline {
  const g = globalThis as Global;
  g[KEY] ??= new StartupTimeline(g[BUNDLE_START] ?? performance.now());
  return g[KEY];
}

/** When the bundle's last line ran, if this code runs from the bundle. */
export function bundleEnd(): number | undefined {
  return (globalThis as Global)[BUNDLE_END];
}

const ms = (n: number): string => `${Math.round(n).toLocaleString('en-US')} ms`;

/**
 * The spans as lines a person reads: each one's start after the origin and how long it took,
 * with the spans nested in `parent` indented under it.
 */
export function formatTimeline(spans: readonly TimelineSpan[], origin: number): string[] {
  return spans.map((s) => {
    const depth = spans.filter((p) => p !== s && p.start <= s.start && p.end >= s.end && p.end - p.start > s.end - s.start && s.name.startsWith(`${p.name}: `)).length;
    return `${'  '.repeat(depth)}${s.name}: ${ms(s.end - s.start)} (at ${ms(s.start - origin)} to ${ms(s.end - origin)})${s.note ? `, ${s.note}` : ''}`;
  });
}
