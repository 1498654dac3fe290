import { type PlannedCommand } from '../../runtime/plan';
import { type TestProject } from '../detect/projects';
import { type ListedTest, parseCargoList, parseGoList, parseJestListTests, parsePytestCollect } from '../parse/listings';
import { parseMochaJson } from '../parse/mochaJson';
import { npmCommand } from './nodeRunners';
import { type RunOutput, type RunSetup } from './runner';

/**
 * Listing tests without running them, for the runners that can: mocha `--dry-run`, pytest
 * `--collect-only`, `go test -list`, libtest `--list` (tests), Jest `--listTests` (files). Always
 * through the same command a run uses (the package's own script, the workspace's Python), so the
 * project's own configuration decides what is a test. node:test, Vitest (whose `list` is a
 * subcommand the package's script cannot take), unittest, .NET, Maven and Gradle list nothing
 * without a run: their test files are shown from the workspace instead.
 */
export interface Listing {
  readonly tests: ListedTest[];
  /** Test files the runner named (Jest), beside the tests. */
  readonly files: string[];
}

export interface Lister {
  command(project: TestProject, setup: RunSetup): PlannedCommand;
  read(project: TestProject, output: RunOutput, setup: RunSetup): Listing;
}

const where = (project: TestProject, setup: RunSetup) => ({ ...(project.dir ? { cwd: project.dir } : {}), ...(setup.timeoutMs ? { timeoutMs: setup.timeoutMs } : {}) });

const mochaLister: Lister = {
  command: (project, setup) => npmCommand(project, setup, ['--dry-run', '--reporter', 'json'], `List ${project.name}'s mocha tests without running them (mocha --dry-run)`),
  read: (project, output, setup) => ({ tests: parseMochaJson(output.result.stdout, setup.root, project.dir).map(strip), files: [] }),
};

const jestLister: Lister = {
  command: (project, setup) => npmCommand(project, setup, ['--listTests', '--json'], `List ${project.name}'s Jest test files without running them (jest --listTests)`),
  read: (project, output, setup) => ({ tests: [], files: parseJestListTests(output.result.stdout, setup.root, project.dir) }),
};

function pytestLister(exists: (file: string) => boolean): Lister {
  return {
    command: (project, setup) => ({ file: 'pytest', args: ['--collect-only', '-q'], ...where(project, setup), why: `List ${project.name}'s pytest tests without running them (pytest --collect-only)` }),
    read: (project, output) => ({ tests: parsePytestCollect(output.result.stdout, project.dir, exists), files: [] }),
  };
}

const goLister: Lister = {
  command: (project, setup) => ({ file: 'go', args: ['test', '-list', '.', '-json', './...'], ...where(project, setup), why: `List ${project.name}'s Go tests without running them (go test -list)` }),
  read: (project, output) => ({ tests: parseGoList(output.result.stdout, project.goModule, project.dir), files: [] }),
};

const cargoLister: Lister = {
  command: (project, setup) => ({ file: 'cargo', args: ['test', '--', '--list'], ...where(project, setup), why: `List ${project.name}'s Rust tests without running them (cargo test -- --list)` }),
  read: (project, output) => ({ tests: parseCargoList(output.result.stdout, project.dir), files: [] }),
};

const strip = (c: ListedTest): ListedTest => ({ id: c.id, framework: c.framework, ...(c.file ? { file: c.file } : {}), ...(c.line ? { line: c.line } : {}), suite: c.suite, name: c.name });

/** The lister of a project, or undefined when its runner cannot list without running (or its script takes no flags). */
export function listerFor(project: TestProject, exists: (file: string) => boolean): Lister | undefined {
  switch (project.framework) {
    case 'mocha':
      return project.npm?.appendable ? mochaLister : undefined;
    case 'jest':
      return project.npm?.appendable ? jestLister : undefined;
    case 'pytest':
      return pytestLister(exists);
    case 'go':
      return goLister;
    case 'cargo':
      return cargoLister;
    default:
      return undefined;
  }
}
