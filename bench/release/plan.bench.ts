// Planning a release over COMMITS commits since the last tag (default 10,000) against `git log`
// over the same range and conventional-recommended-bump, alternating, RUNS times each (median).
//   npx tsx bench/release/plan.bench.ts            # COMMITS=10000 RUNS=5
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { releaseAgent } from '../../src/agents/release/releaseAgent';
import { ApprovalPolicy } from '../../src/agents/runtime/approvalPolicy';
import { FsEditApplier } from '../../src/agents/runtime/fsEditApplier';
import { RemoteExecutors } from '../../src/agents/runtime/remote';
import { runAgent, type RunServices } from '../../src/agents/runtime/runAgent';
import { defaultPolicy } from '../../src/core/policy/commandPolicy';
import { WorkspaceGit } from '../../src/providers/git/workspaceGit';

const COMMITS = Number(process.env.COMMITS ?? 10_000);
const RUNS = Number(process.env.RUNS ?? 5);
const dir = path.join(os.tmpdir(), `aidevops-release-bench-${COMMITS}`);

const TYPES = ['feat', 'fix', 'fix', 'chore', 'docs', 'refactor', 'perf', 'test', 'ci', 'build'];

/** A repository with v1.0.0 and COMMITS commits after it, written with git fast-import (seconds, not minutes). */
function buildRepository(): void {
  if (existsSync(path.join(dir, '.git', 'bench-ready'))) return;
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const lines: string[] = [];
  let t = 1_700_000_000;
  const commit = (mark: number, message: string, from?: number, merge?: number): void => {
    const data = Buffer.byteLength(message);
    lines.push('commit refs/heads/main', `mark :${mark}`, `author Bench <bench@example.com> ${t} +0000`, `committer Bench <bench@example.com> ${t} +0000`, `data ${data}`, message);
    if (from) lines.push(`from :${from}`);
    if (merge) lines.push(`merge :${merge}`);
    lines.push(`M 644 inline src/f${mark % 50}.txt`, `data ${String(mark).length}`, String(mark), '');
    t += 60;
  };
  commit(1, 'chore: init');
  lines.push('reset refs/tags/v1.0.0', 'from :1', '');
  for (let i = 2; i <= COMMITS + 1; i++) {
    const type = TYPES[i % TYPES.length]!;
    const scope = i % 3 === 0 ? `(area${i % 7})` : '';
    const body = i % 5 === 0 ? `\n\nDetails of change ${i}.\n\nRefs AB#${1000 + (i % 40)}` : '';
    const breaking = i === COMMITS ? '\n\nBREAKING CHANGE: the last one breaks' : '';
    commit(i, `${type}${scope}: change number ${i}${body}${breaking}`, i - 1);
  }
  writeFileSync(path.join(dir, 'fast-import.txt'), lines.join('\n') + '\n');
  execFileSync('sh', ['-c', 'git fast-import --quiet < fast-import.txt && git reset -q --hard main'], { cwd: dir });
  writeFileSync(path.join(dir, 'package.json'), '{\n  "name": "bench",\n  "version": "1.0.0"\n}\n');
  writeFileSync(path.join(dir, '.git', 'bench-ready'), '');
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * CPU time in ms: this process's, plus its finished children's (git) from /proc/self/stat (Linux;
 * 10 ms ticks). On a loaded machine wall time mostly measures the queue for a core; CPU time
 * says what the work itself cost.
 */
function cpuMs(): number {
  const own = process.cpuUsage();
  let children: number;
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    children = (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in ticks of 1/100 s
  } catch {
    children = Number.NaN;
  }
  return (own.user + own.system) / 1000 + children;
}

/**
 * The baseline: `git log` over the range with hash, parents, author, date and message (the fields
 * the plan read when the goal was set). `lean`: only what the plan's own git prints now (hash,
 * parents, tags, message), reported beside it so the ratio is not flattered by the plan asking
 * git for less.
 */
function gitLog(lean = false): { ms: number; cpu: number } {
  const cpu = cpuMs();
  const started = performance.now();
  const r = spawnSync('git', ['log', lean ? '--format=%H%x1f%P%x1f%D%x1f%B%x1e' : '--format=%H%x1f%P%x1f%an%x1f%aI%x1f%B%x1e', 'v1.0.0..HEAD'], { cwd: dir, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return { ms: performance.now() - started, cpu: cpuMs() - cpu };
}

async function ours(): Promise<{ ms: number; cpu: number; next: unknown; type: unknown }> {
  const silent = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const services: RunServices = {
    workspaceRoot: dir,
    trusted: true,
    audit: { append: async () => undefined } as unknown as RunServices['audit'],
    log: silent,
    approvals: async () => new ApprovalPolicy({}, { kind: 'absent' }),
    commandPolicy: async () => defaultPolicy(),
    trackers: { azure: () => undefined, github: () => undefined, defaultTracker: 'azureBoards' },
    model: async () => undefined,
    git: async (r) => new WorkspaceGit(r, { timeoutMs: 120_000, trusted: () => true }),
    remote: new RemoteExecutors([]),
    edits: new FsEditApplier(),
    ui: { review: async () => undefined, confirm: async () => false, progress: () => undefined },
  };
  const cpu = cpuMs();
  const started = performance.now();
  const result = await runAgent(services, { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
  const ms = performance.now() - started;
  if (result.outcome !== 'succeeded') throw new Error(result.error);
  return { ms, cpu: cpuMs() - cpu, next: result.plan?.result?.nextVersion, type: result.plan?.result?.releaseType };
}

async function theirs(): Promise<{ ms: number; type: unknown }> {
  const { Bumper } = await import('conventional-recommended-bump');
  const started = performance.now();
  const r = await new Bumper(dir).loadPreset({ name: 'conventionalcommits', bumpStrict: true, preMajor: false }).tag({ prefix: 'v' }).bump();
  return { ms: performance.now() - started, type: 'releaseType' in r ? r.releaseType : undefined };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  buildRepository();
  const count = execFileSync('git', ['rev-list', '--count', 'v1.0.0..HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  console.log(`repository: ${dir}, ${count} commits since v1.0.0 (built/reused in ${(performance.now() - t0).toFixed(0)} ms); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await ours();
  await theirs();
  gitLog();
  const a: number[] = [];
  const lean: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const aCpu: number[] = [];
  const bCpu: number[] = [];
  let agree = '';
  for (let i = 0; i < RUNS; i++) {
    const g = gitLog();
    a.push(g.ms);
    aCpu.push(g.cpu);
    lean.push(gitLog(true).ms);
    const o = await ours();
    b.push(o.ms);
    bCpu.push(o.cpu);
    const t = await theirs();
    c.push(t.ms);
    agree = `ours ${String(o.type)} -> ${String(o.next)}, conventional-recommended-bump ${String(t.type)}`;
  }
  const g = median(a);
  const mine = median(b);
  const ref = median(c);
  console.log(`git log over the range      ${g.toFixed(0).padStart(7)} ms (median of ${RUNS})`);
  console.log(`release plan (whole run)    ${mine.toFixed(0).padStart(7)} ms  = ${(mine / g).toFixed(2)}x git log   (goal: at most 1.5x: ${mine / g <= 1.5 ? 'met' : 'NOT met'})`);
  console.log(`  against git log printing only what the plan's git prints (hash, parents, tags, message; ${median(lean).toFixed(0)} ms): ${(mine / median(lean)).toFixed(2)}x`);
  console.log(`conventional-recommended-bump ${ref.toFixed(0).padStart(5)} ms  = ${(ref / g).toFixed(2)}x git log`);
  console.log(`CPU time (own + git's)      git log ${median(aCpu).toFixed(0)} ms, release plan ${median(bCpu).toFixed(0)} ms = ${(median(bCpu) / median(aCpu)).toFixed(2)}x (steadier than wall time under load)`);
  console.log(agree);
  console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

void main();
