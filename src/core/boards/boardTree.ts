import { type WorkItemFilter } from './workTracker';
import { type WorkItem } from '../workItem';

/**
 * The Azure Boards view's shape as plain data: the hierarchy by parent links, optionally grouped by
 * iteration or state. An item whose parent is not among the loaded items (filtered out, in another
 * iteration, not fetched) is shown at the top level rather than hidden.
 */
export type GroupBy = 'hierarchy' | 'iteration' | 'state';

export interface ItemNode {
  readonly kind: 'item';
  readonly item: WorkItem;
  readonly children: readonly ItemNode[];
  /** The parent is set but not loaded: shown at the top level. */
  readonly orphan: boolean;
}

export interface GroupNode {
  readonly kind: 'group';
  /** Stable key (the iteration path or state name; '' for "none"). */
  readonly key: string;
  readonly label: string;
  readonly description: string;
  /** How many items the group holds, at any depth. */
  readonly count: number;
  readonly children: readonly ItemNode[];
}

export type BoardNode = ItemNode | GroupNode;

export const GROUP_BY_CHOICES: readonly { readonly id: GroupBy; readonly label: string; readonly detail: string }[] = [
  { id: 'hierarchy', label: 'Hierarchy', detail: 'Epics, features, stories and tasks by their parent links' },
  { id: 'iteration', label: 'Iteration', detail: 'One group per sprint, the hierarchy inside each' },
  { id: 'state', label: 'State', detail: 'One group per state, in workflow order' },
];

export const FILTER_CHOICES: readonly { readonly id: WorkItemFilter; readonly label: string; readonly detail: string }[] = [
  { id: 'assignedToMe', label: 'Assigned to me', detail: 'Open items assigned to you' },
  { id: 'currentIteration', label: 'Current iteration', detail: "Items in the team's current sprint" },
  { id: 'allOpen', label: 'All open', detail: 'Every item that is not done, closed or removed' },
];

export const filterLabel = (filter: WorkItemFilter): string => FILTER_CHOICES.find((f) => f.id === filter)?.label ?? filter;

/**
 * The Azure Boards view's subtitle: the filter with how many items it holds (the true count: lists
 * page past the service's 20,000-id cap, so nothing is cut without saying), and the grouping.
 */
export function boardsSubtitle(filter: WorkItemFilter, groupBy: GroupBy, count: number | undefined, byIdRange = false, counting = false): string {
  const group = GROUP_BY_CHOICES.find((g) => g.id === groupBy)?.label ?? groupBy;
  // While a large list's later query pages are still asked for, the count is a lower bound.
  const counted = count === undefined ? '' : ` (${count.toLocaleString('en-US')}${counting ? '+' : ''})`;
  // A list too large to read whole is shown by id range whatever the grouping (core/boards/idRanges.ts).
  return `${filterLabel(filter)}${counted} · ${byIdRange ? 'by id range' : `by ${group.toLowerCase()}`}`;
}

/** Backlog level by type name, across the four processes and GitHub; unknown types sort last. */
const TYPE_RANK: Readonly<Record<string, number>> = {
  epic: 0,
  feature: 1,
  'user story': 2,
  'product backlog item': 2,
  requirement: 2,
  issue: 2,
  bug: 3,
  task: 4,
  'pull request': 4,
};
/** Ranks by type name as written, so a sort of tens of thousands of items does not lower-case a name per comparison (a project has a few dozen types; more are not kept). */
const typeRanks = new Map<string, number>();
const typeRank = (type: string): number => {
  let rank = typeRanks.get(type);
  if (rank === undefined) {
    const key = type.trim().toLowerCase();
    // Own keys only: a type named like an Object.prototype member ("constructor") is an unknown type.
    rank = Object.hasOwn(TYPE_RANK, key) ? TYPE_RANK[key]! : 5;
    if (typeRanks.size < 1000) typeRanks.set(type, rank);
  }
  return rank;
};

/** Siblings: higher backlog level first, then by id (the order they were created). */
export function compareItems(a: WorkItem, b: WorkItem): number {
  return typeRank(a.type) - typeRank(b.type) || a.id - b.id;
}

const CLOSED = new Set(['done', 'closed', 'removed', 'completed', 'merged', 'cut']);
const RESOLVED = new Set(['resolved']);
const ACTIVE = new Set(['active', 'in progress', 'committed', 'doing', 'open', 'in review', 'code review', 'testing']);
const PROPOSED = new Set(['new', 'proposed', 'to do', 'approved', 'todo', 'ready']);

/** Not done, closed or removed (Resolved counts as open: someone still has to verify and close it). */
export const isOpenState = (state: string): boolean => !CLOSED.has(state.trim().toLowerCase());

/** Workflow order of a state name across processes: proposed, active, resolved, closed, removed. */
export function stateRank(state: string): number {
  const s = state.trim().toLowerCase();
  if (PROPOSED.has(s)) return s === 'new' || s === 'proposed' || s === 'to do' || s === 'todo' ? 0 : 1;
  if (ACTIVE.has(s)) return 2;
  if (RESOLVED.has(s)) return 3;
  if (s === 'removed') return 5;
  if (CLOSED.has(s)) return 4;
  return 2.5;
}

