import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, closeAllEditors, waitFor } from '../helpers/extension';

type Shown = { message: string; options: unknown; items: unknown[] };

/**
 * `.devops/commands.json` counts only once the user approved its exact content (issue 10, item 4).
 * The dialogs are answered by replacing window.showWarningMessage / showInformationMessage for the
 * test: the extension and its tests share one `vscode` API object in the extension host.
 */
describe('workspace command rules need the user’s approval', () => {
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const original = { warning: window.showWarningMessage, info: window.showInformationMessage };
  let folder: vscode.Uri;
  let file: vscode.Uri;
  const shown: Shown[] = [];
  let answer: string | undefined;

  before(async () => {
    await activated();
    folder = vscode.workspace.workspaceFolders![0]!.uri;
    file = vscode.Uri.joinPath(folder, '.devops', 'commands.json');
    const capture = (message: string, ...rest: unknown[]) => {
      const options = rest[0] !== null && typeof rest[0] === 'object' && !Array.isArray(rest[0]) ? rest[0] : undefined;
      shown.push({ message, options, items: options ? rest.slice(1) : rest });
      return Promise.resolve(answer);
    };
    window.showWarningMessage = capture as typeof vscode.window.showWarningMessage;
    window.showInformationMessage = capture as typeof vscode.window.showInformationMessage;
  });

  after(async () => {
    window.showWarningMessage = original.warning;
    window.showInformationMessage = original.info;
    await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    await closeAllEditors();
  });

  const review = async (reply: string | undefined): Promise<Shown> => {
    shown.length = 0;
    answer = reply;
    await vscode.commands.executeCommand('aiDevops.commands.reviewWorkspaceRules');
    return waitFor('a dialog', () => shown[0]);
  };
  const write = (rules: unknown[]) => vscode.workspace.fs.writeFile(file, new TextEncoder().encode(JSON.stringify({ version: 1, rules }, null, 2)));

  it('shows the whole file in a modal prompt, and a declined file stays unapproved', async () => {
    await write([{ id: 'curl-any', executable: 'curl', operands: { regex: '.*' } }]);
    const asked = await review(undefined);
    assert.match(asked.message, /\.devops\/commands\.json in this workspace adds 1 command rule for agents \(curl\)/);
    const options = asked.options as vscode.MessageOptions;
    assert.equal(options.modal, true);
    assert.ok(options.detail?.includes('"executable": "curl"'), 'the prompt carries the file text');
    assert.deepEqual(asked.items, ['Approve This Content']);
    await waitFor('the file opened read-only for review', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'ai-devops-approval' && d.getText().includes('curl-any')));
    const again = await review(undefined);
    assert.match(again.message, /Approve its content\?/, 'still not approved');
  });

  it('an approved content counts until the file changes, and can be revoked', async () => {
    await review('Approve This Content');
    const approved = await review(undefined);
    assert.match(approved.message, /you approved this content of \.devops\/commands\.json \(1 command rule\)/);
    assert.deepEqual(approved.items, ['Revoke Approval']);

    await write([{ id: 'curl-any', executable: 'curl', operands: { regex: '.*' } }, { id: 'rm-any', executable: 'rm', operands: { regex: '.*' } }]);
    const changed = await review(undefined);
    assert.match(changed.message, /changed since you approved it\. Approve the new content\? It adds 2 command rules for agents \(curl, rm\)/);

    await review('Approve This Content');
    await review('Revoke Approval');
    const revoked = await review(undefined);
    assert.match(revoked.message, /Approve its content\?/);
  });

  it('a workspace cannot add command rules through its settings (the setting is machine-scoped)', async () => {
    const config = vscode.workspace.getConfiguration('aiDevops');
    await Promise.resolve(config.update('commands.allow', [{ id: 'curl-any', executable: 'curl' }], vscode.ConfigurationTarget.Workspace)).catch(() => undefined);
    assert.deepEqual(vscode.workspace.getConfiguration('aiDevops').get('commands.allow'), []);
    await Promise.resolve(config.update('commands.allow', undefined, vscode.ConfigurationTarget.Workspace)).catch(() => undefined);
  });
});
