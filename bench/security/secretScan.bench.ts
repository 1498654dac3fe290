/**
 * The security agent's secret scan on the 50,000-file bench tree against secretlint's own CLI on
 * the same tree (its recommended preset, .gitignore respected, JSON output), one fresh run each,
 * alternating, RUNS times. Ours runs with the ripgrep VS Code ships (@vscode/ripgrep-universal)
 * naming the candidate files, and once more in-process without it (every file read and filtered in
 * memory, what happens where no ripgrep is found); then a warm re-scan of one changed file in the same process (what a
 * save in the editor costs). Prints wall times, the ratio, and whether both found the same
 * secretlint findings (ours adds its own rules on top, counted apart).
 *
 *   npx tsx bench/security/secretScan.bench.ts          # FILES=50000 SEED=42 RUNS=3
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApprovalPolicy } from '../../src/agents/runtime/approvalPolicy';
import { FsEditApplier } from '../../src/agents/runtime/fsEditApplier';
import { RemoteExecutors } from '../../src/agents/runtime/remote';
import { runAgent, type RunServices } from '../../src/agents/runtime/runAgent';
import { securityAgent } from '../../src/agents/security/securityAgent';
import { defaultPolicy } from '../../src/core/policy/commandPolicy';
import { FileAuditSink } from '../../src/providers/audit';
import { plantedSecrets } from '../../test/unit/agents/security/secretCorpus';
import { generateTree } from '../todo-index/generateTree';

const FILES = Number(process.env.FILES ?? 50_000);
const SEED = Number(process.env.SEED ?? 42);
const RUNS = Number(process.env.RUNS ?? 3);
const repo = path.resolve(__dirname, '..', '..');
const tree = path.join(tmpdir(), `ai-devops-security-bench-${FILES}-${SEED}`);

/** The ripgrep VS Code ships, the one the editor's scan uses; the CLI is pointed at it too. */
const RG = path.join(path.dirname(require.resolve('@vscode/ripgrep-universal')), '..', 'bin', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'rg.exe' : 'rg');

const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function prepare(): number {
  const { files } = generateTree(tree, { files: FILES, seed: SEED });
  const dir = path.join(tree, 'src', 'leaks');
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    // Ten copies of the corpus spread over the tree: 180 planted secrets of every kind we claim.
    for (let copy = 0; copy < 10; copy++) for (const [i, p] of plantedSecrets(100 + copy).entries()) writeFileSync(path.join(dir, `c${copy}_${i}_${path.basename(p.file)}`), p.text);
  }
  writeFileSync(path.join(tree, '.secretlintrc.json'), JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  return files;
}

function services(ripgrepPath: string | undefined): RunServices {
  const audit = new FileAuditSink({ workspaceRoot: tree, log: quiet });
  return {
    workspaceRoot: tree,
    trusted: true,
    audit,
    log: quiet,
    approvals: async () => new ApprovalPolicy({}, { kind: 'absent' }),
    commandPolicy: async () => defaultPolicy(),
    trackers: { azure: () => undefined, github: () => undefined, defaultTracker: 'azureBoards' },
    model: async () => undefined,
    git: async () => undefined,
    remote: new RemoteExecutors([]),
    edits: new FsEditApplier(),
    ui: { review: async () => undefined, confirm: async () => false, progress: () => undefined },
    ...(ripgrepPath ? { ripgrepPath } : {}),
  };
}

interface SecretlintJson {
  readonly filePath: string;
  readonly messages: readonly { readonly ruleId: string; readonly loc: { readonly start: { readonly line: number } } }[];
}

function secretlintRun(): { ms: number; findings: Set<string> } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(repo, 'node_modules', 'secretlint', 'bin', 'secretlint.js'), '**/*', '--format', 'json', '--no-color', '--secretlintrc', path.join(tree, '.secretlintrc.json')], { cwd: tree, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - started;
  const results = JSON.parse(r.stdout) as SecretlintJson[];
  const findings = new Set(results.flatMap((f) => f.messages.map((m) => `${path.relative(tree, f.filePath).split(path.sep).join('/')}:${m.loc.start.line} ${m.ruleId}`)));
  return { ms, findings };
}

function ourFreshRun(): { ms: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'security', 'scan', tree, '--json', '--only', 'secrets'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, AIDEVOPS_RIPGREP: RG, XDG_STATE_HOME: path.join(tmpdir(), 'ai-devops-security-bench-state') } });
  if (r.status !== 1) throw new Error(`ai-devops exited ${r.status}: ${r.stderr.slice(-500)}`);
  return { ms: performance.now() - started };
}

