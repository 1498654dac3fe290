import * as vscode from 'vscode';
import { type AuditEvent, type AuditGroup } from '../../core/audit';
import { auditEventItem } from './auditEventItem';
import { auditGroupItem } from './auditGroupItem';
import { type AuditTrailModel, VIEW_LIMIT } from './auditTrailModel';

type Node = { readonly kind: 'group'; readonly group: AuditGroup } | { readonly kind: 'event'; readonly event: AuditEvent } | { readonly kind: 'note'; readonly text: string; readonly icon: string };

/** The Audit Trail view: correlation groups, newest first, each with its events. */
export class AuditTreeProvider implements vscode.TreeDataProvider<Node> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: AuditTrailModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'group') return [...node.group.events].reverse().map((event) => ({ kind: 'event', event }));
    if (node) return [];
    // Empty (and no workspace) return nothing, so the welcome view shows.
    if (this.model.state === 'error') return [{ kind: 'note', text: `The audit trail could not be read: ${this.model.error ?? ''}`, icon: 'error' }];
    const groups: Node[] = this.model.groups.map((group) => ({ kind: 'group', group }));
    if (this.model.truncated) groups.push({ kind: 'note', text: `Showing the newest ${VIEW_LIMIT} events; open the log file for older ones.`, icon: 'info' });
    return groups;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') return auditGroupItem(node.group);
    if (node.kind === 'event') return auditEventItem(node.event, this.model.locate(node.event.hash));
    const item = new vscode.TreeItem(node.text);
    item.iconPath = new vscode.ThemeIcon(node.icon);
    return item;
  }
}
