import { referenceKey, referenceLabel, type WorkItemReference } from './references';
import { type TodoItem } from './todoParser';
import { isStale, type Resolution } from './workItemResolver';
import { resolutionSummary } from './todoPresentation';

/** A TODO and the file it is in. */
export interface LocatedTodo {
  /** Absolute path. */
  readonly file: string;
  /** Relative to its workspace folder, forward slashes. */
  readonly relativePath: string;
  readonly todo: TodoItem;
}

export interface WorkItemGroup {
  readonly key: string;
  readonly reference: WorkItemReference;
  readonly resolution: Resolution | undefined;
  /** `AB#123 · Active · Title`, `AB#123 · not found`, `AB#123 · loading…` */
  readonly label: string;
  readonly stale: boolean;
  readonly todos: readonly LocatedTodo[];
}

/** The Linked TODOs view: open items first, then stale ones, then TODOs that name no item. */
export interface TodoTreeModel {
  readonly items: readonly WorkItemGroup[];
  readonly stale: readonly WorkItemGroup[];
  readonly unlinked: readonly LocatedTodo[];
  readonly total: number;
}

const byLocation = (a: LocatedTodo, b: LocatedTodo): number => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : a.todo.line - b.todo.line);

const collator = new Intl.Collator(undefined, { numeric: true });

export function groupLabel(reference: WorkItemReference, resolution: Resolution | undefined): string {
  const label = referenceLabel(reference);
  const summary = resolutionSummary(resolution);
  if (summary === undefined) return `${label} · loading…`;
  if (resolution?.kind === 'found') return `${label} · ${resolution.item.state} · ${resolution.item.title}`;
  return `${label} · ${summary.text}`;
}

/** Groups TODOs by the work items they name; a TODO naming two items shows under both. */
export function groupTodos(todos: Iterable<LocatedTodo>, resolutions: ReadonlyMap<string, Resolution>): TodoTreeModel {
  const groups = new Map<string, { reference: WorkItemReference; todos: LocatedTodo[] }>();
  const unlinked: LocatedTodo[] = [];
  let total = 0;
  for (const located of todos) {
    total++;
    if (located.todo.references.length === 0) {
      unlinked.push(located);
      continue;
    }
    const keys = new Set<string>();
    for (const found of located.todo.references) {
      const key = referenceKey(found.reference);
      if (keys.has(key)) continue;
      keys.add(key);
      let group = groups.get(key);
      if (group === undefined) {
        group = { reference: found.reference, todos: [] };
        groups.set(key, group);
      }
      group.todos.push(located);
    }
  }
  const items: WorkItemGroup[] = [];
  const stale: WorkItemGroup[] = [];
  for (const [key, group] of groups) {
    const resolution = resolutions.get(key);
    const built: WorkItemGroup = {
      key,
      reference: group.reference,
      resolution,
      label: groupLabel(group.reference, resolution),
      stale: isStale(resolution),
      todos: group.todos.sort(byLocation),
    };
    (built.stale ? stale : items).push(built);
  }
  const byKey = (a: WorkItemGroup, b: WorkItemGroup): number => collator.compare(a.key, b.key);
  return { items: items.sort(byKey), stale: stale.sort(byKey), unlinked: unlinked.sort(byLocation), total };
}

/** Every distinct reference named by the TODOs, for one resolve call. */
export function referencesOf(todos: Iterable<LocatedTodo>): WorkItemReference[] {
  const out = new Map<string, WorkItemReference>();
  for (const located of todos) for (const found of located.todo.references) out.set(referenceKey(found.reference), found.reference);
  return [...out.values()];
}
