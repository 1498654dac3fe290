import * as vscode from 'vscode';
import { STALE_TODO_CODE, staleFindings } from '../../core/todo/staleTodos';
import { type LocatedTodo } from '../../core/todo/todoGroups';
import { type Resolution } from '../../core/todo/workItemResolver';

/** A Warning on every reference to a finished or deleted work item, workspace-wide. */
export class StaleTodoDiagnostics {
  private readonly collection = vscode.languages.createDiagnosticCollection('aiDevops.todos');

  update(todos: Iterable<LocatedTodo>, resolutions: ReadonlyMap<string, Resolution>): void {
    const findings = staleFindings(todos, resolutions);
    this.collection.clear();
    for (const [file, list] of findings) {
      this.collection.set(
        vscode.Uri.file(file),
        list.map((f) => {
          const d = new vscode.Diagnostic(new vscode.Range(f.span.line, f.span.start, f.span.line, f.span.end), f.message, vscode.DiagnosticSeverity.Warning);
          d.code = STALE_TODO_CODE;
          d.source = 'AI DevOps';
          d.tags = [vscode.DiagnosticTag.Deprecated];
          return d;
        }),
      );
    }
  }

  dispose(): void {
    this.collection.dispose();
  }
}
