import path from 'node:path';
import * as vscode from 'vscode';
import { type AgentCommand } from './agentCommands';

/**
 * AI DevOps: Run QA. From the palette: a quick pick (the tests, or the tests with coverage); from
 * the Explorer's context menu: the suites under the chosen folder or file. The editor always asks
 * for every test case and per-line coverage, which the Testing view and the gutter show.
 */
async function collectRun(args: readonly unknown[]): Promise<unknown> {
  const first = args[0];
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (first instanceof vscode.Uri) {
    if (!root) return undefined;
    const rel = path.relative(root, first.fsPath).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      void vscode.window.showWarningMessage('AI DevOps: Run QA runs the tests of the first workspace folder; that file is outside it.');
      return undefined;
    }
    return { detail: true, ...(rel ? { only: rel } : {}) };
  }
  // Called with the input already made (a test, the chat, another command): the runtime validates it.
  if (first && typeof first === 'object') return { detail: true, ...first };
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Run the tests', description: "every suite, as the project's own test scripts run it", value: false },
      { label: 'Run the tests with coverage', description: 'c8/nyc, Jest/Vitest, node --experimental-test-coverage, pytest-cov, go -coverprofile', value: true },
    ],
    { title: 'AI DevOps: Run QA', placeHolder: 'Results go to the Testing view and the Problems panel' },
  );
  return pick ? { detail: true, ...(pick.value ? { coverage: true } : {}) } : undefined;
}

export const QA_COMMANDS: readonly AgentCommand[] = [{ command: 'aiDevops.agents.qa.run', agent: 'qa', action: 'run', collect: collectRun }];
