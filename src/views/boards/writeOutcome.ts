import * as vscode from 'vscode';
import { conflictText } from '../../core/boards/conflictText';
import { type WorkTracker, type WriteOutcome } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type WorkItem, workItemKey } from '../../core/workItem';

/** How a write ended, as the command reports it (and returns it to a caller such as a test). */
export type WriteResult = 'applied' | 'queued' | 'conflict' | 'refused' | 'discarded';

const MAX_OVERWRITE_ROUNDS = 3;

const trackerName = (item: WorkItem): string => (item.tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub');

/** The item as the service has it now: the conflict's copy, or a newer one from the tracker. */
async function reread(tracker: WorkTracker, remote: WorkItem): Promise<WorkItem> {
  const found = (await tracker.get([remote.id])).get(remote.id);
  if (found === undefined) throw new DevOpsError('notFound', `${workItemKey(remote)} is gone from ${trackerName(remote)}: it was deleted while you were editing it.`);
  if (isDevOpsError(found)) throw found;
  return found.rev >= remote.rev ? found : remote;
}

/**
 * Runs a write and tells the user how it ended. Queued: saved and sent later. Conflict: someone
 * changed the item meanwhile; a modal shows theirs against yours with "Open in Browser",
 * "Overwrite with Mine" (re-read the item, then apply the same change on top of it) and
 * "Discard Mine". Nothing is overwritten without that choice.
 */
export async function runWrite(
  tracker: WorkTracker,
  item: WorkItem,
  yours: string,
  attempt: (current: WorkItem) => Promise<WriteOutcome>,
  options: { readonly quietWhenApplied?: boolean; readonly appliedMessage?: (item: WorkItem) => string } = {},
): Promise<WriteResult> {
  let outcome = await attempt(item);
  for (let round = 0; ; round++) {
    if (outcome.kind === 'applied') {
      if (!options.quietWhenApplied) void vscode.window.showInformationMessage(options.appliedMessage?.(outcome.item) ?? `${workItemKey(outcome.item)}: ${yours} — done.`);
      return 'applied';
    }
    if (outcome.kind === 'queued') {
      void vscode.window.showInformationMessage(
        `${workItemKey(item)}: ${yours} — saved, will be sent when ${trackerName(item)} is reachable again (${outcome.reason}). The status bar shows what is waiting.`,
      );
      return 'queued';
    }
    if (outcome.kind === 'refused') {
      void vscode.window.showErrorMessage(`${workItemKey(item)}: ${trackerName(item)} refused to ${yours}: ${outcome.message}`);
      return 'refused';
    }
    const { remote } = outcome;
    const text = conflictText(remote, yours, outcome.message, outcome.fields);
    for (;;) {
      const overwrite = round < MAX_OVERWRITE_ROUNDS ? ['Overwrite with Mine'] : [];
      const pick = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, 'Open in Browser', ...overwrite, 'Discard Mine');
      if (pick === 'Open in Browser') {
        await vscode.env.openExternal(vscode.Uri.parse(remote.url));
        continue;
      }
      if (pick === 'Discard Mine') {
        void vscode.window.showInformationMessage(`${workItemKey(remote)}: kept the version on ${trackerName(remote)}; your change was not sent.`);
        return 'discarded';
      }
      if (pick === 'Overwrite with Mine') break;
      // Dismissed: nothing sent, the view shows the item as the service has it.
      return 'conflict';
    }
    const fresh = await reread(tracker, remote);
    outcome = await attempt(fresh);
  }
}
