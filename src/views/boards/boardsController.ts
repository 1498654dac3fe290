import * as vscode from 'vscode';
import { filterLabel } from '../../core/boards/boardTree';
import { type TreeViews } from '../../host/viewStandIns';
import { parsePreferences, PREFERENCES_KEY, type ViewPreferences } from '../../core/boards/viewPreferences';
import { type AzureBoardsModel, type ViewSummary } from './azureBoardsModel';
import { AZURE_VIEW, type AzureBoardsTreeProvider } from './azureBoardsTreeProvider';
import { type AzureNode, nodeLabel } from './boardNodes';
import { type GitHubProjectsModel } from './githubProjectsModel';
import { githubNodeLabel, type GitHubNode, type GitHubProjectsTreeProvider, type StatusNode } from './githubProjectsTreeProvider';
import { DevOpsError } from '../../core/errors';

export interface GitHubViewSummary extends ViewSummary {
  readonly groups: readonly { readonly label: string; readonly count: string; readonly open: boolean }[];
  readonly description?: string;
}

export const GITHUB_VIEW = 'aiDevops.githubProjects';

/**
 * Owns the two tree views and what they share: the remembered filter/grouping/project
 * (workspaceState), refreshes with progress on the view, the title descriptions and the badge.
 */
export class BoardsController implements vscode.Disposable {
  private prefs: ViewPreferences;
  readonly azureView: vscode.TreeView<AzureNode>;
  readonly githubView: vscode.TreeView<GitHubNode>;
  private readonly disposables: vscode.Disposable[] = [];
  /** The GitHub view's Status groups open on screen, by tree id (VS Code tells expands and collapses). */
  private readonly openGroups = new Set<string>();

  constructor(
    private readonly memento: vscode.Memento,
    readonly azureModel: AzureBoardsModel,
    private readonly azureTree: AzureBoardsTreeProvider,
    readonly githubModel: GitHubProjectsModel,
    private readonly githubTree: GitHubProjectsTreeProvider,
    private readonly settingsProject: () => number | undefined,
    views: TreeViews,
  ) {
    this.prefs = parsePreferences(memento.get(PREFERENCES_KEY));
    this.azureView = views.create(AZURE_VIEW, azureTree);
    this.githubView = views.create(GITHUB_VIEW, githubTree);
    this.disposables.push(
      this.azureView,
      this.githubView,
      azureModel.onDidChange(() => this.decorateAzure()),
      githubModel.onDidChange(() => this.decorateGitHub()),
      this.githubView.onDidExpandElement((e) => e.element.kind === 'status' && this.openGroups.add(this.githubTree.getTreeItem(e.element).id ?? '')),
      this.githubView.onDidCollapseElement((e) => e.element.kind === 'status' && this.openGroups.delete(this.githubTree.getTreeItem(e.element).id ?? '')),
    );
    this.decorateAzure();
    this.decorateGitHub();
  }

  get preferences(): ViewPreferences {
    return this.prefs;
  }

  /** The GitHub project shown: the one picked in the view, else the setting. */
  projectNumber(): number | undefined {
    return this.prefs.githubProject ?? this.settingsProject();
  }

  async setPreferences(change: Partial<ViewPreferences>): Promise<void> {
    this.prefs = { ...this.prefs, ...change };
    await this.memento.update(PREFERENCES_KEY, this.prefs);
    this.decorateAzure();
  }

  private decorateAzure(): void {
    this.azureView.description = this.azureModel.state === 'loaded' ? this.azureTree.description() : undefined;
    const count = this.azureModel.badgeCount();
    this.azureView.badge = count > 0 ? { value: count, tooltip: `${count} open work item${count === 1 ? '' : 's'} assigned to you` } : undefined;
    this.azureView.message = this.azureModel.state === 'loaded' && this.azureModel.syncedAt === undefined && this.azureModel.isRefreshing ? 'Syncing with Azure Boards…' : undefined;
  }

  private decorateGitHub(): void {
    this.githubView.description = this.githubTree.description() || undefined;
  }

  /**
   * Reloads from the cache and, with `refresh`, asks the service, showing progress on the view;
   * `reconcile` (the user's own Refresh) also asks each list again, so deleted items go.
   */
  async refreshAzure(refresh: boolean, options: { full?: boolean; reconcile?: boolean } = {}): Promise<ViewSummary> {
    await this.azureModel.load({ refresh, ...options, report: (work) => void vscode.window.withProgress({ location: { viewId: AZURE_VIEW } }, () => work) });
    return this.azureSummary();
  }

  async refreshGitHub(refresh: boolean): Promise<GitHubViewSummary> {
    await this.githubModel.load({ refresh, report: (work) => void vscode.window.withProgress({ location: { viewId: GITHUB_VIEW } }, () => work) });
    return this.githubSummary();
  }

  /**
   * Shows a Status group of the GitHub view open (its label or status; asked for when not given):
   * the view reveals and expands it, which reads the group's first page on a large board. Resolves
   * with what the view shows once that page is read.
   */
  async openGitHubGroup(given?: string): Promise<GitHubViewSummary | undefined> {
    const groups = this.githubTree.rootNodes().filter((n): n is StatusNode => n.kind === 'status');
    if (groups.length === 0) {
      void vscode.window.showInformationMessage('The GitHub Projects view shows no Status groups yet: select a project, or wait until it is loaded.');
      return undefined;
    }
    const wanted = given?.trim().toLowerCase();
    let node = wanted === undefined ? undefined : groups.find((g) => g.group.label.toLowerCase() === wanted || (g.group.status ?? '').toLowerCase() === wanted);
    if (given !== undefined && !node) throw new DevOpsError('invalidInput', `The board has no Status group "${given}"; its groups are ${groups.map((g) => `"${g.group.label}"`).join(', ')}.`);
    if (!node) {
      const pick = await vscode.window.showQuickPick(
        groups.map((g) => ({ label: g.group.label, description: this.githubTree.getTreeItem(g).description as string | undefined, node: g })),
        { title: 'Open which Status group?' },
      );
      node = pick?.node;
    }
    if (!node) return undefined;
    await this.githubView.reveal(node, { expand: true, select: true, focus: true });
    // Expanding asks the tree for the group's rows, which read its first page on a large board.
    await this.githubTree.getChildren(node);
    return this.githubSummary();
  }

  /**
   * What the GitHub view shows at the top level: message rows as they read, status groups with
   * their counts; and as VS Code shows them, each group's count ("40+" while the board is read in
   * part) and whether it is open, with the view's description ("100 of 2,504 items read").
   */
  githubSummary(): GitHubViewSummary {
    const roots = this.githubTree.rootNodes();
    const topLevel = roots.map((n) => (n.kind === 'status' ? `${n.group.label} (${n.group.items.length})` : githubNodeLabel(n)));
    const groups = roots.flatMap((n) => {
      if (n.kind !== 'status') return [];
      const item = this.githubTree.getTreeItem(n);
      const open = this.openGroups.has(item.id ?? '') || (!this.githubModel.large && item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded);
      return [{ label: n.group.label, count: typeof item.description === 'string' ? item.description : '', open }];
    });
    return { ...this.githubModel.summary(), topLevel, groups, ...(this.githubView.description ? { description: this.githubView.description } : {}) };
  }

  azureSummary(): ViewSummary & { readonly filter: string; readonly groupBy: string } {
    // The rows as the tree shows them, error and fix rows included.
    const topLevel = this.azureTree.roots().map(nodeLabel);
    return { ...this.azureModel.summary(nodeLabel), topLevel, filter: filterLabel(this.prefs.filter), groupBy: this.prefs.groupBy };
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
