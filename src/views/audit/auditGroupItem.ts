import * as vscode from 'vscode';
import { type AuditGroup } from '../../core/audit';
import { eventIcon, shortTime } from './auditEventItem';

/** A correlation id: one action or run, with its events as children. */
export function auditGroupItem(group: AuditGroup): vscode.TreeItem {
  const first = group.events[0]!;
  const last = group.events[group.events.length - 1]!;
  const services = [...new Set(group.events.map((e) => e.service))];
  const item = new vscode.TreeItem(`${services.join(', ')}: ${first.eventType}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `audit-group-${group.correlationId}`;
  item.iconPath = eventIcon(last);
  item.description = `${group.events.length} event${group.events.length === 1 ? '' : 's'} · ${shortTime(group.lastAt)}`;
  const md = new vscode.MarkdownString();
  md.appendMarkdown('Correlation id: ');
  md.appendText(group.correlationId);
  md.appendMarkdown('  \nServices: ');
  md.appendText(services.join(', '));
  md.appendMarkdown('  \n');
  md.appendText(`${group.events.length} events, ${group.firstAt} to ${group.lastAt}`);
  item.tooltip = md;
  item.contextValue = 'auditGroup';
  return item;
}
