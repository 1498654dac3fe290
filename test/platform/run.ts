/**
 * `npm test` stage "platform agent output": the platform agent run through the real command line
 * (dist/cli.js, --yes) on every sample workspace (the scaffold templates, a plain Node app, a Django
 * app with its own Dockerfile), then what it wrote checked by the real tools:
 *
 * - `iac`: the plan's own `terraform fmt -check` step when terraform is installed (said when not);
 * - `observability`: the plan's own `promtool check rules` and `check config` steps (Debian's
 *   prometheus package, installed here), then the app's own test suite, which now includes the
 *   generated /metrics test (pytest on Debian's python3-* packages; npm install + node --test),
 *   and for the CommonJS Express app the generated OpenTelemetry test (a request is a server span,
 *   in memory), each named test required to have passed.
 *
 *   node --import tsx test/platform/run.ts [workspace...]
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderProject } from '../../src/agents/scaffold/templates';
import { writeProject } from '../generated/writeProject';
import { ensureAptPackages } from '../../scripts/vscode/aptPackages';
import { ensureNodeRuntime } from '../../scripts/vscode/nodeRuntime';

const root = path.resolve(__dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const APT = ['prometheus', 'python3-prometheus-client', 'python3-fastapi', 'python3-flask', 'python3-django', 'python3-djangorestframework', 'python3-uritemplate', 'python3-pydantic', 'python3-pytest', 'python3-pytest-django', 'python3-httpx'];

interface Workspace {
  readonly id: string;
  readonly fill: (dir: string) => void;
  /** The app's own test command, run after the agent wrote its files. */
  readonly test: readonly [string, string[]];
  readonly install?: readonly [string, string[]];
  /** Tests the agent generated that must be seen passing in the runner's TAP output (so a skipped or missing file cannot pass). */
  readonly mustPass?: readonly string[];
  /** The project's own checks after its tests (lint, type check), as its CI runs them. */
  readonly checks?: readonly (readonly [string, string[]])[];
  /** Needs the harness's Node 24 first on PATH (the scaffold's Node templates ask for 22.22+/24.15+). */
  readonly node24?: boolean;
}

const scaffold = (template: string): Workspace => ({
  id: `scaffold-${template}`,
  fill: (dir) => writeProject(dir, renderProject({ template, name: 'orders-api', database: 'none' })),
  test: [PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']],
});

const WORKSPACES: readonly Workspace[] = [
  scaffold('fastapi'),
  scaffold('flask'),
  scaffold('django'),
  {
    id: 'scaffold-express',
    fill: (dir) => writeProject(dir, renderProject({ template: 'express', name: 'orders-api', database: 'none' })),
    install: ['npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']],
    test: ['npx', ['vitest', 'run', '--reporter=tap-flat']],
    mustPass: ['serves request metrics at /metrics'],
    checks: [['npm', ['run', 'typecheck']], ['npm', ['run', 'lint']]],
    node24: true,
  },
  { id: 'django-app', fill: (dir) => cpSync(path.join(root, 'test', 'fixtures', 'platform', 'django-app'), dir, { recursive: true }), test: [PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']] },
  {
    id: 'node-app',
    fill: (dir) => cpSync(path.join(root, 'test', 'fixtures', 'platform', 'node-app'), dir, { recursive: true }),
    install: ['npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']],
    test: ['node', ['--test', '--test-reporter=tap']],
    mustPass: ['serves request metrics at /metrics', 'traces a request as a server span with its route'],
  },
];

/** The same npm cache as the generated-projects stage, so the scaffold's packages come from disk. */
const npmCache = path.join(root, '.cache', 'generated-npm');

function run(label: string, file: string, args: readonly string[], cwd: string, nodeBin?: string): { ok: boolean; output: string } {
  // Under `npm test` the parent npm exports npm_* settings (naming its own Node); the project's npm must not inherit them.
  const base = nodeBin ? Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key))) : process.env;
  const node = nodeBin ? { PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_cache: npmCache, npm_config_update_notifier: 'false', CI: 'true' } : {};
  const result = spawnSync(file, [...args], { cwd, encoding: 'utf8', env: { ...base, ...node, PYTHONDONTWRITEBYTECODE: '1', PYTHONNOUSERSITE: '1', XDG_STATE_HOME: path.join(cwd, '..', `${path.basename(cwd)}-state`) }, timeout: 300_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const ok = result.status === 0;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${label}${ok ? '' : ` (exit ${result.status ?? result.signal})`}`);
  if (!ok) console.log(output.split('\n').slice(-40).map((l) => `       ${l}`).join('\n'));
  return { ok, output };
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  await ensureAptPackages(APT, path.join(os.tmpdir(), 'aidevops-platform-apt.log'), (l) => console.log(l));
  const cli = path.join(root, 'dist', 'cli.js');
  let passed = 0;
  let failed = 0;
  for (const w of WORKSPACES.filter((x) => only.length === 0 || only.includes(x.id))) {
    console.log(w.id);
    const dir = mkdtempSync(path.join(os.tmpdir(), `aidevops-platform-${w.id}-`));
    const results: boolean[] = [];
    try {
      w.fill(dir);
      for (const action of ['iac', 'observability']) {
        const r = run(`ai-devops platform ${action} --yes`, process.execPath, [cli, 'platform', action, dir, '--yes', '--json'], dir);
        results.push(r.ok);
        if (r.ok) {
          const doc = JSON.parse(r.output.slice(r.output.indexOf('{'), r.output.lastIndexOf('}') + 1)) as { applied: { commands: { command: string; exitCode: number }[] }; plan: { notes: string[] } };
          for (const c of doc.applied.commands) console.log(`       checked: ${c.command} (exit ${c.exitCode})`);
          for (const n of doc.plan.notes.filter((note) => /^Skipped|skipped/.test(note))) console.log(`       ${n}`);
        }
      }
      const nodeBin = w.node24 ? path.join(await ensureNodeRuntime(path.join(os.tmpdir(), 'aidevops-platform-node.log'), (l) => console.log(l)), 'bin') : undefined;
      if (w.install) results.push(run([w.install[0], ...w.install[1]].join(' '), w.install[0], w.install[1], dir, nodeBin).ok);
      const tests = run(`the app's own tests with the generated ${(w.mustPass?.length ?? 0) > 1 ? 'metrics and tracing tests' : '/metrics test'} (${w.test[0] === PYTHON ? 'pytest' : w.test[1].join(' ')})`, w.test[0], w.test[1], dir, nodeBin);
      results.push(tests.ok);
      for (const name of w.mustPass ?? []) {
        const seen = new RegExp(`^\\s*ok \\d+ - (?:.* > )?${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*(?:# time=[^\\n]*)?$`, 'm').test(tests.output);
        console.log(`  ${seen ? 'ok  ' : 'FAIL'} passed: ${name}`);
        results.push(seen);
      }
      for (const [file, args] of w.checks ?? []) results.push(run([file, ...args].join(' '), file, args, dir, nodeBin).ok);
    } catch (error) {
      console.log(`  FAIL ${(error as Error).message}`);
      results.push(false);
    }
    if (results.every(Boolean)) {
      passed++;
      rmSync(dir, { recursive: true, force: true });
      rmSync(`${dir}-state`, { recursive: true, force: true });
    } else {
      failed++;
      console.log(`  left for inspection: ${dir}`);
    }
  }
  console.log(`platform: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

void main();
