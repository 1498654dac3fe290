import type * as vscode from 'vscode';
import { type AgentRun } from '../../core/audit';
import { type GroupSummary, type StoredEvent } from '../../providers/audit';
import { auditEventItem } from '../audit/auditEventItem';
import { type AuditTrailModel } from '../audit/auditTrailModel';
import { indexingNote, noteItem, showMoreItem } from '../audit/treeNotes';
import { agentRunItem } from './agentRunItem';

export type AgentRunNode =
  /** `run` as the core builds runs (commands on the node, "Run Again" among them, read it); `summary` from the index. */
  | { readonly kind: 'run'; readonly run: AgentRun; readonly summary: GroupSummary; readonly steps: readonly StoredEvent[] }
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
      const { runs, more } = await this.model.runs();
      const nodes: AgentRunNode[] = runs.map(({ run, summary, stored }) => ({ kind: 'run', run, summary, steps: stored }));
      if (more) nodes.push({ kind: 'more' });
      const note = indexingNote(this.model);
      return note ? [{ kind: 'note', ...note }, ...nodes] : nodes;
    }
    if (node.kind !== 'run') return [];
    const where = new Map(node.steps.map((s) => [s.event.hash, s]));
    return node.run.steps.flatMap((event, index) => {
      const s = where.get(event.hash);
      return s ? [{ kind: 'step' as const, stored: s, index }] : [];
    });
  }

  getTreeItem(node: AgentRunNode): vscode.TreeItem {
    if (node.kind === 'run') return agentRunItem(node.summary);
    if (node.kind === 'more') return showMoreItem('aiDevops.agentRuns.showMore', 'runs');
    if (node.kind === 'note') return noteItem(node.text, node.icon);
    const item = auditEventItem(node.stored.event, node.stored, `${node.index + 1}. ${node.stored.event.eventType}`);
    item.id = `agent-step-${node.stored.event.hash}`;
    return item;
  }
}
