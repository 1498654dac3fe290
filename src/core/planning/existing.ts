import { createHash } from 'node:crypto';
import { normalizeTitle, type PlanItem } from './planItem';

/**
 * Work that exists already: the epic's children as the tracker holds them, and anything an earlier
 * run of the same plan created (found by the reference every created item carries). A planned item
 * that matches one is kept, never created again: so a plan applied twice, or resumed after a
 * failure half-way, creates only what is missing.
 */
export interface ExistingItem {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly state: string;
  readonly children: readonly ExistingItem[];
  /** The plan reference the item carries when a plan created it (`plan-…-…`). */
  readonly clientId?: string;
}

/** A plan's identity, from where it goes and what it decomposes: the same epic planned again has the same key. */
export function planKey(parts: readonly string[]): string {
  return `plan-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12)}`;
}

/**
 * The reference an item of the plan is created with: the plan's key and the path of titles that
 * leads to it, so it is the same in every run of the same plan and differs between items.
 */
export function itemClientId(key: string, titlePath: readonly string[]): string {
  return `${key}-${createHash('sha256').update(JSON.stringify(titlePath.map(normalizeTitle))).digest('hex').slice(0, 12)}`;
}

/** `plan-0123456789ab-0123456789ab` in a description or body, as the created item carries it. */
export const PLAN_REFERENCE = /\b(plan-[0-9a-f]{12}-[0-9a-f]{12})\b/;

export interface MatchResult {
  readonly root: PlanItem;
  /** Items matched to existing work, for the notes: `"Pay by card" is AB#41`. */
  readonly matched: readonly { readonly title: string; readonly id: number; readonly by: 'reference' | 'title' }[];
}

/**
 * Marks planned items that exist: first by the plan reference of an earlier run (`made`: client id
 * to item id), then by title among the existing children of the same (existing) parent. Each
 * existing item is matched at most once.
 */
export function matchExisting(key: string, root: PlanItem, existingRoot: ExistingItem | undefined, made: ReadonlyMap<string, number>): MatchResult {
  const matched: { title: string; id: number; by: 'reference' | 'title' }[] = [];
  const used = new Set<number>();
  const go = (item: PlanItem, titlePath: readonly string[], existingParent: ExistingItem | undefined, existingSelf: ExistingItem | undefined): PlanItem => {
    const path = [...titlePath, item.title];
    let id = item.existingId;
    let self = existingSelf;
    if (id === undefined) {
      const byRef = made.get(itemClientId(key, path));
      if (byRef !== undefined && !used.has(byRef)) {
        id = byRef;
        matched.push({ title: item.title, id, by: 'reference' });
      } else if (existingParent) {
        const t = normalizeTitle(item.title);
        const hit = existingParent.children.find((c) => !used.has(c.id) && normalizeTitle(c.title) === t);
        if (hit) {
          id = hit.id;
          self = hit;
          matched.push({ title: item.title, id, by: 'title' });
        }
      }
    }
    if (id !== undefined) used.add(id);
    if (id !== undefined && !self && existingParent) self = existingParent.children.find((c) => c.id === id);
    const children = item.children.map((c) => go(c, path, self, undefined));
    return { ...item, ...(id !== undefined ? { existingId: id } : {}), children };
  };
  const rootSelf = existingRoot && (root.existingId === undefined || root.existingId === existingRoot.id) ? existingRoot : undefined;
  return { root: go(root, [], undefined, rootSelf), matched };
}
