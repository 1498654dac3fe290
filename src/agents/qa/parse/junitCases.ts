import { caseId, type TestCase } from '../model';
import { expectedActual, failureLocation } from './failureText';
import { type JUnitCase } from './junitXml';
import { workspaceRelative } from './paths';

/**
 * JUnit test cases in our shape. Runners differ in what `classname` means: a dotted module and
 * class (pytest, Surefire, Gradle), or nothing useful (node:test). `fileOf` turns a classname into
 * a workspace file where the runner names none.
 */
export interface JUnitMapping {
  readonly framework: string;
  readonly root: string;
  readonly base: string;
  /** Suites that only group the whole run (pytest's "pytest", "Mocha Tests"): left out of the path. */
  readonly dropSuites?: (name: string) => boolean;
  /** The file and the suite path a classname stands for. */
  readonly classname?: (classname: string) => { file?: string; suite: readonly string[] };
}

export function junitToCases(cases: readonly JUnitCase[], m: JUnitMapping): TestCase[] {
  return cases.map((c) => {
    const suites = c.suites.filter((s) => s && !(m.dropSuites?.(s) ?? false));
    const fromClass = c.classname && m.classname ? m.classname(c.classname) : undefined;
    const file = c.file ? workspaceRelative(m.root, m.base, c.file) : fromClass?.file;
    const suite = [...suites, ...(fromClass?.suite ?? [])];
    const text = c.failure ? `${c.failure.message}\n${c.failure.body}` : '';
    // Where it failed is not where the test is (a helper, a source file): the id never takes it.
    const where = c.failure ? failureLocation(text, m.root, m.base, file) : undefined;
    return {
      id: caseId(file ?? (c.classname || m.base || '.'), suite, c.name),
      framework: m.framework,
      ...(file ? { file } : {}),
      ...(c.line ? { line: c.line } : {}),
      suite,
      name: c.name,
      status: c.status,
      ...(c.timeSeconds !== undefined ? { durationMs: Math.round(c.timeSeconds * 1000 * 100) / 100 } : {}),
      ...(c.failure
        ? {
            failure: {
              message: c.failure.message || c.failure.body.split('\n')[0] || 'failed',
              ...expectedActual(text),
              ...(c.failure.body ? { stack: c.failure.body } : {}),
              ...(where ? { file: where.file, line: where.line } : {}),
            },
          }
        : {}),
      ...(c.output ? { output: c.output.slice(0, 20_000) } : {}),
    };
  });
}
