import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { activated, ourExtension, waitFor } from '../helpers/extension';

/**
 * Issue 10, item 2: this window opens, with workspace trust on, an untrusted folder that is a git
 * repository whose `.git/config` names a payload as core.fsmonitor (the runner wrote it; git would
 * run it on any status). Nothing AI DevOps does here may start a process, so the payload never runs.
 */
describe('Restricted Mode runs no process, git included', () => {
  const marker = process.env.AIDEVOPS_TEST_FSMONITOR_MARKER;
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const original = window.showWarningMessage;
  const warnings: string[] = [];

  before(async () => {
    assert.ok(marker, 'the runner names the payload marker (AIDEVOPS_TEST_FSMONITOR_MARKER)');
    window.showWarningMessage = ((message: string) => {
      warnings.push(message);
      return Promise.resolve(undefined);
    }) as typeof vscode.window.showWarningMessage;
    await activated();
  });
  after(() => {
    window.showWarningMessage = original;
  });

  it('the folder is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('Start Work says why and starts no git', async () => {
    warnings.length = 0;
    await vscode.commands.executeCommand('aiDevops.workItem.startWork', { reference: { tracker: 'azureBoards', id: 7 }, key: 'AB#7' });
    const said = await waitFor('the Restricted Mode warning', () => warnings.find((w) => w.startsWith('Start work:')));
    assert.match(said, /Restricted Mode, so AI DevOps runs no program in it, git included.*Manage Workspace Trust/);
  });

  it('the commands that start a process are disabled in the manifest until the folder is trusted', () => {
    const raw = (ourExtension().packageJSON as { contributes: { commands: { command: string; enablement?: string }[] } }).contributes.commands;
    for (const id of ['aiDevops.workItem.startWork', 'aiDevops.commands.reviewWorkspaceRules']) {
      assert.equal(raw.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
    }
  });

  it('the TODO index walks the folder itself (no ripgrep process), and still finds the TODOs', async () => {
    await vscode.commands.executeCommand('aiDevops.showLog');
    const log = await waitFor('the AI DevOps log', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('AI DevOps')));
    await vscode.commands.executeCommand('aiDevops.todos.refresh');
    const line = await waitFor('the TODO index line', () => log.getText().split('\n').reverse().find((l) => l.includes('TODO index:')), 20_000);
    assert.match(line, /walked, \d+ reader thread/);
    assert.doesNotMatch(line, /files found by ripgrep/);
  });

  it('after all of that, the core.fsmonitor payload has not run', async () => {
    // Give anything started in the background (views, the index) time to reach git if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    assert.equal(existsSync(marker!), false, 'a git process ran in the untrusted folder');
  });
});
