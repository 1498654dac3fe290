import { formatReference, type WorkItemReference } from './references';
import { type TextPosition, type TodoItem, type TodoReference } from './todoParser';

/** A text replacement as data; the VS Code layer turns a list of them into one WorkspaceEdit. */
export interface TextEditData {
  readonly start: TextPosition;
  readonly end: TextPosition;
  readonly newText: string;
}

/** Links an unlinked TODO: `// TODO: retry` → `// TODO AB#77: retry`. */
export function insertReferenceEdit(todo: TodoItem, reference: WorkItemReference): TextEditData {
  return { start: todo.insertAt, end: todo.insertAt, newText: ` ${formatReference(reference)}` };
}

/** Points a TODO at another item, keeping everything around the old reference. */
export function replaceReferenceEdit(target: TodoReference, reference: WorkItemReference): TextEditData {
  const { line, start, end } = target.span;
  return { start: { line, character: start }, end: { line, character: end }, newText: formatReference(reference) };
}

/**
 * Removes a reference and what only existed to hold it: `TODO(AB#12): x` → `TODO: x`,
 * `TODO [AB#12] x` → `TODO x`, `TODO AB#12 x` → `TODO x`. `lineText` is the TODO's current line.
 */
export function removeReferenceEdit(target: TodoReference, lineText: string): TextEditData {
  const { line } = target.span;
  let start = target.span.start;
  let end = target.span.end;
  const open = lineText[start - 1];
  const close = lineText[end];
  if ((open === '(' && close === ')') || (open === '[' && close === ']')) {
    start--;
    end++;
  }
  // Take one neighbouring blank with it, so no double space is left behind.
  if (lineText[end] === ' ') end++;
  else if (lineText[start - 1] === ' ') start--;
  return { start: { line, character: start }, end: { line, character: end }, newText: '' };
}
