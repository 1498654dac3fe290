import * as vscode from 'vscode';
import { type BoardNode, type GroupNode, type ItemNode } from '../../core/boards/boardTree';
import { type RangeNode } from '../../core/boards/idRanges';
import { errorFixes } from '../../core/boards/errorFix';
import { contextValue, descriptionLine, type IconSpec, itemLabel, tooltipMarkdown, typeIcon } from '../../core/boards/itemPresentation';
import { type DevOpsError } from '../../core/errors';

/** Rows that are not work items: a note, an error, or an action that fixes the error. */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly label: string;
  readonly icon: IconSpec;
  readonly command?: { readonly command: string; readonly title: string; readonly arguments?: readonly unknown[] };
  readonly tooltip?: string;
}

export type AzureNode = BoardNode | RangeNode | MessageNode;

export const themeIcon = (spec: IconSpec): vscode.ThemeIcon => (spec.color ? new vscode.ThemeIcon(spec.id, new vscode.ThemeColor(spec.color)) : new vscode.ThemeIcon(spec.id));

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = themeIcon(node.icon);
  item.contextValue = 'message';
  if (node.tooltip) item.tooltip = node.tooltip;
  if (node.command) item.command = { command: node.command.command, title: node.command.title, arguments: [...(node.command.arguments ?? [])] };
  return item;
}

/** The error row and one row per fix (Sign in, Open Settings, Retry). */
export function errorNodes(prefix: string, what: string, error: DevOpsError, retryCommand: string): MessageNode[] {
  const rows: MessageNode[] = [{ kind: 'message', id: `${prefix}-error`, label: `${what}: ${error.message}`, tooltip: error.message, icon: { id: 'error', color: 'errorForeground' } }];
  for (const fix of errorFixes(error.code, retryCommand)) {
    rows.push({ kind: 'message', id: `${prefix}-fix-${fix.command}`, label: fix.label, icon: { id: fix.icon }, command: { command: fix.command, title: fix.label } });
  }
  return rows;
}

export function workItemTreeItem(node: ItemNode, idPrefix: string): vscode.TreeItem {
  const { item: wi } = node;
  const state = node.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(itemLabel(wi), state);
  item.id = `${idPrefix}-${wi.tracker}-${wi.id}`;
  item.description = node.orphan ? `${descriptionLine(wi)} · parent ${wi.parentId} not shown` : descriptionLine(wi);
  const md = new vscode.MarkdownString(tooltipMarkdown(wi));
  // The tooltip carries outside text: no command links, no HTML.
  md.isTrusted = false;
  md.supportHtml = false;
  item.tooltip = md;
  item.iconPath = themeIcon(typeIcon(wi.type));
  item.contextValue = contextValue(wi);
  item.accessibilityInformation = { label: `${wi.type} ${wi.id}, ${wi.title}, ${descriptionLine(wi)}` };
  return item;
}

export function groupTreeItem(node: GroupNode, idPrefix: string): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, node.count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `${idPrefix}-group-${node.key}`;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon('folder');
  item.contextValue = 'workItemGroup';
  return item;
}

/** A range of a large list: collapsed, its items read when it is opened. */
export function rangeTreeItem(node: RangeNode, idPrefix: string): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${idPrefix}-range-${node.key}`;
  item.description = node.description;
  item.iconPath = new vscode.ThemeIcon(node.pages ? 'folder-library' : 'folder');
  item.contextValue = 'workItemRange';
  item.tooltip = node.pages ? `${node.description}, ${node.pages.length} pages of up to 200` : `${node.description}: read when opened (one request)`;
  return item;
}

export const nodeLabel = (node: AzureNode): string => (node.kind === 'item' ? itemLabel(node.item) : node.label);
