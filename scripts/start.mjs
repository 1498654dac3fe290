// `npm start`: install npm dependencies on a clean checkout, build, then open the extension in a real
// VS Code on demo-workspace/ (scripts/vscode/start.ts: desktop `code` when there is one, else the
// browser VS Code, code-server, installed on first use under .cache/). Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function step(label, command, args) {
  console.log(`[start] ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[start] ${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) step('installing npm dependencies (npm ci)', npm, ['ci']);
step('building the extension (npm run build)', npm, ['run', '--silent', 'build']);

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'vscode', 'start.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the child from the terminal itself; it stops VS Code and exits: wait for it.
// A signal sent to this process alone is passed on.
process.on('SIGINT', () => undefined);
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
