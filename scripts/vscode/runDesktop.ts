import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtension } from './build';
import { activationBaseline, bundleIntegration, integrationEntry } from './bundleIntegration';
import { repoRoot } from './config';
import { copyDemoWorkspace, tempRun } from './workspace';

/**
 * `npm run test:desktop`: the same integration suites in desktop VS Code through
 * @vscode/test-electron, for machines that can download VS Code (or have one: set
 * AIDEVOPS_VSCODE_EXECUTABLE to its binary). On Linux without a display run it under `xvfb-run -a`.
 * Where VS Code cannot be downloaded, `npm run test:integration` runs these suites in code-server.
 */
const say = (line: string) => console.log(`[desktop] ${line}`);

async function main(): Promise<number> {
  const results = path.join(repoRoot, 'test-results', 'desktop');
  mkdirSync(results, { recursive: true });
  await buildExtension(results);
  const suites = await bundleIntegration();
  say(`${suites.length} suite(s) bundled`);
  const run = tempRun('desktop');
  try {
    const workspace = copyDemoWorkspace(run.dir);
    const executable = process.env.AIDEVOPS_VSCODE_EXECUTABLE;
    return await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : { version: process.env.AIDEVOPS_VSCODE_VERSION ?? 'stable', cachePath: path.join(repoRoot, '.vscode-test') }),
      extensionDevelopmentPath: [repoRoot, activationBaseline],
      extensionTestsPath: integrationEntry,
      extensionTestsEnv: {
        AIDEVOPS_TEST_COLOR: process.stdout.isTTY ? '1' : '0',
        ...(process.env.AIDEVOPS_TEST_GREP ? { AIDEVOPS_TEST_GREP: process.env.AIDEVOPS_TEST_GREP } : {}),
      },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', path.join(run.dir, 'user-data'),
        '--extensions-dir', path.join(run.dir, 'extensions'),
      ],
    });
  } finally {
    run.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`[desktop] ${message}`);
    if (/download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|fetch failed/i.test(message)) {
      console.error('[desktop] VS Code could not be downloaded here. Set AIDEVOPS_VSCODE_EXECUTABLE to an installed VS Code, or run the same suites in code-server with `npm run test:integration`.');
    }
    process.exit(1);
  },
);
