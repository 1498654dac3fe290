import { redactText } from '../redact';
import { type TodoItem } from './todoParser';

/** Azure Boards allows 255 characters in System.Title; GitHub 256. */
export const MAX_TITLE_LENGTH = 255;

export interface DraftContext {
  /** Path relative to the workspace folder, with forward slashes. */
  readonly relativePath: string;
  /** The file's lines as they are now (the document, unsaved changes included). */
  readonly lines: readonly string[];
  /** A link that opens the file at the line (a repository URL, or a vscode:// URI). */
  readonly link?: string;
  /** Fence language for the code block (`ts`, `python`...). */
  readonly fenceLanguage?: string;
  /** Lines of code shown above and below the TODO. */
  readonly contextLines?: number;
}

export interface WorkItemDraft {
  readonly title: string;
  readonly description: string;
}

/** A fence longer than any backtick run in the code, so the code cannot close it early. */
function fenceFor(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

export function draftTitle(todo: TodoItem, relativePath: string): string {
  const base = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const title = todo.title.length > 0 ? todo.title : `${todo.tag} in ${base}:${todo.line + 1}`;
  return title.length <= MAX_TITLE_LENGTH ? title : `${title.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
}

/**
 * Title from the comment; description with the TODO, where it is and the code around it (Markdown).
 * The code goes to a tracker other people read, so secrets in it are redacted first.
 */
export function draftWorkItem(todo: TodoItem, context: DraftContext): WorkItemDraft {
  const around = context.contextLines ?? 5;
  const first = Math.max(0, todo.line - around);
  const last = Math.min(context.lines.length - 1, todo.line + around);
  const code = redactText(context.lines.slice(first, last + 1).join('\n'));
  const fence = fenceFor(code);
  const where = `${context.relativePath}:${todo.line + 1}`;
  const location = context.link ? `[${where}](${context.link})` : `\`${where}\``;
  const description = [
    `> ${todo.tag}${todo.text.length > 0 ? ` ${redactText(todo.text)}` : ''}`,
    '',
    `Created from a ${todo.tag} comment in ${location}.`,
    '',
    `${fence}${context.fenceLanguage ?? ''}`,
    code,
    fence,
  ].join('\n');
  return { title: redactText(draftTitle(todo, context.relativePath)), description };
}
