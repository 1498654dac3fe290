import { GitHubGraphQLError } from './errors';

export interface ConnectionArgs {
  readonly first?: number | null;
  readonly last?: number | null;
  readonly after?: string | null;
  readonly before?: string | null;
}

export const MAX_PAGE_SIZE = 100;

const encode = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');

function decode(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GitHubGraphQLError(undefined, `\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]);
}

/**
 * A Relay connection over a list, as GitHub pages one: opaque cursors, `first`/`after` and
 * `last`/`before`, pageInfo and totalCount. The 100-record and missing-boundary checks happen before
 * execution (limits.ts), as on GitHub; this only slices.
 */
export function connection<T, N>(items: readonly T[], args: ConnectionArgs, toNode: (item: T) => N) {
  let start = 0;
  let end = items.length;
  if (args.after) start = Math.max(start, decode(args.after) + 1);
  if (args.before) end = Math.min(end, decode(args.before));
  if (typeof args.first === 'number') end = Math.min(end, start + Math.max(0, args.first));
  if (typeof args.last === 'number') start = Math.max(start, end - Math.max(0, args.last));
  const slice = items.slice(start, Math.max(start, end)).map((item, i) => ({ cursor: encode(start + i), node: toNode(item) }));
  return {
    edges: slice,
    nodes: slice.map((e) => e.node),
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice[0]?.cursor ?? null,
      endCursor: slice[slice.length - 1]?.cursor ?? null,
    },
  };
}
