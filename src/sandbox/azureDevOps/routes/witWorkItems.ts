import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { type Expand, renderWorkItem } from '../render/workItem';
import { parseAsOf, workItemAsOf } from '../state/history';
import { type WorkItemRecord } from '../state/model';
import { createWorkItem, updateWorkItem } from '../state/workItemOps';
import { PatchDocumentSchema } from '../state/workItemPatch';

/** The service's cap on ids per call (GET workitems and POST workitemsbatch). */
export const MAX_IDS_PER_CALL = 200;

const wit = (path: string) => ({ file: 'workItemTracking', path: `/{organization}/{project}/_apis/wit/${path}` });

const EXPANDS: readonly Expand[] = ['none', 'relations', 'fields', 'links', 'all'];

/** `$expand` as a name or as the client's numeric enum (WorkItemExpand: None=0 ... All=4). */
export function parseExpand(raw: string | number | undefined | null): Expand {
  if (raw === undefined || raw === null || raw === '') return 'none';
  const byNumber = typeof raw === 'number' || /^\d+$/.test(raw) ? EXPANDS[Number(raw)] : undefined;
  const found = byNumber ?? EXPANDS.find((e) => e === String(raw).toLowerCase());
  if (!found) throw badRequest('InvalidArgumentValueException', `The value '${raw}' is not valid for $expand. Use None, Relations, Fields, Links or All.`);
  return found;
}

/** errorPolicy as a name or the client's enum (WorkItemErrorPolicy: Fail=1, Omit=2). */
function parseErrorPolicy(raw: string | number | undefined | null): 'fail' | 'omit' {
  if (raw === undefined || raw === null || raw === '') return 'fail';
  const text = String(raw).toLowerCase();
  if (text === '2' || text === 'omit') return 'omit';
  if (text === '1' || text === 'fail') return 'fail';
  throw badRequest('InvalidArgumentValueException', `The value '${raw}' is not valid for errorPolicy. Use Fail or Omit.`);
}

function tooMany(count: number): never {
  throw badRequest('WorkItemTrackingRequestLimitExceededException', `VS403474: You requested ${count} work items which exceeds the limit of ${MAX_IDS_PER_CALL}.`);
}

export function workItemNotFound(id: number | string): never {
  throw notFound('WorkItemUnauthorizedAccessException', `TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`);
}

function checkFieldsWithExpand(fields: readonly string[] | undefined, expand: Expand): void {
  if (fields && fields.length > 0 && expand !== 'none') throw badRequest('ConflictingParametersException', 'The expand parameter can not be used with the fields parameter.');
}

/** `asOf` reads each item as its revisions say it stood then; one created later is not found. */
function fetchMany(ctx: AdoContext, ids: readonly number[], policy: 'fail' | 'omit', asOf?: string | null): (WorkItemRecord | null)[] {
  if (ids.length > MAX_IDS_PER_CALL) tooMany(ids.length);
  const project = ctx.project();
  const at = asOf ? parseAsOf(asOf, ctx.state.now()) : undefined;
  return ids.map((id) => {
    const current = ctx.state.workItem(id);
    const item = current && at !== undefined ? workItemAsOf(current, at) : current;
    const visible = item && (!project || item.projectId === project.id);
    if (visible) return item;
    if (policy === 'fail') workItemNotFound(id);
    return null;
  });
}

function parseIds(raw: string | undefined): number[] {
  if (!raw) throw badRequest('InvalidArgumentValueException', 'The ids parameter is required: a comma-separated list of work item ids.');
  return raw.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n <= 0) throw badRequest('InvalidArgumentValueException', `'${s}' is not a valid work item id.`);
    return n;
  });
}

function patchOptions(ctx: AdoContext): { bypassRules: boolean; validateOnly: boolean } {
  return { bypassRules: ctx.query('bypassRules') === 'true', validateOnly: ctx.query('validateOnly') === 'true' };
}

function needsPatchContentType(ctx: AdoContext): void {
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (!/application\/json-patch\+json/i.test(type)) {
    throw new AdoHttpError(
      415,
      'VssRequestContentTypeNotSupportedException',
      `The request indicated a Content-Type of "${type.split(';')[0] || '(none)'}" for method type "${ctx.req.method}" which is not supported. Valid content types for this method are: application/json-patch+json.`,
    );
  }
}

const BatchSchema = z.object({
  ids: z.array(z.number().int()),
  fields: z.array(z.string()).nullish(),
  $expand: z.union([z.string(), z.number()]).nullish(),
  errorPolicy: z.union([z.string(), z.number()]).nullish(),
  asOf: z.string().nullish(),
});

