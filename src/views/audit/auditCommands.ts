import path from 'node:path';
import * as vscode from 'vscode';
import { isDevOpsError } from '../../core/errors';
import { AUDIT_DIR, listAuditFiles, type VerifyRun } from '../../providers/audit';
import { type AuditTrailModel } from './auditTrailModel';

const KIND_TEXT: Readonly<Record<string, string>> = {
  edited: 'an edited event',
  dropped: 'missing events',
  reordered: 'events out of order',
  duplicated: 'a repeated event',
  torn: 'a line cut off mid-write',
  invalidJson: 'a line that is not JSON',
};

const n = (x: number): string => x.toLocaleString('en-US');
const events = (x: number): string => `${n(x)} event${x === 1 ? '' : 's'}`;
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(bytes < 10 * 1048576 ? 1 : 0)} MB`;

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

/** What the Verify command returns (for other commands and tests): the outcome, or why nothing was verified. */
export type VerifyCommandResult = (Pick<VerifyRun, 'mode' | 'fellBack'> & { readonly checked: number; readonly result: VerifyRun['report']['result'] }) | { readonly cancelled: true } | undefined;

/**
 * Verify: the events written since the last verify (the remembered head), or every event when
 * asked (`{ full: true }`, the "Verify All Events" button) or when there is no head to go on
 * from. In the background, with progress and Cancel; one at a time.
 */
function verifyCommand(model: AuditTrailModel): (options?: { full?: unknown }) => Promise<VerifyCommandResult> {
  let running: Promise<VerifyCommandResult> | undefined;
  const run = async (full: boolean): Promise<VerifyCommandResult> => {
    const verifier = model.verifier;
    if (!model.sink.directory || !verifier) {
      await noFolder();
      return undefined;
    }
    await model.sink.flush();
    let outcome: VerifyRun;
    try {
      outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: full ? 'Verifying every event of the audit trail' : 'Verifying the audit trail', cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          let shown = 0;
          try {
            return await verifier.verify({
              full,
              signal: controller.signal,
              onProgress: (done, total) => {
                const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
                if (percent <= shown) return;
                progress.report({ increment: percent - shown, message: `${mb(done)} of ${mb(total)}` });
                shown = percent;
              },
            });
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (e) {
      if (isDevOpsError(e) && e.code === 'cancelled') {
        void vscode.window.showInformationMessage('Verification cancelled. Nothing was changed; the next Verify starts again from the last verified event.');
        return { cancelled: true };
      }
      throw e;
    }
    void report(outcome);
    return { mode: outcome.mode, ...(outcome.fellBack ? { fellBack: outcome.fellBack } : {}), checked: outcome.report.checked, result: outcome.report.result };
  };
  const report = async (outcome: VerifyRun): Promise<void> => {
    const r = outcome.report.result;
    if (r.ok) {
      if (r.count === 0) {
        void vscode.window.showInformationMessage('The audit trail is empty: nothing to verify.');
        return;
      }
      const intact = `chain intact (head ${r.head.slice(0, 12)}…)`;
      if (outcome.mode === 'incremental') {
        const text = `Audit trail verified: ${outcome.report.checked === 0 ? 'no new events' : events(outcome.report.checked) + ' new'} since the last check, ${n(r.count)} in all, ${intact}. Events before the last check were not read again.`;
        if ((await vscode.window.showInformationMessage(text, 'Verify All Events')) === 'Verify All Events') await start(true);
        return;
      }
      const why = outcome.fellBack ? ` (every event was read: ${outcome.fellBack})` : '';
      void vscode.window.showInformationMessage(`Audit trail verified: ${events(r.count)} in ${n(r.files)} file${r.files === 1 ? '' : 's'}, ${intact}${why}.`);
      return;
    }
    const where = `line ${r.line} of ${path.basename(r.file)}`;
    const pick = await vscode.window.showWarningMessage(
      `The audit trail is damaged: ${KIND_TEXT[r.kind] ?? r.kind} at ${where}. ${r.detail} The ${n(Math.max(0, r.count))} events before it verify.`,
      { modal: false },
      'Open at Line',
    );
    if (pick) await openAt(r.file, r.line);
  };
  const start = (full: boolean): Promise<VerifyCommandResult> => {
    if (running) {
      void vscode.window.showInformationMessage('The audit trail is being verified already; its progress is in the notification.');
      return running;
    }
    running = run(full).finally(() => {
      running = undefined;
    });
    return running;
  };
  return (options) => start(options?.full === true);
}

/** Verify Audit Trail, Refresh Audit Trail, Open Audit Log File, Show More. */
export function registerAuditCommands(model: AuditTrailModel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aiDevops.audit.verify', verifyCommand(model)),
    vscode.commands.registerCommand('aiDevops.audit.refresh', () => model.refresh()),
    vscode.commands.registerCommand('aiDevops.audit.showMore', () => model.showMore('groups')),
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
