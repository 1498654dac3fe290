import path from 'node:path';
import { z } from 'zod';
import { type WorkspaceFiles } from '../../runtime/context';
import { nodeTestHasFileArguments, type NodeRunner, readScript } from './npmScript';

/**
 * Finds the test suites a workspace already has, from their configuration and the packages' own
 * scripts: every package.json with a test script (workspaces and nested packages alike), Python
 * projects (pytest configuration, or test files: pytest or unittest), Go modules, Cargo, .NET test
 * projects, Maven and Gradle builds. Nothing is run to find them.
 */
export type Framework = NodeRunner | 'pytest' | 'unittest' | 'go' | 'cargo' | 'dotnet' | 'maven' | 'gradle';

export const FRAMEWORK_LABELS: Readonly<Record<Framework, string>> = {
  mocha: 'mocha',
  jest: 'Jest',
  vitest: 'Vitest',
  'node-test': 'node:test',
  pytest: 'pytest',
  unittest: 'unittest',
  go: 'go test',
  cargo: 'cargo test',
  dotnet: 'dotnet test',
  maven: 'Maven Surefire',
  gradle: 'Gradle',
};

export interface NpmInvocation {
  /** The script to run (`test` runs as `npm test`). */
  readonly script: string;
  readonly runnerArgs: readonly string[];
  readonly appendable: boolean;
  readonly coverageWrapper: 'c8' | 'nyc' | undefined;
  /** node:test scripts that name files: flags cannot be appended after them. */
  readonly fileArguments: boolean;
  /** The script npm test runs before reaching the runner, when the runner sits in another script. */
  readonly via?: string;
}

export interface TestProject {
  readonly framework: Framework;
  /** Workspace-relative folder ('' for the root). */
  readonly dir: string;
  /** The package's name, for labels (package.json name, Cargo package, module path). */
  readonly name: string;
  readonly npm?: NpmInvocation;
  /** Go: the module path (go.mod), to turn import paths into files. */
  readonly goModule?: string;
}

const PackageJson = z
  .object({
    name: z.string().optional(),
    scripts: z.record(z.string(), z.string()).optional(),
    workspaces: z.union([z.array(z.string()), z.object({ packages: z.array(z.string()).optional() }).passthrough()]).optional(),
    devDependencies: z.record(z.string(), z.string()).optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
  })
  .passthrough();

const IGNORE = ['**/node_modules/**', '**/.venv/**', '**/venv/**', '**/site-packages/**', '.devops/**', '**/fixtures/**'];

export interface DetectOptions {
  /** Only projects that contain this workspace-relative path (a folder or a file). */
  readonly within?: string;
  /** Notes for the user: what was found but cannot be run, and why. */
  readonly notes: string[];
}

export async function detectProjects(files: WorkspaceFiles, options: DetectOptions): Promise<TestProject[]> {
  const listed = await files.list(
    ['**/package.json', '**/pyproject.toml', '**/pytest.ini', '**/setup.cfg', '**/tox.ini', '**/conftest.py', '**/test_*.py', '**/*_test.py', '**/go.mod', '**/Cargo.toml', '**/*.csproj', '**/*.fsproj', '**/pom.xml', '**/build.gradle', '**/build.gradle.kts'],
    { ignore: IGNORE, max: 20_000 },
  );
  if (listed.truncated) options.notes.push('The workspace has more than 20,000 candidate files; only the first were looked at for test suites.');
  const paths = listed.paths;
  const projects: TestProject[] = [];
  projects.push(...(await nodeProjects(files, paths.filter((p) => path.posix.basename(p) === 'package.json'), options.notes)));
  projects.push(...(await pythonProjects(files, paths)));
  projects.push(...(await otherProjects(files, paths, options.notes)));
  const within = options.within?.replace(/\/+$/, '');
  const keep = within && within !== '.' ? projectsFor(projects, within) : projects;
  return keep.sort((a, b) => a.dir.localeCompare(b.dir) || a.framework.localeCompare(b.framework));
}

