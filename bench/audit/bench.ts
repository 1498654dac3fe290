import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, truncateSync, appendFileSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { generateTrail } from './generateTrail';

/**
 * Audit trail benchmark: a generated trail of EVENTS realistic events (default 1,000,000, about
 * 470 MB in 101 daily files), and side by side in one run, each in a fresh process under GNU time
 * (wall time, CPU time, peak RSS), alternating, RUNS times (medians shown):
 *
 *   sha256sum over the same files (the baseline: reading and hashing every byte once)
 *   our full verify, and our verify after EXTRA (1,000) new events from a remembered head
 *   building the index from nothing (and saving it), then opening the saved index and answering
 *   from it: the first page of 200 groups and of 200 runs, those groups' events, the newest 200
 *   events, a page 50,000 groups deep, two /audit searches, /status's five runs
 *   with BEFORE=<git ref>: that commit's verify and views' load, through the same trail
 *
 * Goals (issue 13): verify at most 2x sha256sum's time, at most 100 MB above the process's
 * baseline memory; opening a view under 500 ms and a page of 200 under 50 ms.
 *
 *   npx tsx bench/audit/bench.ts                       (EVENTS=1000000 EXTRA=1000 SEED=42 RUNS=3)
 *   BEFORE=fd769b7 npx tsx bench/audit/bench.ts        (also the code as it was at fd769b7)
 *
 * Needs GNU time and sha256sum (`apt-get install -y time coreutils`); it says so and stops if one is missing.
 */
const EVENTS = Number(process.env.EVENTS ?? 1_000_000);
const EXTRA = Number(process.env.EXTRA ?? 1000);
const SEED = Number(process.env.SEED ?? 42);
const RUNS = Number(process.env.RUNS ?? 3);
const BEFORE = process.env.BEFORE || undefined;
const repo = path.resolve(__dirname, '../..');
const out = path.join(repo, '.cache', 'bench', 'audit');

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssKb: number;
  report: Record<string, number | string | boolean>;
}

function need(tool: string, args: string[], install: string): void {
  const probe = spawnSync(tool, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    console.error(`${tool} is missing: ${install}`);
    process.exit(2);
  }
}

/** Runs a command under GNU time; its stats go to a file so the command's own output stays apart. */
function timed(command: string, args: string[]): Sample {
  const stats = path.join(tmpdir(), `audit-bench-time-${process.pid}.txt`);
  const r = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%e %M %U %S', command, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const [wall, rss, user, system] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ');
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return { wallMs: Number(wall) * 1000, cpuMs: (Number(user) + Number(system)) * 1000, rssKb: Number(rss), report: last.startsWith('{') ? (JSON.parse(last) as Sample['report']) : {} };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const med = (list: Sample[], f: (s: Sample) => number): number => median(list.map(f));
const num = (s: Sample, key: string): number => Number(s.report[key]);

async function bundle(entry: string, outfile: string): Promise<string> {
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning', minify: true });
  return outfile;
}

