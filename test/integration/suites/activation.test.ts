import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated } from '../helpers/extension';

describe('activation', () => {
  it('activates without error in the demo workspace', async () => {
    const extension = await activated();
    assert.equal(extension.isActive, true);
  });

  it('runs on the demo workspace with the sandbox backend and the sandbox model selected', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'the runner opens exactly one folder, a copy of demo-workspace/');
    const config = vscode.workspace.getConfiguration('aiDevops', folders[0]!.uri);
    assert.equal(config.get('backend'), 'sandbox');
    assert.equal(config.get('ai.provider'), 'sandbox');
  });
});
