import { badRequest } from '../http/errors';
import { type JsonValue, type Relation, type WorkItemRecord } from './model';
import { sameRelation } from './relations';

/**
 * A work item as it stood at a moment, rebuilt from its revisions (the updates the stand-in keeps
 * for every change, as the service does): the current fields and links with every update made
 * after that moment undone, newest first. This is what WIQL `ASOF` and the `asOf` parameter of
 * the work item reads evaluate against. An item created after the moment did not exist then.
 */
export function workItemAsOf(item: WorkItemRecord, at: number): WorkItemRecord | undefined {
  const first = item.updates[0];
  if (!first || Date.parse(first.revisedDate) > at) return undefined;
  const later = item.updates.filter((u) => Date.parse(u.revisedDate) > at);
  if (later.length === 0) return item;
  const fields: Record<string, JsonValue> = { ...item.fields };
  let relations: Relation[] = [...item.relations];
  for (const update of [...later].reverse()) {
    for (const [name, change] of Object.entries(update.fields)) {
      if (change.oldValue === undefined) delete fields[name];
      else fields[name] = change.oldValue;
    }
    const added = update.relations?.added ?? [];
    const removed = update.relations?.removed ?? [];
    relations = [...relations.filter((r) => !added.some((a) => sameRelation(a, r))), ...removed];
  }
  const rev = item.rev - later.length;
  // The revision that held at that moment is open-ended only when it is the last one.
  fields['System.RevisedDate'] = later[0]!.revisedDate;
  return { ...item, rev, fields: { ...fields, 'System.Rev': rev }, relations, updates: item.updates.slice(0, item.updates.length - later.length) };
}

/**
 * A client's `asOf` / `ASOF` date as milliseconds. The service takes any date it can read and
 * answers 400 for one it cannot; a moment in the future is now.
 */
export function parseAsOf(text: string, now: Date): number {
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw badRequest('WorkItemTrackingQueryException', `TF51006: The query statement is not valid: '${text}' is not a date ASOF can read (use an ISO 8601 date such as '2026-11-02T00:00:00Z').`);
  return Math.min(at, now.getTime());
}
