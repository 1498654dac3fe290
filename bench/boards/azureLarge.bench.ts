/**
 * Azure Boards on a large project (issue 19): the view's first rows, cold and from the disk cache,
 * the client's memory, a refresh when nothing changed, and the same requests through
 * azure-devops-node-api called directly, side by side in one run.
 *
 *   npx tsx bench/boards/azureLarge.bench.ts [openItems=200000] [latencyMs=20] [rounds=3] [concurrency=8]
 *   BEFORE=<checkout> npx tsx bench/boards/azureLarge.bench.ts ...   also measures that checkout's
 *                   client (e.g. `git worktree add /tmp/before <commit>` with node_modules linked)
 *                   as cold:before and warm:before, against the same stand-in in the same run
 *
 * The stand-in runs in a process of its own (azureStandIn.ts), grown to `openItems` open items
 * (Features with 49 Tasks each), `latencyMs` added to every request. Each round runs, each in a
 * fresh node process (azureLargeRunner.ts, --expose-gc):
 *   cold:ours       a new tracker on an empty cache until the view's first rows are there
 *                   (then a refresh with nothing changed, in the same session)
 *   warm:ours       a new tracker on the cache the cold run left: first rows from disk
 *   cold:node-api   the requests cold:ours made for its first rows (WIQL pages and 200-id batches),
 *                   with azure-devops-node-api directly: no validation, mapping, tree or cache
 *   full:ours       (unless FULL=0) the whole list read on an empty cache, as an agent asking for
 *                   every open item does; full:node-api the same requests directly
 * A list above 2,000 items is shown the lazy tree's way: first rows = its ids and id-range rows;
 * "+ first page" = the first page of 200 opened (one batch).
 * Printed: medians of the first-rows time, requests by route (exact, counted by the stand-in), the
 * items the rows cover against the project's true count, resident memory above the process's own
 * before the client was made (peak) and heap after a GC, and the goals: warm < 1 s, cold < 2 s,
 * memory < 200 MB above baseline, a no-change refresh = 1 request, cold within 1.2x node-api.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

type Counts = Record<string, number>;
type Result = Record<string, number | string | undefined>;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const diff = (after: Counts, before: Counts): Counts => Object.fromEntries(Object.entries(after).flatMap(([k, v]) => (v - (before[k] ?? 0) > 0 ? [[k, v - (before[k] ?? 0)]] : [])));
const total = (c: Counts): number => Object.values(c).reduce((a, b) => a + b, 0);
const show = (c: Counts): string => `${total(c)} (${Object.entries(c).map(([k, v]) => `${k}=${v}`).join(' ')})`;
const tsxArgs = ['--import', 'tsx', '--expose-gc'];

function ask<T>(child: ChildProcess, message: object, pick: (m: Record<string, unknown>) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`child exited (${code}) before answering`));
    const onMessage = (m: Record<string, unknown>): void => {
      const value = pick(m);
      if (value === undefined) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(value);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (Object.keys(message).length > 0) child.send(message);
  });
}

async function main(): Promise<void> {
  const [openItems = 200_000, latencyMs = 20, rounds = 3, concurrency = 8] = process.argv.slice(2).map(Number);
  const here = __dirname;
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(' ');
  const standIn = fork(path.join(here, 'azureStandIn.ts'), [String(openItems), String(latencyMs)], { execArgv: ['--import', 'tsx', '--max-old-space-size=8192'], stdio: 'inherit' });
  const started = await ask(standIn, {}, (m) => (typeof m.url === 'string' ? (m as { url: string; open: number; total: number }) : undefined));
  const counts = (): Promise<Counts> => ask(standIn, { cmd: 'count' }, (m) => m.counts as Counts | undefined);

  /** Runs one runner; returns its result and the stand-in's requests before and after its first rows. */
  const run = async (args: string[]): Promise<{ result: Result; first: Counts; rest: Counts }> => {
    const child = fork(path.join(here, 'azureLargeRunner.ts'), args, { execArgv: tsxArgs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const c0 = await counts();
    let c1: Counts = c0;
    const result = await new Promise<Result>((resolve, reject) => {
      child.on('message', (m: { checkpoint?: string; result?: Result }) => {
        if (m.checkpoint) {
          void counts().then((c) => {
            c1 = c;
            child.send({ go: true });
          });
        }
        if (m.result) resolve(m.result);
      });
      child.once('exit', (code) => (code ? reject(new Error(`runner ${args[0]} exited with ${code}`)) : undefined));
    });
    const c2 = await counts();
    return { result, first: diff(c1, c0), rest: diff(c2, c1) };
  };

  const before = process.env.BEFORE;
  const full = process.env.FULL !== '0';
  const samples: Record<string, Result[]> = {
    ...(before ? { 'cold:before': [], 'warm:before': [] } : {}),
    'cold:ours': [],
    'warm:ours': [],
    'cold:node-api': [],
    ...(full ? { 'full:ours': [], 'full:node-api': [] } : {}),
  };
  const requests: Record<string, Counts> = {};
  for (let round = 0; round < rounds; round++) {
    if (before) {
      const dir = await mkdtemp(path.join(tmpdir(), 'ab-large-before-'));
      try {
        const cold = await run(['ours-cold', started.url, dir, String(concurrency), before]);
        samples['cold:before']!.push(cold.result);
        requests['cold:before'] = cold.first;
        const warm = await run(['ours-warm', started.url, dir, String(concurrency), before]);
        samples['warm:before']!.push(warm.result);
        requests['warm:before'] = warm.first;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    const dir = await mkdtemp(path.join(tmpdir(), 'ab-large-'));
    try {
      const cold = await run(['ours-cold', started.url, dir, String(concurrency)]);
      samples['cold:ours']!.push(cold.result);
      requests['cold:ours'] = cold.first;
      requests['refresh:nochange'] = cold.rest;
      const warm = await run(['ours-warm', started.url, dir, String(concurrency)]);
      samples['warm:ours']!.push(warm.result);
      requests['warm:ours'] = warm.first;
      const wiql = cold.first['wit.wiql'] ?? 0;
      const batches = cold.first['wit.workItemsBatch'] ?? 0;
      const direct = await run(['node-api', started.url, String(concurrency), wiql > 1 ? 'all' : 'one', String(batches)]);
      samples['cold:node-api']!.push(direct.result);
      requests['cold:node-api'] = direct.first;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    if (full) {
      const fullDir = await mkdtemp(path.join(tmpdir(), 'ab-large-full-'));
      try {
        const whole = await run(['ours-full', started.url, fullDir, String(concurrency)]);
        samples['full:ours']!.push(whole.result);
        requests['full:ours'] = whole.first;
        const direct = await run(['node-api', started.url, String(concurrency), 'all', String(whole.first['wit.workItemsBatch'] ?? 0)]);
        samples['full:node-api']!.push(direct.result);
        requests['full:node-api'] = direct.first;
      } finally {
        await rm(fullDir, { recursive: true, force: true });
      }
    }
  }
  standIn.send({ cmd: 'stop' });

  const num = (r: Result, k: string): number => Number(r[k] ?? Number.NaN);
  const med = (name: string, key: string): number => median((samples[name] ?? []).map((r) => num(r, key)));
  console.log(`Azure Boards, large project: ${started.open.toLocaleString('en-US')} open of ${started.total.toLocaleString('en-US')} work items; ${latencyMs} ms a request; concurrency ${concurrency}; ${rounds} rounds, medians`);
  console.log(`load average before ${loadBefore}, after ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores shared: times are noisy, request counts exact)`);
  const rows: string[][] = [['candidate', 'first rows ms', 'CPU ms', 'first 20,000 ids ms', '+ first page ms', 'ids listed', 'of true count', 'items read', 'top rows', 'RSS above MB', 'heap above MB', 'requests (stand-in, by route)']];
  for (const name of Object.keys(samples)) {
    const last = samples[name]!.at(-1) ?? {};
    const page = med(name, 'firstPageMs');
    rows.push([
      name,
      med(name, 'firstRowsMs').toFixed(0),
      med(name, 'cpuMs').toFixed(0),
      Number.isNaN(med(name, 'firstIdsPageMs')) ? '-' : med(name, 'firstIdsPageMs').toFixed(0),
      Number.isNaN(page) ? '-' : page.toFixed(0),
      String(last.shown ?? last.ids ?? '-'),
      String(started.open),
      String(last.fetched ?? '-'),
      String(last.topRows ?? '-'),
      med(name, 'rssAboveMb').toFixed(1),
      med(name, 'heapAboveMb').toFixed(1),
      show(requests[name] ?? {}),
    ]);
  }
  rows.push(['refresh:nochange', med('cold:ours', 'refreshMs').toFixed(0), '-', '-', '-', '-', '-', '-', '-', '-', '-', show(requests['refresh:nochange'] ?? {})]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  // The view shows a large list's first page of ids as rows while the later pages come in.
  const coldFirstPage = med('cold:ours', 'firstIdsPageMs');
  const cold = Number.isNaN(coldFirstPage) ? med('cold:ours', 'firstRowsMs') : coldFirstPage;
  const warm = med('warm:ours', 'firstRowsMs');
  const mem = Math.max(med('cold:ours', 'rssAboveMb'), med('warm:ours', 'rssAboveMb'));
  // The same requests: the view's (ids and the first page) and, with FULL, the whole list read.
  const ratio = med('cold:ours', 'totalMs') / med('cold:node-api', 'firstRowsMs');
  const fullRatio = full ? med('full:ours', 'firstRowsMs') / med('full:node-api', 'firstRowsMs') : Number.NaN;
  const fullCpuRatio = full ? med('full:ours', 'cpuMs') / med('full:node-api', 'cpuMs') : Number.NaN;
  for (const name of ['cold:before', 'cold:ours', 'full:ours']) {
    const shown = samples[name]?.at(-1)?.shown;
    if (shown !== undefined) console.log(`${name} lists ${String(shown)} of ${started.open} open${Number(shown) === started.open ? '' : '  <- the list is cut'}`);
  }
  console.log(`goals: warm first rows ${warm.toFixed(0)} ms (< 1000: ${warm < 1000 ? 'met' : 'NOT met'}); cold first rows ${cold.toFixed(0)} ms (< 2000: ${cold < 2000 ? 'met' : 'NOT met'}); memory ${mem.toFixed(0)} MB above baseline (< 200: ${mem < 200 ? 'met' : 'NOT met'}); no-change refresh ${total(requests['refresh:nochange'] ?? {})} request(s) (1: ${total(requests['refresh:nochange'] ?? {}) === 1 ? 'met' : 'NOT met'}); cold:ours (rows and first page) / cold:node-api (same requests) = ${ratio.toFixed(2)}x; full:ours / full:node-api = ${full ? `${fullRatio.toFixed(2)}x (<= 1.2: ${fullRatio <= 1.2 ? 'met' : 'NOT met'}; CPU time ${fullCpuRatio.toFixed(2)}x)` : 'not run (FULL=0)'}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
