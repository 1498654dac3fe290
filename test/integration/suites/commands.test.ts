import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, closeAllEditors, manifest, openTabLabels, waitFor } from '../helpers/extension';

describe('commands', () => {
  before(activated);
  afterEach(closeAllEditors);

  it('registers every command that package.json contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = manifest()
      .contributes.commands.filter((c) => !registered.has(c.command))
      .map((c) => `${c.command} ("${c.title}")`);
    if (missing.length > 0) {
      assert.fail(`${missing.length} contributed command(s) are not registered after activation:\n      ${missing.join('\n      ')}`);
    }
  });

  it('aiDevops.showLog shows the AI DevOps output channel', async () => {
    await vscode.commands.executeCommand('aiDevops.showLog');
    // A shown output channel is backed by a text document with the `output` scheme that names it.
    const doc = await waitFor('the AI DevOps output document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('AI DevOps')),
    );
    await waitFor('the activation line in the log', () => doc.getText().includes('Activated in'));
  });

  it('aiDevops.openSettings opens the Settings editor', async () => {
    await vscode.commands.executeCommand('aiDevops.openSettings');
    await waitFor('a Settings tab', () => openTabLabels().includes('Settings'));
  });
});
