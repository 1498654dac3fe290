import { createHash } from 'node:crypto';
import path from 'node:path';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type AgentContext, type CommandResult } from '../runtime/context';
import { type Finding } from '../runtime/plan';
import { assertFormat, type CoverageSummary, mergeReports, parseCoverage, summarize } from './coverage';
import { detectProjects, FRAMEWORK_LABELS, projectsFor, type TestProject } from './detect/projects';
import { appendRun, HISTORY_RECORD, type HistoryRun, previousComparable, readHistory } from './history';
import { locateCases } from './locate';
import { type CoverageReport, type TestCase } from './model';
import { runnerFor } from './runners';
import { type CoverageSource, type Invocation, isNewReport, type RunOutput, type RunSetup } from './runners/runner';

/**
 * One QA run: find the suites, run each through its own script with a machine-readable reporter
 * (policed and approved by the runtime), read the reports, re-run failures once (a failure that
 * then passes is flaky, never passed), read coverage, compare with the last run and keep the
 * history. Everything the plan and the editor show comes from the `QaRun` this returns.
 */
export interface QaRunOptions {
  readonly only?: string;
  readonly files?: readonly string[];
  readonly coverage: boolean;
  readonly coverageFile?: string;
  readonly rerun: boolean;
  /** Keep per-line coverage (the editor's gutter; --lcov). */
  readonly detail: boolean;
  readonly timeoutMs?: number;
}

export interface ProjectRun {
  readonly framework: string;
  readonly dir: string;
  readonly name: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly tests: number;
  /** Why no results could be read, when none could. */
  readonly problem?: string;
  /** The end of what the run printed (for the Test Results output). */
  readonly output: string;
}

export interface QaRun {
  readonly frameworks: readonly string[];
  readonly projects: readonly ProjectRun[];
  readonly cases: readonly TestCase[];
  readonly coverage: CoverageReport | undefined;
  readonly coverageSummary: CoverageSummary | undefined;
  readonly coverageChange: { readonly lines: number | null; readonly branches: number | null; readonly since: string } | undefined;
  readonly previous: HistoryRun | undefined;
  readonly totals: { readonly passed: number; readonly failed: number; readonly skipped: number; readonly flaky: number };
  readonly durationMs: number;
  readonly notes: readonly string[];
}

export const TEST_FILE_GLOBS = [
  '**/*.{test,spec}.{js,cjs,mjs,ts,cts,mts,jsx,tsx}',
  '**/{test,tests,__tests__,spec}/**/*.{js,cjs,mjs,ts,cts,mts,jsx,tsx}',
  '**/test_*.py',
  '**/*_test.py',
  '**/tests/**/*.py',
  '**/*_test.go',
  '**/tests/**/*.rs',
  '**/src/**/*.rs',
  '**/__init__.py',
];

const OUTPUT_TAIL = 20_000;
const tail = (s: string): string => (s.length > OUTPUT_TAIL ? `…${s.slice(-OUTPUT_TAIL)}` : s);

