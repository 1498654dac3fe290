import * as vscode from 'vscode';
import { projectItemContextValue, projectItemDescription, projectItemIcon, projectItemLabel, projectItemTooltip } from '../../core/boards/itemPresentation';
import { type StatusGroup } from '../../core/boards/projectBoard';
import { type ProjectItem } from '../../core/boards/workTracker';
import { errorNodes, messageItem, type MessageNode, themeIcon } from './boardNodes';
import { type GitHubProjectsModel } from './githubProjectsModel';

const ID = 'github';

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

export type GitHubNode = StatusNode | ProjectItemNode | MessageNode;

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
    return b ? `#${b.project.number} ${b.project.title}` : '';
  }

  getChildren(node?: GitHubNode): GitHubNode[] {
    if (node?.kind === 'status') {
      const options = this.model.board?.statusOptions ?? [];
      return node.group.items.map((item) => ({ kind: 'projectItem', projectNumber: node.projectNumber, statusOptions: options, item }));
    }
    if (node) return [];
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
    if (node.kind === 'status') {
      const g = node.group;
      const item = new vscode.TreeItem(g.label, g.items.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = `${ID}-${node.projectNumber}-status-${g.status ?? ''}`;
      item.description = `${g.items.length}${g.unknownOption ? ' · not an option of the Status field any more' : ''}`;
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

export const githubNodeLabel = (node: GitHubNode): string => (node.kind === 'message' ? node.label : node.kind === 'status' ? node.group.label : projectItemLabel(node.item));
