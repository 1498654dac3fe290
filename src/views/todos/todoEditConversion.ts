import * as vscode from 'vscode';
import { type TextEditData } from '../../core/todo/todoEdits';

export const toRange = (edit: Pick<TextEditData, 'start' | 'end'>): vscode.Range =>
  new vscode.Range(edit.start.line, edit.start.character, edit.end.line, edit.end.character);

/** One WorkspaceEdit, so the change is a single undo step. */
export function workspaceEdit(uri: vscode.Uri, edits: readonly TextEditData[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(uri, toRange(e), e.newText);
  return edit;
}