export async function runQa(ctx: AgentContext, options: QaRunOptions): Promise<QaRun> {
  const started = Date.now();
  const notes: string[] = [];
  await ctx.step('Looking for test suites', options.only ? { only: options.only } : {});
  const projects = await detectProjects(ctx.files, { ...(options.only ? { within: options.only } : {}), notes });
  const listed = await ctx.files.list(TEST_FILE_GLOBS, { ignore: ['**/node_modules/**', '.devops/**'], max: 20_000 });
  const knownFiles = new Set(listed.paths);
  const testFiles = listed.paths.filter((p) => !p.endsWith('__init__.py'));

  const scratch = projects.length > 0 ? await ctx.scratch() : '';
  const setup: RunSetup = {
    root: ctx.workspaceRoot,
    scratch,
    coverage: options.coverage,
    ...(options.files?.length ? { files: options.files } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  const projectRuns: ProjectRun[] = [];
  let cases: TestCase[] = [];
  const coverageReports: CoverageReport[] = [];

  for (const project of projects) {
    // Files to run (the Testing view's selection) go to the project that holds them; a project
    // holding none of them is not run at all.
    const mine = options.files?.filter((f) => projectsFor(projects, f).includes(project));
    if (options.files?.length && !mine?.length) continue;
    const runner = runnerFor(project.framework, knownFiles);
    const projectSetup: RunSetup = mine?.length ? { ...setup, files: mine } : setup;
    const invocation = runner.invocation(project, projectSetup);
    notes.push(...invocation.notes);
    await ctx.step(`Running ${FRAMEWORK_LABELS[project.framework]} in ${project.dir || 'the workspace root'}`, { framework: project.framework, dir: project.dir });
    const owned = await ownedBefore(ctx, invocation);
    const ran = await execute(ctx, invocation);
    if ('refused' in ran) {
      projectRuns.push({ framework: project.framework, dir: project.dir, name: project.name, command: `${invocation.command.file} ${invocation.command.args.join(' ')}`, exitCode: null, timedOut: false, durationMs: 0, tests: 0, problem: ran.refused, output: '' });
      continue;
    }
    const collected = runner.collect(project, ran.output, projectSetup);
    notes.push(...collected.notes);
    const located = await locateCases(collected.cases, ctx.files, testFiles.filter((f) => project.dir === '' || f.startsWith(`${project.dir}/`)), () => project.dir || '.');
    cases.push(...located);
    projectRuns.push({
      framework: project.framework,
      dir: project.dir,
      name: project.name,
      command: ran.output.result.display,
      exitCode: ran.output.result.exitCode,
      timedOut: ran.output.result.timedOut,
      durationMs: ran.output.result.durationMs,
      tests: located.length,
      ...(collected.problem ? { problem: collected.problem } : located.length === 0 && ran.output.result.exitCode !== 0 ? { problem: `${ran.output.result.display} exited with ${ran.output.result.exitCode} and reported no tests.` } : {}),
      output: tail(`${ran.output.result.stdout}${ran.output.result.stderr ? `\n${ran.output.result.stderr}` : ''}`),
    });
    for (const source of [...invocation.coverage, ...ran.folderCoverage]) {
      const text = ran.output.reports.get(source.path) ?? (await ctx.files.read(source.path).catch(() => undefined))?.text;
      if (text === undefined) continue;
      if (source.projectOwned && owned.get(source.path) === sha(text)) continue; // not written by this run
      try {
        coverageReports.push(parseCoverage(source.format, text, ctx.workspaceRoot, project.dir, options.detail, source.path, project.goModule));
      } catch (error) {
        notes.push(isDevOpsError(error) ? error.message : String(error));
      }
      if (source.projectOwned) break; // lcov and istanbul JSON of one run say the same
    }
    if (options.rerun) cases = await rerunFailures(ctx, project, runner.rerun?.bind(runner), cases, projectSetup, testFiles, notes);
  }

  if (options.coverageFile) {
    const read = await ctx.files.read(options.coverageFile);
    if (!read) throw new DevOpsError('invalidInput', `There is no coverage file ${options.coverageFile} in the workspace.`);
    coverageReports.push(parseCoverage(assertFormat(options.coverageFile, read.text), read.text, ctx.workspaceRoot, path.posix.dirname(options.coverageFile) === '.' ? '' : path.posix.dirname(options.coverageFile), options.detail, options.coverageFile));
  }

  const coverage = mergeReports(coverageReports);
  const coverageSummary = coverage ? summarize(coverage) : undefined;
  const totals = {
    passed: cases.filter((c) => c.status === 'passed').length,
    failed: cases.filter((c) => c.status === 'failed' && !c.flaky).length,
    skipped: cases.filter((c) => c.status === 'skipped').length,
    flaky: cases.filter((c) => c.flaky).length,
  };
  const frameworks = [...new Set(projects.map((p) => p.framework))];
  const durationMs = Date.now() - started;

  const { history, note } = readHistory(await ctx.records.read(HISTORY_RECORD));
  if (note) notes.push(note);
  const scope = options.only ?? (options.files?.length ? options.files.join(',') : '');
  const previous = previousComparable(history, scope);
  const coverageChange =
    coverageSummary && previous?.coverage
      ? { lines: diff(coverageSummary.lines, previous.coverage.lines), branches: diff(coverageSummary.branches, previous.coverage.branches), since: previous.at }
      : undefined;
  if (projects.length > 0) {
    const entry: HistoryRun = {
      runId: ctx.runId,
      at: ctx.now().toISOString(),
      frameworks,
      totals,
      durationMs,
      coverage: coverageSummary ? { lines: coverageSummary.lines, branches: coverageSummary.branches, functions: coverageSummary.functions } : null,
      failing: cases.filter((c) => c.status === 'failed' && !c.flaky).map((c) => c.id),
      flaky: cases.filter((c) => c.flaky).map((c) => c.id),
      scope,
    };
    await ctx.records.write(HISTORY_RECORD, appendRun(history, entry)).catch((error: unknown) => notes.push(`The run history could not be saved: ${error instanceof Error ? error.message : String(error)}`));
  }
  return { frameworks, projects: projectRuns, cases, coverage, coverageSummary, coverageChange, previous, totals, durationMs, notes };
}

const diff = (now: number | null, before: number | null): number | null => (now === null || before === null ? null : Math.round((now - before) * 10) / 10);
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The project's own coverage files before the run, to tell a fresh report from an old one. */
async function ownedBefore(ctx: AgentContext, invocation: Invocation): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const s of invocation.coverage.filter((c) => c.projectOwned)) {
    const text = (await ctx.files.read(s.path).catch(() => undefined))?.text;
    if (text !== undefined) out.set(s.path, sha(text));
  }
  return out;
}

