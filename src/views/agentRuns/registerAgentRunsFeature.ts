import * as vscode from 'vscode';
import { type DisposableStore } from '../../host/disposable';
import { type TreeViews } from '../../host/viewStandIns';
import { type AuditTrailModel } from '../audit/auditTrailModel';
import { AgentRunsTreeProvider } from './agentRunsTreeProvider';

export interface AgentRunsFeatureOptions {
  /** The audit trail's model (from registerAuditFeature): runs are read from it. */
  readonly model: AuditTrailModel;
  /** Where the view's TreeView comes from (the stand-in activate() made). */
  readonly views: TreeViews;
}

/**
 * The Agent Runs view and its refresh and show-more commands. A run's node is `{ kind: 'run', run:
 * AgentRun, summary }`: "Run Again" (aiDevops.agentRuns.rerun, the agents feature's) reads `run`.
 */
export function registerAgentRunsFeature(scope: DisposableStore, options: AgentRunsFeatureOptions): void {
  const { model } = options;
  const provider = new AgentRunsTreeProvider(model);
  scope.add(
    options.views.create('aiDevops.agentRuns', provider),
    vscode.commands.registerCommand('aiDevops.agentRuns.refresh', () => model.refresh()),
    vscode.commands.registerCommand('aiDevops.agentRuns.showMore', () => model.showMore('runs')),
  );
}
