import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from './codeServer';
import { repoRoot, vscodePaths } from './config';
import { installExtensionFolder } from './extensionFolder';
import { ensureVsCode } from './install';
import { spawnGroup, stopAll, stopAllOnExit } from './processGroup';
import { demoWorkspace } from './workspace';

/**
 * `npm start` (after scripts/start.mjs has installed dependencies and built): the extension in a
 * real VS Code on demo-workspace/. A desktop `code` on PATH gets --extensionDevelopmentPath;
 * otherwise code-server (installed on first use under .cache/) serves VS Code on 127.0.0.1 with
 * the extension linked into its extensions dir, until Ctrl-C stops it and everything it forked.
 */
const say = (line: string) => console.log(`[start] ${line}`);
const DEFAULT_PORT = 8765;
let stopping = false;

function desktopCode(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' });
  const code = found.status === 0 ? found.stdout.trim() : '';
  // Inside code-server's own terminal `code` is its remote CLI, which cannot load a development extension.
  if (code === '' || code.includes('/remote-cli/') || process.env.VSCODE_IPC_HOOK_CLI) return undefined;
  return code;
}

async function startDesktop(code: string): Promise<number> {
  say(`Opening ${path.relative(process.cwd(), demoWorkspace) || demoWorkspace} in ${code} with the extension from ${repoRoot}. Close the window (or press Ctrl-C) to stop.`);
  const proc = spawnGroup(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${repoRoot}`, demoWorkspace], { stdio: 'inherit' });
  const exit = await proc.exited;
  await proc.stop();
  return typeof exit === 'number' ? exit : 1;
}

async function startBrowser(port: number): Promise<number> {
  await ensureVsCode((l) => say(l));
  const stateDir = path.join(vscodePaths().cache, 'start');
  const extensionsDir = path.join(stateDir, 'extensions');
  installExtensionFolder(extensionsDir, 'link');
  const server = await startCodeServer({ stateDir, port, extensionsDir, folder: demoWorkspace });
  const url = `${server.url}?folder=${encodeURIComponent(demoWorkspace)}`;
  say(`VS Code (code-server) with AI DevOps is running. Open in your browser:\n\n    ${url}\n`);
  say('The extension is linked from this repository: after `npm run build` (or with `npm run watch` running), use "Developer: Reload Window".');
  say(`code-server log: ${server.logFile}. Press Ctrl-C to stop.`);
  const exit = await server.process.exited;
  // Ctrl-C: the signal handler is stopping everything and will exit; nothing unexpected happened.
  if (stopping) return new Promise<number>(() => undefined);
  say(`code-server stopped unexpectedly (${exit}). Its last lines:\n${server.tail(30)}`);
  await server.stop();
  return 1;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, browser: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const port = Number(values.port ?? process.env.AIDEVOPS_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--port must be a TCP port number, got "${values.port ?? process.env.AIDEVOPS_PORT}".`);
  stopAllOnExit(
    (signal) => {
      stopping = true;
      say(`${signal}: stopping VS Code`);
    },
    (signal) => (signal === 'SIGINT' ? 0 : 1),
  );
  const code = values.browser ? undefined : desktopCode();
  return code ? startDesktop(code) : startBrowser(port);
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
