import * as vscode from 'vscode';
import { type FileApprovalRecords, type FileApprovals, type FileApprovalStorage, parseApprovalRecords, StoredFileApprovals } from '../core/approvals';
import { type DisposableStore } from './disposable';

const STATE_KEY = 'aiDevops.fileApprovals';
const SCHEME = 'ai-devops-approval';

/**
 * File approvals in the extension's globalState: per user and machine, outside every workspace,
 * so a repository cannot approve its own files (workspaceState or a file in the folder could be
 * shipped with it). Updates are queued so two prompts answered in one window do not lose one.
 */
export function globalStateFileApprovals(memento: vscode.Memento): FileApprovals {
  let queue: Promise<unknown> = Promise.resolve();
  const storage: FileApprovalStorage = {
    read: async () => parseApprovalRecords(memento.get<unknown>(STATE_KEY)),
    update: (change) => {
      const next = queue.then(async () => {
        const records: FileApprovalRecords = change(parseApprovalRecords(memento.get<unknown>(STATE_KEY)));
        await memento.update(STATE_KEY, records);
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
  return new StoredFileApprovals(storage);
}

export interface ApprovalRequest {
  readonly workspaceKey: string;
  readonly relativePath: string;
  /** The exact text that was parsed and hashed: what is shown is what gets approved. */
  readonly text: string;
  readonly sha256: string;
  /** What approving grants, e.g. "adds 3 command rules for agents (make, curl)". */
  readonly grants: string;
  readonly changedSinceApproval: boolean;
}

/** `again`: the user asked to review the file, so a content declined earlier in this window is asked about again. */
export type AskApproval = (request: ApprovalRequest, options?: { readonly again?: boolean }) => Promise<boolean>;

/**
 * The prompt: the file's text opens read-only beside the editor (the snapshot that was parsed, not
 * the file on disk, which could change in between), and a modal dialog carries the full text too and
 * asks. Approving records the hash of that snapshot. A file the user declined is not asked about
 * again in this window until its content changes.
 */
export function registerFileApprovalPrompt(scope: DisposableStore, approvals: FileApprovals): AskApproval {
  const snapshots = new Map<string, string>();
  const declined = new Set<string>();
  scope.add(vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => snapshots.get(uri.query) ?? '' }));
  return async (request, options = {}) => {
    const declinedKey = `${request.workspaceKey}\n${request.relativePath}\n${request.sha256}`;
    if (declined.has(declinedKey) && !options.again) return false;
    snapshots.set(request.sha256, request.text);
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${request.relativePath} (for approval)`, query: request.sha256 });
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
    } catch {
      // The dialog below carries the whole text as well.
    }
    const approve = 'Approve This Content';
    const message = request.changedSinceApproval
      ? `${request.relativePath} in this workspace changed since you approved it. Approve the new content? It ${request.grants}.`
      : `${request.relativePath} in this workspace ${request.grants}. Approve its content?`;
    const detail =
      'A repository can carry this file, so it counts only after you approve exactly this content; any change asks again. ' +
      `Until then it is ignored (the built-in rules still apply).\n\n${request.text}`;
    const pick = await vscode.window.showWarningMessage(message, { modal: true, detail }, approve);
    if (pick !== approve) {
      declined.add(declinedKey);
      return false;
    }
    await approvals.approve(request.workspaceKey, request.relativePath, request.sha256);
    return true;
  };
}
