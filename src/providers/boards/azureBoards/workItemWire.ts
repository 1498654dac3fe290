import { z } from 'zod';
import { type WorkItem } from '../../../core/workItem';

/**
 * The work item as GET workItemsBatch with `$expand=Relations` answers it: only what we read, and
 * the rest left out of the checked copy (objects are not `loose`): a whole list checks tens of
 * thousands of items, each with dozens of fields and links we would only copy.
 */
const IdentityRefSchema = z.object({ displayName: z.string().optional(), uniqueName: z.string().optional() });

export const WireWorkItemSchema = z
  .object({
    id: z.number().int().positive(),
    rev: z.number().int().nonnegative(),
    fields: z
      .object({
        'System.WorkItemType': z.string().min(1),
        'System.Title': z.string(),
        'System.State': z.string().min(1),
        'System.TeamProject': z.string().optional(),
        'System.Description': z.string().nullish(),
        'Microsoft.VSTS.Common.AcceptanceCriteria': z.string().nullish(),
        'System.AssignedTo': z.union([IdentityRefSchema, z.string()]).nullish(),
        'System.AreaPath': z.string().nullish(),
        'System.IterationPath': z.string().nullish(),
        'System.Tags': z.string().nullish(),
        'System.Parent': z.number().int().positive().nullish(),
        'Microsoft.VSTS.CMMI.Blocked': z.string().nullish(),
        // The client turns some dates into Date objects; the wire has ISO strings.
        'System.CreatedDate': z.union([z.string(), z.date()]),
        'System.ChangedDate': z.union([z.string(), z.date()]),
      }),
    relations: z.array(z.object({ rel: z.string(), url: z.string() })).nullish(),
  });
export type WireWorkItem = z.infer<typeof WireWorkItemSchema>;

/*
 * The same check as WireWorkItemSchema, written out by hand for the batch read: a whole list checks
 * tens of thousands of items, and zod's parse (which also builds a checked copy of each) was most of
 * the read's own CPU time. It accepts exactly what the schema accepts (wireItemCheck.test.ts holds
 * the two side by side over every field and wrong value); an item it refuses is parsed by the
 * schema, whose first issue is the error reported.
 */
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isPositiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';
const nullishStr = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const isDateLike = (v: unknown): boolean => typeof v === 'string' || (v instanceof Date && !Number.isNaN(v.getTime()));

function isIdentity(v: unknown): boolean {
  if (v === undefined || v === null || typeof v === 'string') return true;
  return isRecord(v) && optStr(v.displayName) && optStr(v.uniqueName);
}

function isRelations(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const r of v) if (!isRecord(r) || !isStr(r.rel) || !isStr(r.url)) return false;
  return true;
}

/** True when WireWorkItemSchema would accept `raw` as it is (the item can then be mapped without a copy). */
export function isWireWorkItem(raw: unknown): raw is WireWorkItem {
  if (!isRecord(raw) || !isPositiveInt(raw.id)) return false;
  const rev = raw.rev;
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 0) return false;
  const f = raw.fields;
  if (!isRecord(f)) return false;
  const type = f['System.WorkItemType'];
  const state = f['System.State'];
  const parent = f['System.Parent'];
  return (
    isStr(type) &&
    type.length >= 1 &&
    isStr(f['System.Title']) &&
    isStr(state) &&
    state.length >= 1 &&
    optStr(f['System.TeamProject']) &&
    nullishStr(f['System.Description']) &&
    nullishStr(f['Microsoft.VSTS.Common.AcceptanceCriteria']) &&
    isIdentity(f['System.AssignedTo']) &&
    nullishStr(f['System.AreaPath']) &&
    nullishStr(f['System.IterationPath']) &&
    nullishStr(f['System.Tags']) &&
    nullishStr(f['Microsoft.VSTS.CMMI.Blocked']) &&
    (parent === undefined || parent === null || isPositiveInt(parent)) &&
    isDateLike(f['System.CreatedDate']) &&
    isDateLike(f['System.ChangedDate']) &&
    isRelations(raw.relations)
  );
}

/**
 * One item of a batch answer as a WorkItem, or the reason it is not one: the hand check first (no
 * copy made), the schema only for an item it refuses (for the error, or in case it is stricter).
 */
