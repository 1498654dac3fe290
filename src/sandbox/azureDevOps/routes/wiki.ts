import { z } from 'zod';
import { type AdoContext, created, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { newGuid, objectId } from '../state/ids';
import { type Wiki, type WikiPage } from '../state/model';

const contract = (path: string, status?: number) => ({ file: 'wiki', path: `/{organization}/{project}/_apis/wiki/wikis${path}`, ...(status ? { status } : {}) });

function wikiUrl(ctx: AdoContext, w: Wiki): string {
  return `${ctx.orgUrl}/${w.projectId}/_apis/wiki/wikis/${w.id}`;
}

function wikiJson(ctx: AdoContext, w: Wiki): Record<string, unknown> {
  return {
    id: w.id,
    versions: [{ version: 'wikiMaster' }],
    url: wikiUrl(ctx, w),
    remoteUrl: `${ctx.orgUrl}/${w.projectId}/_wiki/wikis/${w.id}`,
    type: w.type,
    name: w.name,
    projectId: w.projectId,
    repositoryId: w.repositoryId,
    mappedPath: w.mappedPath,
    isDisabled: false,
  };
}

/** The page version is its ETag: the hash of what it holds, quoted as the service sends it. */
const eTagOf = (page: WikiPage) => `"${objectId('wikipage', page.path, String(page.version), page.content)}"`;

function pageJson(ctx: AdoContext, w: Wiki, page: WikiPage, withContent: boolean): Record<string, unknown> {
  const children = w.pages.filter((p) => p.path !== page.path && p.path.startsWith(`${page.path}/`) && !p.path.slice(page.path.length + 1).includes('/'));
  return {
    id: page.id,
    path: page.path,
    order: page.order,
    gitItemPath: `${page.path.replace(/ /g, '-')}.md`,
    isParentPage: children.length > 0,
    subPages: [],
    url: `${wikiUrl(ctx, w)}/pages/${encodeURIComponent(page.path)}`,
    remoteUrl: `${ctx.orgUrl}/${w.projectId}/_wiki/wikis/${w.id}?pagePath=${encodeURIComponent(page.path)}`,
    ...(withContent ? { content: page.content } : {}),
  };
}

function wikiOf(ctx: AdoContext): Wiki {
  const project = ctx.project();
  const wanted = (ctx.param('wikiIdentifier') ?? '').toLowerCase();
  const w = ctx.state.doc.wikis.find((x) => (x.id.toLowerCase() === wanted || x.name.toLowerCase() === wanted) && (!project || x.projectId === project.id));
  if (!w) throw notFound('WikiNotFoundException', `VS403113: The wiki ${ctx.param('wikiIdentifier')} does not exist in this project.`);
  return w;
}

function pagePath(ctx: AdoContext): string {
  const raw = ctx.query('path') ?? ctx.param('path') ?? '/';
  const path = `/${raw.split('/').filter(Boolean).join('/')}`;
  return path;
}

const CreateWikiSchema = z.object({
  name: z.string(),
  projectId: z.string(),
  type: z.union([z.string(), z.number()]).nullish(),
  repositoryId: z.string().nullish(),
  mappedPath: z.string().nullish(),
});

export const wikiRoutes: readonly AdoRouteDef[] = [
  {
    name: 'wiki.wikis.list',
    method: 'GET',
    location: '288d122c-dbd4-451d-aa5f-7dbbba070728',
    contract: contract(''),
    without: ['wikiIdentifier'],
    handler: (ctx) => {
      const project = ctx.project();
      return list(ctx.state.doc.wikis.filter((w) => !project || w.projectId === project.id).map((w) => wikiJson(ctx, w)));
    },
  },
  {
    name: 'wiki.wikis.get',
    method: 'GET',
    location: '288d122c-dbd4-451d-aa5f-7dbbba070728',
    contract: contract('/{wikiIdentifier}'),
    with: ['wikiIdentifier'],
    handler: (ctx) => ok(wikiJson(ctx, wikiOf(ctx))),
  },
  {
    name: 'wiki.wikis.create',
    method: 'POST',
    location: '288d122c-dbd4-451d-aa5f-7dbbba070728',
    contract: contract('', 201),
    without: ['wikiIdentifier'],
    handler: (ctx) => {
      const body = ctx.json(CreateWikiSchema);
      const project = ctx.state.findProject(body.projectId);
      if (!project) throw badRequest('InvalidArgumentValueException', `TF200016: The following project does not exist: ${body.projectId}.`);
      const type = String(body.type ?? 'projectWiki').toLowerCase() === 'codewiki' || String(body.type) === '1' ? 'codeWiki' : 'projectWiki';
      if (type === 'projectWiki' && ctx.state.doc.wikis.some((w) => w.projectId === project.id && w.type === 'projectWiki')) {
        throw new AdoHttpError(409, 'ProjectWikiAlreadyExistsException', `VS403115: A project wiki already exists in project ${project.name}.`);
      }
      if (ctx.state.doc.wikis.some((w) => w.projectId === project.id && w.name.toLowerCase() === body.name.toLowerCase())) {
        throw new AdoHttpError(409, 'WikiAlreadyExistsException', `VS403114: A wiki named ${body.name} already exists in project ${project.name}.`);
      }
      if (type === 'codeWiki' && !ctx.state.doc.repositories.some((r) => r.id === body.repositoryId)) {
        throw badRequest('InvalidArgumentValueException', 'A code wiki needs the repositoryId of a repository in the project.');
      }
      const id = newGuid();
      const wiki: Wiki = { id, projectId: project.id, name: body.name, type, repositoryId: body.repositoryId ?? id, mappedPath: body.mappedPath ?? '/', pages: [] };
      ctx.state.doc.wikis.push(wiki);
      ctx.state.changed();
      return created(wikiJson(ctx, wiki));
    },
  },
  {
    name: 'wiki.pages.get',
    method: 'GET',
    location: '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b',
    contract: contract('/{wikiIdentifier}/pages'),
    handler: (ctx) => {
      const w = wikiOf(ctx);
      const path = pagePath(ctx);
      const page = w.pages.find((p) => p.path.toLowerCase() === path.toLowerCase());
      if (!page) throw notFound('WikiPageNotFoundException', `VS403108: The page '${path}' specified does not exist in the wiki.`);
      const headers = { etag: eTagOf(page) };
      if (/text\/plain/.test(String(ctx.req.headers.accept ?? ''))) return { status: 200, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }, body: page.content };
      return ok(pageJson(ctx, w, page, ctx.query('includeContent') === 'true'), headers);
    },
  },
  {
    name: 'wiki.pages.put',
    method: 'PUT',
    location: '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b',
    contract: contract('/{wikiIdentifier}/pages', 201),
    handler: (ctx) => {
      const w = wikiOf(ctx);
      const path = pagePath(ctx);
      if (path === '/') throw badRequest('InvalidArgumentValueException', 'A page needs a path such as /Release Notes.');
      const { content } = ctx.json(z.object({ content: z.string() }));
      const ifMatch = ctx.req.headers['if-match'];
      const existing = w.pages.find((p) => p.path.toLowerCase() === path.toLowerCase());
      if (!existing) {
        if (ifMatch) throw notFound('WikiPageNotFoundException', `VS403108: The page '${path}' specified in the edit operation does not exist in the wiki.`);
        const page: WikiPage = { id: ctx.state.next('wikiPage'), path, content, version: 1, order: w.pages.filter((p) => p.path.split('/').length === path.split('/').length).length };
        w.pages.push(page);
        ctx.state.changed();
        return created(pageJson(ctx, w, page, true), { etag: eTagOf(page) });
      }
      if (!ifMatch) {
        throw new AdoHttpError(409, 'WikiPageAlreadyExistsException', `VS403117: The page '${path}' specified in the add operation already exists in the wiki. Send If-Match with the page's ETag to edit it.`);
      }
      if (ifMatch !== eTagOf(existing)) {
        throw new AdoHttpError(412, 'WikiPageVersionMismatchException', `VS403116: The page '${path}' has changed since the version in If-Match (${ifMatch}); get it again and retry with its current ETag.`);
      }
      existing.content = content;
      existing.version += 1;
      ctx.state.changed();
      return ok(pageJson(ctx, w, existing, true), { etag: eTagOf(existing) });
    },
  },
];
