import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { format } from 'node:util';
import type MochaType from 'mocha';

/**
 * The extensionTestsPath module: VS Code calls run() inside the extension host once the extension
 * under development is loaded, and reports a rejection as exit code 1. Each suite was bundled to
 * its own `*.test.js` beside this file (scripts/vscode/bundleIntegration.ts).
 *
 * Environment, set by the runner on code-server (the extension host inherits it):
 * - AIDEVOPS_TEST_MARKER: prefix for every reporter line, so the runner can tell mocha's output from
 *   the workbench's own log lines that travel the same way (codeAutomationLog).
 * - AIDEVOPS_TEST_GREP: run only tests whose full title matches.
 * - AIDEVOPS_TEST_COLOR: "1" for coloured output.
 * - AIDEVOPS_TEST_FOLDER: which suites this window runs, `suites` (default) or `restricted`.
 */
export async function run(): Promise<void> {
  // mocha 12's package entry is ESM; its CommonJS core loads with a plain require in any extension
  // host (Electron's Node for the desktop runner too), and test files then load with require, so
  // their `require('vscode')` goes through VS Code's module interceptor.
  const load = createRequire(__filename);
  const Mocha = load('mocha/lib/mocha.cjs') as typeof MochaType;
  const marker = process.env.AIDEVOPS_TEST_MARKER ?? '';
  Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(marker + format(...data));
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: process.env.AIDEVOPS_TEST_COLOR === '1',
    timeout: 30_000,
    slow: 2_000,
  });
  if (process.env.AIDEVOPS_TEST_GREP) mocha.grep(process.env.AIDEVOPS_TEST_GREP);
  // One folder of suites per window: `suites` (trusted) or `restricted` (Restricted Mode).
  const folder = process.env.AIDEVOPS_TEST_FOLDER ?? 'suites';
  const files = readdirSync(path.join(__dirname, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(folder, f))
    .sort();
  if (files.length === 0) throw new Error(`No integration suites (*.test.js) next to ${__filename}: was the bundle step run?`);
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
