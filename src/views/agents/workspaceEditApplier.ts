import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { DevOpsError } from '../../core/errors';
import { type EditApplier, type PreparedEdit } from '../../agents/runtime/edits';

/**
 * Applies an agent's edits as one WorkspaceEdit, so Edit > Undo (and the Explorer's undo for new
 * files) takes the whole change back, open editors see it at once, and then saves the changed
 * documents so commands that follow (a test run) read the new content from disk.
 */
export class WorkspaceEditApplier implements EditApplier {
  async apply(edits: readonly PreparedEdit[], signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new DevOpsError('cancelled', 'Cancelled before the files were written; nothing was changed.');
    const edit = new vscode.WorkspaceEdit();
    const modified: vscode.TextDocument[] = [];
    for (const e of edits) {
      const uri = vscode.Uri.file(e.absolute);
      const metadata: vscode.WorkspaceEditEntryMetadata = { label: e.why ?? (e.original === undefined ? 'New file' : 'Change'), needsConfirmation: false };
      if (e.original === undefined) {
        edit.createFile(uri, { contents: Buffer.from(e.content, 'utf8'), overwrite: false, ignoreIfExists: false }, metadata);
      } else {
        const document = await vscode.workspace.openTextDocument(uri);
        if (document.isDirty) throw new DevOpsError('conflict', `${e.path} has unsaved changes in an editor. Save or revert them, then run the agent again; nothing was changed.`);
        modified.push(document);
        edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), e.content, metadata);
      }
    }
    if (!(await vscode.workspace.applyEdit(edit))) throw new DevOpsError('refused', 'VS Code did not apply the change (a file changed or is read-only); nothing was changed.');
    for (const document of modified) await document.save();
    for (const e of edits) {
      if (e.executable) await fs.chmod(e.absolute, 0o755).catch(() => undefined);
    }
  }
}
