import path from 'node:path';
import { junitToCases } from '../parse/junitCases';
import { parseJUnitXml } from '../parse/junitXml';
import { parseUnittestText } from '../parse/unittestText';
import { type TestProject } from '../detect/projects';
import { absolute, type Collected, type Invocation, noReport, reportPath, type Runner, type RunSetup } from './runner';

/**
 * pytest (which also runs unittest-style classes) and the standard library's unittest, as modules
 * of the workspace's Python (the runtime picks the interpreter: see toolLauncher.ts). pytest reads
 * its own configuration (pytest.ini, pyproject's [tool.pytest.ini_options], addopts) as always.
 */
const inProject = (project: TestProject, setup: RunSetup, files: readonly string[]): string[] =>
  files.filter((f) => project.dir === '' || f.startsWith(`${project.dir}/`)).map((f) => absolute(setup, f));

/** `tests.test_math.TestMath` → tests/test_math.py and the suite [TestMath], when that file exists. */
export function pythonClassname(project: TestProject, knownFiles: ReadonlySet<string>, classname: string): { file?: string; suite: readonly string[] } {
  const parts = classname.split('.');
  for (let i = parts.length; i > 0; i--) {
    const rel = `${parts.slice(0, i).join('/')}.py`;
    for (const candidate of [path.posix.join(project.dir, rel), rel]) {
      if (knownFiles.has(candidate)) return { file: candidate, suite: parts.slice(i) };
    }
  }
  return { suite: parts.length > 1 ? parts.slice(-1) : [] };
}

export function pytestRunner(knownFiles: ReadonlySet<string>): Runner {
  return {
    framework: 'pytest',
    invocation(project, setup): Invocation {
      const junit = reportPath(setup, project, 'pytest.xml');
      const cov = reportPath(setup, project, 'coverage.xml');
      return {
        command: {
          file: 'pytest',
          args: [
            `--junitxml=${absolute(setup, junit)}`,
            '-q',
            ...(setup.coverage ? [`--cov=${absolute(setup, project.dir || '.').replace(/\/\.$/, '')}`, `--cov-report=xml:${absolute(setup, cov)}`, '--cov-branch'] : []),
            ...inProject(project, setup, setup.files ?? []),
          ],
          ...(project.dir ? { cwd: project.dir } : {}),
          why: `Run ${project.name}'s Python tests with pytest's JUnit report`,
          ...(setup.timeoutMs ? { timeoutMs: setup.timeoutMs } : {}),
        },
        reports: [junit],
        coverage: setup.coverage ? [{ path: cov, format: 'cobertura' }] : [],
        notes: [],
      };
    },
    collect(project, output, setup): Collected {
      const xml = [...output.reports.values()][0];
      if (xml === undefined) {
        const missingCov = /unrecognized arguments: --cov/.test(output.result.stderr);
        return missingCov
          ? { cases: [], notes: [], problem: 'pytest does not know --cov: coverage needs the pytest-cov plugin (Debian: python3-pytest-cov; pip: pytest-cov). Run again without coverage, or install it.' }
          : /No module named pytest/.test(output.result.stderr)
            ? { cases: [], notes: [], problem: `pytest is not installed for the Python this workspace uses (${output.result.display}). Install it (Debian: python3-pytest; pip: pytest) or choose another interpreter.` }
            : noReport('pytest', output, 'JUnit report');
      }
      try {
        const cases = junitToCases(parseJUnitXml(xml, "pytest's JUnit report"), {
          framework: 'pytest',
          root: setup.root,
          base: project.dir,
          dropSuites: (s) => s === 'pytest',
          classname: (c) => pythonClassname(project, knownFiles, c),
        });
        return { cases, notes: [] };
      } catch (error) {
        return { cases: [], notes: [], problem: (error as Error).message };
      }
    },
    rerun(project, failed, setup) {
      const ids = failed.filter((c) => c.file).map((c) => [absolute(setup, c.file!), ...c.suite, c.name].join('::'));
      if (ids.length === 0 || ids.length !== failed.length) return undefined;
      const junit = reportPath(setup, project, 'pytest-rerun.xml');
      return {
        command: { file: 'pytest', args: [`--junitxml=${absolute(setup, junit)}`, '-q', ...ids], ...(project.dir ? { cwd: project.dir } : {}), why: `Run the ${failed.length} failed pytest test(s) once more to tell flaky from failing` },
        reports: [junit],
        coverage: [],
        notes: [],
      };
    },
  };
}

export function unittestRunner(knownFiles: ReadonlySet<string>): Runner {
  const moduleFile = (project: TestProject) => (module: string): string | undefined => {
    const rel = `${module.split('.').join('/')}.py`;
    return [path.posix.join(project.dir, rel), rel, ...[...knownFiles].filter((f) => f.endsWith(`/${rel}`))].find((c) => knownFiles.has(c));
  };
  return {
    framework: 'unittest',
    invocation(project, setup): Invocation {
      // discover walks packages only: tests in a plain folder (no __init__.py) need it as the start.
      const tests = [...knownFiles].filter((f) => /(?:^|\/)test_[^/]*\.py$/.test(f) && (project.dir === '' || f.startsWith(`${project.dir}/`)));
      const folders = [...new Set(tests.map((f) => path.posix.dirname(f)))];
      const start = folders.length === 1 && folders[0] !== (project.dir || '.') && !knownFiles.has(`${folders[0]}/__init__.py`) ? folders[0]! : undefined;
      return {
        command: { file: 'unittest', args: ['discover', '-v', ...(start ? ['-s', absolute(setup, start)] : [])], ...(project.dir ? { cwd: project.dir } : {}), why: `Run ${project.name}'s unittest tests (python -m unittest discover)`, ...(setup.timeoutMs ? { timeoutMs: setup.timeoutMs } : {}) },
        reports: [],
        coverage: [],
        notes: setup.coverage ? ['unittest has no coverage of its own; add pytest-cov (or coverage.py) to measure it.'] : [],
      };
    },
    collect(project, output, setup): Collected {
      const cases = parseUnittestText(output.result.stderr, setup.root, project.dir, moduleFile(project));
      if (cases.length === 0 && output.result.exitCode !== 0) return noReport('unittest', output, 'test results');
      return { cases, notes: [] };
    },
    rerun(project, failed) {
      const names = failed.map((c) => (c.file ? [c.file.replace(/\.py$/, '').split('/').slice(project.dir ? project.dir.split('/').length : 0).join('.'), ...c.suite, c.name].join('.') : undefined));
      if (names.some((n) => n === undefined)) return undefined;
      return { command: { file: 'unittest', args: ['-v', ...(names as string[])], ...(project.dir ? { cwd: project.dir } : {}), why: `Run the ${failed.length} failed unittest test(s) once more to tell flaky from failing` }, reports: [], coverage: [], notes: [] };
    },
  };
}
