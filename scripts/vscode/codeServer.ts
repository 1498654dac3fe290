import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vscodePaths } from './config';
import { nodeEnv } from './nodeRuntime';
import { freePort, portProblem } from './ports';
import { spawnGroup, sleep, type GroupProcess } from './processGroup';
import { groupMemory, type GroupMemory } from './memory';

export interface CodeServerOptions {
  /** Holds code-server's config file, its data dirs and (unless given) the user data and extensions dirs. */
  readonly stateDir: string;
  /** Fixed port (fails clearly when taken); a free one when omitted. */
  readonly port?: number;
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
  /** Opened when the browser asks for `/` without `?folder=`. */
  readonly folder?: string;
  /** Lets a page pass `payload` (extensionDevelopmentPath, extensionTestsPath) and report through codeAutomation*. */
  readonly smokeTestDriver?: boolean;
  /** Written to the user settings.json before start. */
  readonly userSettings?: Readonly<Record<string, unknown>>;
  readonly startTimeoutMs?: number;
  /** Extra environment for the server, inherited by the extension host (e.g. test options). */
  readonly env?: Readonly<Record<string, string>>;
  /** Workspace trust on (folders open in Restricted Mode until trusted); off by default for scripted windows. */
  readonly workspaceTrust?: boolean;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: GroupProcess;
  /** Memory of the server and everything it forked (extension host, pty host, watchers). */
  memory(): GroupMemory;
  /** Last lines code-server printed (its log, the extension host's output). */
  tail(lines?: number): string;
  stop(): Promise<void>;
}

export class CodeServerStartError extends Error {
  override readonly name = 'CodeServerStartError';
}

/** Settings that keep a scripted window quiet: no welcome page, walkthroughs, tips or update checks. */
export const QUIET_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'workbench.enableExperiments': false,
};

/**
 * Starts code-server bound to 127.0.0.1 with its own config file and state (never the user's),
 * waits until /healthz answers, and returns a handle that stops the whole process group. Any
 * failure on the way stops what was started and throws a message that says what to do.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const paths = vscodePaths();
  if (!existsSync(paths.codeServerEntry)) {
    throw new CodeServerStartError(`code-server is not installed at ${paths.codeServer}. Run \`npm start\` or \`npm run test:integration\`, which install it first.`);
  }
  const port = options.port ?? (await freePort());
  const problem = await portProblem(port);
  if (problem) {
    throw new CodeServerStartError(
      problem === 'EADDRINUSE'
        ? `Port ${port} on 127.0.0.1 is already in use (another code-server or \`npm start\`?). Stop that process or choose another port (\`npm start -- --port N\`).`
        : `Cannot listen on 127.0.0.1:${port} (${problem}).`,
    );
  }
  const userDataDir = options.userDataDir ?? path.join(options.stateDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(options.stateDir, 'extensions');
  const configFile = path.join(options.stateDir, 'config.yaml');
  const logFile = path.join(options.stateDir, 'code-server.log');
  for (const dir of [options.stateDir, userDataDir, extensionsDir, path.join(userDataDir, 'User')]) mkdirSync(dir, { recursive: true });
  // An explicit config file, so the user's ~/.config/code-server/config.yaml (password, cert) never applies.
  writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {};
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_USER_SETTINGS, ...trust, ...options.userSettings }, null, 2));

  const args = [
    paths.codeServerEntry,
    '--config', configFile,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.folder ? [options.folder] : []),
  ];
  const env = {
    ...nodeEnv(),
    // code-server keeps its own state (last opened folder, heartbeat) under XDG dirs: keep it in ours.
    XDG_DATA_HOME: path.join(options.stateDir, 'xdg-data'),
    XDG_CONFIG_HOME: path.join(options.stateDir, 'xdg-config'),
    XDG_CACHE_HOME: path.join(options.stateDir, 'xdg-cache'),
    ...options.env,
  };
  const log = createWriteStream(logFile, { flags: 'a' });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (lines.length > 500) lines.splice(0, lines.length - 500);
  };
  const proc = spawnGroup(path.join(paths.nodeBin, 'node'), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.child.stdout?.on('data', keep);
  proc.child.stderr?.on('data', keep);
  const tail = (n = 20) => lines.slice(-n).join('\n');
  const stop = async () => {
    await proc.stop();
    await new Promise<void>((resolve) => log.end(resolve));
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let exited: number | string | undefined;
  void proc.exited.then((code) => (exited = code));
  try {
    for (;;) {
      if (exited !== undefined) {
        throw new CodeServerStartError(`code-server exited (${exited}) before it answered on ${url}. Its last lines:\n${tail()}\nFull log: ${logFile}`);
      }
      if (await healthy(url)) break;
      if (Date.now() > deadline) {
        throw new CodeServerStartError(`code-server did not answer on ${url}healthz within ${Math.round((options.startTimeoutMs ?? 60_000) / 1000)} s. Its last lines:\n${tail()}\nFull log: ${logFile}`);
      }
      await sleep(100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, pid: proc.pid, logFile, userDataDir, extensionsDir, process: proc, memory: () => groupMemory(proc.pid), tail, stop };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
