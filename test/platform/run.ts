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

const root = path.resolve(__dirname, '..', '..');
const PYTHON = '/usr/bin/python3';
const APT = ['prometheus', 'python3-prometheus-client', 'python3-fastapi', 'python3-flask', 'python3-django', 'python3-djangorestframework', 'python3-uritemplate', 'python3-pydantic', 'python3-pytest', 'python3-pytest-django', 'python3-httpx'];

interface Workspace {
  readonly id: string;
  readonly fill: (dir: string) => void;
  /** The app's own test command, run after the agent wrote its files. */
  readonly test: readonly [string, string[]];
  readonly install?: readonly [string, string[]];
  /** Tests the agent generated that must be seen passing in the output (so a skipped or missing file cannot pass). */
  readonly mustPass?: readonly string[];
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
  { id: 'django-app', fill: (dir) => cpSync(path.join(root, 'test', 'fixtures', 'platform', 'django-app'), dir, { recursive: true }), test: [PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider']] },
  {
    id: 'node-app',
    fill: (dir) => cpSync(path.join(root, 'test', 'fixtures', 'platform', 'node-app'), dir, { recursive: true }),
    install: ['npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']],
    test: ['node', ['--test', '--test-reporter=tap']],
    mustPass: ['serves request metrics at /metrics', 'traces a request as a server span with its route'],
  },
];

function run(label: string, file: string, args: readonly string[], cwd: string): { ok: boolean; output: string } {
  const result = spawnSync(file, [...args], { cwd, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONNOUSERSITE: '1', XDG_STATE_HOME: path.join(cwd, '..', `${path.basename(cwd)}-state`) }, timeout: 300_000 });
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
      if (w.install) results.push(run([w.install[0], ...w.install[1]].join(' '), w.install[0], w.install[1], dir).ok);
      const tests = run(`the app's own tests with the generated ${w.mustPass?.length ? 'metrics and tracing tests' : '/metrics test'} (${w.test[0] === PYTHON ? 'pytest' : 'node --test'})`, w.test[0], w.test[1], dir);
      results.push(tests.ok);
      for (const name of w.mustPass ?? []) {
        const seen = new RegExp(`^\\s*ok \\d+ - ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\s*$`, 'm').test(tests.output);
        console.log(`  ${seen ? 'ok  ' : 'FAIL'} passed: ${name}`);
        results.push(seen);
      }
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
