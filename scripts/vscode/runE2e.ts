import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { buildExtension } from './build';
import { repoRoot } from './config';
import { ensureVsCode } from './install';

/**
 * `npm run test:e2e`: installs what is missing, builds the extension, then runs the Playwright
 * steps of test/e2e (mocha, test/e2e/.mocharc.json) against code-server in Debian's Chromium.
 * The mocha process owns code-server and Chromium (root hooks in test/e2e/setup.ts) and stops
 * them on exit, Ctrl-C included.
 */
async function main(): Promise<number> {
  const logs = path.join(repoRoot, 'test-results');
  mkdirSync(logs, { recursive: true });
  const install = await ensureVsCode((l) => console.log(`[e2e] ${l}`));
  if (install.installed) console.log(`[e2e] install took ${install.seconds.toFixed(0)} s`);
  await buildExtension(logs);
  const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const child = spawn(process.execPath, [mocha, '--config', path.join(repoRoot, 'test', 'e2e', '.mocharc.json'), ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  // Ctrl-C reaches the child from the terminal itself; it stops code-server and Chromium: wait for it.
  // A signal sent to this process alone is passed on.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
