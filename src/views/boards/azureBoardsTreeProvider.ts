import type * as vscode from 'vscode';
import { boardsSubtitle, filterLabel } from '../../core/boards/boardTree';
import { type ViewPreferences } from '../../core/boards/viewPreferences';
import { type AzureBoardsModel } from './azureBoardsModel';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type AzureNode, errorNodes, groupTreeItem, messageItem, type MessageNode, rangeTreeItem, workItemTreeItem } from './boardNodes';

const ID = 'azure';
/** The view's id in package.json `contributes.views`. */
export const AZURE_VIEW = 'aiDevops.boards';

/** The Azure Boards view: groups (when grouping), the hierarchy, and error rows with their fixes. */
export class AzureBoardsTreeProvider implements vscode.TreeDataProvider<AzureNode> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(
    private readonly model: AzureBoardsModel,
    private readonly preferences: () => ViewPreferences,
  ) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  /** The view's subtitle: the filter with its item count, and the grouping in force. */
  description(): string {
    const p = this.preferences();
    // A large list grouped from its ids (a query per state or sprint) says its grouping; otherwise "by id range".
    const grouped = this.model.largeGrouping;
    const byIdRange = this.model.byIdRange && (grouped === undefined || grouped.error !== undefined);
    return boardsSubtitle(p.filter, p.groupBy, this.model.state === 'loaded' ? this.model.total : undefined, byIdRange, this.model.counting);
  }

  getChildren(node?: AzureNode): AzureNode[] | Promise<AzureNode[]> {
    if (node?.kind === 'group') return [...node.children];
    if (node?.kind === 'item') return [...node.children];
    if (node?.kind === 'range') return node.pages ? [...node.pages] : this.pageRows(node);
    if (node) return [];
    return this.roots();
  }

  /** A page of a large list opened: its items (one batch request the first time), or why they could not be read. */
  private async pageRows(page: AzureNode & { kind: 'range' }): Promise<AzureNode[]> {
    try {
      return await this.model.pageRows(page);
    } catch (error) {
      const e = isDevOpsError(error) ? error : undefined;
      const message = e?.message ?? (error instanceof Error ? error.message : String(error));
      return errorNodes(`${ID}-range-${page.key}`, 'Could not read these work items', e ?? new DevOpsError('unavailable', message), 'aiDevops.boards.refresh');
    }
  }

  roots(): AzureNode[] {
    const m = this.model;
    if (m.state === 'notConnected') {
      // The welcome view covers "not configured"; this row covers configured-but-not-connected.
      return [{ kind: 'message', id: `${ID}-not-connected`, label: 'Azure Boards is not connected. Sign in, or check the organization and project settings.', icon: { id: 'plug' } } satisfies MessageNode, ...signInRows()];
    }
    if (m.state === 'loading') return [{ kind: 'message', id: `${ID}-loading`, label: 'Loading work items…', icon: { id: 'loading~spin' } }];
    const rows: AzureNode[] = [];
    if (m.error) rows.push(...errorNodes(ID, m.state === 'error' ? 'Could not load work items' : 'Refresh failed (showing cached items)', m.error, 'aiDevops.boards.refresh'));
    if (m.state === 'error') return rows;
    const nodes = m.nodes();
    if (m.byIdRange) {
      const grouped = m.largeGrouping;
      const count = m.total.toLocaleString('en-US');
      rows.push({
        kind: 'message',
        id: `${ID}-large`,
        label: m.counting
          ? `${count} items so far, still counting: shown by id, read 200 at a time as you open them. Narrow the list with the filter.`
          : grouped && !grouped.error
            ? `${count} items by ${grouped.by}: each group's items by id, read 200 at a time as you open them. Narrow the list with the filter.`
            : `${count} items: shown by id${grouped?.error ? ` (not grouped by ${grouped.by}: ${grouped.error})` : ''}, read 200 at a time as you open them. Narrow the list with the filter.`,
        icon: { id: 'info' },
        command: { command: 'aiDevops.boards.filter', title: 'Change filter' },
      });
    }
    if (nodes.length === 0 && !m.isRefreshing) {
      rows.push({ kind: 'message', id: `${ID}-empty`, label: `No work items match "${filterLabel(this.preferences().filter)}".`, icon: { id: 'info' }, command: { command: 'aiDevops.boards.filter', title: 'Change filter' } });
    }
    rows.push(...nodes);
    return rows;
  }

  getTreeItem(node: AzureNode): vscode.TreeItem {
    if (node.kind === 'message') return messageItem(node);
    if (node.kind === 'group') return groupTreeItem(node, ID);
    if (node.kind === 'range') return rangeTreeItem(node, ID);
    return workItemTreeItem(node, ID);
  }

  getParent(): undefined {
    return undefined;
  }
}

function signInRows(): MessageNode[] {
  return [
    { kind: 'message', id: `${ID}-sign-in`, label: 'Sign in', icon: { id: 'account' }, command: { command: 'aiDevops.signIn', title: 'Sign in' } },
    { kind: 'message', id: `${ID}-settings`, label: 'Open Settings', icon: { id: 'settings-gear' }, command: { command: 'aiDevops.openSettings', title: 'Open Settings' } },
  ];
}