async function ourInProcess(s: RunServices, files?: string[]): Promise<{ ms: number; findings: Set<string>; extra: number; fact: string }> {
  const started = performance.now();
  const result = await runAgent(s, { agent: securityAgent, action: 'scan', input: { only: ['secrets'], ...(files ? { files } : {}) }, mode: 'plan' });
  const ms = performance.now() - started;
  if (result.outcome !== 'succeeded') throw new Error(result.error);
  const all = result.plan!.findings;
  const preset = all.filter((f) => f.ruleId.startsWith('@secretlint/'));
  const fact = result.plan!.facts.find((f) => f.label === 'Secrets')?.value ?? '';
  return { ms, findings: new Set(preset.map((f) => `${f.file}:${f.line} ${f.ruleId}`)), extra: all.length - preset.length, fact };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  if (!existsSync(path.join(repo, 'dist', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
  const files = prepare();
  console.log(`tree: ${tree} (${files} files + 180 planted secrets), ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const s = services(RG);
  const reading = services(undefined);
  const theirs: number[] = [];
  const fresh: number[] = [];
  const inProcess: number[] = [];
  const inProcessReading: number[] = [];
  let theirFindings = new Set<string>();
  let ours = { findings: new Set<string>(), extra: 0, fact: '' };
  let oursReading = { findings: new Set<string>(), extra: 0, fact: '' };
  for (let i = 0; i < RUNS; i++) {
    const t = secretlintRun();
    theirs.push(t.ms);
    theirFindings = t.findings;
    fresh.push(ourFreshRun().ms);
    const o = await ourInProcess(s);
    inProcess.push(o.ms);
    ours = o;
    const r = await ourInProcess(reading);
    inProcessReading.push(r.ms);
    oursReading = r;
  }
  const missing = [...theirFindings].filter((f) => !ours.findings.has(f));
  const added = [...ours.findings].filter((f) => !theirFindings.has(f));
  // Warm: one file changes, the editor re-scans that file alone.
  const changed = 'src/leaks/c0_1_gh.ts';
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    writeFileSync(path.join(tree, changed), `// edit ${i}\n${plantedSecrets(100).find((p) => p.file === 'src/gh.ts')!.text}`);
    warm.push((await ourInProcess(s, [changed])).ms);
  }
  await (s.audit as FileAuditSink).close();
  await (reading.audit as FileAuditSink).close();
  const m = { secretlint: median(theirs), fresh: median(fresh), inProcess: median(inProcess), reading: median(inProcessReading), warm: median(warm) };
  console.log(`secretlint CLI (baseline)        ${(m.secretlint / 1000).toFixed(2)} s   ${theirFindings.size} findings`);
  console.log(`ai-devops security scan (fresh)  ${(m.fresh / 1000).toFixed(2)} s   ${(m.fresh / m.secretlint).toFixed(2)}x`);
  console.log(`security scan in-process         ${(m.inProcess / 1000).toFixed(2)} s   ${(m.inProcess / m.secretlint).toFixed(2)}x   ${ours.findings.size} preset findings + ${ours.extra} from our rules`);
  console.log(`  with ripgrep: ${ours.fact}`);
  console.log(`in-process, no ripgrep (reads all) ${(m.reading / 1000).toFixed(2)} s   ${(m.reading / m.secretlint).toFixed(2)}x   same findings as with ripgrep: ${[...ours.findings].every((f) => oursReading.findings.has(f)) && ours.findings.size === oursReading.findings.size && ours.extra === oursReading.extra ? 'yes' : 'no'}`);
  console.log(`  without: ${oursReading.fact}`);
  console.log(`warm re-scan of one changed file ${m.warm.toFixed(1)} ms (median of 20)`);
  console.log(`same secretlint findings: ${missing.length === 0 && added.length === 0 ? 'yes' : `no (missing ${missing.length}: ${missing.slice(0, 5).join(', ')}; extra ${added.length}: ${added.slice(0, 5).join(', ')})`}`);
  console.log(`goals: at most 0.5x secretlint (fresh process: ${m.fresh / m.secretlint <= 0.5 ? 'met' : 'not met'}, in-process: ${m.inProcess / m.secretlint <= 0.5 ? 'met' : 'not met'}); warm re-scan under 50 ms: ${m.warm < 50 ? 'met' : 'not met'}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
