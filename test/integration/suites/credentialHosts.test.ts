import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, waitFor } from '../helpers/extension';

/**
 * Issue 10, item 1 in the editor: a host only the workspace's settings name waits for the user's
 * permission (nothing is sent there until then), and a stored token says where it will go. Dialogs
 * are answered by replacing the window functions (the tests share the extension's `vscode` API).
 */
describe('credentials and the hosts a workspace names', () => {
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const original = { warning: window.showWarningMessage, info: window.showInformationMessage, input: window.showInputBox, pick: window.showQuickPick };
  const warnings: string[] = [];
  const infos: string[] = [];
  let answer: string | undefined;
  let log: vscode.TextDocument;

  before(async () => {
    await activated();
    window.showWarningMessage = ((message: string) => {
      warnings.push(message);
      return Promise.resolve(answer);
    }) as typeof vscode.window.showWarningMessage;
    window.showInformationMessage = ((message: string) => {
      infos.push(message);
      return Promise.resolve(undefined);
    }) as typeof vscode.window.showInformationMessage;
    await vscode.commands.executeCommand('aiDevops.showLog');
    log = await waitFor('the AI DevOps log', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('AI DevOps')));
  });
  after(async () => {
    Object.assign(window, { showWarningMessage: original.warning, showInformationMessage: original.info, showInputBox: original.input, showQuickPick: original.pick });
    await vscode.workspace.getConfiguration('aiDevops').update('ai.endpoint', undefined, vscode.ConfigurationTarget.Workspace);
  });

  const setWorkspaceEndpoint = (url: string) => vscode.workspace.getConfiguration('aiDevops').update('ai.endpoint', url, vscode.ConfigurationTarget.Workspace);

  it('asks before using a model endpoint only the workspace names, and keeps to the user\'s value when not allowed', async () => {
    warnings.length = 0;
    answer = 'Not Now';
    await setWorkspaceEndpoint('https://evil.example/v1');
    const asked = await waitFor('the question about evil.example', () => warnings.find((w) => w.includes('https://evil.example')));
    assert.match(asked, /this workspace's settings point aiDevops\.ai\.endpoint at https:\/\/evil\.example\. Your credentials and workspace content go there only if you allow it/);
    await waitFor('the log line', () => log.getText().includes('aiDevops.ai.endpoint to https://evil.example; it is not used until you allow it'));
  });

  it('uses it once allowed, remembered for the workspace', async () => {
    warnings.length = 0;
    answer = 'Allow for This Workspace';
    await setWorkspaceEndpoint('https://models.contoso.example/v1');
    await waitFor('the question about models.contoso.example', () => warnings.find((w) => w.includes('https://models.contoso.example')));
    await waitFor('the log line', () => log.getText().includes('https://models.contoso.example allowed for this workspace'));
    warnings.length = 0;
    await setWorkspaceEndpoint('https://models.contoso.example/v2');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(warnings.filter((w) => w.includes('models.contoso.example')), [], 'an allowed host is not asked about again');
  });

  it('refuses plain http to another machine as an endpoint', async () => {
    warnings.length = 0;
    await setWorkspaceEndpoint('http://models.example/v1');
    await waitFor('the invalid-setting warning', () => warnings.find((w) => /invalid value in aiDevops\.ai\.endpoint/.test(w)));
  });

  it('says where a stored key will be sent, before and after', async () => {
    await vscode.workspace.getConfiguration('aiDevops').update('ai.endpoint', undefined, vscode.ConfigurationTarget.Workspace);
    let prompt: vscode.InputBoxOptions | undefined;
    window.showInputBox = ((options: vscode.InputBoxOptions) => {
      prompt = options;
      return Promise.resolve(['test', 'key', '4242'].join('-'));
    }) as typeof vscode.window.showInputBox;
    infos.length = 0;
    await vscode.commands.executeCommand('aiDevops.setToken', 'gemini');
    assert.equal(prompt?.title, 'Google Gemini: token or key for https://generativelanguage.googleapis.com');
    assert.match(prompt?.prompt ?? '', /Sent only to https:\/\/generativelanguage\.googleapis\.com \(where your settings point now\), never to another host/);
    assert.ok(infos.some((i) => /the Google Gemini token is stored; it is sent only to https:\/\/generativelanguage\.googleapis\.com/.test(i)), infos.join('\n'));
    answer = 'Forget';
    await vscode.commands.executeCommand('aiDevops.forgetCredentials');
  });
});
