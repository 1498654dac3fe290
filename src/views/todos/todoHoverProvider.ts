import * as vscode from 'vscode';
import { HOVER_COMMANDS, hoverMarkdown } from '../../core/todo/todoPresentation';
import { type ResolutionCache } from '../../providers/todos/resolutionCache';
import { type DocumentTodos } from './documentTodos';

/** Details of the work item under the cursor in a TODO: type, state, title, assignee, actions. */
export class TodoHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly documents: DocumentTodos,
    private readonly cache: ResolutionCache,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const todo = this.documents.at(document, position.line);
    if (todo === undefined) return undefined;
    const index = todo.references.findIndex((r) => position.character >= r.span.start && position.character <= r.span.end);
    if (index < 0) return undefined;
    const found = todo.references[index]!;
    if (this.cache.get(found.reference) === undefined) {
      this.cache.want([found.reference]);
      await this.cache.flush();
    }
    const markdown = new vscode.MarkdownString(hoverMarkdown(found.reference, this.cache.get(found.reference), { uri: document.uri.toString(), line: todo.line, referenceIndex: index }));
    // Only our own commands may run from the hover's links; the text itself came from a tracker.
    markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    markdown.supportThemeIcons = true;
    return new vscode.Hover(markdown, new vscode.Range(found.span.line, found.span.start, found.span.line, found.span.end));
  }
}
