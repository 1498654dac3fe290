import path from 'node:path';
import { repoRoot } from './config';
import { runCommand } from './runCommand';

/** `npm run build` (esbuild.mjs): the bundles the extension host loads. Output goes to a log; failures show its tail. */
export async function buildExtension(logDir: string): Promise<void> {
  await runCommand(process.execPath, [path.join(repoRoot, 'esbuild.mjs')], { cwd: repoRoot, logFile: path.join(logDir, 'build.log') });
}
