import { z } from 'zod';
import { type WriteKind } from '../../../core/boards/outbox';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';

/** Wiki pages: the REST location of `…/wikis/{wikiIdentifier}/pages` (azure-devops-node-api has no page PUT). */
const WIKI_PAGES_LOCATION = '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b';

/** The outbox kind of a wiki page write (the name entries on disk carry; the audit mirror's run pages were the first). */
export const WIKI_PAGE_KIND = 'auditWikiPage';

export const WikiPagePayloadSchema = z.object({ path: z.string().min(1), content: z.string() });
export type WikiPagePayload = z.infer<typeof WikiPagePayloadSchema>;

const WikiListSchema = z.array(z.object({ id: z.string(), name: z.string(), type: z.union([z.string(), z.number()]).optional() }).loose());

/** Pages of the project wiki of one Azure DevOps connection: the project wiki is looked up once, then pages are written whole. */
export class AzureWikiPages {
  private wikiId: Promise<string> | undefined;

  constructor(private readonly connection: AzureConnection) {}

  /**
   * Creates or updates the page: GET for its ETag, PUT with If-Match (without it when the page is
   * new). A 409 (created meanwhile) or 412 (edited meanwhile) reads the page again once; the page is
   * the caller's, so the second write replaces what was there with the full content.
   */
  async put(path: string, content: string, signal?: AbortSignal): Promise<void> {
    const project = this.connection.endpoint.project;
    const wikiIdentifier = await this.projectWiki(signal);
    const url = async (api: Awaited<ReturnType<AzureConnection['api']>>): Promise<{ url: string; accept: string }> => {
      const wiki = await api.wiki();
      const data = await wiki.vsoClient.getVersioningData('7.1', 'wiki', WIKI_PAGES_LOCATION, { project, wikiIdentifier }, { path });
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
    const write = (ifMatch: string | undefined): Promise<unknown> =>
      this.connection.call(
        `writing the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api);
          return api.web.rest.replace<unknown>(u, { content }, { acceptHeader: accept, ...(ifMatch ? { additionalHeaders: { 'If-Match': ifMatch } } : {}) });
        },
        { idempotent: false, signal },
      );
    try {
      await write(await eTag());
    } catch (error) {
      if (!isDevOpsError(error) || (error.options.status !== 409 && error.options.status !== 412)) throw error;
      await write(await eTag());
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
      send: async (p, _observed, context) => {
        await this.put(p.path, p.content, context.signal);
        return undefined;
      },
    };
  }

  private projectWiki(signal?: AbortSignal): Promise<string> {
    const current = (this.wikiId ??= (async () => {
      const project = this.connection.endpoint.project;
      const wikis = WikiListSchema.safeParse(await this.connection.call('listing the project wikis', async (api) => (await api.wiki()).getAllWikis(project), { idempotent: true, signal }));
      if (!wikis.success) throw new DevOpsError('badResponse', 'Azure DevOps sent a wiki list that could not be read.');
      const wiki = wikis.data.find((w) => w.type === 0 || w.type === 'projectWiki') ?? wikis.data[0];
      if (!wiki) throw new DevOpsError('notFound', `The project "${project}" has no wiki; create the project wiki in Azure DevOps to get a page per agent run.`);
      return wiki.id;
    })());
    current.catch(() => {
      if (this.wikiId === current) this.wikiId = undefined;
    });
    return current;
  }
}
