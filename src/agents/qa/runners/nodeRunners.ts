import { type TestProject } from '../detect/projects';
import { type TestCase } from '../model';
import { junitToCases } from '../parse/junitCases';
import { parseJUnitXml } from '../parse/junitXml';
import { parseJestJson } from '../parse/jestJson';
import { parseMochaJson } from '../parse/mochaJson';
import { parseTap } from '../parse/tap';
import { absolute, type Collected, exactAlternation, type Invocation, noReport, reportPath, type Runner, type RunOutput, type RunSetup } from './runner';

/**
 * The JavaScript runners, always through the package's own script (`npm test -- <flags>`), so the
 * project's require hooks, globs and options apply as in its pipeline; only the reporter is ours.
 */
const npmArgs = (project: TestProject, extra: readonly string[]): string[] => {
  const script = project.npm!.script;
  const head = script === 'test' ? ['test', '--silent'] : ['run', script, '--silent'];
  return extra.length > 0 ? [...head, '--', ...extra] : head;
};

/** `npm test --silent -- <extra>` (or the script npm test calls) in the package's folder. */
export const npmCommand = (project: TestProject, setup: RunSetup, extra: readonly string[], why: string) => ({
  file: 'npm',
  args: npmArgs(project, extra),
  ...(project.dir ? { cwd: project.dir } : {}),
  why,
  ...(setup.timeoutMs ? { timeoutMs: setup.timeoutMs } : {}),
});

const scriptName = (p: TestProject): string => (p.npm!.script === 'test' ? 'npm test' : `npm run ${p.npm!.script}`);

function notAppendable(project: TestProject, setup: RunSetup, framework: string): Invocation {
  return {
    command: npmCommand(project, setup, [], `Run ${project.name}'s tests (${framework}) as its ${scriptName(project)} script does`),
    reports: [],
    coverage: [],
    notes: [
      `${project.dir || 'The root package'}: the ${framework} run is not the last command of its ${scriptName(project)} script, so no reporter can be added; only its exit code counts (pass or fail, no test names).`,
    ],
  };
}

const viaNote = (p: TestProject): string[] => (p.npm?.via ? [`${p.dir || 'The root package'}: ran \`npm run ${p.npm.script}\`, the script \`npm ${p.npm.via === 'test' ? 'test' : `run ${p.npm.via}`}\` calls for its tests; its other steps were not run.`] : []);

/** A run without a report: one case standing for the whole script, failed when it exited non-zero. */
function exitOnly(project: TestProject, output: RunOutput, framework: string): Collected {
  const r = output.result;
  const passed = r.exitCode === 0 && !r.timedOut;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-20).join('\n');
  const name = scriptName(project);
  return {
    cases: [
      {
        id: `${project.dir || '.'}::${name}`,
        framework,
        suite: [],
        name,
        status: passed ? 'passed' : 'failed',
        durationMs: r.durationMs,
        ...(passed ? {} : { failure: { message: r.timedOut ? `${name} timed out` : `${name} exited with ${r.exitCode}`, stack: tail } }),
      },
    ],
    notes: [],
  };
}

const coverageOwned = (project: TestProject) => [
  { path: [project.dir, 'coverage/lcov.info'].filter(Boolean).join('/'), format: 'lcov' as const, projectOwned: true },
  { path: [project.dir, 'coverage/coverage-final.json'].filter(Boolean).join('/'), format: 'istanbul' as const, projectOwned: true },
];

/** Characters minimatch reads as pattern syntax (a path holding one cannot be named exactly in a glob). */
const GLOB_SYNTAX = /[*?[\]{}()!+@,\\]/;

/**
 * mocha adds a config file's `spec` to the files named on the command line instead of replacing it
 * (documented: mochajs/mocha#5412), so a run of one file would run the whole suite. Every file not
 * named (nor under a named folder) is ignored with one negated pattern: mocha drops a spec file when
 * any `--ignore` pattern matches it, and a negated pattern matches everything but the names in it.
 */
