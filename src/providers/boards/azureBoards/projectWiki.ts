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
    const project = this.connection.endpoint.project;
    const wiki = await this.projectWiki(signal);
    const url = async (api: Awaited<ReturnType<AzureConnection['api']>>): Promise<{ url: string; accept: string }> => {
      const client = await api.wiki();
      const data = await client.vsoClient.getVersioningData('7.1', 'wiki', WIKI_PAGES_LOCATION, { project, wikiIdentifier: wiki.id }, { path });
      return { url: data.requestUrl ?? '', accept: `application/json;api-version=${data.apiVersion ?? '7.1'}` };
    };
    const eTag = async (): Promise<string | undefined> => {
      const res = await this.connection.call(
        `reading the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api);
          return api.web.rest.get<unknown>(u, { acceptHeader: accept });
        },
        { idempotent: true, signal },
      );
      if (res.statusCode === 404 || res.result === null) return undefined;
      const header = (res.headers as Record<string, unknown>).etag;
      return typeof header === 'string' ? header : undefined;
    };
    const put = (ifMatch: string | undefined): Promise<unknown> =>
      this.connection.call(
        `writing the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api);
          return api.web.rest.replace<unknown>(u, { content }, { acceptHeader: accept, ...(ifMatch ? { additionalHeaders: { 'If-Match': ifMatch } } : {}) });
        },
        { idempotent: false, signal },
      );
    let first = await eTag();
    try {
      await put(first);
    } catch (error) {
      if (!isDevOpsError(error) || (error.options.status !== 409 && error.options.status !== 412)) throw error;
      first = await eTag();
      await put(first);
    }
    const base = wiki.remoteUrl ?? `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/_wiki/wikis/${encodeURIComponent(wiki.id)}`;
    return { url: `${base}?pagePath=${encodeURIComponent(path)}`, created: first === undefined };
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
      send: async (p, _observed, context) => {
        await this.putPage(p.path, p.content, context.signal);
        return undefined;
      },
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
