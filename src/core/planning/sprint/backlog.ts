import { type StateCategory } from '../../process/templates';

/**
 * What sprint planning, velocity and the status report read of a work item: its place (iteration,
 * parent), its state's category, its estimate in the process's own field, and for tasks the
 * remaining hours. Providers build these from the tracker; everything here is pure.
 */
export interface BacklogRow {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly state: string;
  readonly category: StateCategory;
  /** `requirement`: the backlog level velocity counts (User Story, PBI, Requirement, Issue; bugs when they sit there). */
  readonly level: 'requirement' | 'task';
  /** Story Points, Effort or Size (requirement level). */
  readonly estimate?: number;
  /** Remaining Work in hours (tasks). */
  readonly remainingWork?: number;
  /** 1 (highest) to 4; undefined sorts last. */
  readonly priority?: number;
  /** Backlog order (Stack Rank / Backlog Priority): lower first. */
  readonly rank?: number;
  readonly assignedTo?: string;
  readonly iterationPath?: string;
  readonly parentId?: number;
  readonly blocked: boolean;
  /** The last change (System.ChangedDate), ISO. */
  readonly changedAt?: string;
  /** When it reached a Completed state (Closed Date), ISO. */
  readonly closedAt?: string;
  /** Target or due date, ISO. */
  readonly dueAt?: string;
  readonly url?: string;
}

export interface IterationInfo {
  readonly id: string;
  readonly name: string;
  /** `Project\Sprint 3`, as System.IterationPath holds it. */
  readonly path: string;
  readonly start?: string;
  readonly finish?: string;
  readonly timeFrame: 'past' | 'current' | 'future';
}

/** Hours and points to two decimals, as the service shows them. */
export const round = (n: number): number => Math.round(n * 100) / 100;

export const samePath = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

export const isOpen = (row: BacklogRow): boolean => row.category !== 'Completed' && row.category !== 'Removed';

/** Backlog order: priority (1 first, none last), then the backlog's own rank, then the id. */
export function byPriority(a: BacklogRow, b: BacklogRow): number {
  return (a.priority ?? 99) - (b.priority ?? 99) || (a.rank ?? Number.MAX_VALUE) - (b.rank ?? Number.MAX_VALUE) || a.id - b.id;
}

/** The open tasks under each requirement-level item and their remaining hours. */
export function taskHours(rows: readonly BacklogRow[]): Map<number, { readonly hours: number; readonly tasks: readonly BacklogRow[] }> {
  const out = new Map<number, { hours: number; tasks: BacklogRow[] }>();
  for (const row of rows) {
    if (row.level !== 'task' || row.parentId === undefined || !isOpen(row)) continue;
    const entry = out.get(row.parentId) ?? { hours: 0, tasks: [] };
    entry.hours += row.remainingWork ?? 0;
    entry.tasks.push(row);
    out.set(row.parentId, entry);
  }
  return out;
}
