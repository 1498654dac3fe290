/**
 * One measured client run against the large Azure DevOps stand-in, in a fresh process (started by
 * azureLarge.bench.ts with --expose-gc), printing one JSON line. Its memory is measured above
 * what the process held before the client was made, as the extension host's would be.
 *
 *   ours-cold <url> <storageDir> <concurrency> [checkout]   a new tracker on an empty cache: the
 *                                                 view's first rows (a large list: its ids and id-range
 *                                                 rows, then the first page of 200 opened), then a
 *                                                 refresh when nothing changed
 *   ours-full <url> <storageDir> <concurrency> [checkout]   the whole list read on an empty cache
 *   ours-warm <url> <storageDir> <concurrency> [checkout]   a new tracker on the cache the cold run
 *                                                 left: the first rows from disk
 *                                                 (`checkout`: another checkout's src, e.g. the code
 *                                                 before a change; default this one)
 *   node-api  <url> <concurrency> <pages> <batches>  azure-devops-node-api directly, the same requests:
 *                                                 `pages` WIQL pages by id range ('all' = until one is
 *                                                 short) and the first `batches` batches of 200 ids
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT } from '../../src/sandbox/identity';
import { nodeApiLoad } from './nodeApiLoad';

const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Tells the bench a phase ended (it reads the stand-in's request counts then) and waits for its answer. */
function checkpoint(phase: string): Promise<void> {
  if (!process.send) return Promise.resolve();
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!({ checkpoint: phase });
  });
}

/**
 * Peak resident memory while `run` runs, sampled every 10 ms and at the end (`memoryUsage.rss()`:
 * the full `memoryUsage()` walks the heap's spaces and cost a run hundreds of ms), and the
 * process's CPU time (user + system) over it: on a loaded machine the steadier figure, since wall
 * time includes waiting for a core.
 */
