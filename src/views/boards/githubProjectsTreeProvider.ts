import * as vscode from 'vscode';
import { projectItemContextValue, projectItemDescription, projectItemIcon, projectItemLabel, projectItemTooltip } from '../../core/boards/itemPresentation';
import { type StatusGroup } from '../../core/boards/projectBoard';
import { type ProjectItem } from '../../core/boards/workTracker';
import { type DevOpsError } from '../../core/errors';
import { errorNodes, messageItem, type MessageNode, themeIcon } from './boardNodes';
import { type GitHubProjectsModel } from './githubProjectsModel';

const ID = 'github';
/** Items a page of a large board's group shows; opening a page reads what it lacks. */
export const GROUP_PAGE = 200;

export interface StatusNode {
  readonly kind: 'status';
  readonly projectNumber: number;
  readonly group: StatusGroup;
}

/** A project item row; the work item commands take it as their target. */
export interface ProjectItemNode {
  readonly kind: 'projectItem';
  readonly projectNumber: number;
  readonly statusOptions: readonly string[];
  readonly item: ProjectItem;
}

/** Items start..end (0-based, end exclusive) of a large board's Status group; read when opened. */
export interface GroupPageNode {
  readonly kind: 'groupPage';
  readonly projectNumber: number;
  readonly status: string | undefined;
  readonly start: number;
  readonly end: number;
}

export type GitHubNode = StatusNode | GroupPageNode | ProjectItemNode | MessageNode;

export const isProjectItemNode = (value: unknown): value is ProjectItemNode =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'projectItem' && typeof (value as { item?: unknown }).item === 'object';