export function readWireItem(raw: unknown, webBase: string): WorkItem | { readonly error: string } {
  if (isWireWorkItem(raw)) return toWorkItem(raw, webBase);
  const parsed = WireWorkItemSchema.safeParse(raw);
  if (parsed.success) return toWorkItem(parsed.data, webBase);
  const issue = parsed.error.issues[0];
  return { error: issue ? `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}` : 'unexpected shape' };
}

export const WiqlResultSchema = z
  .object({
    workItems: z.array(z.object({ id: z.number().int().positive() }).loose()).nullish(),
    /** The service's time when the query ran (a Date once the client has read it): the next watermark. */
    asOf: z.union([z.string(), z.date()]).optional(),
  })
  .loose();

const idFromUrl = (url: string): number | undefined => {
  const m = /\/workItems\/(\d+)$/i.exec(url);
  return m ? Number(m[1]) : undefined;
};

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/;

const iso = (value: string | Date): string => {
  // The service already sends UTC ISO text: keep it rather than parse 10,000 dates on a load.
  if (typeof value === 'string' && ISO_UTC.test(value)) return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
};

export function identityName(value: WireWorkItem['fields']['System.AssignedTo']): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.replace(/\s*<[^>]*>\s*$/, '') || undefined;
  return value.displayName ?? value.uniqueName;
}

/**
 * The wire item as the extension's WorkItem. `webBase` is `{org}/{project}` for the browser link.
 * Written as one pass that sets each key in turn (no spread of small objects, no intermediate
 * arrays): a whole list maps tens of thousands of items; the keys keep their order.
 */
export function toWorkItem(wire: WireWorkItem, webBase: string): WorkItem {
  const f = wire.fields;
  let parentFromRelations: number | undefined;
  let parentSeen = false;
  const childIds: number[] = [];
  for (const r of wire.relations ?? []) {
    if (r.rel === 'System.LinkTypes.Hierarchy-Forward') {
      const id = idFromUrl(r.url);
      if (id !== undefined) childIds.push(id);
    } else if (r.rel === 'System.LinkTypes.Hierarchy-Reverse' && !parentSeen) {
      parentSeen = true;
      parentFromRelations = idFromUrl(r.url);
    }
  }
  const tags: string[] = [];
  const tagText = f['System.Tags'];
  if (tagText) {
    for (const tag of tagText.split(';')) {
      const t = tag.trim();
      if (t.length > 0) tags.push(t);
    }
  }
  const parentId = f['System.Parent'] ?? parentFromRelations;
  const assignedTo = identityName(f['System.AssignedTo']);
  const item: { -readonly [K in keyof WorkItem]?: WorkItem[K] } = { tracker: 'azureBoards', id: wire.id };
  if (f['System.TeamProject']) item.repository = f['System.TeamProject'];
  item.type = f['System.WorkItemType'];
  item.title = f['System.Title'];
  item.description = f['System.Description'] ?? '';
  if (f['Microsoft.VSTS.Common.AcceptanceCriteria']) item.acceptanceCriteria = f['Microsoft.VSTS.Common.AcceptanceCriteria'];
  item.state = f['System.State'];
  if (assignedTo) item.assignedTo = assignedTo;
  if (f['System.AreaPath']) item.areaPath = f['System.AreaPath'];
  if (f['System.IterationPath']) item.iterationPath = f['System.IterationPath'];
  item.tags = tags;
  if (f['Microsoft.VSTS.CMMI.Blocked']?.trim().toLowerCase() === 'yes') item.blocked = true;
  if (parentId !== undefined) item.parentId = parentId;
  item.childIds = childIds;
  item.createdAt = iso(f['System.CreatedDate']);
  item.modifiedAt = iso(f['System.ChangedDate']);
  item.url = `${webBase}/_workitems/edit/${wire.id}`;
  item.rev = wire.rev;
  return item as WorkItem;
}

/** Text for an HTML field (Description, comments): escaped, line breaks kept. */
export function toHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<br/>');
}

/** The marker a comment carries so a replay recognises it (an HTML comment: invisible in the web UI). */
export const clientMarker = (clientId: string): string => `<!-- ai-devops:${clientId} -->`;

/**
 * The line a created item's description ends with. Visible text, because WIQL's CONTAINS searches
 * the text of an HTML field, not its markup, and a replay finds the item by it.
 */
export const createdMarker = (clientId: string): string => `<div><small>Created by AI DevOps (ref ${clientId})</small></div>`;
