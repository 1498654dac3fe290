import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { ensureAptPackages } from './aptPackages';
import { checkCodeServer, installCodeServer } from './codeServerInstall';
import { APT_PACKAGES, BUILD_TOOLS, chromiumPath, vscodePaths } from './config';
import { ensureNodeRuntime } from './nodeRuntime';

export interface InstallResult {
  /** Whether anything was installed this time (false: everything came from the cache). */
  readonly installed: boolean;
  readonly seconds: number;
}

const onPath = (command: string): boolean => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/**
 * Everything the browser VS Code needs, installed once and reused: Debian packages (only the
 * missing ones), Node 24 and code-server under .cache/. A lock keeps two runs (two terminals, or
 * `npm start` beside `npm test`) from installing into the same place at once; the second waits.
 */
export async function ensureVsCode(say: (line: string) => void = (l) => console.log(`[vscode] ${l}`)): Promise<InstallResult> {
  const paths = vscodePaths();
  const started = Date.now();
  mkdirSync(paths.cache, { recursive: true });
  const logFile = path.join(paths.cache, 'logs', `install-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(paths.cache, {
      lockfilePath: path.join(paths.cache, 'install.lock'),
      // Refreshed every few seconds by the holder; a lock not refreshed for a minute is from a dead run.
      stale: 60_000,
      update: 10_000,
      retries: { retries: 90, minTimeout: 2000, maxTimeout: 5000, factor: 1.2 },
      onCompromised: (error) => say(`Install lock lost (${error.message}); continuing.`),
    });
  } catch (error) {
    throw new Error(`Another run has been installing VS Code into ${paths.cache} for too long (${(error as Error).message}). If no other run is active, delete ${path.join(paths.cache, 'install.lock')} and try again.`, { cause: error });
  }
  let installed = false;
  try {
    const tools = Object.entries(BUILD_TOOLS).filter(([command]) => !onPath(command)).map(([, pkg]) => pkg);
    const aptNeeded = [...APT_PACKAGES, ...tools];
    await ensureAptPackages(aptNeeded, logFile, (l) => {
      installed = true;
      say(l);
    });
    if (!existsSync(chromiumPath())) {
      throw new Error(`Chromium is not at ${chromiumPath()} even though the Debian package is installed. Set AIDEVOPS_CHROMIUM to its path.`);
    }
    await ensureNodeRuntime(logFile, (l) => {
      installed = true;
      say(l);
    });
    const broken = checkCodeServer();
    if (broken) {
      if (broken.startsWith('not installed')) say(`code-server: ${broken}; installing.`);
      else say(`The cached code-server is broken (${broken}); reinstalling.`);
      installed = true;
      await installCodeServer(logFile, say);
    }
  } finally {
    await release().catch(() => undefined);
  }
  return { installed, seconds: (Date.now() - started) / 1000 };
}