const holds = (dir: string, p: string): boolean => dir === '' || p === dir || p.startsWith(`${dir}/`);

/**
 * The suites a workspace path belongs to: those inside it (a folder of packages), else the
 * innermost that hold it. A root suite does not run for a path a nested package owns: its run
 * would be the whole root suite, not the tests asked for.
 */
export function projectsFor<P extends { readonly dir: string }>(projects: readonly P[], target: string): P[] {
  const inside = projects.filter((p) => p.dir !== '' && holds(target, p.dir));
  if (inside.length > 0) return inside;
  const holding = projects.filter((p) => holds(p.dir, target));
  const deepest = Math.max(-1, ...holding.map((p) => p.dir.length));
  return holding.filter((p) => p.dir.length === deepest);
}

const dirOf = (p: string): string => {
  const d = path.posix.dirname(p);
  return d === '.' ? '' : d;
};

async function readJson(files: WorkspaceFiles, p: string, notes: string[]): Promise<z.infer<typeof PackageJson> | undefined> {
  try {
    const text = (await files.read(p))?.text;
    if (text === undefined) return undefined;
    const parsed = PackageJson.safeParse(JSON.parse(text));
    if (!parsed.success) {
      notes.push(`${p} is not a package.json this agent understands (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}); its tests were not run.`);
      return undefined;
    }
    return parsed.data;
  } catch (error) {
    notes.push(`${p} could not be read (${error instanceof Error ? error.message : String(error)}); its tests were not run.`);
    return undefined;
  }
}

async function nodeProjects(files: WorkspaceFiles, manifests: readonly string[], notes: string[]): Promise<TestProject[]> {
  const out: TestProject[] = [];
  for (const manifest of manifests) {
    const pkg = await readJson(files, manifest, notes);
    const scripts = pkg?.scripts ?? {};
    const test = scripts.test;
    if (!pkg || test === undefined || /no test specified/.test(test)) continue;
    const dir = dirOf(manifest);
    const name = pkg.name ?? (dir || 'root');
    const first = readScript(test);
    if (first.delegatesToWorkspaces && !first.runner) continue; // the workspaces' own packages are found on their own
    let script = 'test';
    let reading = first;
    let via: string | undefined;
    // Follow `npm run test:unit` and the like (breadth first, a few levels) until a script runs a known runner.
    const queue = first.calls.map((c) => ({ name: c, depth: 1 }));
    const seen = new Set(['test']);
    while (!reading.runner && queue.length > 0) {
      const next = queue.shift()!;
      if (seen.has(next.name) || scripts[next.name] === undefined || next.depth > 4) continue;
      seen.add(next.name);
      const r = readScript(scripts[next.name]!);
      if (r.runner) {
        via = 'test';
        script = next.name;
        reading = r;
      } else queue.push(...r.calls.map((c) => ({ name: c, depth: next.depth + 1 })));
    }
    if (!reading.runner) {
      notes.push(`${manifest}: the test script (${JSON.stringify(test)}) runs no test runner this agent knows (mocha, Jest, Vitest, node --test); it was not run.`);
      continue;
    }
    out.push({
      framework: reading.runner,
      dir,
      name,
      npm: {
        script,
        runnerArgs: reading.runnerArgs,
        appendable: reading.appendable,
        coverageWrapper: reading.coverageWrapper,
        fileArguments: reading.runner === 'node-test' && nodeTestHasFileArguments(reading.runnerArgs),
        ...(via ? { via } : {}),
      },
    });
  }
  return out;
}

const PYTEST_CONFIG = /^\[(?:tool\.pytest\.ini_options|pytest|tool:pytest)\]/m;

