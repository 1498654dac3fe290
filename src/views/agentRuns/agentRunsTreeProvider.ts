import type * as vscode from 'vscode';
import { type AgentRun, type AuditEvent } from '../../core/audit';
import { auditEventItem } from '../audit/auditEventItem';
import { type AuditTrailModel } from '../audit/auditTrailModel';
import { agentRunItem } from './agentRunItem';

type Node = { readonly kind: 'run'; readonly run: AgentRun } | { readonly kind: 'step'; readonly event: AuditEvent; readonly index: number };

/** The Agent Runs view: runs read from the audit trail, newest first, each with its steps. */
export class AgentRunsTreeProvider implements vscode.TreeDataProvider<Node> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: AuditTrailModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.model.runs.map((run) => ({ kind: 'run', run }));
    if (node.kind === 'run') return node.run.steps.map((event, index) => ({ kind: 'step', event, index }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'run') return agentRunItem(node.run);
    const item = auditEventItem(node.event, this.model.locate(node.event.hash), `${node.index + 1}. ${node.event.eventType}`);
    item.id = `agent-step-${node.event.hash}`;
    return item;
  }
}
