import { type AdoContext } from '../http/context';
import { fieldByName, IDENTITY_FIELDS } from '../state/fields';
import { type Identity, type JsonValue, type Relation, type WorkItemRecord } from '../state/model';
import { targetIdOf } from '../state/relations';
import { identityRef } from './identity';

export type Expand = 'none' | 'relations' | 'fields' | 'links' | 'all';

const isIdentity = (v: unknown): v is Identity => typeof v === 'object' && v !== null && 'uniqueName' in v;

export function renderFieldValue(ctx: AdoContext, name: string, value: JsonValue | undefined): unknown {
  if (IDENTITY_FIELDS.includes(name) && isIdentity(value)) return identityRef(ctx.orgUrl, value);
  return value;
}

export function renderRelation(ctx: AdoContext, r: Relation): Record<string, unknown> {
  const target = targetIdOf(r);
  return { rel: r.rel, url: target === undefined ? r.url : `${ctx.orgUrl}/_apis/wit/workItems/${target}`, attributes: r.attributes };
}

export function workItemUrl(ctx: AdoContext, id: number): string {
  return `${ctx.orgUrl}/_apis/wit/workItems/${id}`;
}

/** A WorkItem as GET workitems returns it; `fields` limits the fields, `expand` adds relations and links. */
export function renderWorkItem(ctx: AdoContext, item: WorkItemRecord, options: { fields?: readonly string[] | undefined; expand?: Expand; links?: boolean } = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const wanted = options.fields?.map((f) => fieldByName(f)?.referenceName ?? f);
  for (const [name, value] of Object.entries(item.fields)) {
    if (value === undefined || value === null || (wanted && !wanted.includes(name))) continue;
    fields[name] = renderFieldValue(ctx, name, value);
  }
  const expand = options.expand ?? 'none';
  const url = workItemUrl(ctx, item.id);
  const out: Record<string, unknown> = { id: item.id, rev: item.rev, fields };
  if (expand === 'relations' || expand === 'all') out.relations = item.relations.map((r) => renderRelation(ctx, r));
  if (expand === 'links' || expand === 'all' || options.links) {
    const type = encodeURIComponent(String(item.fields['System.WorkItemType'] ?? ''));
    out._links = {
      self: { href: url },
      workItemUpdates: { href: `${url}/updates` },
      workItemRevisions: { href: `${url}/revisions` },
      workItemComments: { href: `${url}/comments` },
      html: { href: `${ctx.orgUrl}/${item.projectId}/_workitems/edit/${item.id}` },
      workItemType: { href: `${ctx.orgUrl}/${item.projectId}/_apis/wit/workItemTypes/${type}` },
      fields: { href: `${ctx.orgUrl}/${item.projectId}/_apis/wit/fields` },
    };
  }
  out.url = url;
  return out;
}