async function pythonProjects(files: WorkspaceFiles, paths: readonly string[]): Promise<TestProject[]> {
  const configs: string[] = [];
  for (const p of paths) {
    const base = path.posix.basename(p);
    if (base === 'pytest.ini' || base === 'conftest.py' && !paths.some((q) => q !== p && path.posix.basename(q) === 'conftest.py' && p.startsWith(`${dirOf(q)}/`))) configs.push(dirOf(p));
    else if (base === 'pyproject.toml' || base === 'setup.cfg' || base === 'tox.ini') {
      const text = (await files.read(p).catch(() => undefined))?.text ?? '';
      if (PYTEST_CONFIG.test(text) || (base === 'pyproject.toml' && /["']?pytest["']?\s*(?:[<>=~!]|["',\]])/.test(text))) configs.push(dirOf(p));
    }
  }
  const testFiles = paths.filter((p) => /(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$/.test(p));
  const roots = [...new Set(configs)].sort((a, b) => a.length - b.length).filter((d, i, all) => !all.slice(0, i).some((o) => o === '' || d.startsWith(`${o}/`)));
  const out: TestProject[] = roots.map((dir) => ({ framework: 'pytest' as const, dir, name: dir || 'python' }));
  const orphans = testFiles.filter((f) => !roots.some((r) => r === '' || f.startsWith(`${r}/`)));
  if (orphans.length > 0) {
    // No pytest configuration: pytest when a test file uses it, else the standard library's unittest.
    let usesPytest = false;
    for (const f of orphans.slice(0, 50)) {
      const text = (await files.read(f).catch(() => undefined))?.text ?? '';
      if (/^\s*(?:import pytest|from pytest\b)/m.test(text) || /^def test_/m.test(text)) usesPytest = true;
    }
    out.push({ framework: usesPytest ? 'pytest' : 'unittest', dir: '', name: 'python' });
  }
  return out;
}

async function otherProjects(files: WorkspaceFiles, paths: readonly string[], notes: string[]): Promise<TestProject[]> {
  const out: TestProject[] = [];
  const topMost = (base: (p: string) => boolean): string[] => {
    const dirs = paths.filter((p) => base(path.posix.basename(p))).map(dirOf).sort((a, b) => a.length - b.length);
    return dirs.filter((d, i) => !dirs.slice(0, i).some((o) => o === '' || d.startsWith(`${o}/`)));
  };
  for (const p of paths.filter((x) => path.posix.basename(x) === 'go.mod')) {
    const text = (await files.read(p).catch(() => undefined))?.text ?? '';
    const module = /^module\s+(\S+)/m.exec(text)?.[1];
    out.push({ framework: 'go', dir: dirOf(p), name: module ?? dirOf(p), ...(module ? { goModule: module } : {}) });
  }
  for (const dir of topMost((b) => b === 'Cargo.toml')) out.push({ framework: 'cargo', dir, name: dir || 'crate' });
  const testProjects: string[] = [];
  for (const p of paths.filter((x) => /\.(cs|fs)proj$/.test(x))) {
    const text = (await files.read(p).catch(() => undefined))?.text ?? '';
    if (/Microsoft\.NET\.Test\.Sdk|<IsTestProject>\s*true/i.test(text)) testProjects.push(p);
  }
  for (const p of testProjects) out.push({ framework: 'dotnet', dir: dirOf(p), name: path.posix.basename(p).replace(/\.(cs|fs)proj$/, '') });
  for (const dir of topMost((b) => b === 'pom.xml')) out.push({ framework: 'maven', dir, name: dir || 'maven' });
  for (const dir of topMost((b) => b === 'build.gradle' || b === 'build.gradle.kts')) {
    if (paths.some((p) => dirOf(p) === dir && path.posix.basename(p) === 'pom.xml')) continue;
    out.push({ framework: 'gradle', dir, name: dir || 'gradle' });
  }
  if (out.some((p) => p.framework === 'gradle')) notes.push('Gradle builds run with the gradle on PATH (the command policy runs no program by a path, so ./gradlew is not used).');
  return out;
}
