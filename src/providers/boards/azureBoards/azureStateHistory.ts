import { z } from 'zod';
import { type StateChange } from '../../../core/boards/workTracker';
import { type WorkItem, workItemKey } from '../../../core/workItem';
import { type AzureConnection } from './azureConnection';
import { badResponse } from './azureErrors';

/** The service's page of work item updates (its largest). */
const UPDATES_PAGE = 200;

const DateLike = z.union([z.string(), z.date()]).transform((d) => (typeof d === 'string' ? d : d.toISOString()));
const Identity = z.object({ uniqueName: z.string().nullish(), displayName: z.string().nullish(), id: z.string().nullish() }).loose();
const FieldChange = z.object({ oldValue: z.unknown().optional(), newValue: z.unknown().optional() }).loose();
const UpdatesSchema = z.array(
  z
    .object({
      revisedDate: DateLike.nullish(),
      revisedBy: Identity.nullish(),
      fields: z.record(z.string(), FieldChange).nullish(),
    })
    .loose(),
);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : v instanceof Date ? v.toISOString() : undefined);

/**
 * Every change of the item's State from its updates (GET …/workItems/{id}/updates, 200 a page),
 * oldest first. The time of a change is its System.ChangedDate (an update's revisedDate is when
 * the revision was superseded on the service, 9999-01-01 for the latest), falling back to
 * revisedDate where the update does not carry ChangedDate.
 */
export async function readStateHistory(connection: AzureConnection, project: string, item: WorkItem, signal?: AbortSignal): Promise<StateChange[]> {
  const what = `reading the state history of ${workItemKey(item)}`;
  const changes: StateChange[] = [];
  for (let skip = 0; ; skip += UPDATES_PAGE) {
    const page = await connection.call(what, async (api) => (await api.wit()).getUpdates(item.id, UPDATES_PAGE, skip, project), { idempotent: true, ...(signal ? { signal } : {}) });
    const parsed = UpdatesSchema.safeParse(page);
    if (!parsed.success) throw badResponse(what, parsed.error.issues[0]?.message ?? 'unexpected shape');
    for (const u of parsed.data) {
      const state = u.fields?.['System.State'];
      const to = text(state?.newValue);
      if (!to) continue;
      const changed = text(u.fields?.['System.ChangedDate']?.newValue);
      const revised = u.revisedDate && !u.revisedDate.startsWith('9999') ? u.revisedDate : undefined;
      const at = changed ?? revised;
      if (!at || Number.isNaN(Date.parse(at))) continue;
      const by = u.revisedBy ? (u.revisedBy.uniqueName ?? u.revisedBy.displayName ?? u.revisedBy.id ?? undefined) : undefined;
      changes.push({ at: new Date(at).toISOString(), from: text(state?.oldValue), to, by });
    }
    if (parsed.data.length < UPDATES_PAGE) break;
  }
  return changes.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
