import type * as vscode from 'vscode';
import { syntaxForLanguageId, syntaxForPath } from '../../core/todo/languages';
import { parseTodos, type TodoItem, type TodoMatcher } from '../../core/todo/todoParser';

/**
 * The TODOs of open documents, parsed at most once per document version (lenses, hovers, code
 * actions and commands all ask for the same document on each keystroke).
 */
export class DocumentTodos {
  private cache = new WeakMap<vscode.TextDocument, { version: number; todos: TodoItem[] }>();

  constructor(private matcher: TodoMatcher) {}

  setMatcher(matcher: TodoMatcher): void {
    this.matcher = matcher;
    this.cache = new WeakMap();
  }

  get(document: vscode.TextDocument): TodoItem[] {
    const cached = this.cache.get(document);
    if (cached !== undefined && cached.version === document.version) return cached.todos;
    const syntax = syntaxForLanguageId(document.languageId) ?? syntaxForPath(document.fileName);
    const todos = syntax === undefined ? [] : parseTodos(document.getText(), syntax, this.matcher);
    this.cache.set(document, { version: document.version, todos });
    return todos;
  }

  at(document: vscode.TextDocument, line: number): TodoItem | undefined {
    return this.get(document).find((t) => t.line === line);
  }
}
