import type * as vscode from 'vscode';
import { type GroupSummary, type StoredEvent } from '../../providers/audit';
import { auditEventItem } from './auditEventItem';
import { auditGroupItem } from './auditGroupItem';
import { type AuditTrailModel, GROUP_EVENTS } from './auditTrailModel';
import { indexingNote, noteItem, showMoreItem } from './treeNotes';

type Node =
  | { readonly kind: 'group'; readonly group: GroupSummary }
  | { readonly kind: 'event'; readonly stored: StoredEvent }
  | { readonly kind: 'more' }
  | { readonly kind: 'note'; readonly text: string; readonly icon: string };

/** The Audit Trail view: correlation groups, newest first, a page at a time, each with its events. */
export class AuditTreeProvider implements vscode.TreeDataProvider<Node> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: AuditTrailModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'group') {
      const events = await this.model.groupEvents(node.group);
      const nodes: Node[] = [...events].reverse().map((stored) => ({ kind: 'event', stored }));
      if (node.group.count > GROUP_EVENTS) nodes.push({ kind: 'note', text: `${node.group.count - GROUP_EVENTS} older events of this action are in the log file.`, icon: 'info' });
      return nodes;
    }
    if (node) return [];
    // Empty (and no workspace) return nothing, so the welcome view shows.
    if (this.model.state === 'error') return [{ kind: 'note', text: `The audit trail could not be read: ${this.model.error ?? ''}`, icon: 'error' }];
    const note = indexingNote(this.model);
    const { groups, more } = this.model.groups();
    const nodes: Node[] = groups.map((group) => ({ kind: 'group', group }));
    if (more) nodes.push({ kind: 'more' });
    return note ? [{ kind: 'note', ...note }, ...nodes] : nodes;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') return auditGroupItem(node.group);
    if (node.kind === 'event') return auditEventItem(node.stored.event, node.stored);
    if (node.kind === 'more') return showMoreItem('aiDevops.audit.showMore', 'actions');
    return noteItem(node.text, node.icon);
  }
}
