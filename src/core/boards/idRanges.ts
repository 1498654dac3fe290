import { type DevOpsError, isDevOpsError } from '../errors';
import { type WorkItem } from '../workItem';
import { type IdGroup } from './workTracker';

/**
 * A list too large to read whole is shown by id range: a group per 200 ids (one batch request when
 * it is opened) and, past 10,000 ids, a group per 10,000 above those. Its rows need only the ids
 * (one WIQL query per 20,000), so the first rows come before any item is read.
 */

/** Above this many items the Azure Boards view shows the list by id range instead of reading it whole. */
export const LARGE_LIST = 2_000;
/** Ids per page: the most one batch request reads. */
export const PAGE_IDS = 200;
/** Ids per block of pages, so a 200,000-item list opens on 20 rows, not 1,000. */
export const BLOCK_IDS = 10_000;

export interface RangeNode {
  readonly kind: 'range';
  /** Stable while the ids in it stay: first and last id. */
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly ids: readonly number[];
  /** The pages of a block; undefined for a page (its children are its items, read when opened). */
  readonly pages: readonly RangeNode[] | undefined;
}

const count = (n: number): string => `${n.toLocaleString('en-US')} item${n === 1 ? '' : 's'}`;

function range(ids: readonly number[], pages: readonly RangeNode[] | undefined): RangeNode {
  const first = ids[0] ?? 0;
  const last = ids.at(-1) ?? first;
  return { kind: 'range', key: `${first}-${last}`, label: first === last ? `AB#${first}` : `AB#${first} – AB#${last}`, description: count(ids.length), ids, pages };
}

function pagesOf(ids: readonly number[]): RangeNode[] {
  const out: RangeNode[] = [];
  for (let i = 0; i < ids.length; i += PAGE_IDS) out.push(range(ids.slice(i, i + PAGE_IDS), undefined));
  return out;
}

/** The top-level rows of a large list (ids in id order): pages, or blocks of pages past BLOCK_IDS. */
export function idRanges(ids: readonly number[]): RangeNode[] {
  if (ids.length <= BLOCK_IDS) return pagesOf(ids);
  const out: RangeNode[] = [];
  for (let i = 0; i < ids.length; i += BLOCK_IDS) {
    const block = ids.slice(i, i + BLOCK_IDS);
    out.push(range(block, pagesOf(block)));
  }
  return out;
}

/**
 * A page's items as read (tracker `items`): in the page's order, an id the service no longer knows
 * left out (deleted since the list was read), and the first other failure, which the view shows
 * when no item of the page could be read.
 */
export function pageItems(page: RangeNode, read: ReadonlyMap<number, WorkItem | DevOpsError>): { readonly items: WorkItem[]; readonly failure: DevOpsError | undefined } {
  const items: WorkItem[] = [];
  let failure: DevOpsError | undefined;
  for (const id of page.ids) {
    const value = read.get(id);
    if (value === undefined) continue;
    if (isDevOpsError(value)) {
      if (value.code !== 'notFound') failure ??= value;
    } else items.push(value);
  }
  return { items, failure: items.length === 0 ? failure : undefined };
}

/**
 * A large list's rows grouped by state or iteration (groups of ids from the tracker's queries): a
 * row per group with its true count, its ids by range inside (a group of at most PAGE_IDS ids is
 * itself a page, read when opened).
 */
export function groupRanges(by: string, groups: readonly IdGroup[]): RangeNode[] {
  return groups.map((g) => ({
    kind: 'range',
    key: `${by}:${g.key}`,
    label: g.label,
    description: count(g.ids.length),
    ids: g.ids,
    pages: g.ids.length > PAGE_IDS ? idRanges(g.ids) : undefined,
  }));
}

/** Whether `page` is one of the rows (at any depth) of `nodes`. */
export function holdsRange(nodes: readonly RangeNode[], page: RangeNode): boolean {
  return nodes.some((n) => n === page || (n.pages !== undefined && holdsRange(n.pages, page)));
}
