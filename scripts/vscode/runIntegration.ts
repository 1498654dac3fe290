import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { buildExtension } from './build';
import { activationBaseline, bundleIntegration, integrationEntry } from './bundleIntegration';
import { startCodeServer } from './codeServer';
import { repoRoot } from './config';
import { ensureVsCode } from './install';
import { stopAll, stopAllOnExit } from './processGroup';
import { copyDemoWorkspace, tempRun } from './workspace';

/**
 * `npm run test:integration`: the mocha suites of test/integration run inside a real extension host
 * with the real `vscode` API. code-server has no --extensionDevelopmentPath, so it starts with its
 * smoke-test driver enabled and a headless Chromium opens the workbench with a `payload` naming the
 * extension and the tests module; the page reports the log and the exit code through the
 * codeAutomationLog/codeAutomationExit functions Playwright exposes to it.
 */
const say = (line: string) => console.log(`[integration] ${line}`);
const results = path.join(repoRoot, 'test-results', 'integration');
const TIMEOUT_MS = Number(process.env.AIDEVOPS_INTEGRATION_TIMEOUT_MS ?? 5 * 60_000);

interface Pass {
  readonly name: string;
  /** Suites of test/integration/<folder>/ run in this pass. */
  readonly folder: 'suites' | 'restricted';
  readonly workspaceTrust: boolean;
  /** User settings (a Restricted Mode window reads only these). */
  readonly userSettings?: Readonly<Record<string, unknown>>;
  readonly prepare: (runDir: string) => { readonly workspace: string; readonly env?: Readonly<Record<string, string>> };
}

/**
 * Two windows: the main suites in a trusted copy of the demo workspace; the Restricted Mode suites
 * with workspace trust on, in an untrusted folder whose `.git/config` runs a payload through
 * core.fsmonitor if anything starts git there (issue 10, item 2).
 */
const PASSES: readonly Pass[] = [
  { name: 'trusted', folder: 'suites', workspaceTrust: false, prepare: (dir) => ({ workspace: copyDemoWorkspace(dir) }) },
  {
    name: 'Restricted Mode',
    folder: 'restricted',
    workspaceTrust: true,
    // The sandbox from the user's settings, so Start Work gets as far as git would be started.
    userSettings: { 'aiDevops.backend': 'sandbox' },
    prepare: (dir) => {
      const workspace = copyDemoWorkspace(dir);
      const ran = path.join(dir, 'fsmonitor-ran');
      const payload = path.join(dir, 'fsmonitor-payload.cjs');
      writeFileSync(payload, `require('fs').appendFileSync(${JSON.stringify(ran)}, 'ran\\n');\n`);
      const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
      const git = (...args: string[]) => execFileSync('git', args, { cwd: workspace, env, stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '.');
      git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'demo');
      // Set after the commit, so only a git started later (by the editor) would run it.
      git('config', 'core.fsmonitor', `"${process.execPath}" "${payload}"`);
      return { workspace, env: { AIDEVOPS_TEST_FSMONITOR_MARKER: ran } };
    },
  },
];

/**
 * Lists `folder` (an unpacked extension) in the extensions folder's manifest (extensions.json, which
 * VS Code reads to know what is installed) where it lies, so the window loads it like any other.
 */
function installInPlace(extensionsDir: string, folder: string): void {
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  mkdirSync(extensionsDir, { recursive: true });
  const entry = { identifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version, location: { $mid: 1, scheme: 'file', path: folder } };
  writeFileSync(path.join(extensionsDir, 'extensions.json'), JSON.stringify([entry]));
}

async function runPass(pass: Pass, marker: string, workbenchLog: string): Promise<number> {
  const started = Date.now();
  const run = tempRun('integration');
  try {
    const { workspace, env } = pass.prepare(run.dir);
    const stateDir = path.join(run.dir, 'state');
    const extensionsDir = path.join(stateDir, 'extensions');
    // code-server takes one extensionDevelopmentPath: the activation baseline is an installed extension instead.
    if (pass.folder === 'suites') installInPlace(extensionsDir, activationBaseline);
    const server = await startCodeServer({
      stateDir,
      extensionsDir,
      smokeTestDriver: true,
      workspaceTrust: pass.workspaceTrust,
      ...(pass.userSettings ? { userSettings: pass.userSettings } : {}),
      env: {
        AIDEVOPS_TEST_MARKER: marker,
        AIDEVOPS_TEST_COLOR: process.stdout.isTTY ? '1' : '0',
        AIDEVOPS_TEST_FOLDER: pass.folder,
        ...(process.env.AIDEVOPS_TEST_GREP ? { AIDEVOPS_TEST_GREP: process.env.AIDEVOPS_TEST_GREP } : {}),
        ...env,
      },
    });
    const browser = await launchChromium();
    const page = await browser.newPage();
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown) => {
      const parts = Array.isArray(args) ? args : [args];
      const text = format(...parts);
      if (text.startsWith(marker)) process.stdout.write(`${text.slice(marker.length)}\n`);
      else appendFileSync(workbenchLog, `[${pass.name}] [${level}] ${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number, logs: unknown) => {
      // The workbench's own log files, for a failure nobody can reproduce at once.
      for (const log of Array.isArray(logs) ? logs : []) {
        const { relativePath, contents } = log as { relativePath?: unknown; contents?: unknown };
        if (typeof relativePath !== 'string' || typeof contents !== 'string') continue;
        const file = path.join(results, 'logs', pass.folder, relativePath.replace(/\.\.+/g, '_'));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, contents);
      }
      finish(code);
    });
    page.on('crash', () => finish(-2));
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(integrationEntry)],
    ];
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), TIMEOUT_MS).unref());
    const code = await Promise.race([exited, timeout]);
    const memory = server.memory();
    await browser.close();
    await server.stop();
    writeFileSync(path.join(results, `code-server.${pass.folder}.tail.log`), server.tail(500));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (code === -1) say(`No result within ${TIMEOUT_MS / 1000} s. code-server said:\n${server.tail(30)}`);
    if (code === -2) say('The workbench page crashed.');
    say(`${pass.name}: exit code ${code} after ${seconds} s; code-server used ${memory.pssMiB} MiB (PSS; RSS ${memory.rssMiB} MiB, ${memory.processes} processes). Logs: ${path.relative(repoRoot, results)}/`);
    return code === 0 ? 0 : 1;
  } finally {
    await stopAll();
    run.remove();
  }
}

async function main(): Promise<number> {
  stopAllOnExit((signal) => say(`${signal}: stopping code-server and Chromium`));
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const install = await ensureVsCode();
  await buildExtension(results);
  const suites = await bundleIntegration();
  say(`${suites.length} suite(s) bundled; install ${install.installed ? `took ${install.seconds.toFixed(0)} s` : 'reused from .cache/'}`);
  const marker = `\u200b[mocha:${process.pid}]\u200b`;
  const workbenchLog = path.join(results, 'workbench.log');
  let failed = 0;
  for (const pass of PASSES) {
    say(`--- ${pass.name} window (test/integration/${pass.folder}/) ---`);
    failed += await runPass(pass, marker, workbenchLog);
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(`[integration] ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  },
);
