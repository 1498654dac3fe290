import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CODE_SERVER_VERSION, NODE_VERSION, vscodePaths } from './config';
import { nodeEnv } from './nodeRuntime';
import { runCommand } from './runCommand';

const MarkerSchema = z.object({ codeServer: z.string(), node: z.string(), installedAt: z.string(), seconds: z.number() });
export type InstallMarker = z.infer<typeof MarkerSchema>;

/** The marker of a complete install of the configured versions, or undefined (absent, other versions, or edited). */
export function readInstallMarker(): InstallMarker | undefined {
  const paths = vscodePaths();
  if (!existsSync(paths.installedMarker)) return undefined;
  const parsed = MarkerSchema.safeParse(safeJson(readFileSync(paths.installedMarker, 'utf8')));
  if (!parsed.success) return undefined;
  return parsed.data.codeServer === CODE_SERVER_VERSION && parsed.data.node === NODE_VERSION ? parsed.data : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Checks that the cached install still runs: the marker is there and `code-server --version`
 * answers with the expected version. Returns why not, or undefined when it is fine.
 */
export function checkCodeServer(): string | undefined {
  const paths = vscodePaths();
  if (!readInstallMarker()) return 'not installed (or an earlier install did not finish)';
  if (!existsSync(paths.codeServerEntry)) return `its entry point ${paths.codeServerEntry} is missing`;
  const result = spawnSync(path.join(paths.nodeBin, 'node'), [paths.codeServerEntry, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    // code-server writes a default config.yaml into XDG_CONFIG_HOME on any start: keep it out of the user's home.
    env: { ...nodeEnv(), XDG_CONFIG_HOME: path.join(paths.cache, 'xdg-config'), XDG_DATA_HOME: path.join(paths.cache, 'xdg-data') },
  });
  const versionLine = new RegExp(`^${CODE_SERVER_VERSION.replace(/\./g, '\\.')} `, 'm');
  if (result.status !== 0 || !versionLine.test(result.stdout)) {
    const why = (result.stderr || result.stdout || result.error?.message || '').trim().split('\n').slice(-3).join(' ');
    return `code-server --version failed (${why || `exit ${result.status}`})`;
  }
  return undefined;
}

/**
 * `npm install code-server` into the cache, on Node 24. npm blocks dependency install scripts
 * unless package.json allows them, so the cache's package.json allows exactly the two packages
 * that build or fetch native parts here; code-server's own postinstall then installs VS Code's
 * dependencies under lib/vscode, whose package.json carries its own allowScripts list.
 */
export async function installCodeServer(logFile: string, say: (line: string) => void): Promise<void> {
  const paths = vscodePaths();
  const started = Date.now();
  say(`Installing code-server ${CODE_SERVER_VERSION} into ${paths.codeServer} (about 2 minutes and 620 MB; log: ${logFile})`);
  rmSync(paths.codeServer, { recursive: true, force: true });
  mkdirSync(paths.codeServer, { recursive: true });
  const manifest = {
    name: 'ai-devops-vscode-cache',
    private: true,
    description: 'The browser VS Code the AI DevOps test harness runs (scripts/vscode). Safe to delete.',
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
  };
  writeFileSync(path.join(paths.codeServer, 'package.json'), JSON.stringify(manifest, null, 2));
  await runCommand('npm', ['install', '--omit=dev', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: paths.codeServer,
    logFile,
    env: nodeEnv(),
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const marker: InstallMarker = { codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString(), seconds };
  writeFileSync(paths.installedMarker, JSON.stringify(marker, null, 2));
  const broken = checkCodeServer();
  if (broken) {
    rmSync(paths.installedMarker, { force: true });
    throw new Error(`code-server was installed but does not start: ${broken}. See ${logFile}.`);
  }
  say(`code-server ${CODE_SERVER_VERSION} installed in ${seconds} s.`);
}
