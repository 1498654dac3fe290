import * as vscode from 'vscode';
import { type AuditMirror } from '../../core/audit';
import { type Logger } from '../../core/host';
import { afterActivation } from '../../host/afterActivation';
import { type DisposableStore } from '../../host/disposable';
import { type TreeViews } from '../../host/viewStandIns';
import { FileAuditSink } from '../../providers/audit';
import { registerAuditCommands } from './auditCommands';
import { AuditTrailModel } from './auditTrailModel';
import { AuditTreeProvider } from './auditTreeProvider';

export interface AuditFeatureOptions {
  readonly workspaceRoot: string | undefined;
  /** The extension's storage: the trail's index and verified head are kept there, not in the workspace. */
  readonly storageDir: string;
  readonly log: Logger;
  /** Where the view's TreeView comes from (the stand-in activate() made). */
  readonly views: TreeViews;
  /** The Azure DevOps mirror, when the boards provider is connected and mirroring is on. */
  readonly mirror?: AuditMirror;
}

export interface AuditFeature {
  /** Where agents and providers append events. */
  readonly sink: FileAuditSink;
  /** The trail's index and pages, shared with the Agent Runs view and @devops. */
  readonly model: AuditTrailModel;
  /** Flushes and closes the trail and saves its index: call from deactivate. */
  close(): Promise<void>;
}

/** The audit trail's file sink, the Audit Trail view and its commands. */
export function registerAuditFeature(scope: DisposableStore, options: AuditFeatureOptions): AuditFeature {
  const sink = new FileAuditSink({ workspaceRoot: options.workspaceRoot, log: options.log, ...(options.mirror ? { mirror: options.mirror } : {}) });
  const model = scope.add(new AuditTrailModel(sink, options.log, options.storageDir, options.workspaceRoot));
  const provider = new AuditTreeProvider(model);
  scope.add(options.views.create('aiDevops.audit', provider), ...registerAuditCommands(model));
  const recovered = sink.onDidRecover((r) => {
    void vscode.window.showWarningMessage(`The audit trail's last line was cut off (the editor stopped mid-write). It was moved to ${vscode.workspace.asRelativePath(r.tornFile)}; earlier events are intact and the trail continues.`);
  });
  scope.add({ dispose: () => recovered.dispose() });
  if (options.workspaceRoot) {
    // Recover a torn line at start rather than at the first append (an append before then opens it
    // itself); errors are the next append's to report.
    afterActivation(options.log, 'Opening the audit trail', () => sink.open().catch((e: unknown) => options.log.warn(`Audit trail: ${e instanceof Error ? e.message : String(e)}`)));
  }
  // After activation: a large trail's index loads (or is built) then, the views show it when it is there.
  afterActivation(options.log, 'Loading the audit trail index', () => model.refresh());
  return {
    sink,
    model,
    close: async () => {
      await sink.close();
      await model.close();
    },
  };
}
