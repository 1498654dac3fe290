import { type GhContext } from './context';

/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page`, with a Link
 * header naming prev/next/last/first pages as absolute URLs (octokit.paginate follows `next`).
 */
export function paginate<T>(ctx: GhContext, items: readonly T[], defaultPerPage = 30): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, ctx.queryInt('per_page', defaultPerPage));
  const page = ctx.queryInt('page', 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.req.url.toString());
    url.searchParams.set('page', String(p));
    return `<${ctx.apiBase}${ctx.req.path}?${url.searchParams.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { page: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}
