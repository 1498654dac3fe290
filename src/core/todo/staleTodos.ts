import { referenceKey } from './references';
import { type LocatedTodo } from './todoGroups';
import { type LineSpan } from './todoParser';
import { staleMessage } from './todoPresentation';
import { type Resolution } from './workItemResolver';

/** A reference to a finished or deleted work item: one Warning diagnostic each. */
export interface StaleFinding {
  readonly file: string;
  readonly span: LineSpan;
  readonly referenceIndex: number;
  readonly message: string;
}

export const STALE_TODO_CODE = 'staleTodo';

export function staleFindings(todos: Iterable<LocatedTodo>, resolutions: ReadonlyMap<string, Resolution>): Map<string, StaleFinding[]> {
  const byFile = new Map<string, StaleFinding[]>();
  for (const { file, todo } of todos) {
    todo.references.forEach((found, referenceIndex) => {
      const message = staleMessage(todo, found.reference, resolutions.get(referenceKey(found.reference)));
      if (message === undefined) return;
      let list = byFile.get(file);
      if (list === undefined) byFile.set(file, (list = []));
      list.push({ file, span: found.span, referenceIndex, message });
    });
  }
  return byFile;
}
