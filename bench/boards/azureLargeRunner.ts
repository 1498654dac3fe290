/**
 * One measured client run against the large Azure DevOps stand-in, in a fresh process (started by
 * azureLarge.bench.ts with --expose-gc), printing one JSON line. Its memory is measured above
 * what the process held before the client was made, as the extension host's would be.
 *
 *   ours-cold <url> <storageDir> <concurrency> [checkout]   a new tracker on an empty cache: the
 *                                                 view's first rows, then a refresh when nothing changed
 *   ours-warm <url> <storageDir> <concurrency> [checkout]   a new tracker on the cache the cold run
 *                                                 left: the first rows from disk
 *                                                 (`checkout`: another checkout's src, e.g. the code
 *                                                 before a change; default this one)
 *   node-api  <url> <concurrency> <pages> <batches>  azure-devops-node-api directly, the same requests:
 *                                                 `pages` WIQL pages by id range ('all' = until one is
 *                                                 short) and the first `batches` batches of 200 ids
 */
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

/** Peak resident memory while `run` runs, sampled every 10 ms and at the end. */
async function measured<T>(run: () => Promise<T>): Promise<{ value: T; ms: number; rssPeak: number }> {
  let rssPeak = process.memoryUsage().rss;
  const timer = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  try {
    const value = await run();
    return { value, ms: performance.now() - started, rssPeak: Math.max(rssPeak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

type Tracker = {
  list(filter: 'allOpen'): Promise<{ items: readonly unknown[] }>;
  refresh(): Promise<{ changed: number }>;
  readonly requests: number;
  dispose(): void;
};
interface Sources {
  groupItems(items: readonly unknown[], by: 'hierarchy'): readonly unknown[];
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
  return { groupItems: tree.groupItems, createAzureBoardsTracker: azure.createAzureBoardsTracker, FileOutbox: outbox.FileOutbox };
}

async function ours(mode: 'ours-cold' | 'ours-warm', url: string, storageDir: string, concurrency: number, checkout: string): Promise<Record<string, unknown>> {
  const { groupItems, createAzureBoardsTracker, FileOutbox } = await sources(checkout);
  const endpoint = { organizationUrl: url, project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` };
  const credential = async () => ({ kind: 'pat' as const, value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' as const });
  const outbox = await FileOutbox.open({ storageDir, log: quiet });
  gc();
  const base = process.memoryUsage();
  const tracker = createAzureBoardsTracker({ endpoint, credential, log: quiet, storageDir, cacheTtlSeconds: 3600, outbox, concurrency, timeoutMs: 120_000 });
  const first = await measured(async () => {
    const snapshot = await tracker.list('allOpen');
    const rows = groupItems(snapshot.items, 'hierarchy');
    return { shown: snapshot.items.length, topRows: rows.length, requests: tracker.requests };
  });
  await checkpoint('firstRows');
  const out: Record<string, unknown> = { mode, firstRowsMs: first.ms, ...first.value };
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
  return { mode: 'node-api', firstRowsMs: run.ms, ...run.value, rssAboveMb: (run.rssPeak - base.rss) / 2 ** 20, heapAboveMb: (after.heapUsed - base.heapUsed) / 2 ** 20 };
}

async function main(): Promise<void> {
  const [mode, url, a, b, c] = process.argv.slice(2);
  if (!url) throw new Error('usage: azureLargeRunner <mode> <url> ...');
  const here = path.resolve(__dirname, '../..');
  const result = mode === 'node-api' ? await nodeApi(url, Number(a), b ?? 'all', Number(c ?? 0)) : await ours(mode as 'ours-cold' | 'ours-warm', url, a!, Number(b ?? 8), c ?? here);
  process.send?.({ result });
  process.disconnect?.();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
