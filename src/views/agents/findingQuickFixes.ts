import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { findingOf } from './findingsDiagnostics';

/**
 * Quick fixes for agents' findings that carry a fix (the hardening rules' exact edits): offered on
 * the diagnostic, applied as one undoable edit of the document. A fix is made against the file as
 * the agent read it; when the document has changed since, no stale fix is offered.
 */
export class FindingQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const current = createHash('sha256').update(document.getText(), 'utf8').digest('hex');
    for (const diagnostic of context.diagnostics) {
      const finding = findingOf.get(diagnostic);
      const edit = finding?.fix?.edits.find((e) => document.uri.path.endsWith(`/${e.path}`));
      if (!finding?.fix || !edit || (edit.baseSha256 && edit.baseSha256 !== current)) continue;
      const action = new vscode.CodeAction(`${finding.fix.description} (${finding.ruleId})`, vscode.CodeActionKind.QuickFix);
      const workspaceEdit = new vscode.WorkspaceEdit();
      workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), edit.content);
      action.edit = workspaceEdit;
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
