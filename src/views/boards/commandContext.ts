import * as vscode from 'vscode';
import { isOpenState } from '../../core/boards/boardTree';
import { addressFromReferenceArgument, type ItemAddress } from '../../core/boards/commandTarget';
import { descriptionLine, itemLabel } from '../../core/boards/itemPresentation';
import { type OutboxView, type ProjectTracker, type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { type AzureBoardsModel } from './azureBoardsModel';
import { type GitHubProjectsModel, type GitHubTracker } from './githubProjectsModel';
import { isProjectItemNode } from './githubProjectsTreeProvider';

/** What the boards commands work with; built by registerBoardsFeature. */
export interface BoardsCommandContext {
  readonly log: Logger;
  readonly workspaceRoot: string | undefined;
  readonly azure: () => WorkTracker | undefined;
  readonly github: () => GitHubTracker | undefined;
  readonly outbox: () => OutboxView | undefined;
  readonly azureModel: AzureBoardsModel;
  readonly githubModel: GitHubProjectsModel;
  /** Reloads both views from the trackers' caches (after a write). */
  readonly reload: () => Promise<void>;
}

/** The GitHub Project an item was picked from, for Status changes. */
export interface ProjectContext {
  readonly tracker: ProjectTracker;
  readonly number: number;
  readonly itemId: string;
  readonly statusOptions: readonly string[];
  readonly status: string | undefined;
}

export interface CommandTarget {
  readonly tracker: WorkTracker;
  readonly item: WorkItem;
  readonly project?: ProjectContext;
}

const trackerName = (tracker: ItemAddress['tracker']): string => (tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub');

function trackerFor(context: BoardsCommandContext, kind: ItemAddress['tracker']): WorkTracker {
  const tracker = kind === 'azureBoards' ? context.azure() : context.github();
  if (!tracker) throw new DevOpsError('notConfigured', `${trackerName(kind)} is not connected. Sign in, or set it up in Settings (or try the sandbox).`);
  return tracker;
}

const isItemNode = (value: unknown): value is { kind: 'item'; item: WorkItem } =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'item' && typeof (value as { item?: { id?: unknown } }).item?.id === 'number';

async function fetchItem(context: BoardsCommandContext, address: ItemAddress, signal?: AbortSignal): Promise<CommandTarget> {
  const tracker = trackerFor(context, address.tracker);
  const cached = address.tracker === 'azureBoards' ? context.azureModel.find(address.id) : undefined;
  if (cached) return { tracker, item: cached };
  const found = (await tracker.get([address.id], signal)).get(address.id);
  const key = address.tracker === 'azureBoards' ? `AB#${address.id}` : `${address.repository ?? ''}#${address.id}`;
  if (found === undefined) throw new DevOpsError('notFound', `${key} was not found in ${trackerName(address.tracker)}; it may have been deleted or moved.`);
  if (isDevOpsError(found)) throw found;
  if (address.repository && found.repository && found.repository.toLowerCase() !== address.repository.toLowerCase()) {
    throw new DevOpsError('notFound', `${key} is in another repository than the one set up (${found.repository}); open it on GitHub instead.`);
  }
  return { tracker, item: found };
}

/**
 * The item a command acts on: a node of either tree, a `{ reference, key }` from a TODO lens or
 * hover, or (from the palette) one the user picks among the loaded items.
 */
export async function resolveTarget(context: BoardsCommandContext, arg: unknown, purpose: string): Promise<CommandTarget | undefined> {
  if (isItemNode(arg)) return { tracker: trackerFor(context, arg.item.tracker), item: arg.item };
  if (isProjectItemNode(arg)) {
    const p = arg.item;
    if (p.number === undefined || p.contentType === 'draft') throw new DevOpsError('invalidInput', `"${p.title}" is a draft in the project, not an issue: convert it to an issue on GitHub first.`);
    const tracker = context.github();
    if (!tracker) throw new DevOpsError('notConfigured', 'GitHub is not connected. Sign in, or set it up in Settings.');
    const target = await fetchItem(context, { tracker: 'github', id: p.number, ...(p.repository ? { repository: p.repository } : {}) });
    return { ...target, project: { tracker, number: arg.projectNumber, itemId: p.itemId, statusOptions: arg.statusOptions, status: p.status } };
  }
  const address = addressFromReferenceArgument(arg);
  if (address) return fetchItem(context, address);
  if (arg !== undefined && arg !== null && !(arg instanceof vscode.Uri)) {
    context.log.warn(`A work item command got an argument it does not understand: ${typeof arg}`);
  }
  return pickItem(context, purpose);
}

/** Quick pick among the items the two views hold (my open ones first). */
export async function pickItem(context: BoardsCommandContext, purpose: string): Promise<CommandTarget | undefined> {
  const me = context.azureModel.currentUser;
  type Row = vscode.QuickPickItem & { target: () => Promise<CommandTarget> };
  const rows: Row[] = [];
  const azure = context.azure();
  if (azure) {
    const items = [...context.azureModel.items].filter((i) => isOpenState(i.state));
    items.sort((a, b) => Number(b.assignedTo === me) - Number(a.assignedTo === me) || b.id - a.id);
    for (const item of items) rows.push({ label: `$(azure-devops) ${itemLabel(item)}`, description: `${item.type} · ${descriptionLine(item)}`, target: async () => ({ tracker: azure, item }) });
  }
  const github = context.github();
  const board = context.githubModel.board;
  if (github && board) {
    for (const p of board.items) {
      if (p.number === undefined || (p.state ?? 'open').toLowerCase() !== 'open') continue;
      const number = p.number;
      rows.push({
        label: `$(github) #${number} ${p.title}`,
        description: `${p.repository ?? ''} · ${p.status ?? 'No Status'}`,
        target: async () => {
          const t = await fetchItem(context, { tracker: 'github', id: number, ...(p.repository ? { repository: p.repository } : {}) });
          return { ...t, project: { tracker: github, number: board.project.number, itemId: p.itemId, statusOptions: board.statusOptions, status: p.status } };
        },
      });
    }
  }
  if (rows.length === 0) {
    const none = !azure && !github ? 'No tracker is connected: sign in or try the sandbox first.' : 'No open work items are loaded; refresh the Azure Boards or GitHub Projects view.';
    void vscode.window.showInformationMessage(none);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(rows, { title: purpose, placeHolder: 'Work item', matchOnDescription: true });
  return pick ? pick.target() : undefined;
}

/** Shows a command's failure with the fix that goes with it. Cancellation is quiet. */
export async function showCommandError(error: unknown, log: Logger, what: string): Promise<void> {
  const e = isDevOpsError(error) ? error : new DevOpsError('unavailable', error instanceof Error ? error.message : String(error));
  if (e.code === 'cancelled') return;
  log.warn(`${what} failed: ${e.code}: ${e.message}`);
  const actions = e.code === 'unauthorized' || e.code === 'notConfigured' ? ['Sign In', 'Open Settings'] : e.code === 'forbidden' || e.code === 'notFound' ? ['Open Settings', 'Show Log'] : ['Show Log'];
  // Not awaited: the command finishes now; the toast's button runs its fix whenever it is clicked.
  void vscode.window.showErrorMessage(e.message, ...actions).then(async (pick) => {
    if (pick === 'Sign In') await vscode.commands.executeCommand('aiDevops.signIn');
    if (pick === 'Open Settings') await vscode.commands.executeCommand('aiDevops.openSettings');
    if (pick === 'Show Log') await vscode.commands.executeCommand('aiDevops.showLog');
  });
}

export const keyOf = (item: WorkItem): string => workItemKey(item);

export function abortSignal(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
