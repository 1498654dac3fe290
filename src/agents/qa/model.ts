/**
 * What the QA agent knows about a run, in one shape whatever the runner: test cases with a stable
 * id, coverage per file. Runners' own formats (JUnit XML, TAP, mocha/jest/vitest JSON, go test
 * events, unittest text) are parsed into these in parse/ and runners/.
 */

export type TestStatus = 'passed' | 'failed' | 'skipped';

export interface TestFailure {
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly stack?: string;
  /** Where it failed, when the runner or the stack says (workspace-relative, 1-based). */
  readonly file?: string;
  readonly line?: number;
}

export interface TestCase {
  /**
   * Stable across runs and machines: `file::suite > … > name` (or `project::class > name` when the
   * runner names no file). Bugs are deduplicated by it, flaky tests are found by it.
   */
  readonly id: string;
  readonly framework: string;
  /** Workspace-relative, forward slashes. */
  readonly file?: string;
  /** 1-based line of the test's declaration, when known. */
  readonly line?: number;
  /** Enclosing suites (describe blocks, classes), outermost first. */
  readonly suite: readonly string[];
  readonly name: string;
  readonly status: TestStatus;
  /** True when it failed and then passed on the re-run: reported as flaky, never as passed. */
  readonly flaky?: boolean;
  readonly durationMs?: number;
  readonly failure?: TestFailure;
  /** What the test printed (JUnit system-out/err), trimmed. */
  readonly output?: string;
}

export interface CoverageCounts {
  readonly found: number;
  readonly hit: number;
}

export interface FileCoverage {
  /** Workspace-relative, forward slashes. */
  readonly file: string;
  readonly lines: CoverageCounts;
  readonly branches: CoverageCounts;
  readonly functions: CoverageCounts;
  /** Per line and branch, for the editor's gutter; absent when only totals were asked for. */
  readonly detail?: CoverageDetail;
}

export interface CoverageDetail {
  /** [line, hits] */
  readonly lines: readonly (readonly [number, number])[];
  /** [line, block, branch, taken] */
  readonly branches: readonly (readonly [number, number, number, number])[];
  /** [name, line, hits] */
  readonly functions: readonly (readonly [string, number, number])[];
}

export interface CoverageReport {
  readonly format: 'lcov' | 'cobertura' | 'istanbul' | 'go';
  readonly files: readonly FileCoverage[];
}

export const caseId = (place: string, suite: readonly string[], name: string): string => `${place}::${[...suite, name].join(' > ')}`;

export function totalsOf(files: readonly FileCoverage[]): { lines: CoverageCounts; branches: CoverageCounts; functions: CoverageCounts } {
  const sum = (pick: (f: FileCoverage) => CoverageCounts): CoverageCounts =>
    files.reduce((acc, f) => ({ found: acc.found + pick(f).found, hit: acc.hit + pick(f).hit }), { found: 0, hit: 0 });
  return { lines: sum((f) => f.lines), branches: sum((f) => f.branches), functions: sum((f) => f.functions) };
}

/** Percent with one decimal, or null when there is nothing to cover. */
export const percent = (c: CoverageCounts): number | null => (c.found === 0 ? null : Math.round((c.hit / c.found) * 1000) / 10);
