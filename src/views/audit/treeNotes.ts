import * as vscode from 'vscode';
import { type AuditTrailModel, PAGE } from './auditTrailModel';

/** "Indexing the audit trail… 40%" while a large trail is read for the first time. */
export function indexingNote(model: AuditTrailModel): { text: string; icon: string } | undefined {
  const progress = model.indexing;
  if (!progress) return undefined;
  const percent = progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;
  return { text: `Indexing the audit trail… ${percent}% (${(progress.total / 1048576).toFixed(0)} MB)`, icon: 'sync~spin' };
}

/** The last row of a page: shows the next page. */
export function showMoreItem(command: string, what: string): vscode.TreeItem {
  const item = new vscode.TreeItem(`Show ${PAGE} more ${what}…`);
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command, title: 'Show More' };
  item.contextValue = 'showMore';
  return item;
}

/** A line of text in a tree (an error, indexing progress, a limit), not an item to act on. */
export function noteItem(text: string, icon: string): vscode.TreeItem {
  const item = new vscode.TreeItem(text);
  item.iconPath = new vscode.ThemeIcon(icon);
  return item;
}
