import * as vscode from 'vscode';
import { type AgentRun } from '../../core/audit';
import { type DisposableStore } from '../../host/disposable';
import { type AuditTrailModel } from '../audit/auditTrailModel';
import { type AgentRunNode, AgentRunsTreeProvider } from './agentRunsTreeProvider';

export interface AgentRunsFeatureOptions {
  /** The audit trail's model (from registerAuditFeature): runs are read from it. */
  readonly model: AuditTrailModel;
}

export interface AgentRunsFeature {
  /**
   * Offers "Re-run" on each run: `rerun` gets the run with its events (run.started's metadata has
   * what it was asked to do). Until one is set the action is not shown. Dispose to take it away.
   */
  setRerun(rerun: (run: AgentRun) => Promise<void>): vscode.Disposable;
}

/** The Agent Runs view, its refresh and show-more commands, and the Re-run action once the runtime offers it. */
export function registerAgentRunsFeature(scope: DisposableStore, options: AgentRunsFeatureOptions): AgentRunsFeature {
  const { model } = options;
  const provider = new AgentRunsTreeProvider(model);
  let rerun: ((run: AgentRun) => Promise<void>) | undefined;
  const canRerun = (value: boolean) => vscode.commands.executeCommand('setContext', 'aiDevops.agentRuns.canRerun', value);
  scope.add(
    vscode.window.createTreeView('aiDevops.agentRuns', { treeDataProvider: provider, showCollapseAll: true }),
    vscode.commands.registerCommand('aiDevops.agentRuns.refresh', () => model.refresh()),
    vscode.commands.registerCommand('aiDevops.agentRuns.showMore', () => model.showMore('runs')),
    vscode.commands.registerCommand('aiDevops.agentRuns.rerun', async (node?: AgentRunNode) => {
      if (node?.kind !== 'run') return;
      const run = await model.run(node.run);
      if (!run) return;
      if (!rerun) {
        void vscode.window.showInformationMessage('Re-running a run needs the agents, which are not available in this window.');
        return;
      }
      await rerun(run);
    }),
  );
  return {
    setRerun(handler) {
      rerun = handler;
      void canRerun(true);
      return new vscode.Disposable(() => {
        if (rerun !== handler) return;
        rerun = undefined;
        void canRerun(false);
      });
    },
  };
}
