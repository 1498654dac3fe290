import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { StandInTreeDataProvider } from '../../../src/host/viewStandIns';
import { type StartupReport } from '../../../src/host/startupTimings';
import { activated, manifest } from '../helpers/extension';

const CONTAINER = 'aiDevops';
const VIEWS = ['aiDevops.boards', 'aiDevops.githubProjects', 'aiDevops.todos', 'aiDevops.agentRuns', 'aiDevops.audit'];
/** Shown only when a tracker or pipeline is configured (its `when` clause). */
const WHEN_CONNECTED = 'aiDevops.pendingApprovals';

describe('views', () => {
  before(activated);

  it('contributes the six views in the AI DevOps activity bar container (Pending Approvals when something is connected)', () => {
    const { viewsContainers, views } = manifest().contributes;
    assert.ok(viewsContainers.activitybar.some((c) => c.id === CONTAINER && c.title === 'AI DevOps'));
    assert.deepEqual((views[CONTAINER] ?? []).map((v) => v.id), [...VIEWS.slice(0, 3), WHEN_CONNECTED, ...VIEWS.slice(3)]);
  });

  it('the workbench opens the container (its show command exists only once VS Code registered it)', async () => {
    await vscode.commands.executeCommand(`workbench.view.extension.${CONTAINER}`);
  });

  for (const id of VIEWS) {
    it(`the workbench can focus ${id}`, async () => {
      await vscode.commands.executeCommand(`${id}.focus`);
    });
  }

  it('every view has its TreeView from activate() on, made before the features load (they fill the same TreeView)', async () => {
    const report = await vscode.commands.executeCommand<StartupReport>('aiDevops.showStartupTimings');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const standIns = report.spans.find((s) => s.name === 'activation: view stand-ins');
    const features = report.spans.find((s) => s.name === 'features');
    assert.ok(standIns && features, report.text);
    assert.ok(standIns.startMs + standIns.ms <= features.startMs, `the stand-ins are made in activate(), before the features' chunk loads: ${report.text}`);
  });

  it('a stand-in shows one "Loading…" row until the real provider is attached, then its rows and its changes', async () => {
    const standIn = new StandInTreeDataProvider();
    try {
      const [loading, ...more] = ((await standIn.getChildren()) ?? []) as unknown[];
      assert.equal(more.length, 0);
      const item = await standIn.getTreeItem(loading);
      assert.equal(item.label, 'Loading…');
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
      assert.equal(standIn.getParent(loading), undefined);

      const changed = new vscode.EventEmitter<string | undefined>();
      const real: vscode.TreeDataProvider<string> = {
        onDidChangeTreeData: changed.event,
        getTreeItem: (e) => new vscode.TreeItem(e.toUpperCase()),
        getChildren: (e) => (e === undefined ? ['a', 'b'] : e === 'a' ? ['a1'] : []),
        getParent: (e) => (e === 'a1' ? 'a' : undefined),
      };
      const fired: unknown[] = [];
      const listening = standIn.onDidChangeTreeData((e) => fired.push(e));
      standIn.attach(real as vscode.TreeDataProvider<unknown>);
      assert.deepEqual(fired, [undefined], 'attaching refreshes the whole view, so "Loading…" goes');
      assert.deepEqual(await standIn.getChildren(), ['a', 'b']);
      assert.deepEqual(await standIn.getChildren('a'), ['a1']);
      assert.equal((await standIn.getTreeItem('b')).label, 'B');
      assert.equal(standIn.getParent('a1'), 'a');
      changed.fire('a');
      assert.deepEqual(fired, [undefined, 'a'], "the real provider's changes reach VS Code");
      assert.throws(() => standIn.attach(real as vscode.TreeDataProvider<unknown>), /already has its provider/);
      listening.dispose();
      changed.dispose();
    } finally {
      standIn.dispose();
    }
  });
});
