import * as vscode from 'vscode';
import { type GroupSummary } from '../../providers/audit';
import { eventTypeIcon, shortTime } from './auditEventItem';

/** A correlation id: one action or run, with its events as children (read when expanded). */
export function auditGroupItem(group: GroupSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(`${group.services.join(', ')}: ${group.firstType}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `audit-group-${group.correlationId}`;
  item.iconPath = eventTypeIcon(group.lastType);
  item.description = `${group.count} event${group.count === 1 ? '' : 's'} · ${shortTime(group.lastAt)}`;
  const md = new vscode.MarkdownString();
  md.appendMarkdown('Correlation id: ');
  md.appendText(group.correlationId);
  md.appendMarkdown('  \nServices: ');
  md.appendText(group.services.join(', '));
  md.appendMarkdown('  \n');
  md.appendText(`${group.count} events, ${group.firstAt} to ${group.lastAt}`);
  item.tooltip = md;
  item.contextValue = 'auditGroup';
  return item;
}
