import { z } from 'zod';
import { type OutboxJson } from '../../core/boards/outbox';
import { type AgentContext, type AgentDefinition } from '../runtime/context';
import { type AgentPlan, emptyPlan, type FileEdit } from '../runtime/plan';
import { FRAMEWORK_LABELS, type Framework } from './detect/projects';
import { discoverTests } from './discover';
import { generateTests } from './generateTests';
import { type TestCase } from './model';
import { qaRemoteChanges } from './remoteChanges';
import { toJUnitXml, toLcov } from './reportWriters';
import { findingsOf, type QaRun, runQa } from './runQa';

/**
 * The QA agent: runs the tests the workspace already has, the way its own scripts run them, and
 * reports what a pipeline would see (`ai-devops qa run --json`), with failures as findings, flaky
 * tests apart, coverage and its change since the last run; on request it files Bugs for failing
 * tests (one per test, never twice), offers to resolve them once they pass, publishes the run to
 * Azure Test Plans and comments on the work item.
 */
const RelPath = z.string().min(1).max(1000);
const Bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

/**
 * The command line hands `--work-item` over as `workItem` (the scaffold agent's spelling); these
 * inputs keep the option's own (`work-item`, as the editor, the chat and audited runs pass it), so
 * either is read as it.
 */
function optionSpelling<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), x])) : v), schema);
}

