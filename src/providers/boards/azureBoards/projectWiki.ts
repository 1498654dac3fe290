import { z } from 'zod';
import { type WikiHost } from '../../../core/boards/codeHost';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';

/** Wiki pages: the REST location of `…/wikis/{wikiIdentifier}/pages` (azure-devops-node-api has no page PUT). */
const WIKI_PAGES_LOCATION = '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b';
const WikiListSchema = z.array(z.object({ id: z.string(), name: z.string(), type: z.union([z.string(), z.number()]).optional(), remoteUrl: z.string().optional() }).loose());

/**
 * The connected project's wiki: pages created or replaced through the Azure Boards connection.
 * A page is written with If-Match (its ETag read first), so an edit made on it meanwhile is met
 * with a 412 and read again once rather than silently lost; writing the same page twice is harmless.
 */
export class ProjectWiki implements WikiHost {
  private wiki: Promise<{ id: string; remoteUrl?: string }> | undefined;

  constructor(private readonly connection: AzureConnection) {}

  async putPage(path: string, content: string, signal?: AbortSignal): Promise<{ url: string }> {
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
    try {
      await put(await eTag());
    } catch (error) {
      if (!isDevOpsError(error) || (error.options.status !== 409 && error.options.status !== 412)) throw error;
      await put(await eTag());
    }
    const base = wiki.remoteUrl ?? `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/_wiki/wikis/${encodeURIComponent(wiki.id)}`;
    return { url: `${base}?pagePath=${encodeURIComponent(path)}` };
  }

  private projectWiki(signal?: AbortSignal): Promise<{ id: string; remoteUrl?: string }> {
    const current = (this.wiki ??= (async () => {
      const project = this.connection.endpoint.project;
      const wikis = WikiListSchema.safeParse(await this.connection.call('listing the project wikis', async (api) => (await api.wiki()).getAllWikis(project), { idempotent: true, signal }));
      if (!wikis.success) throw new DevOpsError('badResponse', 'Azure DevOps sent a wiki list that could not be read.');
      const found = wikis.data.find((w) => w.type === 0 || w.type === 'projectWiki') ?? wikis.data[0];
      if (!found) throw new DevOpsError('notFound', `The project "${project}" has no wiki; create the project wiki in Azure DevOps, then run the agent again.`);
      return { id: found.id, ...(found.remoteUrl ? { remoteUrl: found.remoteUrl } : {}) };
    })());
    current.catch(() => {
      if (this.wiki === current) this.wiki = undefined;
    });
    return current;
  }
}
