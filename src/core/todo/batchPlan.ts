import { type BatchJournal, entryFor } from './batchJournal';
import { referenceLabel, type WorkItemReference } from './references';
import { type LocatedTodo } from './todoGroups';
import { type TodoItem } from './todoParser';
import { draftTitle } from './workItemDraft';

/**
 * Which unlinked TODOs a batch creates work items for, decided before anything is sent:
 * - `create`: a new work item (the runner still asks the tracker for an open item with the same title first);
 * - `resume`: an interrupted batch already created it; only write the reference back;
 * - `sameAs`: the same text in the same file as an earlier entry; it gets that entry's reference;
 * - `skip`: the same text in the same file is already linked to a work item.
 */
export type PlanDecision =
  | { readonly kind: 'create' }
  | { readonly kind: 'resume'; readonly reference: WorkItemReference }
  | { readonly kind: 'sameAs'; readonly index: number }
  | { readonly kind: 'skip'; readonly reason: string };

export interface PlanEntry {
  readonly fingerprint: string;
  readonly located: LocatedTodo;
  readonly title: string;
  readonly decision: PlanDecision;
}

const normalise = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** Identity of a TODO that survives lines moving: its file, tag and title. */
export function todoFingerprint(located: LocatedTodo): string {
  return `${located.relativePath}\u0000${located.todo.tag}\u0000${normalise(draftTitle(located.todo, located.relativePath))}`;
}

/** Only TODOs under `scope` (a folder or file path, relative, forward slashes; '' for the workspace). */
export function inScope(located: LocatedTodo, scope: string): boolean {
  if (scope === '') return true;
  return located.relativePath === scope || located.relativePath.startsWith(scope.endsWith('/') ? scope : `${scope}/`);
}

export function planBatch(unlinked: readonly LocatedTodo[], linked: readonly LocatedTodo[], journal: BatchJournal | undefined): PlanEntry[] {
  const linkedByFileAndTitle = new Map<string, WorkItemReference>();
  for (const l of linked) {
    const first = l.todo.references[0];
    if (first !== undefined) linkedByFileAndTitle.set(`${l.relativePath}\u0000${normalise(l.todo.title)}`, first.reference);
  }
  const firstIndex = new Map<string, number>();
  return unlinked.map((located, index): PlanEntry => {
    const fingerprint = todoFingerprint(located);
    const title = draftTitle(located.todo, located.relativePath);
    const done = entryFor(journal, fingerprint);
    if (done?.reference !== undefined && done.state !== 'pending') return { fingerprint, located, title, decision: { kind: 'resume', reference: done.reference } };
    const twin = linkedByFileAndTitle.get(`${located.relativePath}\u0000${normalise(located.todo.title)}`);
    if (twin !== undefined && located.todo.title.length > 0) {
      return { fingerprint, located, title, decision: { kind: 'skip', reason: `the same ${located.todo.tag} in this file is already linked to ${referenceLabel(twin)}` } };
    }
    const earlier = firstIndex.get(fingerprint);
    if (earlier !== undefined) return { fingerprint, located, title, decision: { kind: 'sameAs', index: earlier } };
    firstIndex.set(fingerprint, index);
    return { fingerprint, located, title, decision: { kind: 'create' } };
  });
}

/**
 * Finds a planned TODO again in a file's current TODOs (lines move while a batch runs): the one
 * with the same fingerprint nearest its old line; undefined when it is gone or already linked.
 */
export function locateTodo(todos: readonly TodoItem[], relativePath: string, fingerprint: string, nearLine: number): TodoItem | undefined {
  let best: TodoItem | undefined;
  for (const todo of todos) {
    if (todo.references.length > 0) continue;
    if (todoFingerprint({ file: '', relativePath, todo }) !== fingerprint) continue;
    if (best === undefined || Math.abs(todo.line - nearLine) < Math.abs(best.line - nearLine)) best = todo;
  }
  return best;
}