/** Items into trees by parentId; roots are items without a parent or whose parent is not loaded. */
export function buildHierarchy(items: readonly WorkItem[]): ItemNode[] {
  const byId = new Map<number, WorkItem>();
  for (const item of items) byId.set(item.id, item);
  const children = new Map<number, WorkItem[]>();
  const roots: WorkItem[] = [];
  for (const item of byId.values()) {
    const parent = item.parentId;
    if (parent !== undefined && parent !== item.id && byId.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(item);
      children.set(parent, list);
    } else {
      roots.push(item);
    }
  }
  const placed = new Set<number>();
  const build = (item: WorkItem, orphan: boolean): ItemNode => {
    placed.add(item.id);
    const kids = (children.get(item.id) ?? []).filter((c) => !placed.has(c.id)).sort(compareItems);
    return { kind: 'item', item, orphan, children: kids.map((c) => build(c, false)) };
  };
  const isOrphan = (item: WorkItem): boolean => item.parentId !== undefined && item.parentId !== item.id && !byId.has(item.parentId);
  const trees = roots.sort(compareItems).map((r) => build(r, isOrphan(r)));
  // Bad data (a parent cycle) leaves items no root reaches: show them at the top rather than lose them.
  const unplaced = [...byId.values()].filter((i) => !placed.has(i.id)).sort(compareItems);
  for (const item of unplaced) if (!placed.has(item.id)) trees.push(build(item, false));
  return trees;
}

const countNodes = (nodes: readonly ItemNode[]): number => nodes.reduce((n, node) => n + 1 + countNodes(node.children), 0);

const NO_ITERATION = 'No iteration';

/** `Contoso Web\\Sprint 2` -> `Sprint 2`. */
export const lastPathSegment = (path: string): string => path.split(/[\\/]/).filter((p) => p.length > 0).pop() ?? path;

export function groupItems(items: readonly WorkItem[], groupBy: GroupBy): BoardNode[] {
  if (groupBy === 'hierarchy') return buildHierarchy(items);
  const keyOf = (item: WorkItem): string => (groupBy === 'iteration' ? (item.iterationPath ?? '') : item.state);
  const buckets = new Map<string, WorkItem[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = buckets.get(key) ?? [];
    list.push(item);
    buckets.set(key, list);
  }
  const keys = [...buckets.keys()].sort((a, b) => {
    if (a === '' || b === '') return a === '' ? (b === '' ? 0 : 1) : -1;
    if (groupBy === 'state') return stateRank(a) - stateRank(b) || a.localeCompare(b);
    // Iteration paths sort naturally ("Sprint 10" after "Sprint 9").
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  });
  return keys.map((key): GroupNode => {
    const children = buildHierarchy(buckets.get(key)!);
    const label = key === '' ? (groupBy === 'iteration' ? NO_ITERATION : 'No state') : groupBy === 'iteration' ? lastPathSegment(key) : key;
    const count = countNodes(children);
    return { kind: 'group', key, label, description: `${count} item${count === 1 ? '' : 's'}${groupBy === 'iteration' && key !== '' && key !== label ? ` · ${key}` : ''}`, count, children };
  });
}

/** Compares assignee values as the services write them: `Name <email>`, a display name, an email or a login. */
export function isAssignedTo(item: Pick<WorkItem, 'assignedTo'>, me: string | undefined): boolean {
  if (!me || !item.assignedTo) return false;
  const parts = (value: string): string[] => {
    const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(value.trim());
    return (m ? [m[1]!, m[2]!] : [value.trim()]).map((p) => p.toLowerCase()).filter((p) => p.length > 0);
  };
  const mine = parts(me);
  return parts(item.assignedTo).some((p) => mine.includes(p));
}

/** The view's badge: open items assigned to the signed-in user. */
export function myOpenCount(items: readonly WorkItem[], me: string | undefined): number {
  return items.filter((i) => isOpenState(i.state) && isAssignedTo(i, me)).length;
}

/** A client-side check of a filter, for items the cache holds under another filter. */
export function matchesFilter(item: WorkItem, filter: WorkItemFilter, context: { readonly me: string | undefined; readonly currentIteration: string | undefined }): boolean {
  if (!isOpenState(item.state) && filter !== 'currentIteration') return false;
  switch (filter) {
    case 'assignedToMe':
      return isAssignedTo(item, context.me);
    case 'currentIteration':
      return context.currentIteration !== undefined && (item.iterationPath ?? '').toLowerCase() === context.currentIteration.toLowerCase();
    case 'allOpen':
      return true;
  }
}

/** Every item id in the nodes, depth first (for "reveal" and tests). */
export function flattenIds(nodes: readonly BoardNode[]): number[] {
  return nodes.flatMap((n) => (n.kind === 'group' ? flattenIds(n.children) : [n.item.id, ...flattenIds(n.children)]));
}