/** That commit's sources with the legacy runner beside them, bundled against this checkout's node_modules. */
async function beforeRunner(ref: string): Promise<string> {
  const tree = path.join(out, `before-${ref.replace(/[^\w.-]/g, '_')}`);
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(tree, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${repo}" archive "${ref}" src package.json | tar -x -C "${tree}"`]);
  if (!existsSync(path.join(tree, 'node_modules'))) symlinkSync(path.join(repo, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
  mkdirSync(path.join(tree, 'bench', 'audit'), { recursive: true });
  cpSync(path.join(__dirname, 'legacyRunner.ts'), path.join(tree, 'bench', 'audit', 'legacyRunner.ts'));
  return bundle(path.join(tree, 'bench', 'audit', 'legacyRunner.ts'), path.join(out, 'legacyRunner.cjs'));
}

async function main(): Promise<void> {
  need('/usr/bin/time', ['-f', '%e', 'true'], 'install GNU time: apt-get install -y time');
  need('sha256sum', ['--version'], 'install coreutils');
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const trail = generateTrail(path.join(tmpdir(), `ai-devops-audit-bench-${EVENTS}-${EXTRA}-${SEED}`), { events: EVENTS, extra: EXTRA, seed: SEED });
  const files = readdirSync(trail.dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(trail.dir, f));
  console.log(`trail: ${trail.dir}: ${trail.events.toLocaleString('en-US')} events, ${(trail.bytes / 1048576).toFixed(0)} MiB in ${trail.files} files (${((Date.now() - started) / 1000).toFixed(1)} s to generate or reuse)`);
  const runner = await bundle(path.join(__dirname, 'runner.ts'), path.join(out, 'runner.cjs'));
  const legacy = BEFORE ? await beforeRunner(BEFORE) : undefined;
  const state = path.join(out, 'state');
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const ours = (op: string) => timed(process.execPath, [runner, op, trail.root, state]);
  const theirs = (op: string) => timed(process.execPath, [legacy!, op, trail.root]);
  const newest = files[files.length - 1]!;
  const newestSize = statSync(newest).size;
  const extra = readFileSync(trail.extraFile);

  console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  // Warm the page cache: every tool reads from memory, as in an editor session.
  timed('sha256sum', files);
  const s: Record<string, Sample[]> = {};
  const add = (name: string, sample: Sample) => (s[name] ??= []).push(sample);
  for (let run = 0; run < RUNS; run++) {
    add('sha256sum', timed('sha256sum', files));
    add('noop', ours('noop'));
    add('verify', ours('verify'));
    ours('remember');
    appendFileSync(newest, extra);
    try {
      add('verifyNew', ours('verify-new'));
    } finally {
      truncateSync(newest, newestSize);
    }
    add('indexBuild', ours('index-build'));
    add('indexOpen', ours('index-open'));
    if (legacy) {
      add('legacyNoop', theirs('noop'));
      add('legacyVerify', theirs('verify'));
      add('legacyView', theirs('view'));
      add('legacyPage200', theirs('page200'));
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

  const sumWall = med(s.sha256sum!, (x) => x.wallMs);
  const baseRss = med(s.noop!, (x) => x.rssKb) / 1024;
  const legacyRss = legacy ? med(s.legacyNoop!, (x) => x.rssKb) / 1024 : 0;
  const row = (name: string, list: Sample[], key: string | undefined, base: number): string[] => {
    const inProcess = key ? med(list, (x) => num(x, key)) : undefined;
    const rss = med(list, (x) => x.rssKb) / 1024;
    return [
      name,
      inProcess === undefined ? '-' : inProcess.toFixed(0),
      med(list, (x) => x.wallMs).toFixed(0),
      med(list, (x) => x.cpuMs).toFixed(0),
      rss.toFixed(0),
      base ? (rss - base).toFixed(0) : '-',
      ((inProcess ?? med(list, (x) => x.wallMs)) / sumWall).toFixed(2),
    ];
  };
  const rows = [
    ['operation', 'in-process ms', 'wall ms', 'CPU ms', 'peak RSS MiB', 'RSS above baseline', 'x sha256sum wall'],
    row(`sha256sum over the ${files.length} files`, s.sha256sum!, undefined, 0),
    row('node + our bundle, doing nothing (baseline)', s.noop!, undefined, 0),
    row('verify, every event', s.verify!, 'ms', baseRss),
    row(`verify, ${EXTRA.toLocaleString('en-US')} new events after the remembered head`, s.verifyNew!, 'ms', baseRss),
    row('index: build from nothing (+ save)', s.indexBuild!, 'ms', baseRss),
    row('index: open saved + first page of 200 groups', s.indexOpen!, 'viewMs', baseRss),
    ...(legacy
      ? [
          row(`before (${BEFORE}): node + bundle, doing nothing`, s.legacyNoop!, undefined, 0),
          row(`before (${BEFORE}): verify, every event`, s.legacyVerify!, 'ms', legacyRss),
          row(`before (${BEFORE}): views' load (newest 2,000 events)`, s.legacyView!, 'viewMs', legacyRss),
          row(`before (${BEFORE}): newest 200 events`, s.legacyPage200!, 'page200Ms', legacyRss),
        ]
      : []),
  ];
  const table = (t: string[][]) => {
    const widths = t[0]!.map((_, c) => Math.max(...t.map((r) => r[c]!.length)));
    for (const r of t) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  };
  table(rows);

  const o = s.indexOpen!;
  const b = s.indexBuild!;
  const q = (key: string) => med(o, (x) => num(x, key)).toFixed(1);
  console.log(`\nindex of ${num(b[0]!, 'events').toLocaleString('en-US')} events, ${num(b[0]!, 'groups').toLocaleString('en-US')} groups: built in ${med(b, (x) => num(x, 'ms')).toFixed(0)} ms, saved in ${med(b, (x) => num(x, 'saveMs')).toFixed(0)} ms (${(num(b[0]!, 'indexBytes') / 1048576).toFixed(1)} MiB)`);
  table([
    ['answer (medians, ms)', 'ms'],
    ['open the saved index', q('openMs')],
    ['catch up with the files (nothing new)', q('refreshMs')],
    ['first page: 200 groups with labels', q('groupsPageMs')],
    ['first page: 200 agent runs with labels', q('runsPageMs')],
    [`expand those 200 groups (${num(o[0]!, 'expanded')} events read from disk)`, q('expandMs')],
    ['a page of 200 events (the newest, read from disk)', q('page200Ms')],
    [`a page 50,000 groups deep, with its ${num(o[0]!, 'deep')} events`, q('deepMs')],
    [`/audit "what changed AB#4242" (${num(o[0]!, 'found')} events)`, q('searchItemMs')],
    [`/audit "failed security runs" (${num(o[0]!, 'failedSecurity')} events)`, q('searchAgentMs')],
    ['/status: the five newest runs with their events', q('statusRunsMs')],
  ]);

  const verifyRatio = med(s.verify!, (x) => num(x, 'ms')) / sumWall;
  const verifyWallRatio = med(s.verify!, (x) => x.wallMs) / sumWall;
  const verifyRss = med(s.verify!, (x) => x.rssKb) / 1024 - baseRss;
  const view = med(o, (x) => num(x, 'viewMs'));
  const page = med(o, (x) => num(x, 'page200Ms'));
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  console.log(
    `\ngoals: verify at most 2x sha256sum: ${verifyRatio.toFixed(2)}x in-process, ${verifyWallRatio.toFixed(2)}x as a fresh process ${verdict(verifyRatio <= 2)}; ` +
      `verify memory at most 100 MB above baseline: ${verifyRss.toFixed(0)} MB ${verdict(verifyRss <= 100)}; ` +
      `open a view under 500 ms: ${view.toFixed(0)} ms ${verdict(view < 500)}; a page of 200 events under 50 ms: ${page.toFixed(1)} ms ${verdict(page < 50)}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
