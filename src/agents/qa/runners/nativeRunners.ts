import { parseCargoText } from '../parse/cargoText';
import { parseGoTestJson } from '../parse/goTest';
import { junitToCases } from '../parse/junitCases';
import { parseJUnitXml } from '../parse/junitXml';
import { parseTrx } from '../parse/trx';
import { type TestProject } from '../detect/projects';
import { type TestCase } from '../model';
import { absolute, type Collected, exactAlternation, type Invocation, noReport, reportPath, type Runner, type RunOutput, type RunSetup } from './runner';

/** Go, Rust, .NET and the JVM builds: each with its own machine-readable output. */
const at = (project: TestProject, setup: RunSetup) => ({ ...(project.dir ? { cwd: project.dir } : {}), ...(setup.timeoutMs ? { timeoutMs: setup.timeoutMs } : {}) });

const guard = (framework: string, output: RunOutput, parse: () => TestCase[]): Collected => {
  try {
    const cases = parse();
    if (cases.length === 0 && output.result.exitCode !== 0) return noReport(framework, output, 'test results');
    return { cases, notes: [] };
  } catch (error) {
    return { cases: [], notes: [], problem: (error as Error).message };
  }
};

export const goRunner: Runner = {
  framework: 'go',
  invocation(project, setup): Invocation {
    const profile = reportPath(setup, project, 'cover.out');
    return {
      command: { file: 'go', args: ['test', '-json', ...(setup.coverage ? [`-coverprofile=${absolute(setup, profile)}`] : []), './...'], ...at(project, setup), why: `Run ${project.name}'s Go tests (go test -json)` },
      reports: [],
      coverage: setup.coverage ? [{ path: profile, format: 'go' }] : [],
      notes: [],
    };
  },
  collect: (project, output) => guard('go test', output, () => parseGoTestJson(output.result.stdout, project.goModule, project.dir)),
  rerun(project, failed, setup) {
    const tops = [...new Set(failed.map((c) => c.suite[0] ?? c.name))];
    return { command: { file: 'go', args: ['test', '-json', `-run=${exactAlternation(tops)}`, '-count=1', './...'], ...at(project, setup), why: `Run the ${failed.length} failed Go test(s) once more to tell flaky from failing` }, reports: [], coverage: [], notes: [] };
  },
};

export const cargoRunner: Runner = {
  framework: 'cargo',
  invocation(project, setup): Invocation {
    return {
      command: { file: 'cargo', args: ['test'], ...at(project, setup), why: `Run ${project.name}'s Rust tests (cargo test)` },
      reports: [],
      coverage: [],
      notes: setup.coverage ? ['cargo test measures no coverage by itself (cargo-llvm-cov or tarpaulin would); none is shown for Rust.'] : [],
    };
  },
  collect: (project, output) => guard('cargo test', output, () => parseCargoText(`${output.result.stdout}\n${output.result.stderr}`, project.dir)),
  rerun(project, failed, setup) {
    return { command: { file: 'cargo', args: ['test', '--', '--exact', ...failed.map((c) => [...c.suite, c.name].join('::'))], ...at(project, setup), why: `Run the ${failed.length} failed Rust test(s) once more to tell flaky from failing` }, reports: [], coverage: [], notes: [] };
  },
};

export const dotnetRunner: Runner = {
  framework: 'dotnet',
  invocation(project, setup): Invocation {
    const dir = reportPath(setup, project, 'dotnet');
    return {
      command: { file: 'dotnet', args: ['test', '--logger', 'trx', '--results-directory', absolute(setup, dir), ...(setup.coverage ? ['--collect', 'XPlat Code Coverage'] : [])], ...at(project, setup), why: `Run ${project.name}'s .NET tests with the TRX logger` },
      reports: [],
      coverage: [],
      reportFolders: [
        { dir, pattern: /\.trx$/ },
        ...(setup.coverage ? [{ dir, pattern: /^coverage\.cobertura\.xml$/, depth: 2 as const }] : []),
      ],
      notes: [],
    };
  },
  collect: (project, output) => guard('dotnet test', output, () => output.folderReports.filter((r) => r.path.endsWith('.trx')).flatMap((r) => parseTrx(r.text, project.dir))),
  rerun(project, failed, setup) {
    const filter = failed.map((c) => `FullyQualifiedName=${[...c.suite, c.name].join('.')}`).join('|');
    if (filter.length > 500) return undefined;
    const dir = reportPath(setup, project, 'dotnet-rerun');
    return { command: { file: 'dotnet', args: ['test', '--logger', 'trx', '--results-directory', absolute(setup, dir), '--filter', filter], ...at(project, setup), why: `Run the ${failed.length} failed .NET test(s) once more to tell flaky from failing` }, reports: [], coverage: [], reportFolders: [{ dir, pattern: /\.trx$/ }], notes: [] };
  },
};

/** Surefire and Gradle write JUnit XML per class into the build folder; only files this run wrote count. */
function jvmRunner(framework: 'maven' | 'gradle', folder: string, command: (p: TestProject, s: RunSetup) => Invocation['command']): Runner {
  return {
    framework,
    invocation(project, setup): Invocation {
      return { command: command(project, setup), reports: [], coverage: [], reportFolders: [{ dir: [project.dir, folder].filter(Boolean).join('/'), pattern: /^TEST-.*\.xml$/ }], notes: setup.coverage ? [`Coverage for ${framework === 'maven' ? 'Maven' : 'Gradle'} comes from JaCoCo when the build configures it; it is not read yet.`] : [] };
    },
    collect: (project, output, setup) =>
      guard(framework, output, () =>
        output.folderReports.flatMap((r) =>
          junitToCases(parseJUnitXml(r.text, r.path), {
            framework,
            root: setup.root,
            base: project.dir,
            classname: (c) => {
              const parts = c.split('.');
              return { suite: parts };
            },
          }),
        ),
      ),
  };
}

export const mavenRunner = jvmRunner('maven', 'target/surefire-reports', (p, s) => ({ file: 'mvn', args: ['-B', 'test'], ...at(p, s), why: `Run ${p.name}'s tests (mvn test; Surefire writes JUnit XML)` }));
export const gradleRunner = jvmRunner('gradle', 'build/test-results/test', (p, s) => ({ file: 'gradle', args: ['test'], ...at(p, s), why: `Run ${p.name}'s tests (gradle test; JUnit XML)` }));
