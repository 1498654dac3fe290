import * as vscode from 'vscode';
import { type PendingDeployment, type PendingDeploymentList } from '../../core/release/pendingDeployments';

export const PENDING_APPROVALS_VIEW = 'aiDevops.pendingApprovals';
export const REFRESH_PENDING_APPROVALS = 'aiDevops.release.pendingApprovals.refresh';

/** A row: a deployment waiting for approval, a backend that could not be read, or the whole list failing. */
export type PendingNode = { readonly kind: 'pending'; readonly pending: PendingDeployment } | { readonly kind: 'problem'; readonly message: string };

const when = (iso: string): string => iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC').replace(/:\d\d UTC$/, ' UTC');

/**
 * The Pending Approvals view: one row per deployment waiting for an approval in the connected
 * Azure DevOps project and GitHub repository (the release agent's pendingDeployments reader),
 * read when the view is first shown, on Refresh and after an answer. Approve and Reject on a row
 * run the palette command's plan step (aiDevops.agents.releaseApprovals with the row's id), so the
 * approval policy, the executor and the audit trail are the same. A backend that cannot be read is
 * a row saying why; an empty list is the view's welcome text.
 */
export class PendingApprovalsTree implements vscode.TreeDataProvider<PendingNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PendingNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes: Promise<PendingNode[]> | undefined;
  private cancel: vscode.CancellationTokenSource | undefined;

  constructor(private readonly list: (signal: AbortSignal) => Promise<PendingDeploymentList>) {}

  /** Reads the list again and redraws the view; resolves with the rows. */
  refresh(): Promise<PendingNode[]> {
    this.cancel?.cancel();
    this.nodes = undefined;
    this.changed.fire(undefined);
    return this.read();
  }

  private read(): Promise<PendingNode[]> {
    if (this.nodes) return this.nodes;
    const cancel = (this.cancel = new vscode.CancellationTokenSource());
    const controller = new AbortController();
    cancel.token.onCancellationRequested(() => controller.abort());
    this.nodes = this.list(controller.signal).then(
      (read): PendingNode[] => [...read.problems.map((message): PendingNode => ({ kind: 'problem', message })), ...read.items.map((pending): PendingNode => ({ kind: 'pending', pending }))],
      (error: unknown): PendingNode[] => [{ kind: 'problem', message: `The pending approvals could not be listed: ${error instanceof Error ? error.message : String(error)}` }],
    );
    return this.nodes;
  }

  getChildren(element?: PendingNode): Promise<PendingNode[]> | PendingNode[] {
    return element ? [] : this.read();
  }

  getTreeItem(node: PendingNode): vscode.TreeItem {
    if (node.kind === 'problem') {
      const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = `${node.message}\n\nCheck the connection (AI DevOps: Sign In) and click to try again.`;
      item.command = { command: REFRESH_PENDING_APPROVALS, title: 'Refresh' };
      item.contextValue = 'pendingApprovalProblem';
      return item;
    }
    const p = node.pending;
    const ref = p.ref.replace(/^refs\/(heads|tags)\//, '');
    const item = new vscode.TreeItem(p.stage && p.stage !== p.environment ? `${p.environment} (${p.stage})` : p.environment, vscode.TreeItemCollapsibleState.None);
    item.id = `pending:${p.provider}:${p.id}`;
    item.description = [`${p.pipelineName} run ${p.runName}${ref ? ` (${ref})` : ''}`, p.waitingSince ? `since ${when(p.waitingSince)}` : undefined, p.approvers.length ? `approvers: ${p.approvers.join(', ')}` : undefined].filter(Boolean).join(' · ');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${p.environment}** · ${p.provider === 'github' ? 'GitHub environment' : 'Azure Pipelines'}\n\n`);
    tooltip.appendText(`${p.pipelineName} run ${p.runName}${ref ? ` for ${ref}` : ''}${p.requestedBy ? `, started by ${p.requestedBy}` : ''}\n`);
    if (p.waitingSince) tooltip.appendText(`Waiting since ${when(p.waitingSince)}\n`);
    tooltip.appendText(p.approvers.length ? `Approvers: ${p.approvers.join(', ')}${p.canAnswer === false ? ' (not you)' : ''}\n` : 'Approvers: not named by the service\n');
    if (p.instructions) tooltip.appendText(`Instructions: ${p.instructions}\n`);
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(p.canAnswer === false ? 'lock' : 'rocket');
    // `pendingApproval`: Approve and Reject inline; `pendingApproval.notYou`: the service says you may not answer it.
    item.contextValue = p.canAnswer === false ? 'pendingApproval.notYou' : 'pendingApproval';
    return item;
  }

  dispose(): void {
    this.cancel?.cancel();
    this.changed.dispose();
  }
}
