// `npm test`: every test layer in order, stopping at the first that fails.
// Works on a clean checkout: it installs the npm dependencies when they are missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(label, command, args) {
  const started = Date.now();
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n${label} failed after ${seconds} s (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`${label}: passed in ${seconds} s`);
}

if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) run('install (npm ci)', npm, ['ci']);
const stages = [
  ['type check', npm, ['run', '--silent', 'typecheck']],
  ['lint and manifest checks', npm, ['run', '--silent', 'lint']],
  ['build', npm, ['run', '--silent', 'build']],
  ['unit tests', npm, ['run', '--silent', 'test:unit']],
  // Every scaffold template rendered into a temp folder and its own lint and tests run (Debian's
  // python3-* packages, npm for the Node templates, one real PostgreSQL started and stopped here).
  ['generated projects (scaffold templates)', npm, ['run', '--silent', 'test:generated']],
  // The platform agent through dist/cli.js on the sample workspaces; promtool (Debian's prometheus),
  // terraform fmt when installed, and each app's own tests with the generated /metrics test.
  ['platform agent output (promtool, terraform, the apps\' own tests)', npm, ['run', '--silent', 'test:platform']],
  // A real VS Code (code-server, installed under .cache/ on first use) with the real extension host.
  ['integration tests (VS Code extension host)', npm, ['run', '--silent', 'test:integration']],
  ['end-to-end (e2e) tests (VS Code in Chromium)', npm, ['run', '--silent', 'test:e2e']],
];
const only = process.argv.slice(2);
for (const [label, command, args] of stages) {
  if (only.length === 0 || only.some((o) => label.includes(o))) run(label, command, args);
}
