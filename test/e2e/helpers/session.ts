import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../../../scripts/vscode/browser';
import { startCodeServer, type RunningCodeServer } from '../../../scripts/vscode/codeServer';
import { repoRoot } from '../../../scripts/vscode/config';
import { installExtensionFolder } from '../../../scripts/vscode/extensionFolder';
import { stopAll, stopAllOnExit } from '../../../scripts/vscode/processGroup';
import { copyDemoWorkspace, tempRun } from '../../../scripts/vscode/workspace';
import { waitForWorkbench } from './workbench';

/**
 * One browser VS Code for the whole e2e run: code-server with the built extension installed as a
 * folder in its extensions dir, on a copy of demo-workspace/ in a temp dir, and one Chromium page.
 * Started by the root hooks (../setup.ts); steps reach it through session().
 */
export interface E2eSession {
  readonly server: RunningCodeServer;
  readonly browser: Browser;
  readonly page: Page;
  /** The workspace copy the window has open. */
  readonly workspace: string;
  /** Where screenshots and logs of this run go. */
  readonly results: string;
}

export const e2eResults = path.join(repoRoot, 'test-results', 'e2e');
const ECHO_FIXTURE = path.join(repoRoot, 'test', 'e2e', 'fixtures', 'echo-participant');

let current: (E2eSession & { remove(): void }) | undefined;

export function session(): E2eSession {
  if (!current) throw new Error('No VS Code session: run e2e tests through `npm run test:e2e` (its root hooks start one).');
  return current;
}

export async function startSession(): Promise<E2eSession> {
  stopAllOnExit();
  mkdirSync(e2eResults, { recursive: true });
  const run = tempRun('e2e');
  try {
    const workspace = copyDemoWorkspace(run.dir);
    const stateDir = path.join(run.dir, 'state');
    installExtensionFolder(path.join(stateDir, 'extensions'), 'copy');
    // A model and a participant that echo, so the chat helpers are tested whatever our chat does.
    cpSync(ECHO_FIXTURE, path.join(stateDir, 'extensions', 'ai-devops-tests.e2e-echo-0.0.1'), { recursive: true });
    const server = await startCodeServer({ stateDir });
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    await waitForWorkbench(page);
    current = { server, browser, page, workspace, results: e2eResults, remove: run.remove };
    return current;
  } catch (error) {
    await stopAll();
    run.remove();
    throw error;
  }
}

export async function stopSession(): Promise<void> {
  if (!current) return;
  const { server, browser, remove } = current;
  current = undefined;
  await browser.close().catch(() => undefined);
  await server.stop();
  remove();
}
