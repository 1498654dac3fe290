import { type ProjectBoard, type ProjectItem } from './workTracker';

/**
 * A GitHub Project's items grouped by its Status field, in the project's own option order (the
 * order its board columns have), an option no item uses still shown, items whose status is not an
 * option any more (renamed or deleted) in their own group after the options, and "No Status" last.
 */
export interface StatusGroup {
  /** The option name; undefined for "No Status". */
  readonly status: string | undefined;
  readonly label: string;
  readonly items: readonly ProjectItem[];
  /** The status is not one of the field's options (renamed or deleted since the item was set). */
  readonly unknownOption: boolean;
}

export const NO_STATUS = 'No Status';

const order = (a: ProjectItem, b: ProjectItem): number => {
  // Issues and PRs by number within a repository, drafts after them by title.
  if ((a.number === undefined) !== (b.number === undefined)) return a.number === undefined ? 1 : -1;
  const repo = (a.repository ?? '').localeCompare(b.repository ?? '');
  if (repo !== 0) return repo;
  if (a.number !== undefined && b.number !== undefined) return a.number - b.number;
  return a.title.localeCompare(b.title);
};

export function groupByStatus(board: Pick<ProjectBoard, 'statusOptions' | 'items'>): StatusGroup[] {
  const byStatus = new Map<string, ProjectItem[]>();
  const none: ProjectItem[] = [];
  const options = new Map(board.statusOptions.map((o) => [o.toLowerCase(), o]));
  for (const item of board.items) {
    if (item.status === undefined || item.status.trim() === '') {
      none.push(item);
      continue;
    }
    const key = options.get(item.status.toLowerCase()) ?? item.status;
    const list = byStatus.get(key) ?? [];
    list.push(item);
    byStatus.set(key, list);
  }
  const groups: StatusGroup[] = board.statusOptions.map((status) => ({ status, label: status, items: (byStatus.get(status) ?? []).sort(order), unknownOption: false }));
  const known = new Set(board.statusOptions);
  for (const [status, items] of [...byStatus.entries()].filter(([s]) => !known.has(s)).sort(([a], [b]) => a.localeCompare(b))) {
    groups.push({ status, label: status, items: items.sort(order), unknownOption: true });
  }
  groups.push({ status: undefined, label: NO_STATUS, items: none.sort(order), unknownOption: false });
  return groups;
}