export const witWorkItemRoutes: readonly AdoRouteDef[] = [
  {
    name: 'wit.workItems.list',
    method: 'GET',
    location: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b',
    contract: wit('workitems'),
    without: ['id'],
    handler: (ctx) => {
      const ids = parseIds(ctx.query('ids'));
      const fields = ctx.query('fields')?.split(',').filter(Boolean);
      const expand = parseExpand(ctx.query('$expand'));
      checkFieldsWithExpand(fields, expand);
      const items = fetchMany(ctx, ids, parseErrorPolicy(ctx.query('errorPolicy')), ctx.query('asOf'));
      return list(items.map((item) => (item ? renderWorkItem(ctx, item, { fields, expand }) : null)));
    },
  },
  {
    name: 'wit.workItems.get',
    method: 'GET',
    location: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b',
    contract: wit('workitems/{id}'),
    with: ['id'],
    handler: (ctx) => {
      const id = Number(ctx.param('id'));
      const fields = ctx.query('fields')?.split(',').filter(Boolean);
      const expand = parseExpand(ctx.query('$expand'));
      checkFieldsWithExpand(fields, expand);
      const item = fetchMany(ctx, [id], 'fail', ctx.query('asOf'))[0];
      if (!item) workItemNotFound(id);
      return ok(renderWorkItem(ctx, item, { fields, expand, links: true }));
    },
  },
  {
    name: 'wit.workItems.create',
    method: 'POST',
    location: '62d3d110-0047-428c-ad3c-4fe872c91c74',
    contract: wit('workitems/${type}'),
    handler: (ctx) => {
      needsPatchContentType(ctx);
      const project = ctx.requireProject();
      const rawType = ctx.param('type') ?? '';
      if (!rawType.startsWith('$')) throw badRequest('InvalidArgumentValueException', 'Create a work item with POST .../_apis/wit/workitems/$Type (the type name after a $).');
      const ops = ctx.json(PatchDocumentSchema);
      const item = createWorkItem(ctx.state, project, rawType.slice(1), ops, ctx.user, patchOptions(ctx));
      if (!patchOptions(ctx).validateOnly) ctx.state.changed();
      return ok(renderWorkItem(ctx, item, { expand: parseExpand(ctx.query('$expand')) === 'none' ? 'relations' : parseExpand(ctx.query('$expand')), links: true }));
    },
  },
  {
    name: 'wit.workItems.update',
    method: 'PATCH',
    location: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b',
    contract: wit('workitems/{id}'),
    with: ['id'],
    handler: (ctx) => {
      needsPatchContentType(ctx);
      const id = Number(ctx.param('id'));
      const item = fetchMany(ctx, [id], 'fail')[0];
      if (!item) workItemNotFound(id);
      const ops = ctx.json(PatchDocumentSchema);
      const options = patchOptions(ctx);
      const updated = updateWorkItem(ctx.state, item, ops, ctx.user, options);
      if (!options.validateOnly) ctx.state.changed();
      return ok(renderWorkItem(ctx, updated, { expand: parseExpand(ctx.query('$expand')) === 'none' ? 'relations' : parseExpand(ctx.query('$expand')), links: true }));
    },
  },
  {
    name: 'wit.workItems.delete',
    method: 'DELETE',
    location: '72c7ddf8-2cdc-4f60-90cd-ab71c14a399b',
    contract: wit('workitems/{id}'),
    with: ['id'],
    handler: (ctx) => {
      const id = Number(ctx.param('id'));
      const item = fetchMany(ctx, [id], 'fail')[0];
      if (!item) workItemNotFound(id);
      ctx.state.removeWorkItem(id);
      ctx.state.changed();
      const project = ctx.state.doc.projects.find((p) => p.id === item.projectId);
      const user = ctx.user;
      return ok({
        id,
        code: 200,
        deletedBy: `${user.displayName} <${user.uniqueName}>`,
        deletedDate: ctx.state.nowIso(),
        name: String(item.fields['System.Title'] ?? ''),
        project: project?.name ?? '',
        type: String(item.fields['System.WorkItemType'] ?? ''),
        url: `${ctx.orgUrl}/${item.projectId}/_apis/wit/recyclebin/${id}`,
      });
    },
  },
  {
    name: 'wit.workItemsBatch',
    method: 'POST',
    location: '908509b6-4248-4475-a1cd-829139ba419f',
    contract: wit('workitemsbatch'),
    handler: (ctx) => {
      const body = ctx.json(BatchSchema);
      if (body.ids.length === 0) throw badRequest('InvalidArgumentValueException', 'The ids list is empty; send between 1 and 200 work item ids.');
      const expand = parseExpand(body.$expand);
      const fields = body.fields ?? undefined;
      checkFieldsWithExpand(fields, expand);
      const items = fetchMany(ctx, body.ids, parseErrorPolicy(body.errorPolicy), body.asOf);
      return list(items.map((item) => (item ? renderWorkItem(ctx, item, { fields, expand }) : null)));
    },
  },
];
