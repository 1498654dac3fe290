import * as vscode from 'vscode';
import { type ChatOutput } from '../core/chat/chatOutput';
import { type FileContext, type HistoryTurn } from '../core/chat/prompts';

/** Files bigger than this are not read into a prompt (a generated bundle, a data file). */
const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 10;

/** Earlier turns with @devops as plain text (VS Code gives a participant only its own turns). */
export function historyTurns(history: vscode.ChatContext['history']): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  for (const turn of history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      turns.push({ role: 'user', text: `${turn.command ? `/${turn.command} ` : ''}${turn.prompt}` });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const text = turn.response
        .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
        .join('')
        .trim();
      if (text) turns.push({ role: 'assistant', text });
    }
  }
  return turns;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory || stat.size > MAX_FILE_BYTES) return undefined;
  // An open editor has the user's unsaved text; prefer it.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  return new TextDecoder().decode(bytes);
}

/**
 * The files and selections attached to the request (#file, a selection, a dragged file), read
 * as text and listed as references of the answer, and chat variables that resolved to text.
 * Binary, huge and unreadable files are named as left out.
 */
export async function attachedFiles(references: readonly vscode.ChatPromptReference[], output: ChatOutput): Promise<FileContext[]> {
  const files: FileContext[] = [];
  for (const ref of references.slice(0, MAX_FILES)) {
    const value = ref.value;
    if (typeof value === 'string') {
      // A chat variable resolved to text (a selection, terminal output, another extension's value).
      if (value.trim()) files.push({ path: `#${ref.id}`, text: value });
      continue;
    }
    const uri = value instanceof vscode.Uri ? value : value instanceof vscode.Location ? value.uri : undefined;
    if (!uri) continue;
    const range = value instanceof vscode.Location ? value.range : undefined;
    const path = vscode.workspace.asRelativePath(uri);
    try {
      const text = await readText(uri);
      if (text === undefined) {
        files.push({ path, text: '(binary, a folder, or larger than 1 MB: not read)' });
        continue;
      }
      if (range) {
        const lines = text.split('\n').slice(range.start.line, range.end.line + 1);
        files.push({ path, text: lines.join('\n'), lines: { start: range.start.line + 1, end: range.end.line + 1 } });
      } else {
        files.push({ path, text });
      }
      if (uri.scheme === 'file') output.reference({ kind: 'file', path: uri.fsPath, ...(range ? { startLine: range.start.line, endLine: range.end.line } : {}) });
    } catch (error) {
      files.push({ path, text: `(could not be read: ${error instanceof Error ? error.message : String(error)})` });
    }
  }
  return files;
}
