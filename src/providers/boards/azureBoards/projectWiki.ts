import { z } from 'zod';
import { type WriteKind } from '../../../core/boards/outbox';
import { type WikiHost } from '../../../core/boards/codeHost';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';

/** Wiki pages: the REST location of `…/wikis/{wikiIdentifier}/pages` (azure-devops-node-api has no page PUT). */
const WIKI_PAGES_LOCATION = '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b';

/** The outbox kind of a wiki page write (the name entries on disk carry; the audit mirror's run pages were the first). */
export const WIKI_PAGE_KIND = 'auditWikiPage';

export const WikiPagePayloadSchema = z.object({ path: z.string().min(1), content: z.string() });
export type WikiPagePayload = z.infer<typeof WikiPagePayloadSchema>;

const WikiListSchema = z.array(z.object({ id: z.string(), name: z.string(), type: z.union([z.string(), z.number()]).optional(), remoteUrl: z.string().optional() }).loose());

const PageSchema = z.object({ content: z.string().optional() }).loose();

export interface WrittenPage {
  readonly url: string;
  /** True when the page did not exist before this write. */
  readonly created: boolean;
}

/**
 * The connected project's wiki, and the one place that writes its pages: agents' `wiki.page`
 * changes, the outbox's queued page writes and the audit mirror's run pages all come here. The
 * project wiki is looked up once per connection. A page is written whole: GET for its ETag, PUT
 * with If-Match (without it when the page is new, which creates it). A 409 (created meanwhile) or
 * 412 (edited meanwhile) reads the page again once and writes over it, since the page is the
 * caller's; writing the same page twice is harmless.
 */
export class ProjectWiki implements WikiHost {
  private wiki: Promise<{ id: string; remoteUrl?: string }> | undefined;

  constructor(private readonly connection: AzureConnection) {}

  async putPage(path: string, content: string, signal?: AbortSignal): Promise<WrittenPage> {
    return this.write(path, () => content, 1, signal);
  }

  /**
   * Read, change, write: `edit` gets the page's text (undefined when there is none) and returns the
   * new text. A page changed or created by someone else in between (412/409) is read again and
   * `edit` applied to what is there now, up to three times, so concurrent writers of one page (two
   * windows adding their runs to the day's page) both keep their part.
   */
  async updatePage(path: string, edit: (current: string | undefined) => string, signal?: AbortSignal): Promise<WrittenPage> {
    return this.write(path, edit, 3, signal, true);
  }

