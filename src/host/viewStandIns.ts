import * as vscode from 'vscode';

/**
 * The sidebar's views from the first moment: activate() makes each contributed view's TreeView at
 * once with a provider that shows one "Loading…" row, so the sidebar never waits for the features'
 * chunk; the features then hand their real provider to the same TreeView (VS Code allows one
 * TreeView per id, so they cannot make their own). Imported by the small entry bundle: it uses
 * nothing but `vscode`.
 */
const LOADING: unique symbol = Symbol('loading');
type Element = unknown;

export class StandInTreeDataProvider implements vscode.TreeDataProvider<Element> {
  private real: vscode.TreeDataProvider<Element> | undefined;
  private readonly changed = new vscode.EventEmitter<Element | Element[] | undefined | null | void>();
  private forwarding: vscode.Disposable | undefined;
  readonly onDidChangeTreeData = this.changed.event;

  /** Hands the view to the real provider: its rows replace "Loading…" and its changes go through. */
  attach(real: vscode.TreeDataProvider<Element>): void {
    if (this.real) throw new Error('This view already has its provider.');
    this.real = real;
    this.forwarding = real.onDidChangeTreeData?.((e) => this.changed.fire(e));
    this.changed.fire(undefined);
  }

  get attached(): boolean {
    return this.real !== undefined;
  }

  /** This view already shows `provider` (attached ahead of the features: the Azure Boards tree's cached rows). */
  holds(provider: vscode.TreeDataProvider<Element>): boolean {
    return this.real === provider;
  }

  getTreeItem(element: Element): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (element === LOADING || !this.real) {
      const item = new vscode.TreeItem('Loading…', vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      return item;
    }
    return this.real.getTreeItem(element);
  }

  getChildren(element?: Element): vscode.ProviderResult<Element[]> {
    if (!this.real) return element === undefined ? [LOADING] : [];
    return this.real.getChildren(element);
  }

  // Always present, so TreeView.reveal works once the real provider (which may have it) is attached.
  getParent(element: Element): vscode.ProviderResult<Element> {
    return element === LOADING ? undefined : this.real?.getParent?.(element);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}

/** What the features make their tree views through: the stand-in's TreeView when activate() made one. */
export interface TreeViews {
  create<T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T>;
}

/** Every view of package.json `contributes.views` with a stand-in TreeView (the manifest VS Code already read). */
export function makeViewStandIns(context: vscode.ExtensionContext): TreeViews {
  const manifest = context.extension.packageJSON as { contributes?: { views?: Record<string, { id?: unknown; type?: unknown }[]> } };
  const standIns = new Map<string, { provider: StandInTreeDataProvider; view: vscode.TreeView<Element> }>();
  for (const views of Object.values(manifest.contributes?.views ?? {})) {
    for (const { id, type } of views) {
      if (typeof id !== 'string' || (type !== undefined && type !== 'tree')) continue;
      const provider = new StandInTreeDataProvider();
      const view = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true });
      context.subscriptions.push(view, provider);
      standIns.set(id, { provider, view });
    }
  }
  return {
    create<T>(id: string, provider: vscode.TreeDataProvider<T>): vscode.TreeView<T> {
      const standIn = standIns.get(id);
      if (standIn?.provider.holds(provider as vscode.TreeDataProvider<Element>)) return standIn.view as vscode.TreeView<T>;
      if (!standIn || standIn.provider.attached) return vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true });
      // The stand-in's elements are the real provider's from here on (the "Loading…" row is gone
      // with the refresh attach() fires), so the view is the real provider's TreeView<T>.
      standIn.provider.attach(provider as vscode.TreeDataProvider<Element>);
      return standIn.view as vscode.TreeView<T>;
    },
  };
}
