import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './config';

export const integrationSource = path.join(repoRoot, 'test', 'integration');
export const integrationOut = path.join(repoRoot, 'out', 'integration');
/** The module VS Code loads as extensionTestsPath. */
export const integrationEntry = path.join(integrationOut, 'index.js');
/**
 * A trivial extension loaded beside ours (installed in the window; a second extensionDevelopmentPath
 * in the desktop runner), activated by the same event: the activation suite prints its time from first line to activate() next to ours,
 * which is VS Code's own share of that time.
 */
export const activationBaseline = path.join(repoRoot, 'test', 'fixtures', 'activation-baseline');

/**
 * The extension host runs JavaScript, so each suite (`test/integration/**\/*.test.ts`) and the
 * entry (index.ts) are bundled to out/integration/ (gitignored), keeping the folder layout.
 * `vscode` stays external (the host provides it), and so does every package of node_modules:
 * the extension host requires them from node_modules, once for all suites. Bundled into each suite
 * they made 271 MiB of JavaScript (three suites of 74 MiB each, TypeScript and ESLint included)
 * that mocha requires synchronously before the first test: 20-30 s in which the extension host
 * answered nothing (VS Code called it unresponsive and reconnected), so whatever the extension was
 * doing then (Azure DevOps discovery against the sandbox, as the start-up timeline showed) seemed
 * to stall. Bundled without them: 18 MiB, parsed in a quarter of a second.
 */
export async function bundleIntegration(): Promise<string[]> {
  rmSync(integrationOut, { recursive: true, force: true });
  const suites = readdirSync(integrationSource, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(integrationSource, f));
  await esbuild.build({
    entryPoints: [path.join(integrationSource, 'index.ts'), ...suites],
    outdir: integrationOut,
    outbase: integrationSource,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return suites.map((f) => path.relative(repoRoot, f));
}
