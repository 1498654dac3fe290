import type * as vscode from 'vscode';
import { type GroupSummary, type StoredEvent } from '../../providers/audit';
import { auditEventItem } from '../audit/auditEventItem';
import { type AuditTrailModel } from '../audit/auditTrailModel';
import { indexingNote, noteItem, showMoreItem } from '../audit/treeNotes';
import { agentRunItem } from './agentRunItem';

export type AgentRunNode =
  | { readonly kind: 'run'; readonly run: GroupSummary }
  | { readonly kind: 'step'; readonly stored: StoredEvent; readonly index: number }
  | { readonly kind: 'more' }
  | { readonly kind: 'note'; readonly text: string; readonly icon: string };

/**
 * The Agent Runs view: runs from the trail's index, newest first, a page at a time, each with its
 * step log. The index catches up as a run appends events, so a running run's steps appear as they
 * are written.
 */
export class AgentRunsTreeProvider implements vscode.TreeDataProvider<AgentRunNode> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: AuditTrailModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  async getChildren(node?: AgentRunNode): Promise<AgentRunNode[]> {
    if (!node) {
      const { runs, more } = this.model.runs();
      const nodes: AgentRunNode[] = runs.map((run) => ({ kind: 'run', run }));
      if (more) nodes.push({ kind: 'more' });
      const note = indexingNote(this.model);
      return note ? [{ kind: 'note', ...note }, ...nodes] : nodes;
    }
    if (node.kind !== 'run') return [];
    const stored = await this.model.groupEvents(node.run);
    const run = await this.model.run(node.run);
    const where = new Map(stored.map((s) => [s.event.hash, s]));
    return (run?.steps ?? []).flatMap((event, index) => {
      const s = where.get(event.hash);
      return s ? [{ kind: 'step' as const, stored: s, index }] : [];
    });
  }

  getTreeItem(node: AgentRunNode): vscode.TreeItem {
    if (node.kind === 'run') return agentRunItem(node.run);
    if (node.kind === 'more') return showMoreItem('aiDevops.agentRuns.showMore', 'runs');
    if (node.kind === 'note') return noteItem(node.text, node.icon);
    const item = auditEventItem(node.stored.event, node.stored, `${node.index + 1}. ${node.stored.event.eventType}`);
    item.id = `agent-step-${node.stored.event.hash}`;
    return item;
  }
}