  private async write(path: string, edit: (current: string | undefined) => string, retries: number, signal?: AbortSignal, withContent = false): Promise<WrittenPage> {
    const project = this.connection.endpoint.project;
    const wiki = await this.projectWiki(signal);
    const url = async (api: Awaited<ReturnType<AzureConnection['api']>>, includeContent: boolean): Promise<{ url: string; accept: string }> => {
      const client = await api.wiki();
      const data = await client.vsoClient.getVersioningData('7.1', 'wiki', WIKI_PAGES_LOCATION, { project, wikiIdentifier: wiki.id }, { path, ...(includeContent ? { includeContent: true } : {}) });
      return { url: data.requestUrl ?? '', accept: `application/json;api-version=${data.apiVersion ?? '7.1'}` };
    };
    const read = async (): Promise<{ eTag?: string; content?: string } | undefined> => {
      const res = await this.connection.call(
        `reading the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api, withContent);
          return api.web.rest.get<unknown>(u, { acceptHeader: accept });
        },
        { idempotent: true, signal },
      );
      if (res.statusCode === 404 || res.result === null) return undefined;
      const header = (res.headers as Record<string, unknown>).etag;
      const page = PageSchema.safeParse(res.result);
      if (withContent && (!page.success || page.data.content === undefined)) throw new DevOpsError('badResponse', `Azure DevOps sent the wiki page ${path} without its text.`);
      return { ...(typeof header === 'string' ? { eTag: header } : {}), ...(page.success && page.data.content !== undefined ? { content: page.data.content } : {}) };
    };
    const put = (content: string, ifMatch: string | undefined): Promise<unknown> =>
      this.connection.call(
        `writing the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api, false);
          return api.web.rest.replace<unknown>(u, { content }, { acceptHeader: accept, ...(ifMatch ? { additionalHeaders: { 'If-Match': ifMatch } } : {}) });
        },
        { idempotent: false, signal },
      );
    for (let attempt = 0; ; attempt++) {
      const page = await read();
      try {
        await put(edit(page?.content), page?.eTag);
        const base = wiki.remoteUrl ?? `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/_wiki/wikis/${encodeURIComponent(wiki.id)}`;
        return { url: `${base}?pagePath=${encodeURIComponent(path)}`, created: page === undefined };
      } catch (error) {
        if (attempt >= retries || !isDevOpsError(error) || (error.options.status !== 409 && error.options.status !== 412)) throw error;
      }
    }
  }

  /**
   * The outbox adapter: writing the same page again is harmless (the content is whole), so nothing
   * is looked up first and a lost answer is simply written again.
   */
  writeKind(): WriteKind<WikiPagePayload> {
    return {
      kind: WIKI_PAGE_KIND,
      payload: WikiPagePayloadSchema,
      observe: async () => ({ made: false }),
      // The page's address and whether it was new: what an agent's wiki.page change reports.
      send: async (p, _observed, context) => this.putPage(p.path, p.content, context.signal),
    };
  }

  private projectWiki(signal?: AbortSignal): Promise<{ id: string; remoteUrl?: string }> {
    const current = (this.wiki ??= (async () => {
      const project = this.connection.endpoint.project;
      const wikis = WikiListSchema.safeParse(await this.connection.call('listing the project wikis', async (api) => (await api.wiki()).getAllWikis(project), { idempotent: true, signal }));
      if (!wikis.success) throw new DevOpsError('badResponse', 'Azure DevOps sent a wiki list that could not be read.');
      const found = wikis.data.find((w) => w.type === 0 || w.type === 'projectWiki') ?? wikis.data[0];
      if (!found) throw new DevOpsError('notFound', `The project "${project}" has no wiki; create the project wiki in Azure DevOps (or run AI DevOps: Bootstrap Azure DevOps Project…), then try again.`);
      return { id: found.id, ...(found.remoteUrl ? { remoteUrl: found.remoteUrl } : {}) };
    })());
    current.catch(() => {
      if (this.wiki === current) this.wiki = undefined;
    });
    return current;
  }
}

/** The outbox kind of a section of a shared page (the audit mirror's day pages: one section per run). */
export const WIKI_SECTION_KIND = 'wikiPageSection';

export const WikiSectionPayloadSchema = z.object({
  path: z.string().min(1),
  /** The page's first line when the page is new. */
  heading: z.string(),
  sectionId: z.string().regex(/^[A-Za-z0-9._-]{1,120}$/),
  section: z.string(),
});
export type WikiSectionPayload = z.infer<typeof WikiSectionPayloadSchema>;

const sectionStart = (id: string) => `<!-- ai-devops:section ${id} -->`;
const sectionEnd = (id: string) => `<!-- /ai-devops:section ${id} -->`;

/**
 * The page's text with the section `id` replaced where it is, or added at the end: the markers are
 * HTML comments, which the wiki does not show. Text outside the markers (someone's notes) is kept.
 */
export function upsertSection(current: string | undefined, heading: string, id: string, section: string): string {
  const block = `${sectionStart(id)}\n${section.trim()}\n${sectionEnd(id)}`;
  const text = current ?? `${heading}\n`;
  const start = text.indexOf(sectionStart(id));
  const end = start < 0 ? -1 : text.indexOf(sectionEnd(id), start);
  if (start >= 0 && end >= 0) return `${text.slice(0, start)}${block}${text.slice(end + sectionEnd(id).length)}`;
  return `${text.replace(/\s*$/, '')}\n\n${block}\n`;
}

/** The outbox adapter of page sections: applying a section twice leaves one copy, so a replay is harmless. */
export function wikiSectionKind(wiki: ProjectWiki): WriteKind<WikiSectionPayload> {
  return {
    kind: WIKI_SECTION_KIND,
    payload: WikiSectionPayloadSchema,
    observe: async () => ({ made: false }),
    send: async (p, _observed, context) => {
      await wiki.updatePage(p.path, (current) => upsertSection(current, p.heading, p.sectionId, p.section), context.signal);
      return undefined;
    },
  };
}
