import * as vscode from 'vscode';
import { lifecycleNotices, type LifecycleNotice } from '../../core/boards/lifecycleNotices';
import { type Logger } from '../../core/host';
import { type AttentionEntry } from '../../core/lifecycle/attention';
import { type WorkItem } from '../../core/workItem';
import { type AzureBoardsModel } from './azureBoardsModel';

/** More notices than this from one refresh become one message (a bulk edit is not ten toasts). */
const MAX_NOTICES = 3;

/**
 * Watches the Azure Boards list for items newly assigned to me or entering Ready (the tree's
 * refresh, compared with what it showed before) and offers the agent that fits each through
 * *Hand to an Agent…*; nothing runs unless the person chooses it.
 */
export function watchLifecycleNotices(model: AzureBoardsModel, log: Logger, undecided?: (entries: readonly AttentionEntry[]) => Promise<void>): vscode.Disposable {
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
    log.info(`Work item changes to offer an agent for: ${notices.map((n) => `AB#${n.item.id} (${n.reason})`).join(', ')}.`);
    if (notices.length > MAX_NOTICES) {
      void vscode.window.showInformationMessage(`AI DevOps: ${notices.length} work items were assigned to you or entered Ready. Use Hand to an Agent… on any of them in the Azure Boards view.`, 'Show Azure Boards').then((choice) => {
        if (choice) void vscode.commands.executeCommand('aiDevops.boards.focus');
      });
      return;
    }
    for (const notice of notices) void offer(notice);
  });
}

async function offer(notice: LifecycleNotice): Promise<void> {
  const hand = notice.agent ? `Hand to the ${notice.agent.label}` : 'Hand to an Agent…';
  const choice = await vscode.window.showInformationMessage(`AI DevOps: ${notice.message}`, hand, 'Show Details');
  const node = { kind: 'item', item: notice.item };
  if (choice === hand) await vscode.commands.executeCommand('aiDevops.workItem.handToAgent', node, notice.agent ? { agent: notice.agent.agent } : undefined);
  else if (choice === 'Show Details') await vscode.commands.executeCommand('aiDevops.workItem.showDetails', node);
}
