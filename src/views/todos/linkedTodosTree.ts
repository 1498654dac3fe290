import * as vscode from 'vscode';
import { type LocatedTodo, type TodoTreeModel, type WorkItemGroup } from '../../core/todo/todoGroups';
import { commandArgument } from '../../core/todo/todoPresentation';

/** Nodes of the Linked TODOs view. `contextValue`s match the manifest's menus. */
export type TodoTreeNode =
  | { readonly kind: 'group'; readonly group: WorkItemGroup }
  | { readonly kind: 'folder'; readonly folder: 'stale' | 'unlinked' }
  | { readonly kind: 'todo'; readonly located: LocatedTodo; readonly state: 'linked' | 'stale' | 'unlinked'; readonly referenceIndex: number };

export const isTodoNode = (value: unknown): value is Extract<TodoTreeNode, { kind: 'todo' }> =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'todo' && 'located' in value;

const groupIcon = (group: WorkItemGroup): vscode.ThemeIcon => {
  const r = group.resolution;
  if (r === undefined) return new vscode.ThemeIcon('loading~spin');
  if (group.stale) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  if (r.kind === 'found') return new vscode.ThemeIcon('issues');
  return new vscode.ThemeIcon('question');
};

/** The view over the index's TODOs: grouped by work item, stale and unlinked apart. */
export class LinkedTodosTreeProvider implements vscode.TreeDataProvider<TodoTreeNode> {
  private readonly changed = new vscode.EventEmitter<TodoTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: () => TodoTreeModel) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: TodoTreeNode): TodoTreeNode[] {
    const model = this.model();
    if (node === undefined) {
      const top: TodoTreeNode[] = model.items.map((group) => ({ kind: 'group', group }));
      if (model.stale.length > 0) top.push({ kind: 'folder', folder: 'stale' });
      if (model.unlinked.length > 0) top.push({ kind: 'folder', folder: 'unlinked' });
      return top;
    }
    if (node.kind === 'folder') {
      return node.folder === 'stale'
        ? model.stale.map((group) => ({ kind: 'group', group }))
        : model.unlinked.map((located) => ({ kind: 'todo', located, state: 'unlinked', referenceIndex: -1 }));
    }
    if (node.kind === 'group') {
      return node.group.todos.map((located) => ({
        kind: 'todo',
        located,
        state: node.group.stale ? 'stale' : 'linked',
        referenceIndex: Math.max(0, located.todo.references.findIndex((r) => commandArgument(r.reference).key === node.group.key)),
      }));
    }
    return [];
  }

  getTreeItem(node: TodoTreeNode): vscode.TreeItem {
    const model = this.model();
    if (node.kind === 'folder') {
      const stale = node.folder === 'stale';
      const item = new vscode.TreeItem(stale ? 'Stale: work item finished or deleted' : 'Not linked to a work item', vscode.TreeItemCollapsibleState.Collapsed);
      const count = stale ? model.stale.reduce((n, g) => n + g.todos.length, 0) : model.unlinked.length;
      item.description = String(count);
      item.iconPath = new vscode.ThemeIcon(stale ? 'warning' : 'circle-large-outline');
      item.contextValue = stale ? 'todoFolder.stale' : 'todoFolder.unlinked';
      item.id = `folder:${node.folder}`;
      return item;
    }
    if (node.kind === 'group') {
      const { group } = node;
      const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${group.todos.length} TODO${group.todos.length === 1 ? '' : 's'}`;
      item.iconPath = groupIcon(group);
      item.contextValue = group.stale ? 'todoGroup.stale' : 'todoGroup.item';
      item.id = `group:${group.key}`;
      item.tooltip = group.resolution?.kind === 'error' ? group.resolution.error.message : group.label;
      return item;
    }
    const { located } = node;
    const todo = located.todo;
    const item = new vscode.TreeItem(`${todo.tag}: ${todo.title.length > 0 ? todo.title : todo.text}`, vscode.TreeItemCollapsibleState.None);
    item.description = `${located.relativePath}:${todo.line + 1}`;
    item.resourceUri = vscode.Uri.file(located.file);
    item.iconPath = new vscode.ThemeIcon(node.state === 'stale' ? 'warning' : node.state === 'unlinked' ? 'circle-large-outline' : 'check-all');
    item.contextValue = `todo.${node.state}`;
    item.tooltip = `${todo.tag} ${todo.text}\n${located.relativePath}:${todo.line + 1}`;
    item.command = { command: 'aiDevops.todo.open', title: 'Go to TODO', arguments: [{ uri: vscode.Uri.file(located.file).toString(), line: todo.line, character: todo.tagSpan.start }] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
