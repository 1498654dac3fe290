import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { renderFieldValue, renderRelation } from '../render/workItem';
import { type Comment, type WorkItemRecord, type WorkItemUpdate } from '../state/model';
import { addComment } from '../state/workItemOps';
import { workItemNotFound } from './witWorkItems';

const wit = (path: string) => ({ file: 'workItemTracking', path: `/{organization}/{project}/_apis/wit/workItems/${path}` });

function item(ctx: AdoContext, raw: string | undefined): WorkItemRecord {
  const id = Number(raw);
  const found = Number.isInteger(id) ? ctx.state.workItem(id) : undefined;
  const project = ctx.project();
  if (!found || (project && found.projectId !== project.id)) workItemNotFound(raw ?? '');
  return found;
}

function commentJson(ctx: AdoContext, w: WorkItemRecord, c: Comment): Record<string, unknown> {
  return {
    workItemId: w.id,
    // 7.1 names it id (the description and the client); the 5.1 recording commentId: send both.
    id: c.id,
    commentId: c.id,
    version: c.version,
    text: c.text,
    createdBy: identityRef(ctx.orgUrl, ctx.state.identity(c.createdById)),
    createdDate: c.createdDate,
    modifiedBy: identityRef(ctx.orgUrl, ctx.state.identity(c.modifiedById)),
    modifiedDate: c.modifiedDate,
    isDeleted: c.isDeleted,
    format: 'html',
    renderedText: c.text,
    mentions: [],
    reactions: [],
    url: `${ctx.orgUrl}/${w.projectId}/_apis/wit/workItems/${w.id}/comments/${c.id}`,
  };
}

function updateJson(ctx: AdoContext, w: WorkItemRecord, u: WorkItemUpdate): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, change] of Object.entries(u.fields)) {
    fields[name] = {
      ...(change.oldValue !== undefined ? { oldValue: renderFieldValue(ctx, name, change.oldValue) } : {}),
      ...(change.newValue !== undefined ? { newValue: renderFieldValue(ctx, name, change.newValue) } : {}),
    };
  }
  const url = `${ctx.orgUrl}/${w.projectId}/_apis/wit/workItems/${w.id}/updates/${u.id}`;
  return {
    id: u.id,
    workItemId: w.id,
    rev: u.rev,
    revisedBy: { ...identityRef(ctx.orgUrl, ctx.state.identity(u.revisedById)), name: ctx.state.identity(u.revisedById).displayName },
    revisedDate: u.revisedDate,
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(u.relations
      ? {
          relations: Object.fromEntries(
            Object.entries(u.relations).map(([k, rels]) => [k, (rels ?? []).map((r) => renderRelation(ctx, r))]),
          ),
        }
      : {}),
    url,
    _links: {
      self: { href: url },
      workItemUpdates: { href: `${ctx.orgUrl}/${w.projectId}/_apis/wit/workItems/${w.id}/updates` },
      parent: { href: `${ctx.orgUrl}/${w.projectId}/_apis/wit/workItems/${w.id}` },
    },
  };
}

const AddCommentSchema = z.object({ text: z.string() });

export const witHistoryRoutes: readonly AdoRouteDef[] = [
  {
    name: 'wit.comments.list',
    method: 'GET',
    location: '608aac0a-32e1-4493-a863-b9cf4566d257',
    contract: wit('{workItemId}/comments'),
    without: ['commentId'],
    handler: (ctx) => {
      const w = item(ctx, ctx.param('workItemId'));
      const includeDeleted = ctx.query('includeDeleted') === 'true';
      const ascending = (ctx.query('order') ?? 'desc').toLowerCase() === 'asc';
      const wantedIds = ctx.query('ids')?.split(',').map(Number);
      let comments = w.comments.filter((c) => (includeDeleted || !c.isDeleted) && (!wantedIds || wantedIds.includes(c.id)));
      comments = comments.sort((a, b) => (ascending ? a.id - b.id : b.id - a.id));
      const start = Number(ctx.query('continuationToken') ?? '0');
      if (!Number.isInteger(start) || start < 0) throw badRequest('InvalidArgumentValueException', 'The continuationToken is not one this service issued.');
      const top = ctx.queryInt('$top') ?? 200;
      const page = comments.slice(start, start + top);
      const more = start + top < comments.length;
      const url = `${ctx.orgUrl}/${w.projectId}/_apis/wit/workItems/${w.id}/comments`;
      return ok({
        totalCount: comments.length,
        count: page.length,
        comments: page.map((c) => commentJson(ctx, w, c)),
        ...(more ? { continuationToken: String(start + top), nextPage: `${url}?continuationToken=${start + top}` } : {}),
        url,
      });
    },
  },
  {
    name: 'wit.comments.get',
    method: 'GET',
    location: '608aac0a-32e1-4493-a863-b9cf4566d257',
    contract: wit('{workItemId}/comments/{commentId}'),
    with: ['commentId'],
    handler: (ctx) => {
      const w = item(ctx, ctx.param('workItemId'));
      const c = w.comments.find((x) => x.id === Number(ctx.param('commentId')));
      if (!c || c.isDeleted) throw notFound('CommentNotFoundException', `VS403406: Comment ${ctx.param('commentId')} of work item ${w.id} does not exist.`);
      return ok(commentJson(ctx, w, c));
    },
  },
  {
    name: 'wit.comments.add',
    method: 'POST',
    location: '608aac0a-32e1-4493-a863-b9cf4566d257',
    contract: wit('{workItemId}/comments'),
    without: ['commentId'],
    handler: (ctx) => {
      const w = item(ctx, ctx.param('workItemId'));
      const { text } = ctx.json(AddCommentSchema);
      if (text.trim() === '') throw badRequest('InvalidArgumentValueException', 'A comment needs text.');
      addComment(ctx.state, w, text, ctx.user, ctx.state.nowIso());
      ctx.state.changed();
      const added = w.comments[w.comments.length - 1] as Comment;
      return ok(commentJson(ctx, w, added));
    },
  },
  {
    name: 'wit.updates.list',
    method: 'GET',
    location: '6570bf97-d02c-4a91-8d93-3abe9895b1a9',
    contract: wit('{id}/updates'),
    without: ['updateNumber'],
    handler: (ctx) => {
      const w = item(ctx, ctx.param('id'));
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 200;
      return list(w.updates.slice(skip, skip + top).map((u) => updateJson(ctx, w, u)));
    },
  },
  {
    name: 'wit.updates.get',
    method: 'GET',
    location: '6570bf97-d02c-4a91-8d93-3abe9895b1a9',
    contract: wit('{id}/updates/{updateNumber}'),
    with: ['updateNumber'],
    handler: (ctx) => {
      const w = item(ctx, ctx.param('id'));
      const u = w.updates.find((x) => x.id === Number(ctx.param('updateNumber')));
      if (!u) throw notFound('WorkItemUpdateNotFoundException', `Update ${ctx.param('updateNumber')} of work item ${w.id} does not exist.`);
      return ok(updateJson(ctx, w, u));
    },
  },
];