async function measured<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number; rssPeak: number }> {
  let rssPeak = process.memoryUsage.rss();
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 10);
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const value = await run();
    const used = process.cpuUsage(cpu);
    return { value, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, rssPeak: Math.max(rssPeak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

type Tracker = {
  list(filter: 'allOpen'): Promise<{ items: readonly unknown[] }>;
  /** The view's way for a large list (absent in code before the lazy tree: list() is used then). */
  listIds?(filter: 'allOpen', options?: { onPage?: (idsSoFar: readonly number[]) => void }): Promise<{ ids: readonly number[] }>;
  items?(ids: readonly number[]): Promise<ReadonlyMap<number, unknown>>;
  refresh(): Promise<{ changed: number }>;
  readonly requests: number;
  dispose(): void;
};
interface RangeRow {
  readonly ids: readonly number[];
  readonly pages: readonly RangeRow[] | undefined;
}
interface Sources {
  groupItems(items: readonly unknown[], by: 'hierarchy'): readonly unknown[];
  /** core/boards/idRanges.ts, when the checkout has it. */
  ranges?: { idRanges(ids: readonly number[]): readonly RangeRow[]; LARGE_LIST: number };
  createAzureBoardsTracker(options: Record<string, unknown>): Tracker;
  FileOutbox: { open(options: Record<string, unknown>): Promise<{ dispose(): void }> };
}

/** The client code measured: this checkout's src, or another's (the code before a change) loaded the same way. */
async function sources(checkout: string): Promise<Sources> {
  const src = path.join(checkout, 'src');
  // Loaded by path so one runner can measure two versions of the code; their shapes are the ones used here.
  const [tree, azure, outbox] = (await Promise.all([
    import(path.join(src, 'core/boards/boardTree.ts')),
    import(path.join(src, 'providers/boards/azureBoards/index.ts')),
    import(path.join(src, 'providers/boards/outbox/fileOutbox.ts')),
  ])) as [Pick<Sources, 'groupItems'>, Pick<Sources, 'createAzureBoardsTracker'>, Pick<Sources, 'FileOutbox'>];
  const ranges = existsSync(path.join(src, 'core/boards/idRanges.ts')) ? ((await import(path.join(src, 'core/boards/idRanges.ts'))) as Sources['ranges']) : undefined;
  return { groupItems: tree.groupItems, ...(ranges ? { ranges } : {}), createAzureBoardsTracker: azure.createAzureBoardsTracker, FileOutbox: outbox.FileOutbox };
}

/**
 * What the Azure Boards view does for "All open": a large list's ids and its id-range rows, then
 * the first page opened (one batch); a small list (or code without the lazy tree) read whole.
 * `full` reads the whole list whatever its size (what an agent asking for every open item does).
 */
async function firstRows(code: Sources, tracker: Tracker, full: boolean): Promise<{ shown: number; topRows: number; fetched: number; firstPageMs?: number; firstIdsPageMs?: number }> {
  if (!full && code.ranges && tracker.listIds && tracker.items) {
    // A list longer than one WIQL page shows its first page's rows when that page arrives (code without onPage never calls it).
    const started = performance.now();
    let firstIdsPageMs: number | undefined;
    const list = await tracker.listIds('allOpen', { onPage: () => (firstIdsPageMs ??= performance.now() - started) });
    if (list.ids.length > code.ranges.LARGE_LIST) {
      const rows = code.ranges.idRanges(list.ids);
      const opened = performance.now();
      const first = rows[0]?.pages?.[0] ?? rows[0];
      const read = await tracker.items(first?.ids ?? []);
      code.groupItems([...read.values()], 'hierarchy');
      return { shown: list.ids.length, topRows: rows.length, fetched: read.size, firstPageMs: performance.now() - opened, ...(firstIdsPageMs !== undefined ? { firstIdsPageMs } : {}) };
    }
  }
  const snapshot = await tracker.list('allOpen');
  const rows = code.groupItems(snapshot.items, 'hierarchy');
  return { shown: snapshot.items.length, topRows: rows.length, fetched: snapshot.items.length };
}

async function ours(mode: 'ours-cold' | 'ours-warm' | 'ours-full', url: string, storageDir: string, concurrency: number, checkout: string): Promise<Record<string, unknown>> {
  const code = await sources(checkout);
  const { createAzureBoardsTracker, FileOutbox } = code;
  const endpoint = { organizationUrl: url, project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` };
  const credential = async () => ({ kind: 'pat' as const, value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' as const });
  const outbox = await FileOutbox.open({ storageDir, log: quiet });
  gc();
  const base = process.memoryUsage();
  const tracker = createAzureBoardsTracker({ endpoint, credential, log: quiet, storageDir, cacheTtlSeconds: 3600, outbox, concurrency, timeoutMs: 120_000 });
  const first = await measured(() => firstRows(code, tracker, mode === 'ours-full'));
  await checkpoint('firstRows');
  // firstRowsMs: until the rows are on screen (a large list's ranges); the first page's read is firstPageMs.
  const { firstPageMs, ...value } = first.value;
  const out: Record<string, unknown> = { mode, firstRowsMs: first.ms - (firstPageMs ?? 0), cpuMs: first.cpuMs, ...(firstPageMs !== undefined ? { firstPageMs } : {}), totalMs: first.ms, ...value, requests: tracker.requests };
  let rssPeak = first.rssPeak;
  if (mode === 'ours-cold') {
    const before = tracker.requests;
    const refresh = await measured(() => tracker.refresh());
    rssPeak = Math.max(rssPeak, refresh.rssPeak);
    Object.assign(out, { refreshMs: refresh.ms, refreshRequests: tracker.requests - before, refreshChanged: refresh.value.changed });
  }
  gc();
  const after = process.memoryUsage();
  Object.assign(out, { rssAboveMb: (rssPeak - base.rss) / 2 ** 20, heapAboveMb: (after.heapUsed - base.heapUsed) / 2 ** 20 });
  tracker.dispose();
  outbox.dispose();
  return out;
}

async function nodeApi(url: string, concurrency: number, pages: string, batches: number): Promise<Record<string, unknown>> {
  gc();
  const base = process.memoryUsage();
  const run = await measured(() => nodeApiLoad({ url, concurrency, pages: pages === 'one' ? 'one' : 'all', batches }));
  await checkpoint('firstRows');
  gc();
  const after = process.memoryUsage();
  return { mode: 'node-api', firstRowsMs: run.ms, cpuMs: run.cpuMs, ...run.value, rssAboveMb: (run.rssPeak - base.rss) / 2 ** 20, heapAboveMb: (after.heapUsed - base.heapUsed) / 2 ** 20 };
}

async function main(): Promise<void> {
  const [mode, url, a, b, c] = process.argv.slice(2);
  if (!url) throw new Error('usage: azureLargeRunner <mode> <url> ...');
  const here = path.resolve(__dirname, '../..');
  const result = mode === 'node-api' ? await nodeApi(url, Number(a), b ?? 'all', Number(c ?? 0)) : await ours(mode as 'ours-cold' | 'ours-warm' | 'ours-full', url, a!, Number(b ?? 8), c ?? here);
  process.send?.({ result });
  process.disconnect?.();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
