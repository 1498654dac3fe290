import * as vscode from 'vscode';
import { lensesForTodo } from '../../core/todo/todoPresentation';
import { type ResolutionCache } from '../../providers/todos/resolutionCache';
import { type DocumentTodos } from './documentTodos';

/** `AB#123 · Active · Title` with Open / Change state / Mark done / Hand to an agent… over each linked TODO. */
export class TodoCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: DocumentTodos,
    private readonly cache: ResolutionCache,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const todos = this.documents.get(document).filter((t) => t.references.length > 0);
    if (todos.length === 0) return [];
    this.cache.want(todos.flatMap((t) => t.references.map((r) => r.reference)));
    const known = this.cache.snapshot();
    return todos.flatMap((todo) => {
      const range = new vscode.Range(todo.line, todo.tagSpan.start, todo.line, todo.textSpan.end);
      return lensesForTodo(todo, known, { uri: document.uri.toString(), line: todo.line }).map(
        (lens) => new vscode.CodeLens(range, { title: lens.title, command: lens.command, arguments: [...lens.arguments], ...(lens.tooltip ? { tooltip: lens.tooltip } : {}) }),
      );
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
