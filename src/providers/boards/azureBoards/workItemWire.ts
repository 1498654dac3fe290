import { z } from 'zod';
import { type WorkItem } from '../../../core/workItem';

/** The work item as GET workItemsBatch with `$expand=Relations` answers it (only what we read). */
const IdentityRefSchema = z.object({ displayName: z.string().optional(), uniqueName: z.string().optional() }).loose();

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
        // The client turns some dates into Date objects; the wire has ISO strings.
        'System.CreatedDate': z.union([z.string(), z.date()]),
        'System.ChangedDate': z.union([z.string(), z.date()]),
      })
      .loose(),
    relations: z
      .array(z.object({ rel: z.string(), url: z.string(), attributes: z.record(z.string(), z.unknown()).nullish() }).loose())
      .nullish(),
  })
  .loose();
export type WireWorkItem = z.infer<typeof WireWorkItemSchema>;

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

/** The wire item as the extension's WorkItem. `webBase` is `{org}/{project}` for the browser link. */
export function toWorkItem(wire: WireWorkItem, webBase: string): WorkItem {
  const f = wire.fields;
  const relations = wire.relations ?? [];
  const parentFromRelations = relations.filter((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse').map((r) => idFromUrl(r.url))[0];
  const childIds = relations
    .filter((r) => r.rel === 'System.LinkTypes.Hierarchy-Forward')
    .map((r) => idFromUrl(r.url))
    .filter((id): id is number => id !== undefined);
  const tags = (f['System.Tags'] ?? '')
    .split(';')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  const parentId = f['System.Parent'] ?? parentFromRelations;
  const assignedTo = identityName(f['System.AssignedTo']);
  return {
    tracker: 'azureBoards',
    id: wire.id,
    ...(f['System.TeamProject'] ? { repository: f['System.TeamProject'] } : {}),
    type: f['System.WorkItemType'],
    title: f['System.Title'],
    description: f['System.Description'] ?? '',
    ...(f['Microsoft.VSTS.Common.AcceptanceCriteria'] ? { acceptanceCriteria: f['Microsoft.VSTS.Common.AcceptanceCriteria'] } : {}),
    state: f['System.State'],
    ...(assignedTo ? { assignedTo } : {}),
    ...(f['System.AreaPath'] ? { areaPath: f['System.AreaPath'] } : {}),
    ...(f['System.IterationPath'] ? { iterationPath: f['System.IterationPath'] } : {}),
    tags,
    ...(parentId !== undefined ? { parentId } : {}),
    childIds,
    createdAt: iso(f['System.CreatedDate']),
    modifiedAt: iso(f['System.ChangedDate']),
    url: `${webBase}/_workitems/edit/${wire.id}`,
    rev: wire.rev,
  };
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
