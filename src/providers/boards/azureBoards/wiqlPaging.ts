import { badResponse } from './azureErrors';

/**
 * The most ids one WIQL query returns. Past it the service refuses the query (VS402337) unless
 * `$top` cuts the answer short, silently: so every list query asks for this many and pages.
 */
export const WIQL_PAGE = 20_000;

/** One WIQL query: its ids in the service's order and the service's time when it ran. */
export type RunWiql = (query: string) => Promise<{ readonly ids: readonly number[]; readonly asOf: string | undefined }>;

/**
 * Every id `SELECT [System.Id] FROM WorkItems WHERE <where>` matches, however many there are: pages
 * of WIQL_PAGE ids by id range (`AND [System.Id] > <last> ORDER BY [System.Id]`, repeated until a
 * page is short), the documented way past the cap. `asOf` is the first page's time, the earliest:
 * an item changed while the later pages ran is seen by the next changed-since query.
 *
 * `onPage` hears the ids known so far after each page that is not the last.
 *
 * A page whose ids do not ascend past the previous page (a service ignoring the ORDER BY or the
 * range) would page forever or repeat ids: it is refused as a malformed answer.
 */
export async function allIds(where: string, what: string, run: RunWiql, onPage?: (idsSoFar: readonly number[]) => void): Promise<{ ids: number[]; asOf: string | undefined; pages: number }> {
  const ids: number[] = [];
  let asOf: string | undefined;
  let last = 0;
  for (let pages = 1; ; pages++) {
    const range = last > 0 ? ` AND [System.Id] > ${last}` : '';
    const page = await run(`SELECT [System.Id] FROM WorkItems WHERE ${where}${range} ORDER BY [System.Id]`);
    if (pages === 1) asOf = page.asOf;
    for (const id of page.ids) {
      if (id <= last) throw badResponse(what, `work item ids out of order (${id} after ${last}) in a query ordered by id`);
      ids.push(id);
      last = id;
    }
    if (page.ids.length < WIQL_PAGE) return { ids, asOf, pages };
    // More pages to come: a view can show what is known already (a copy: the list grows on).
    onPage?.([...ids]);
  }
}