export function onlyNamedFiles(files: readonly string[]): string[] {
  if (files.length === 0 || files.some((f) => GLOB_SYNTAX.test(f))) return [];
  const pattern = `!{${files.flatMap((f) => [f, `${f}/**`]).join(',')}}`;
  // The command policy takes a pattern of at most 8,000 characters; more files run as mocha makes it.
  return pattern.length <= 8000 ? ['--ignore', pattern] : [];
}

export const mochaRunner: Runner = {
  framework: 'mocha',
  invocation(project, setup) {
    if (!project.npm?.appendable) return notAppendable(project, setup, 'mocha');
    const files = (setup.files ?? []).map((f) => absolute(setup, f));
    return {
      command: npmCommand(project, setup, ['--reporter', 'json', ...onlyNamedFiles(files), ...files], `Run ${project.name}'s mocha tests with mocha's JSON reporter`),
      reports: [],
      // mocha alone measures nothing; a c8/nyc wrapper in the script writes the project's own report.
      coverage: setup.coverage && project.npm.coverageWrapper ? coverageOwned(project) : [],
      notes: [...viaNote(project), ...(setup.coverage && !project.npm.coverageWrapper ? [`${project.dir || 'The root package'}: its mocha script runs without c8 or nyc, so there is no coverage to show.`] : [])],
    };
  },
  collect(project, output, setup) {
    if (!project.npm?.appendable) return exitOnly(project, output, 'mocha');
    try {
      return { cases: parseMochaJson(output.result.stdout, setup.root, project.dir), notes: [] };
    } catch (error) {
      return { ...noReport('mocha', output, 'JSON report'), notes: [(error as Error).message] };
    }
  },
  rerun(project, failed, setup) {
    if (!project.npm?.appendable) return undefined;
    const grep = exactAlternation(failed.map((c) => [...c.suite, c.name].join(' ')));
    if (grep.length > 500) return undefined;
    return { command: npmCommand(project, setup, ['--reporter', 'json', `--grep=${grep}`], `Run the ${failed.length} failed mocha test(s) once more to tell flaky from failing`), reports: [], coverage: [], notes: [] };
  },
};

function jestLike(framework: 'jest' | 'vitest'): Runner {
  const label = framework === 'jest' ? 'Jest' : 'Vitest';
  const flags = (report: string): string[] => (framework === 'jest' ? ['--json', `--outputFile=${report}`] : ['--run', '--reporter=json', `--outputFile=${report}`]);
  // Coverage goes to this run's own scratch folder as istanbul JSON, never to the project's
  // coverage/ (which may hold an older run's report): what is read is what this run measured.
  const coverageFlags = (dir: string): string[] =>
    framework === 'jest' ? ['--coverage', `--coverageDirectory=${dir}`, '--coverageReporters=json'] : ['--coverage.enabled=true', `--coverage.reportsDirectory=${dir}`, '--coverage.reporter=json'];
  return {
    framework,
    invocation(project, setup) {
      if (!project.npm?.appendable) return notAppendable(project, setup, label);
      const report = reportPath(setup, project, `${framework}.json`);
      const coverageDir = reportPath(setup, project, `${framework}-coverage`);
      return {
        command: npmCommand(project, setup, [...flags(absolute(setup, report)), ...(setup.coverage ? coverageFlags(absolute(setup, coverageDir)) : []), ...(setup.files ?? [])], `Run ${project.name}'s ${label} tests with its JSON report`),
        reports: [report],
        coverage: setup.coverage ? [{ path: `${coverageDir}/coverage-final.json`, format: 'istanbul' }] : [],
        notes: viaNote(project),
      };
    },
    collect(project, output, setup) {
      if (!project.npm?.appendable) return exitOnly(project, output, framework);
      const report = [...output.reports.values()][0];
      if (report === undefined) return noReport(label, output, 'JSON report');
      try {
        return { cases: parseJestJson(report, framework, setup.root, project.dir), notes: [] };
      } catch (error) {
        return { cases: [], notes: [], problem: (error as Error).message };
      }
    },
    rerun(project, failed, setup) {
      if (!project.npm?.appendable) return undefined;
      const pattern = exactAlternation(failed.map((c) => [...c.suite, c.name].join(' ')));
      if (pattern.length > 500) return undefined;
      const report = reportPath(setup, project, `${framework}-rerun.json`);
      const files = [...new Set(failed.map((c) => c.file).filter((f): f is string => !!f))];
      return {
        command: npmCommand(project, setup, [...flags(absolute(setup, report)), `--testNamePattern=${pattern}`, ...files.map((f) => absolute(setup, f))], `Run the ${failed.length} failed ${label} test(s) once more to tell flaky from failing`),
        reports: [report],
        coverage: [],
        notes: [],
      };
    },
  };
}

export const jestRunner = jestLike('jest');
export const vitestRunner = jestLike('vitest');

export const nodeTestRunner: Runner = {
  framework: 'node-test',
  invocation(project, setup) {
    if (!project.npm?.appendable) return notAppendable(project, setup, 'node:test');
    if (project.npm.fileArguments) {
      return {
        command: npmCommand(project, setup, [], `Run ${project.name}'s node:test tests as its script does (it names its files, so its TAP output is read)`),
        reports: [],
        coverage: [],
        notes: [`${project.dir || 'The root package'}: its node --test script names files, so no reporter can be added after them; its TAP output is read instead${setup.coverage ? ', without coverage' : ''}.`],
      };
    }
    const junit = reportPath(setup, project, 'node-test.xml');
    const lcov = reportPath(setup, project, 'node-test.lcov');
    return {
      command: npmCommand(
        project,
        setup,
        [
          '--test-reporter=junit',
          `--test-reporter-destination=${absolute(setup, junit)}`,
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          ...(setup.coverage ? ['--experimental-test-coverage', '--test-reporter=lcov', `--test-reporter-destination=${absolute(setup, lcov)}`] : []),
          ...(setup.files ?? []).map((f) => absolute(setup, f)),
        ],
        `Run ${project.name}'s node:test tests with the JUnit reporter`,
      ),
      reports: [junit],
      coverage: setup.coverage ? [{ path: lcov, format: 'lcov' }] : [],
      notes: viaNote(project),
    };
  },
  collect(project, output, setup) {
    if (!project.npm?.appendable) return exitOnly(project, output, 'node-test');
    if (project.npm.fileArguments || output.reports.size === 0) {
      try {
        return { cases: parseTap(output.result.stdout, 'node-test', setup.root, project.dir), notes: [] };
      } catch (error) {
        return { ...exitOnly(project, output, 'node-test'), notes: [(error as Error).message] };
      }
    }
    const xml = [...output.reports.values()][0];
    if (xml === undefined) return noReport('node --test', output, 'JUnit report');
    try {
      const cases = junitToCases(parseJUnitXml(xml, 'node --test\'s JUnit report'), { framework: 'node-test', root: setup.root, base: project.dir });
      return { cases, notes: [] };
    } catch (error) {
      return { cases: [], notes: [], problem: (error as Error).message };
    }
  },
  rerun(project, failed, setup) {
    if (!project.npm?.appendable || project.npm.fileArguments) return undefined;
    const pattern = exactAlternation(failed.map((c) => c.name));
    if (pattern.length > 500) return undefined;
    const junit = reportPath(setup, project, 'node-test-rerun.xml');
    return {
      command: npmCommand(project, setup, ['--test-reporter=junit', `--test-reporter-destination=${absolute(setup, junit)}`, `--test-name-pattern=${pattern}`], `Run the ${failed.length} failed node:test test(s) once more to tell flaky from failing`),
      reports: [junit],
      coverage: [],
      notes: [],
    };
  },
};

/** The cases the re-run reports, matched to the first run's by id. */
export type RerunCases = readonly TestCase[];