/** The GitHub Projects view: one group per Status option, in the project's order, then "No Status". */
export class GitHubProjectsTreeProvider implements vscode.TreeDataProvider<GitHubNode> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: GitHubProjectsModel) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  description(): string {
    const b = this.model.board;
    if (!b) return '';
    const total = this.model.totalCount;
    // A board read a page at a time says how much of it is read.
    const read = this.model.complete ? '' : ` · ${b.items.length.toLocaleString('en-US')} of ${total === undefined ? 'more' : total.toLocaleString('en-US')} items read`;
    return `#${b.project.number} ${b.project.title}${read}`;
  }

  getChildren(node?: GitHubNode): GitHubNode[] | Promise<GitHubNode[]> {
    if (node?.kind === 'status') return this.model.large ? this.groupPages(node) : this.itemRows(node.projectNumber, node.group.items);
    if (node?.kind === 'groupPage') return this.pageItems(node);
    if (node) return [];
    return this.rootNodes();
  }

  private itemRows(projectNumber: number, items: readonly ProjectItem[]): ProjectItemNode[] {
    const options = this.model.board?.statusOptions ?? [];
    return items.map((item) => ({ kind: 'projectItem', projectNumber, statusOptions: options, item }));
  }

  /** The group's items as read so far (the group node may be older than the last page read). */
  private groupItems(status: string | undefined): readonly ProjectItem[] {
    return this.model.groups().find((g) => g.status === status)?.items ?? [];
  }

  private failed(node: StatusNode | GroupPageNode, error: DevOpsError): GitHubNode[] {
    const status = node.kind === 'status' ? node.group.status : node.status;
    return errorNodes(`${ID}-${node.projectNumber}-${status ?? ''}-${node.kind === 'groupPage' ? node.start : 'group'}`, 'Could not read more items', error, 'aiDevops.githubProjects.refresh');
  }

  /**
   * A large board's group when opened: its first page read if the pages so far hold less, then
   * its items in pages of GROUP_PAGE, and one page more while the project has items not read yet.
   * A group that fits one page and is read whole shows its items.
   */
  private async groupPages(node: StatusNode): Promise<GitHubNode[]> {
    const status = node.group.status;
    const error = this.groupItems(status).length < GROUP_PAGE ? await this.model.readGroup(status, GROUP_PAGE) : undefined;
    const items = this.groupItems(status);
    const rows: GitHubNode[] = error ? this.failed(node, error) : [];
    const more = !this.model.complete;
    if (items.length <= GROUP_PAGE && !more) return [...rows, ...this.itemRows(node.projectNumber, items)];
    const pages = more ? Math.floor(items.length / GROUP_PAGE) + 1 : Math.ceil(items.length / GROUP_PAGE);
    for (let p = 0; p < pages; p++) rows.push({ kind: 'groupPage', projectNumber: node.projectNumber, status, start: p * GROUP_PAGE, end: (p + 1) * GROUP_PAGE });
    return rows;
  }

  private async pageItems(node: GroupPageNode): Promise<GitHubNode[]> {
    const error = this.groupItems(node.status).length < node.end ? await this.model.readGroup(node.status, node.end) : undefined;
    const rows = this.itemRows(node.projectNumber, this.groupItems(node.status).slice(node.start, node.end));
    return error ? [...this.failed(node, error), ...rows] : rows;
  }

  /**
   * Where a row sits (TreeView.reveal asks for it): a group at the top, a page in its group, an
   * item in its page (large board) or its group.
   */
  getParent(node: GitHubNode): GitHubNode | undefined {
    if (node.kind === 'message' || node.kind === 'status') return undefined;
    const status = node.kind === 'groupPage' ? node.status : node.item.status?.trim() ? node.item.status : undefined;
    const group = this.rootNodes().find((n): n is StatusNode => n.kind === 'status' && (n.group.status ?? '').toLowerCase() === (status ?? '').toLowerCase());
    if (!group || node.kind === 'groupPage' || !this.model.large) return group;
    const at = group.group.items.findIndex((i) => i.itemId === node.item.itemId);
    if (at < 0) return group;
    const start = Math.floor(at / GROUP_PAGE) * GROUP_PAGE;
    return { kind: 'groupPage', projectNumber: node.projectNumber, status: group.group.status, start, end: start + GROUP_PAGE };
  }

  /** The view's top level: messages, or the board's Status groups. */
  rootNodes(): GitHubNode[] {
    const m = this.model;
    if (m.state === 'notConnected') {
      return [
        { kind: 'message', id: `${ID}-not-connected`, label: 'GitHub is not connected. Sign in, or check the owner and repository settings.', icon: { id: 'plug' } },
        { kind: 'message', id: `${ID}-sign-in`, label: 'Sign in', icon: { id: 'account' }, command: { command: 'aiDevops.signIn', title: 'Sign in' } },
        { kind: 'message', id: `${ID}-settings`, label: 'Open Settings', icon: { id: 'settings-gear' }, command: { command: 'aiDevops.openSettings', title: 'Open Settings' } },
      ];
    }
    if (m.state === 'noProject') {
      return [{ kind: 'message', id: `${ID}-pick`, label: 'Select a GitHub project to show its board', icon: { id: 'project' }, command: { command: 'aiDevops.githubProjects.selectProject', title: 'Select GitHub Project' } }];
    }
    if (m.state === 'loading') return [{ kind: 'message', id: `${ID}-loading`, label: 'Loading the project…', icon: { id: 'loading~spin' } }];
    const rows: GitHubNode[] = [];
    if (m.error) rows.push(...errorNodes(ID, m.state === 'error' ? 'Could not load the project' : 'Refresh failed (showing the last board)', m.error, 'aiDevops.githubProjects.refresh'));
    const board = m.board;
    if (m.state === 'error' || !board) return rows;
    rows.push(...m.groups().map((group): StatusNode => ({ kind: 'status', projectNumber: board.project.number, group })));
    return rows;
  }

  getTreeItem(node: GitHubNode): vscode.TreeItem {
    if (node.kind === 'message') return messageItem(node);
    if (node.kind === 'groupPage') {
      const read = this.groupItems(node.status).length;
      const item = new vscode.TreeItem(`Items ${(node.start + 1).toLocaleString('en-US')}–${Math.min(node.end, Math.max(read, node.start + 1)).toLocaleString('en-US')}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${ID}-${node.projectNumber}-status-${node.status ?? ''}-page-${node.start}`;
      if (read < node.end && !this.model.complete) item.description = 'more are read when opened';
      item.iconPath = new vscode.ThemeIcon('list-flat');
      return item;
    }
    if (node.kind === 'status') {
      const g = node.group;
      const large = this.model.large;
      // A large board's groups open one at a time (each reads its own pages); a small one's are open.
      const state = large ? vscode.TreeItemCollapsibleState.Collapsed : g.items.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
      const item = new vscode.TreeItem(g.label, state);
      item.id = `${ID}-${node.projectNumber}-status-${g.status ?? ''}`;
      // "40+": the items read so far; the project has more not read yet.
      item.description = `${g.items.length.toLocaleString('en-US')}${this.model.complete ? '' : '+'}${g.unknownOption ? ' · not an option of the Status field any more' : ''}`;
      item.iconPath = new vscode.ThemeIcon(g.status === undefined ? 'circle-slash' : 'circle-large-outline');
      item.contextValue = 'projectStatus';
      return item;
    }
    const p = node.item;
    const item = new vscode.TreeItem(projectItemLabel(p), vscode.TreeItemCollapsibleState.None);
    item.id = `${ID}-${node.projectNumber}-item-${p.itemId}`;
    item.description = projectItemDescription(p);
    const md = new vscode.MarkdownString(projectItemTooltip(p));
    md.isTrusted = false;
    md.supportHtml = false;
    item.tooltip = md;
    item.iconPath = themeIcon(projectItemIcon(p));
    item.contextValue = projectItemContextValue(p);
    return item;
  }
}

export const githubNodeLabel = (node: GitHubNode): string =>
  node.kind === 'message' ? node.label : node.kind === 'status' ? node.group.label : node.kind === 'groupPage' ? `Items ${node.start + 1}–${node.end}` : projectItemLabel(node.item);