export const QaRunInputSchema = optionSpelling(
  z.object({
    only: RelPath.optional(),
    files: z.array(RelPath).max(500).optional(),
    coverage: Bool.optional(),
    'coverage-file': RelPath.optional(),
    junit: RelPath.optional(),
    lcov: RelPath.optional(),
    'no-rerun': Bool.optional(),
    bugs: Bool.optional(),
    /** 12, AB#12 or #12. */
    'work-item': z.preprocess((v) => (typeof v === 'string' ? v.trim().replace(/^(?:AB)?#/i, '') : v), z.coerce.number().int().positive()).optional(),
    comment: Bool.optional(),
    publish: Bool.optional(),
    timeout: z.coerce.number().int().positive().max(360).optional(),
    /** The editor asks for every test case and per-line coverage (the Testing view, the gutter). */
    detail: Bool.optional(),
  })
  .strict(),
);
export type QaRunInput = z.infer<typeof QaRunInputSchema>;

const pct = (n: number | null | undefined): string => (n === null || n === undefined ? 'n/a' : `${n}%`);

function caseJson(c: TestCase): OutboxJson {
  return {
    id: c.id,
    framework: c.framework,
    ...(c.file ? { file: c.file } : {}),
    ...(c.line ? { line: c.line } : {}),
    suite: [...c.suite],
    name: c.name,
    status: c.flaky ? 'flaky' : c.status,
    ...(c.durationMs !== undefined ? { durationMs: Math.round(c.durationMs * 100) / 100 } : {}),
    ...(c.failure
      ? {
          failure: {
            message: c.failure.message,
            ...(c.failure.expected !== undefined ? { expected: c.failure.expected } : {}),
            ...(c.failure.actual !== undefined ? { actual: c.failure.actual } : {}),
            ...(c.failure.stack ? { stack: c.failure.stack.slice(0, 8000) } : {}),
            ...(c.failure.file ? { file: c.failure.file } : {}),
            ...(c.failure.line ? { line: c.failure.line } : {}),
          },
        }
      : {}),
    ...(c.output ? { output: c.output.slice(0, 8000) } : {}),
  };
}

/** The JSON `ai-devops qa run --json` prints at the top level (and the editor reads). */
export function resultOf(run: QaRun, detail: boolean): Record<string, OutboxJson> {
  const failing = run.cases.filter((c) => c.status === 'failed' && !c.flaky);
  const executed = run.totals.passed + run.totals.failed + run.totals.flaky;
  const slowest = [...run.cases].filter((c) => c.durationMs !== undefined && c.status !== 'skipped').sort((a, b) => b.durationMs! - a.durationMs!).slice(0, 10);
  return {
    frameworks: run.frameworks.map((f) => FRAMEWORK_LABELS[f as Framework] ?? f),
    totals: { ...run.totals },
    passRate: executed === 0 ? null : Math.round(((run.totals.passed + run.totals.flaky) / executed) * 1000) / 10,
    failures: failing.map((c) => ({
      id: c.id,
      file: c.file ?? null,
      line: (c.failure?.file === c.file ? c.failure?.line : undefined) ?? c.line ?? null,
      message: c.failure?.message ?? 'failed',
      ...(c.failure?.expected !== undefined ? { expected: c.failure.expected } : {}),
      ...(c.failure?.actual !== undefined ? { actual: c.failure.actual } : {}),
    })),
    flaky: run.cases.filter((c) => c.flaky).map((c) => ({ id: c.id, file: c.file ?? null, message: c.failure?.message ?? 'failed' })),
    slowest: slowest.map((c) => ({ id: c.id, durationMs: Math.round(c.durationMs! * 100) / 100 })),
    coverage: run.coverageSummary
      ? {
          ...run.coverageSummary,
          change: run.coverageChange ? { lines: run.coverageChange.lines, branches: run.coverageChange.branches, since: run.coverageChange.since } : null,
          ...(detail && run.coverage
            ? {
                detail: run.coverage.files.map((f) => ({
                  file: f.file,
                  lines: [f.lines.found, f.lines.hit],
                  branches: [f.branches.found, f.branches.hit],
                  functions: [f.functions.found, f.functions.hit],
                  ...(f.detail ? { l: f.detail.lines.map(([a, b]) => [a, b]), b: f.detail.branches.map(([a, b, c, d]) => [a, b, c, d]), f: f.detail.functions.map(([a, b, c]) => [a, b, c]) } : {}),
                })),
              }
            : {}),
        }
      : null,
    durationMs: run.durationMs,
    projects: run.projects.map((p) => ({
      framework: FRAMEWORK_LABELS[p.framework as Framework] ?? p.framework,
      dir: p.dir,
      name: p.name,
      command: p.command,
      exitCode: p.exitCode,
      timedOut: p.timedOut,
      durationMs: p.durationMs,
      tests: p.tests,
      ...(p.problem ? { problem: p.problem } : {}),
      ...(detail ? { output: p.output } : {}),
    })),
    ...(detail ? { tests: run.cases.map(caseJson) } : {}),
  };
}

export async function planRun(ctx: AgentContext, input: QaRunInput): Promise<AgentPlan> {
  const run = await runQa(ctx, {
    ...(input.only ? { only: input.only } : {}),
    ...(input.files ? { files: input.files } : {}),
    coverage: input.coverage === true,
    ...(input['coverage-file'] ? { coverageFile: input['coverage-file'] } : {}),
    rerun: input['no-rerun'] !== true,
    detail: input.detail === true || input.lcov !== undefined,
    ...(input.timeout ? { timeoutMs: input.timeout * 60_000 } : {}),
  });
  const plan = emptyPlan('qa', 'run', run.projects.length === 0 ? 'No tests found' : `Tests: ${run.totals.passed} passed, ${run.totals.failed} failed, ${run.totals.flaky} flaky, ${run.totals.skipped} skipped`);
  const problems = run.projects.filter((p) => p.problem);
  const cov = run.coverageSummary;
  plan.summary =
    run.projects.length === 0
      ? 'No test suite was found: no package.json test script running mocha, Jest, Vitest or node --test, no pytest or unittest tests, no go.mod, Cargo.toml, .NET test project, pom.xml or build.gradle.'
      : [
          `${run.projects.length} suite${run.projects.length === 1 ? '' : 's'} (${run.frameworks.map((f) => FRAMEWORK_LABELS[f as Framework] ?? f).join(', ')}) in ${(run.durationMs / 1000).toFixed(1)} s.`,
          cov ? `Coverage: lines ${pct(cov.lines)}, branches ${pct(cov.branches)}${run.coverageChange?.lines !== undefined && run.coverageChange.lines !== null ? ` (${run.coverageChange.lines >= 0 ? '+' : ''}${run.coverageChange.lines} since the last run)` : ''}.` : '',
          problems.length ? `${problems.length} suite${problems.length === 1 ? '' : 's'} could not be run or read.` : '',
        ]
          .filter(Boolean)
          .join(' ');
  plan.facts = run.projects.map((p) => ({ label: `${FRAMEWORK_LABELS[p.framework as Framework] ?? p.framework} (${p.dir || 'root'})`, value: p.problem ? `not run: ${p.problem.split('\n')[0]}` : `${p.tests} tests, exit ${p.exitCode ?? 'none'}, ${(p.durationMs / 1000).toFixed(1)} s`, source: p.command }));
  plan.findings = findingsOf(run);
  plan.notes = [...new Set(run.notes)];
  plan.verdict = run.projects.length === 0 ? undefined : run.totals.failed > 0 || problems.length > 0 ? 'fail' : 'pass';
  plan.result = resultOf(run, input.detail === true);
  plan.edits = await reportEdits(ctx, run, input);
  plan.remote = await qaRemoteChanges(ctx, run, { bugs: input.bugs === true, comment: input.comment === true, publish: input.publish === true, ...(input['work-item'] ? { workItem: input['work-item'] } : {}) }, plan.notes);
  return plan;
}

/** --junit / --lcov: the merged reports as file edits (create, or modify what the last run wrote). */
async function reportEdits(ctx: AgentContext, run: QaRun, input: QaRunInput): Promise<FileEdit[]> {
  const edits: FileEdit[] = [];
  const want: [string | undefined, () => string | undefined, string][] = [
    [input.junit, () => toJUnitXml(run.cases), 'the test results as JUnit XML'],
    [input.lcov, () => (run.coverage ? toLcov(run.coverage) : undefined), 'the coverage as lcov'],
  ];
  for (const [target, render, why] of want) {
    if (!target) continue;
    const content = render();
    if (content === undefined) continue;
    const existing = await ctx.files.read(target).catch(() => undefined);
    edits.push(existing ? { path: target, action: 'modify', content, baseSha256: existing.sha256, why: `Write ${why}` } : { path: target, action: 'create', content, why: `Write ${why}` });
  }
  return edits;
}

const RunAction = {
  name: 'run',
  description: "Run the workspace's tests as its own scripts do; report failures, flaky tests, the slowest tests and coverage",
  input: QaRunInputSchema,
  options: {
    only: { type: 'string', description: 'Run only the suites (and tests) under this workspace folder or file.' },
    coverage: { type: 'boolean', description: 'Measure coverage (the runner\'s own: c8/nyc, Jest/Vitest --coverage, node --experimental-test-coverage, pytest-cov, go -coverprofile).' },
    'coverage-file': { type: 'string', description: 'Also read coverage from this lcov, Cobertura/coverage.py XML, istanbul JSON or Go profile in the workspace.' },
    junit: { type: 'string', description: 'Write every result as one JUnit XML file (workspace-relative).' },
    lcov: { type: 'string', description: 'Write the coverage as one lcov file (workspace-relative).' },
    'no-rerun': { type: 'boolean', description: 'Do not run failed tests again to find flaky ones.' },
    bugs: { type: 'boolean', description: 'File a Bug per failing test (never twice for one test); offer to resolve Bugs of tests that pass again.' },
    'work-item': { type: 'string', description: 'The work item this run is for (12, AB#12 or #12; Bugs are linked to it; --comment comments on it). Default: the id in the branch name (task-<id>-…).' },
    comment: { type: 'boolean', description: 'Summarise the run as a comment on the work item.' },
    publish: { type: 'boolean', description: 'Publish the run and its results to Azure Test Plans.' },
    timeout: { type: 'string', description: 'Minutes each suite may run (default 10).' },
  },
  plan: planRun,
} as const;

export const QaDiscoverInputSchema = optionSpelling(
  z
    .object({
      only: RelPath.optional(),
      /** List test files only, running nothing (the Testing view's first look, which must not ask). */
      'files-only': Bool.optional(),
    })
    .strict(),
);
export type QaDiscoverInput = z.infer<typeof QaDiscoverInputSchema>;

export async function planDiscover(ctx: AgentContext, input: QaDiscoverInput): Promise<AgentPlan> {
  const found = await discoverTests(ctx, { ...(input.only ? { only: input.only } : {}), filesOnly: input['files-only'] === true });
  const fileCount = new Set([...found.files, ...found.tests.map((t) => t.file).filter(Boolean)]).size;
  const plan = emptyPlan('qa', 'discover', found.projects.length === 0 ? 'No tests found' : `Tests found: ${found.tests.length} tests, ${fileCount} files`);
  plan.summary =
    found.projects.length === 0
      ? 'No test suite was found.'
      : `${found.projects.length} suite${found.projects.length === 1 ? '' : 's'} (${found.frameworks.map((f) => FRAMEWORK_LABELS[f as Framework] ?? f).join(', ')}): ${found.tests.length} tests listed without running them, ${fileCount} test files.`;
  plan.facts = found.projects.map((p) => ({ label: `${FRAMEWORK_LABELS[p.framework]} (${p.dir || 'root'})`, value: p.problem ? `not listed: ${p.problem.split('\n')[0]}` : `${p.tests} tests, ${p.files} files`, ...(p.command ? { source: p.command } : {}) }));
  plan.notes = [...new Set(found.notes)];
  plan.result = {
    discovered: true,
    frameworks: found.frameworks.map((f) => FRAMEWORK_LABELS[f as Framework] ?? f),
    tests: found.tests.map((t) => ({ id: t.id, framework: t.framework, ...(t.file ? { file: t.file } : {}), ...(t.line ? { line: t.line } : {}), suite: [...t.suite], name: t.name })),
    files: [...found.files],
    projects: found.projects.map((p) => ({ framework: FRAMEWORK_LABELS[p.framework], dir: p.dir, name: p.name, command: p.command, tests: p.tests, files: p.files, ...(p.problem ? { problem: p.problem } : {}) })),
  };
  return plan;
}

const DiscoverAction = {
  name: 'discover',
  description: 'List the tests without running them (where the runner can: mocha, pytest, go, cargo; Jest and the others: their test files)',
  input: QaDiscoverInputSchema,
  options: {
    only: { type: 'string', description: 'Only the suites under this workspace folder or file.' },
    'files-only': { type: 'boolean', description: 'Run nothing: list the test files only.' },
  },
  plan: planDiscover,
} as const;

export const QaGenerateInputSchema = z
  .object({
    target: RelPath,
    function: z.string().regex(/^[A-Za-z_$][\w$.]{0,199}$/, 'a function name').optional(),
    /** 1-based lines of the target the tests must run (an uncovered range, a selection): `12-20`. */
    lines: z
      .string()
      .regex(/^\d{1,7}-\d{1,7}$/, 'a line range such as 12-20')
      .refine((v) => Number(v.split('-')[0]) >= 1 && Number(v.split('-')[0]) <= Number(v.split('-')[1]), 'the first line of the range must be 1 or more and not after the last')
      .optional(),
    rounds: z.coerce.number().int().min(1).max(5).default(3),
  })
  .strict();
export type QaGenerateInput = z.infer<typeof QaGenerateInputSchema>;

export async function planGenerate(ctx: AgentContext, input: QaGenerateInput): Promise<AgentPlan> {
  const lines = input.lines ? (input.lines.split('-').map(Number) as [number, number]) : undefined;
  const o = await generateTests(ctx, { target: input.target, rounds: input.rounds, ...(input.function ? { functionName: input.function } : {}), ...(lines ? { lines } : {}) });
  const what = `${input.function ? `${input.function} in ` : ''}${input.target}${lines ? ` (lines ${lines[0]}–${lines[1]})` : ''}`;
  const plan = emptyPlan('qa', 'generate', o.edit ? `Generated tests for ${what}` : `No tests generated for ${what}`);
  plan.summary = o.edit
    ? `${o.passed} test${o.passed === 1 ? '' : 's'} in ${o.edit.path}, passing when run (round ${o.rounds})${o.targetLinesHit ? `, running ${o.targetLinesHit} lines of ${input.target}` : ''}${o.newLinesHit ? `, ${o.newLinesHit} of them run by no existing test` : ''}.`
    : `No test is proposed: ${o.notes.at(-1) ?? 'none passed.'}`;
  plan.facts = [
    ...(o.framework ? [{ label: 'Framework', value: FRAMEWORK_LABELS[o.framework] }] : []),
    { label: 'Rounds', value: `${o.rounds} of at most ${input.rounds}` },
    ...(o.targetLinesHit !== undefined ? [{ label: `Lines of ${input.target}${lines ? ` ${lines[0]}–${lines[1]}` : ''} run`, value: String(o.targetLinesHit) }] : []),
    ...(o.newLinesHit !== undefined ? [{ label: 'Of them, run by no existing test', value: String(o.newLinesHit) }] : []),
  ];
  plan.notes = o.notes;
  plan.edits = o.edit ? [o.edit] : [];
  plan.result = { generated: o.edit ? o.edit.path : null, tests: o.passed, rounds: o.rounds, targetLinesHit: o.targetLinesHit ?? null, newLinesHit: o.newLinesHit ?? null };
  return plan;
}

const GenerateAction = {
  name: 'generate',
  description: 'Write tests for a file or function with the model, run them, feed failures back; propose only tests that pass and run lines of the target the existing tests do not',
  input: QaGenerateInputSchema,
  positionals: ['target'],
  options: {
    function: { type: 'string', description: 'The function to test (default: the whole file).' },
    lines: { type: 'string', description: 'Lines of the file the tests must run (an uncovered range), e.g. 12-20.' },
    rounds: { type: 'string', description: 'At most this many model rounds (1-5, default 3).' },
  },
  plan: planGenerate,
} as const;

export const qaAgent: AgentDefinition = {
  id: 'qa',
  title: 'QA',
  description: 'Runs the tests the workspace has, reports failures, flaky tests and coverage; files and resolves Bugs; publishes runs to Azure Test Plans',
  defaultAction: 'run',
  actions: [RunAction, DiscoverAction, GenerateAction],
};
