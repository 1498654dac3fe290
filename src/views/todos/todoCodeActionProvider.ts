import * as vscode from 'vscode';
import { referenceLabel } from '../../core/todo/references';
import { STALE_TODO_CODE } from '../../core/todo/staleTodos';
import { type TodoCommandArgument } from '../../core/todo/todoPresentation';
import { type DocumentTodos } from './documentTodos';

/**
 * On an unlinked TODO: "Create work item from TODO". On a stale TODO's diagnostic: remove the
 * reference, or link another work item.
 */
export class TodoCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly documents: DocumentTodos) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const todo of this.documents.get(document)) {
      if (todo.line < range.start.line || todo.line > range.end.line) continue;
      if (todo.references.length === 0) {
        const action = new vscode.CodeAction('Create work item from TODO', vscode.CodeActionKind.QuickFix);
        action.command = { command: 'aiDevops.todo.createWorkItem', title: 'Create work item from TODO', arguments: [{ uri: document.uri.toString(), line: todo.line }] };
        actions.push(action);
      }
    }
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.code !== STALE_TODO_CODE) continue;
      const todo = this.documents.at(document, diagnostic.range.start.line);
      const referenceIndex = todo?.references.findIndex((r) => r.span.start === diagnostic.range.start.character) ?? -1;
      if (todo === undefined || referenceIndex < 0) continue;
      const label = referenceLabel(todo.references[referenceIndex]!.reference);
      const arg: TodoCommandArgument = { uri: document.uri.toString(), line: todo.line, referenceIndex };
      const remove = new vscode.CodeAction(`Remove reference ${label}`, vscode.CodeActionKind.QuickFix);
      remove.diagnostics = [diagnostic];
      remove.isPreferred = true;
      remove.command = { command: 'aiDevops.todo.removeReference', title: remove.title, arguments: [arg] };
      const relink = new vscode.CodeAction('Link to another work item…', vscode.CodeActionKind.QuickFix);
      relink.diagnostics = [diagnostic];
      relink.command = { command: 'aiDevops.todo.relink', title: relink.title, arguments: [arg] };
      actions.push(remove, relink);
    }
    return actions;
  }
}
