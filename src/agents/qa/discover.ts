import { isDevOpsError } from '../../core/errors';
import { type AgentContext, type CommandResult } from '../runtime/context';
import { displayCommand } from '../runtime/plan';
import { detectProjects, FRAMEWORK_LABELS, type Framework } from './detect/projects';
import { locateCases } from './locate';
import { type ListedTest } from './parse/listings';
import { listerFor } from './runners/listers';
import { type RunSetup } from './runners/runner';
import { TEST_FILE_GLOBS } from './runQa';

/**
 * Test discovery without running a test: the suites found as a run finds them, each runner that
 * can list its tests asked to (mocha --dry-run, pytest --collect-only, go test -list, cargo test
 * -- --list, Jest's files), through the command policy and approval like any command; the others'
 * test files from the workspace. `filesOnly` runs nothing at all (the Testing view's first look).
 * Ids are the ones a run gives the same tests, so a later run's results land on these items.
 */
export interface DiscoverOptions {
  readonly only?: string;
  readonly filesOnly: boolean;
}

export interface DiscoveredProject {
  readonly framework: Framework;
  readonly dir: string;
  readonly name: string;
  /** The listing command, when one ran. */
  readonly command: string | null;
  readonly tests: number;
  readonly files: number;
  /** Why its tests could not be listed (files are still shown). */
  readonly problem?: string;
}

export interface Discovery {
  readonly frameworks: readonly string[];
  readonly projects: readonly DiscoveredProject[];
  readonly tests: readonly ListedTest[];
  /** Test files with no listed test in them (runners that cannot list, or files it found none in). */
  readonly files: readonly string[];
  readonly notes: readonly string[];
}

const JS = /\.(?:c|m)?[jt]sx?$/;
const LANGUAGE: Partial<Record<Framework, (f: string) => boolean>> = {
  mocha: (f) => JS.test(f),
  jest: (f) => JS.test(f),
  vitest: (f) => JS.test(f),
  'node-test': (f) => JS.test(f),
  pytest: (f) => /(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$/.test(f),
  unittest: (f) => /(?:^|\/)test_[^/]*\.py$/.test(f),
  go: (f) => f.endsWith('_test.go'),
  cargo: (f) => /(?:^|\/)tests\/[^/]+\.rs$/.test(f),
};

const inside = (dir: string, f: string): boolean => dir === '' || f.startsWith(`${dir}/`);
const TAIL = 8;

export async function discoverTests(ctx: AgentContext, options: DiscoverOptions): Promise<Discovery> {
  const notes: string[] = [];
  await ctx.step('Looking for test suites', options.only ? { only: options.only } : {});
  const projects = await detectProjects(ctx.files, { ...(options.only ? { within: options.only } : {}), notes });
  const listed = await ctx.files.list(TEST_FILE_GLOBS, { ignore: ['**/node_modules/**', '.devops/**'], max: 20_000 });
  const known = new Set(listed.paths);
  const only = options.only?.replace(/\/+$/, '');
  const wanted = (f: string): boolean => !only || only === '.' || f === only || f.startsWith(`${only}/`);
  const candidates = listed.paths.filter((p) => !p.endsWith('__init__.py'));

  const scratch = projects.length > 0 && !options.filesOnly ? await ctx.scratch() : '';
  const setup: RunSetup = { root: ctx.workspaceRoot, scratch, coverage: false };
  const tests: ListedTest[] = [];
  const fileSet = new Set<string>();
  const out: DiscoveredProject[] = [];
  for (const project of projects) {
    // A file belongs to the deepest suite of its language that holds it (a monorepo's packages).
    const mine = candidates.filter((f) => LANGUAGE[project.framework]?.(f) && inside(project.dir, f) && !projects.some((o) => o !== project && o.dir.length > project.dir.length && inside(o.dir, f) && LANGUAGE[o.framework]?.(f)));
    const lister = options.filesOnly ? undefined : listerFor(project, (f) => known.has(f));
    let found: ListedTest[] = [];
    let files: string[] = mine;
    let command: string | null = null;
    let problem: string | undefined;
    if (lister) {
      const planned = lister.command(project, setup);
      command = displayCommand(planned);
      await ctx.step(`Listing ${FRAMEWORK_LABELS[project.framework]} tests in ${project.dir || 'the workspace root'}`, { framework: project.framework, dir: project.dir });
      let result: CommandResult | undefined;
      try {
        result = await ctx.commands.run(planned);
      } catch (error) {
        if (!(isDevOpsError(error) && (error.code === 'refused' || error.code === 'notFound'))) throw error;
        problem = error.message;
      }
      if (result) {
        try {
          const listing = lister.read(project, { result, reports: new Map(), folderReports: [] }, setup);
          found = await locateCases(listing.tests, ctx.files, candidates.filter((f) => inside(project.dir, f)), () => project.dir || '.');
          if (found.length === 0 && listing.files.length === 0 && result.exitCode !== 0) problem = failed(result);
          // The runner's own word on what is a test file (a helper under test/ is none), unless it failed.
          else files = listing.files;
        } catch (error) {
          problem = `${error instanceof Error ? error.message : String(error)}${result.exitCode !== 0 ? ` ${failed(result)}` : ''}`;
        }
      }
    }
    const kept = found.filter((t) => !t.file || wanted(t.file));
    tests.push(...kept);
    const withTests = new Set(kept.map((t) => t.file).filter(Boolean));
    const keptFiles = files.filter((f) => wanted(f) && !withTests.has(f));
    for (const f of keptFiles) fileSet.add(f);
    out.push({ framework: project.framework, dir: project.dir, name: project.name, command, tests: kept.length, files: new Set([...keptFiles, ...withTests]).size, ...(problem ? { problem } : {}) });
  }
  if (!options.filesOnly) {
    const cannot = projects.filter((p) => !listerFor(p, () => false)).map((p) => `${FRAMEWORK_LABELS[p.framework]} (${p.dir || 'root'})`);
    if (cannot.length > 0) notes.push(`${cannot.join(', ')}: the runner cannot list tests without running them (or its script takes no flags); its test files are shown, and its tests appear after a run.`);
  }
  const byFile = new Set(tests.map((t) => t.file));
  return {
    frameworks: [...new Set(projects.map((p) => p.framework))],
    projects: out,
    tests,
    files: [...fileSet].filter((f) => !byFile.has(f)).sort(),
    notes,
  };
}

function failed(result: CommandResult): string {
  const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-TAIL).join('\n');
  return `${result.display} ${result.timedOut ? 'timed out' : `exited with ${result.exitCode ?? 'a signal'}`}${tail ? `:\n${tail}` : '.'}`;
}
