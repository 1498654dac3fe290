import * as vscode from 'vscode';
import { type AuditEvent } from '../../core/audit';
import { type StoredEvent } from '../../providers/audit';

const ICONS: Readonly<Record<string, string>> = {
  'run.started': 'play',
  'run.step': 'debug-step-over',
  'run.completed': 'pass',
  'run.failed': 'error',
  'run.cancelled': 'circle-slash',
  'workItem.created': 'new-file',
  'workItem.updated': 'edit',
  'workItem.stateChanged': 'arrow-swap',
  'workItem.commented': 'comment',
  'file.written': 'file-code',
  'command.run': 'terminal',
  'command.refused': 'shield',
  'audit.recovered': 'warning',
};

export const eventTypeIcon = (eventType: string): vscode.ThemeIcon =>
  eventType === 'run.failed'
    ? new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'))
    : eventType === 'run.completed'
      ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
      : new vscode.ThemeIcon(ICONS[eventType] ?? 'circle-small-filled');

export const eventIcon = (e: AuditEvent): vscode.ThemeIcon => eventTypeIcon(e.eventType);

export const shortTime = (iso: string): string => iso.replace('T', ' ').slice(0, 19);

/** A one-line summary: the state change, else a `summary`/`message` in the metadata. */
export function eventSummary(e: AuditEvent): string {
  if (e.oldState || e.newState) return `${e.oldState ?? '∅'} → ${e.newState ?? '∅'}`;
  const m = e.metadata['summary'] ?? e.metadata['message'] ?? e.metadata['step'];
  return typeof m === 'string' || typeof m === 'number' ? String(m) : '';
}

export function eventTooltip(e: AuditEvent, where?: StoredEvent): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**');
  md.appendText(e.eventType);
  md.appendMarkdown('**\n\n');
  const rows: [string, string | number | null][] = [
    ['Service', e.service],
    ['Correlation', e.correlationId],
    ['Work item', e.workItemId],
    ['Repository', e.repository],
    ['State', e.oldState || e.newState ? `${e.oldState ?? '∅'} → ${e.newState ?? '∅'}` : null],
    ['User', e.user],
    ['Time', e.timestamp],
    ['Sequence', e.seq],
  ];
  for (const [label, value] of rows) {
    if (value === null || value === '') continue;
    md.appendMarkdown(`${label}: `);
    md.appendText(String(value));
    md.appendMarkdown('  \n');
  }
  if (Object.keys(e.metadata).length) md.appendCodeblock(JSON.stringify(e.metadata, null, 2), 'json');
  md.appendMarkdown('\nHash: ');
  md.appendText(e.hash);
  md.appendMarkdown('  \nPrevious: ');
  md.appendText(e.prev);
  if (where) {
    md.appendMarkdown('  \n');
    md.appendText(`${vscode.workspace.asRelativePath(where.file)}, line ${where.line}`);
  }
  return md;
}

/** An event in a tree; selecting it opens the log file at its line. */
export function auditEventItem(e: AuditEvent, where: StoredEvent | undefined, label = e.eventType): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `audit-event-${e.hash}`;
  item.iconPath = eventIcon(e);
  const summary = eventSummary(e);
  item.description = [summary, e.workItemId ? `#${e.workItemId}` : '', shortTime(e.timestamp)].filter(Boolean).join(' · ');
  item.tooltip = eventTooltip(e, where);
  item.contextValue = 'auditEvent';
  if (where) item.command = { command: 'aiDevops.audit.openLog', title: 'Open in Audit Log', arguments: [{ file: where.file, line: where.line }] };
  return item;
}
