import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './config';

export const integrationSource = path.join(repoRoot, 'test', 'integration');
export const integrationOut = path.join(repoRoot, 'out', 'integration');
/** The module VS Code loads as extensionTestsPath. */
export const integrationEntry = path.join(integrationOut, 'index.js');

/**
 * The extension host runs JavaScript, so each suite (`test/integration/**\/*.test.ts`) and the
 * entry (index.ts) are bundled to out/integration/ (gitignored), keeping the folder layout.
 * `vscode` stays external (the host provides it), and so does mocha (loaded from node_modules).
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
    external: ['vscode', 'mocha', 'mocha/*'],
    // jsonc-parser's main is a UMD build whose require('./impl/…') esbuild cannot follow (the
    // extension's own build prefers `module` fields); its ESM build bundles.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return suites.map((f) => path.relative(repoRoot, f));
}
