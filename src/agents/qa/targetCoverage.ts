import path from 'node:path';
import { isDevOpsError } from '../../core/errors';
import { type AgentContext } from '../runtime/context';
import { parseCoverage } from './coverage';
import { type TestProject } from './detect/projects';
import { type CoverageSource, isNewReport, type Runner } from './runners/runner';

/**
 * Lines of the file tests are generated for, as one run's coverage report saw them: what the
 * existing suite runs (the baseline) and what a generated test runs, so a generated test is
 * proposed only when it runs a line no existing test runs ("coverage of the target rises").
 */
export interface TargetLines {
  /** Lines of the target (within the range) that ran. */
  readonly hit: number;
  /** Per line, when the report has line detail: the lines it measured and those that ran (within the range). */
  readonly measured?: readonly number[];
  readonly covered?: ReadonlySet<number>;
}

/**
 * The target's lines from the coverage this run wrote: undefined when it wrote no report. A
 * report is read only when written since the run started (each attempt shares the run's scratch
 * folder, and a c8/nyc wrapper writes the project's own coverage/, where an older report says
 * nothing about these tests).
 */
export async function targetLinesRun(ctx: AgentContext, sources: readonly CoverageSource[], target: string, project: TestProject, startedMs: number, range?: readonly [number, number]): Promise<TargetLines | undefined> {
  for (const s of sources) {
    if (!(await writtenSince(ctx, s.path, startedMs))) continue;
    const text = (await ctx.files.read(s.path).catch(() => undefined))?.text;
    if (text === undefined) continue;
    try {
      const report = parseCoverage(s.format, text, ctx.workspaceRoot, project.dir, true, s.path, project.goModule);
      const file = report.files.find((f) => f.file === target);
      // A report that does not name the target: no test loaded it, so none of its lines ran.
      if (!file) return { hit: 0, measured: [], covered: new Set() };
      if (!file.detail) return { hit: range ? 0 : file.lines.hit };
      const inRange = file.detail.lines.filter(([line]) => !range || (line >= range[0] && line <= range[1]));
      const covered = new Set(inRange.filter(([, hits]) => hits > 0).map(([line]) => line));
      return { hit: covered.size, measured: [...new Set(inRange.map(([line]) => line))].sort((a, b) => a - b), covered };
    } catch {
      continue;
    }
  }
  return undefined;
}

/**
 * The existing suite's coverage of the target: the project's whole suite run once with coverage,
 * before any test is generated (through the command policy, as any run). Undefined, with a note,
 * when it cannot be measured (the run was refused, or wrote no coverage report).
 */
export async function baselineLines(ctx: AgentContext, project: TestProject, runner: Runner, target: string, notes: string[], range?: readonly [number, number]): Promise<TargetLines | undefined> {
  const scratch = await ctx.scratch();
  const invocation = runner.invocation(project, { root: ctx.workspaceRoot, scratch, coverage: true });
  await ctx.step(`Running the existing tests of ${project.dir || 'the workspace'} with coverage, to see which lines of ${target} they already run`, { project: project.dir });
  const startedMs = Date.now();
  try {
    await ctx.commands.run({ ...invocation.command, why: `Measure which lines of ${target} the existing tests run, so generated tests are proposed only when they run more` });
  } catch (error) {
    if (isDevOpsError(error) && (error.code === 'refused' || error.code === 'notFound')) {
      notes.push(`The existing tests could not be run for a coverage baseline (${error.message}); generated tests are checked to run ${target}, not to raise its coverage.`);
      return undefined;
    }
    throw error;
  }
  const lines = await targetLinesRun(ctx, invocation.coverage, target, project, startedMs, range);
  if (!lines) notes.push(`The existing tests wrote no coverage report here, so generated tests are checked to run ${target}, not to raise its coverage.`);
  return lines;
}

/** `3, 7-9`: line numbers as ranges, for notes and for the model. */
export function lineRanges(lines: Iterable<number>, max = 40): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.length > max ? `${parts.slice(0, max).join(', ')}, …` : parts.join(', ');
}

async function writtenSince(ctx: AgentContext, file: string, startedMs: number): Promise<boolean> {
  const entry = (await ctx.files.entries(path.posix.dirname(file)).catch(() => [])).find((e) => e.name === path.posix.basename(file));
  return entry !== undefined && isNewReport(entry, startedMs);
}
