import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, manifest } from '../helpers/extension';

const CONTAINER = 'aiDevops';
const VIEWS = ['aiDevops.boards', 'aiDevops.githubProjects', 'aiDevops.todos', 'aiDevops.agentRuns', 'aiDevops.audit'];

describe('views', () => {
  before(activated);

  it('contributes the five views in the AI DevOps activity bar container', () => {
    const { viewsContainers, views } = manifest().contributes;
    assert.ok(viewsContainers.activitybar.some((c) => c.id === CONTAINER && c.title === 'AI DevOps'));
    assert.deepEqual((views[CONTAINER] ?? []).map((v) => v.id), VIEWS);
  });

  it('the workbench opens the container (its show command exists only once VS Code registered it)', async () => {
    await vscode.commands.executeCommand(`workbench.view.extension.${CONTAINER}`);
  });

  for (const id of VIEWS) {
    it(`the workbench can focus ${id}`, async () => {
      await vscode.commands.executeCommand(`${id}.focus`);
    });
  }
});
