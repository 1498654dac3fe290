import * as vscode from 'vscode';
import { lifecycleNotices, type LifecycleNotice } from '../../core/boards/lifecycleNotices';
import { type Logger } from '../../core/host';
import { type WorkItem } from '../../core/workItem';
import { type AzureBoardsModel } from './azureBoardsModel';

/** More notices than this from one refresh become one message (a bulk edit is not ten toasts). */
const MAX_NOTICES = 3;

/**
 * Watches the Azure Boards list for items newly assigned to me or entering Ready (the tree's
 * refresh, compared with what it showed before) and offers the agent that fits each through
 * *Hand to an Agent…*; nothing runs unless the person chooses it.
 */
export function watchLifecycleNotices(model: AzureBoardsModel, log: Logger): vscode.Disposable {
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
