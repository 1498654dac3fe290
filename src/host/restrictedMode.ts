import * as vscode from 'vscode';
import { RESTRICTED_MODE } from '../providers/git/workspaceGit';

/**
 * For commands that would start a process (git included): in Restricted Mode they stop before
 * anything runs and say why, with the way out. Their menu entries are also disabled by
 * `enablement: isWorkspaceTrusted`; this covers the webview's buttons and programmatic calls.
 */
export function refusedInRestrictedMode(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  const manage = 'Manage Workspace Trust';
  void vscode.window.showWarningMessage(`${what}: ${RESTRICTED_MODE}`, manage).then((pick) => {
    if (pick === manage) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return true;
}
