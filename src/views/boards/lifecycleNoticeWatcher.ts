import * as vscode from 'vscode';
import { lifecycleNotices } from '../../core/boards/lifecycleNotices';
import { projectItemKey, projectNotices } from '../../core/boards/projectNotices';
import { type ProjectItem } from '../../core/boards/workTracker';
import { type Logger } from '../../core/host';
import { type AttentionEntry } from '../../core/lifecycle/attention';
import { type WorkItem } from '../../core/workItem';
import { type AzureBoardsModel } from './azureBoardsModel';
import { type GitHubProjectsModel } from './githubProjectsModel';
import { type ProjectItemNode } from './githubProjectsTreeProvider';

/** More notices than this from one refresh become one message (a bulk edit is not ten toasts). */
const MAX_NOTICES = 3;

/** What a notice shows and hands on: the tree node *Hand to an Agent…* and *Show Details* take. */
interface Offer {
  readonly message: string;
  readonly node: unknown;
  readonly agent?: { readonly agent: string; readonly label: string };
}

/**
 * Watches the Azure Boards list for items newly assigned to me or entering Ready (the tree's
 * refresh, compared with what it showed before) and offers the agent that fits each through
 * *Hand to an Agent…*; nothing runs unless the person chooses it. `enabled`:
 * aiDevops.planning.changeNotices (off: the snapshots are still kept, so turning it on raises
 * only what changes after).
 */
export function watchLifecycleNotices(model: AzureBoardsModel, enabled: () => boolean, log: Logger, undecided?: (entries: readonly AttentionEntry[]) => Promise<void>): vscode.Disposable {
  let seen: Map<number, WorkItem> | undefined;
  return model.onDidChange(() => {
    // A list too large to read whole is compared by nothing (its items are read a page at a time).
    if (model.state !== 'loaded' || model.byIdRange) return;
    const items = model.items;
    const before = seen;
    seen = new Map(items.map((i) => [i.id, i]));
    if (!before) return;
    const notices = lifecycleNotices(before, items, model.currentUser);
    if (notices.length === 0) return;
    // Nothing in the item points at one agent: offered all four, and kept for /status (no guess).
    const open = notices.filter((n) => !n.agent).map((n): AttentionEntry => ({ id: `ambiguousHandOff:azureBoards:${n.item.id}`, kind: 'ambiguousHandOff', at: new Date().toISOString(), item: `AB#${n.item.id}`, what: `${n.message} Nothing in it points at one agent.`.slice(0, 2000), todo: `Choose one with Hand to an Agent… on AB#${n.item.id} (or break it down with the planner first).` }));
    if (open.length && undecided) void undecided(open).catch((error: unknown) => log.warn(`Could not keep the undecided hand-offs: ${error instanceof Error ? error.message : String(error)}`));
    // aiDevops.planning.changeNotices off: the undecided ones are still kept for /status, nothing is raised.
    if (!enabled()) return;
    log.info(`Work item changes to offer an agent for: ${notices.map((n) => `AB#${n.item.id} (${n.reason})`).join(', ')}.`);
    raise(
      notices.map((n) => ({ message: n.message, node: { kind: 'item', item: n.item }, ...(n.agent ? { agent: n.agent } : {}) })),
      'work items',
      'Azure Boards',
      'aiDevops.boards.focus',
    );
  });
}

/**
 * The same for the GitHub Projects board: issues and pull requests newly assigned to the signed-in
 * user (`me`: their login, read once per sign-in by the tracker) or moved into the Project's Ready
 * status. A board too large to read whole, or another Project picked, starts a new baseline.
 */
export function watchProjectNotices(model: GitHubProjectsModel, me: () => Promise<string | undefined>, enabled: () => boolean, log: Logger): vscode.Disposable {
  let seen: { project: number; items: Map<string, ProjectItem> } | undefined;
  return model.onDidChange(() => {
    const board = model.board;
    if (model.state !== 'loaded' || !board || model.large) return;
    const before = seen?.project === board.project.number ? seen.items : undefined;
    seen = { project: board.project.number, items: new Map(board.items.map((i) => [i.itemId, i])) };
    // Unchanged objects: the same read seen again (the view fires at a refresh's start and end).
    if (!before || !enabled() || board.items.every((i) => before.get(i.itemId) === i)) return;
    const statusOptions = board.statusOptions;
    const project = board.project.number;
    void me()
      .catch(() => undefined)
      .then((login) => {
        const notices = projectNotices(before, board.items, login, statusOptions);
        if (notices.length === 0) return;
        log.info(`GitHub Project ${project} changes to offer an agent for: ${notices.map((n) => `${projectItemKey(n.item)} (${n.reason})`).join(', ')}.`);
        raise(
          notices.map((n) => {
            const node: ProjectItemNode = { kind: 'projectItem', projectNumber: project, statusOptions, item: n.item };
            return { message: n.message, node, ...(n.agent ? { agent: n.agent } : {}) };
          }),
          'issues',
          'GitHub Projects',
          'aiDevops.githubProjects.focus',
        );
      });
  });
}

function raise(offers: readonly Offer[], what: string, view: string, focus: string): void {
  if (offers.length > MAX_NOTICES) {
    const show = `Show ${view}`;
    void vscode.window.showInformationMessage(`AI DevOps: ${offers.length} ${what} were assigned to you or entered Ready. Use Hand to an Agent… on any of them in the ${view} view.`, show).then((choice) => {
      if (choice) void vscode.commands.executeCommand(focus);
    });
    return;
  }
  for (const offer of offers) void ask(offer);
}

async function ask(offer: Offer): Promise<void> {
  const hand = offer.agent ? `Hand to the ${offer.agent.label}` : 'Hand to an Agent…';
  const choice = await vscode.window.showInformationMessage(`AI DevOps: ${offer.message}`, hand, 'Show Details');
  if (choice === hand) await vscode.commands.executeCommand('aiDevops.workItem.handToAgent', offer.node, offer.agent ? { agent: offer.agent.agent } : undefined);
  else if (choice === 'Show Details') await vscode.commands.executeCommand('aiDevops.workItem.showDetails', offer.node);
}