async function execute(ctx: AgentContext, invocation: Invocation): Promise<{ output: RunOutput; folderCoverage: CoverageSource[] } | { refused: string }> {
  const startedMs = Date.now();
  let result: CommandResult;
  try {
    result = await ctx.commands.run(invocation.command);
  } catch (error) {
    // A refusal (the policy, the user) or a missing program stops this suite, not the others.
    if (isDevOpsError(error) && (error.code === 'refused' || error.code === 'notFound')) return { refused: error.message };
    throw error;
  }
  const reports = new Map<string, string | undefined>();
  for (const r of invocation.reports) reports.set(r, (await ctx.files.read(r).catch(() => undefined))?.text);
  const folderReports: { path: string; text: string }[] = [];
  const folderCoverage: CoverageSource[] = [];
  for (const f of invocation.reportFolders ?? []) {
    const dirs = [f.dir];
    if (f.depth === 2) for (const e of await ctx.files.entries(f.dir)) if (e.kind === 'folder') dirs.push(`${f.dir}/${e.name}`);
    for (const dir of dirs) {
      for (const e of await ctx.files.entries(dir)) {
        if (!f.pattern.test(e.name) || !isNewReport(e, startedMs)) continue;
        const p = `${dir}/${e.name}`;
        if (/coverage\.cobertura\.xml$/.test(e.name)) {
          folderCoverage.push({ path: p, format: 'cobertura' });
          continue;
        }
        const text = (await ctx.files.read(p).catch(() => undefined))?.text;
        if (text !== undefined) folderReports.push({ path: p, text });
      }
    }
  }
  return { output: { result, reports, folderReports }, folderCoverage };
}

async function rerunFailures(
  ctx: AgentContext,
  project: TestProject,
  rerun: ((p: TestProject, failed: readonly TestCase[], s: RunSetup) => Invocation | undefined) | undefined,
  cases: TestCase[],
  setup: RunSetup,
  testFiles: readonly string[],
  notes: string[],
): Promise<TestCase[]> {
  const failed = cases.filter((c) => c.status === 'failed' && c.framework === project.framework && (project.dir === '' || !c.file || c.file.startsWith(`${project.dir}/`)) && c.name !== '(file)');
  if (failed.length === 0 || failed.length > 20) {
    if (failed.length > 20) notes.push(`${failed.length} tests failed in ${project.dir || 'the workspace root'}; more than 20 are not re-run to look for flaky ones.`);
    return cases;
  }
  const invocation = rerun?.(project, failed, setup);
  if (!invocation) return cases;
  await ctx.step(`Re-running ${failed.length} failed test(s) once to tell flaky from failing`, { framework: project.framework, tests: failed.map((c) => c.id) });
  const ran = await execute(ctx, invocation);
  if ('refused' in ran) {
    notes.push(`The failed tests were not re-run (${ran.refused}); a flaky test would show as failed.`);
    return cases;
  }
  const again = await locateCases(runnerFor(project.framework, new Set(testFiles)).collect(project, ran.output, setup).cases, ctx.files, testFiles, () => project.dir || '.');
  const passedNow = new Set(again.filter((c) => c.status === 'passed').map((c) => c.id));
  return cases.map((c) => (failed.includes(c) && passedNow.has(c.id) ? { ...c, flaky: true } : c));
}

/** One finding per failing test (and per flaky one, and per suite that could not be run). */
export function findingsOf(run: QaRun): Finding[] {
  const fp = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 32);
  const findings: Finding[] = [];
  for (const c of run.cases) {
    if (c.status !== 'failed') continue;
    const full = [...c.suite, c.name].join(' › ');
    const sameFile = c.failure?.file && c.failure.file === c.file;
    const line = sameFile ? c.failure?.line : c.line;
    findings.push({
      ruleId: c.flaky ? 'qa/test-flaky' : 'qa/test-failed',
      category: 'test',
      severity: c.flaky ? 'medium' : 'high',
      message: (c.flaky ? `${full} is flaky: it failed, then passed when run again (${c.failure?.message ?? 'failed'})` : `${full} failed: ${c.failure?.message ?? 'failed'}`).slice(0, 4000),
      ...(c.file ? { file: c.file } : {}),
      ...(c.file && line ? { line } : {}),
      fingerprint: fp(`${c.flaky ? 'flaky' : 'failed'}\0${c.id}`),
    });
  }
  for (const p of run.projects) {
    if (!p.problem) continue;
    findings.push({ ruleId: 'qa/suite-not-run', category: 'test', severity: 'high', message: `${FRAMEWORK_LABELS[p.framework as keyof typeof FRAMEWORK_LABELS] ?? p.framework} in ${p.dir || 'the workspace root'}: ${p.problem}`.slice(0, 4000), fingerprint: fp(`suite\0${p.framework}\0${p.dir}`) });
  }
  return findings;
}
