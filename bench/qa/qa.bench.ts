/**
 * The QA agent's costs beside named baselines, in one run:
 * 1. `ai-devops qa run` (runAgent, no re-run, detail for the Testing view) against the bare test
 *    command (`npm test --silent`) on the same generated node:test project, alternating, RUNS times
 *    each, median wall time. Goal: at most 1.1x the bare command plus one second.
 * 2. A 10,000-test JUnit XML file: ours (parse, map to test cases, build the Testing view's tree)
 *    against fast-xml-parser's bare parse of the same file (the library underneath: the floor).
 * 3. A 5,000-file lcov report with line, branch and function detail: ours (parse with detail,
 *    summarize) against lcov-parse's bare parse (the library underneath).
 *    Each parse runs in a fresh process, RUNS times; wall time of the work (not node's start-up)
 *    and the process's peak RSS (its baseline: `node -e 0`-like start-up RSS printed beside).
 *    Goal for both: under 500 ms.
 *
 *   npx tsx bench/qa/qa.bench.ts            # TESTS=10000 FILES=5000 RUNS=3 SUITE_FILES=40 SUITE_TESTS=25
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import lcovParse from 'lcov-parse';
import { junitToCases } from '../../src/agents/qa/parse/junitCases';
import { parseJUnitXml } from '../../src/agents/qa/parse/junitXml';
import { parseLcov } from '../../src/agents/qa/parse/lcov';
import { summarize } from '../../src/agents/qa/coverage';
import { qaAgent } from '../../src/agents/qa/qaAgent';
import { testTree } from '../../src/agents/qa/resultView';
import { ApprovalPolicy } from '../../src/agents/runtime/approvalPolicy';
import { FsEditApplier } from '../../src/agents/runtime/fsEditApplier';
import { RemoteExecutors } from '../../src/agents/runtime/remote';
import { runAgent, type RunServices } from '../../src/agents/runtime/runAgent';
import { defaultPolicy } from '../../src/core/policy/commandPolicy';
import { FileAuditSink } from '../../src/providers/audit';

const TESTS = Number(process.env.TESTS ?? 10_000);
const FILES = Number(process.env.FILES ?? 5_000);
const RUNS = Number(process.env.RUNS ?? 3);
const SUITE_FILES = Number(process.env.SUITE_FILES ?? 40);
const SUITE_TESTS = Number(process.env.SUITE_TESTS ?? 25);
const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

// ---- child mode: one parse, printed as JSON -------------------------------------------------
function one(subject: string, file: string): void {
  const text = readFileSync(file, 'utf8');
  const started = performance.now();
  let count = 0;
  switch (subject) {
    case 'junit-ours': {
      const cases = junitToCases(parseJUnitXml(text), { framework: 'node-test', root: '/w', base: '' });
      count = testTree(cases.map((c) => ({ ...c, suite: [...c.suite] }))).length;
      break;
    }
    case 'junit-baseline':
      count = Object.keys(new XMLParser({ ignoreAttributes: false }).parse(text) as object).length;
      break;
    case 'lcov-ours':
      count = summarize(parseLcov(text, '/w', '', true)).files;
      break;
    case 'lcov-baseline':
      lcovParse.source(text, (_e, data) => (count = data?.length ?? 0));
      break;
    case 'nothing':
      break;
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, maxRssKb: process.resourceUsage().maxRSS, count }));
}

// ---- generators ---------------------------------------------------------------------------
function junitFile(dir: string): string {
  const file = path.join(dir, `junit-${TESTS}.xml`);
  if (existsSync(file)) return file;
  const parts = ['<?xml version="1.0" encoding="utf-8"?>\n<testsuites>'];
  for (let s = 0; s < TESTS / 50; s++) {
    parts.push(`<testsuite name="suite ${s}" tests="50" file="test/s${s}.test.js">`);
    for (let t = 0; t < 50; t++) {
      const fail = (s * 50 + t) % 97 === 0;
      parts.push(`<testcase name="case ${t} of suite ${s}" classname="suite ${s}" time="0.0${t % 10}" file="test/s${s}.test.js" line="${t * 4 + 3}">`);
      if (fail) parts.push(`<failure message="Expected values to be strictly equal" type="AssertionError">AssertionError: expected 1 to equal 2\n    at test/s${s}.test.js:${t * 4 + 4}:10</failure>`);
      else if (t % 41 === 0) parts.push('<skipped/>');
      parts.push('</testcase>');
    }
    parts.push('</testsuite>');
  }
  parts.push('</testsuites>\n');
  writeFileSync(file, parts.join('\n'));
  return file;
}

function lcovFile(dir: string): string {
  const file = path.join(dir, `lcov-${FILES}.info`);
  if (existsSync(file)) return file;
  const parts: string[] = [];
  for (let f = 0; f < FILES; f++) {
    parts.push('TN:', `SF:/w/src/m${Math.floor(f / 100)}/file${f}.ts`);
    for (let fn = 0; fn < 5; fn++) parts.push(`FN:${fn * 10 + 1},fn${fn}`, `FNDA:${(f + fn) % 3},fn${fn}`);
    parts.push('FNF:5', `FNH:${[0, 1, 2, 3, 4].filter((fn) => (f + fn) % 3 > 0).length}`);
    let hit = 0;
    for (let l = 1; l <= 50; l++) {
      const n = (f + l) % 4;
      if (n > 0) hit++;
      parts.push(`DA:${l},${n}`);
    }
    for (let b = 0; b < 10; b++) parts.push(`BRDA:${b * 5 + 2},0,${b % 2},${(f + b) % 2 ? 1 : '-'}`);
    parts.push('BRF:10', 'BRH:5', 'LF:50', `LH:${hit}`, 'end_of_record');
  }
  writeFileSync(file, `${parts.join('\n')}\n`);
  return file;
}

function suite(dir: string): string {
  const root = path.join(dir, `suite-${SUITE_FILES}x${SUITE_TESTS}`);
  if (existsSync(root)) return root;
  mkdirSync(path.join(root, 'test'), { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bench-suite', private: true, scripts: { test: 'node --test' } }));
  for (let f = 0; f < SUITE_FILES; f++) {
    const tests = Array.from({ length: SUITE_TESTS }, (_, t) => `  test.it('case ${t}', () => { assert.strictEqual(${t} + 1, ${t + 1}); });`).join('\n');
    writeFileSync(path.join(root, 'test', `f${f}.test.js`), `const test = require('node:test');\nconst assert = require('node:assert');\ntest.describe('file ${f}', () => {\n${tests}\n});\n`);
  }
  return root;
}

function services(root: string): RunServices {
  return {
    workspaceRoot: root,
    trusted: true,
    audit: new FileAuditSink({ workspaceRoot: root, log: quiet }),
    log: quiet,
    approvals: async () => new ApprovalPolicy({ defaults: { runCommand: 'allow' } }, { kind: 'absent' }),
    commandPolicy: async () => defaultPolicy(),
    trackers: { azure: () => undefined, github: () => undefined, defaultTracker: 'azureBoards' },
    model: async () => undefined,
    git: async () => undefined,
    remote: new RemoteExecutors([]),
    edits: new FsEditApplier(),
    ui: { review: async () => undefined, confirm: async () => false, progress: () => undefined },
  };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--one') return one(process.argv[3]!, process.argv[4]!);
  const dir = path.join(tmpdir(), 'ai-devops-qa-bench');
  mkdirSync(dir, { recursive: true });
  console.log(`QA bench: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other work on a shared machine slows every subject alike; ratios are the figure to read)`);

  // 1. our run vs the bare command
  const project = suite(dir);
  const bare: number[] = [];
  const ours: number[] = [];
  let tests = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    spawnSync('npm', ['test', '--silent'], { cwd: project, stdio: 'ignore' });
    bare.push(performance.now() - t);
    const scratch = mkdtempSync(path.join(dir, 'run-'));
    rmSync(scratch, { recursive: true, force: true });
    t = performance.now();
    const r = await runAgent(services(project), { agent: qaAgent, action: 'run', input: { 'no-rerun': true, detail: true }, mode: 'plan' });
    ours.push(performance.now() - t);
    if (r.outcome !== 'succeeded') throw new Error(r.error);
    tests = Number((r.plan!.result as { totals: { passed: number } }).totals.passed);
  }
  const b = median(bare);
  const o = median(ours);
  console.log(`\n1. qa run vs bare \`npm test --silent\` (node:test, ${SUITE_FILES} files, ${tests} tests, median of ${RUNS})`);
  console.log(`   bare npm test   ${b.toFixed(0).padStart(6)} ms`);
  console.log(`   ai-devops qa    ${o.toFixed(0).padStart(6)} ms   ${(o / b).toFixed(2)}x   goal ≤ 1.1x + 1 s = ${(b * 1.1 + 1000).toFixed(0)} ms: ${o <= b * 1.1 + 1000 ? 'met' : 'NOT met'}`);

  // 2 and 3: parses, each in a fresh process
  const child = (subject: string, file: string): { ms: number; maxRssKb: number; count: number } =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', __filename, '--one', subject, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as { ms: number; maxRssKb: number; count: number };
  const measure = (subject: string, file: string) => {
    const runs = Array.from({ length: RUNS }, () => child(subject, file));
    return { ms: median(runs.map((r) => r.ms)), rss: median(runs.map((r) => r.maxRssKb)), count: runs[0]!.count };
  };
  const idle = measure('nothing', junitFile(dir));
  for (const [title, file, subjects] of [
    [`2. ${TESTS.toLocaleString('en')}-test JUnit XML`, junitFile(dir), ['junit-baseline', 'junit-ours']],
    [`3. ${FILES.toLocaleString('en')}-file lcov`, lcovFile(dir), ['lcov-baseline', 'lcov-ours']],
  ] as const) {
    console.log(`\n${title} (${(statSync(file).size / 1e6).toFixed(1)} MB), median of ${RUNS} fresh processes; a process that only reads the file: ${mb(idle.rss)} peak RSS`);
    const base = measure(subjects[0], file);
    const mine = measure(subjects[1], file);
    console.log(`   ${subjects[0].padEnd(15)} ${base.ms.toFixed(0).padStart(6)} ms  peak RSS ${mb(base.rss)}`);
    console.log(`   ${subjects[1].padEnd(15)} ${mine.ms.toFixed(0).padStart(6)} ms  peak RSS ${mb(mine.rss)}   ${(mine.ms / base.ms).toFixed(2)}x the library alone; goal < 500 ms: ${mine.ms < 500 ? 'met' : 'NOT met'}`);
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
