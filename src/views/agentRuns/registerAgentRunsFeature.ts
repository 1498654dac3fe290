import * as vscode from 'vscode';
import { type DisposableStore } from '../../host/disposable';
import { type AuditTrailModel } from '../audit/auditTrailModel';
import { AgentRunsTreeProvider } from './agentRunsTreeProvider';

export interface AgentRunsFeatureOptions {
  /** The audit trail's model (from registerAuditFeature): runs are read from it. */
  readonly model: AuditTrailModel;
}

/** The Agent Runs view and its refresh command. */
export function registerAgentRunsFeature(scope: DisposableStore, options: AgentRunsFeatureOptions): void {
  const provider = new AgentRunsTreeProvider(options.model);
  scope.add(
    vscode.window.createTreeView('aiDevops.agentRuns', { treeDataProvider: provider, showCollapseAll: true }),
    vscode.commands.registerCommand('aiDevops.agentRuns.refresh', () => options.model.refresh()),
  );
}
