import path from 'node:path';
import * as vscode from 'vscode';
import { AUDIT_DIR, listAuditFiles, verifyTrail } from '../../providers/audit';
import { type AuditTrailModel } from './auditTrailModel';

const KIND_TEXT: Readonly<Record<string, string>> = {
  edited: 'an edited event',
  dropped: 'missing events',
  reordered: 'events out of order',
  duplicated: 'a repeated event',
  torn: 'a line cut off mid-write',
  invalidJson: 'a line that is not JSON',
};

async function openAt(file: string, line?: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const at = line === undefined ? doc.lineCount - 1 : Math.max(0, Math.min(line - 1, doc.lineCount - 1));
  const range = doc.lineAt(at).range;
  await vscode.window.showTextDocument(doc, { selection: range, preview: true });
}

async function noFolder(): Promise<void> {
  const pick = await vscode.window.showWarningMessage(`Open a folder first: the audit trail lives in the workspace under ${AUDIT_DIR}.`, 'Open Folder');
  if (pick) await vscode.commands.executeCommand('workbench.action.files.openFolder');
}

/** Verify Audit Trail, Refresh Audit Trail, Open Audit Log File. */
export function registerAuditCommands(model: AuditTrailModel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aiDevops.audit.verify', async () => {
      const dir = model.sink.directory;
      if (!dir) return noFolder();
      await model.sink.flush();
      const result = await vscode.window.withProgress({ location: { viewId: 'aiDevops.audit' }, title: 'Verifying the audit trail' }, () => verifyTrail(dir));
      if (result.ok) {
        const what = result.count === 0 ? 'The audit trail is empty: nothing to verify.' : `Audit trail verified: ${result.count} event${result.count === 1 ? '' : 's'} in ${result.files} file${result.files === 1 ? '' : 's'}, chain intact (head ${result.head.slice(0, 12)}…).`;
        void vscode.window.showInformationMessage(what);
        return;
      }
      const where = `line ${result.line} of ${path.basename(result.file)}`;
      const pick = await vscode.window.showWarningMessage(
        `The audit trail is damaged: ${KIND_TEXT[result.kind] ?? result.kind} at ${where}. ${result.detail} The ${result.count} events before it verify.`,
        { modal: false },
        'Open at Line',
      );
      if (pick) await openAt(result.file, result.line);
    }),
    vscode.commands.registerCommand('aiDevops.audit.refresh', () => model.refresh()),
    vscode.commands.registerCommand('aiDevops.audit.openLog', async (target?: { file?: unknown; line?: unknown }) => {
      const dir = model.sink.directory;
      if (!dir) return noFolder();
      if (target && typeof target.file === 'string') return openAt(target.file, typeof target.line === 'number' ? target.line : undefined);
      const files = await listAuditFiles(dir);
      const newest = files[files.length - 1];
      if (!newest) {
        void vscode.window.showInformationMessage(`The audit trail is empty: no event has been recorded under ${AUDIT_DIR} yet.`);
        return;
      }
      await openAt(newest);
    }),
  ];
}
