/**
 * The baseline of the Azure Boards benches: azure-devops-node-api called directly for the requests
 * our tracker makes for "All open": WIQL pages by id range (`[System.Id] > last`, 20,000 ids a
 * page, until one is short; or one page) and 200-id batches, `concurrency` at a time. No
 * validation, mapping, tree or cache. Shared by azureBoards.bench.ts and azureLargeRunner.ts.
 */
import * as azdev from 'azure-devops-node-api';
import { WorkItemErrorPolicy, WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT } from '../../src/sandbox/identity';

const OPEN = "[System.State] NOT IN ('Closed', 'Removed')";

export interface NodeApiLoad {
  readonly url: string;
  readonly concurrency: number;
  /** 'all': page until a page is short; 'one': a single WIQL query (what code before paging did). */
  readonly pages: 'all' | 'one';
  /** At most this many 200-id batches (the first ones), as many as the tracker fetched. */
  readonly batches?: number;
}

export async function nodeApiLoad(options: NodeApiLoad): Promise<{ ids: number; fetched: number }> {
  const web = new azdev.WebApi(options.url, azdev.getPersonalAccessTokenHandler(SANDBOX_CREDENTIALS.azureDevOpsPat));
  const wit = await web.getWorkItemTrackingApi();
  const team = { project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` };
  const ids: number[] = [];
  let last = 0;
  for (;;) {
    const range = options.pages === 'one' ? '' : ` AND [System.Id] > ${last}`;
    const result = await wit.queryByWiql({ query: `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND ${OPEN}${range} ORDER BY [System.Id]` }, team, true, 20_000);
    const got = (result.workItems ?? []).map((w) => w.id!);
    ids.push(...got);
    if (options.pages === 'one' || got.length < 20_000) break;
    last = got[got.length - 1]!;
  }
  const chunks: number[][] = [];
  const most = options.batches ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < ids.length && chunks.length < most; i += 200) chunks.push(ids.slice(i, i + 200));
  let fetched = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, chunks.length) }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const batch = await wit.getWorkItemsBatch({ ids: chunk, $expand: WorkItemExpand.Relations, errorPolicy: WorkItemErrorPolicy.Omit }, SANDBOX_PROJECT);
        fetched += batch.length;
      }
    }),
  );
  return { ids: ids.length, fetched };
}
