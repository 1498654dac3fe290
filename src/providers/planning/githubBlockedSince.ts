import { z } from 'zod';
import { runBatch } from '../../core/ai/batch';
import { DevOpsError } from '../../core/errors';
import { githubBlockedSince, type IssueHistoryEvent } from '../../core/planning/sprint/blockedSince';
import { type GitHubClient, nextLink } from '../boards/github/githubClient';

/** Issues whose events are read at once: enough to be quick, few enough not to trip GitHub's secondary rate limits. */
const CONCURRENCY = 4;
const PAGE = 100;

/** Only what is read of an issue event: other kinds (assigned, closed, …) carry no label and are skipped. */
const IssueEventListSchema = z.array(
  z.object({
    event: z.string(),
    created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date'),
    label: z.object({ name: z.string() }).nullish(),
  }),
);

/**
 * When each issue got the blocked label it still has: its events (100 a page, every page), the
 * `labeled` event after the last `unlabeled` one of a blocked label. An issue whose events cannot
 * be read (gone, forbidden, GitHub failing) gets no date; the others are still counted.
 * Cancelling stops the reading and throws.
 */
export async function labelBlockedSince(
  client: GitHubClient,
  numbers: readonly number[],
  isBlockedLabel: (name: string) => boolean,
  signal?: AbortSignal,
): Promise<Map<number, string>> {
  const { owner, repo } = client.endpoint;
  const results = await runBatch(
    numbers,
    async (issue, batchSignal): Promise<string | undefined> => {
      const events: IssueHistoryEvent[] = [];
      let url: string | undefined = `GET /repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues/${issue}/events`;
      let first = true;
      while (url) {
        const route: string = url;
        const { data, headers } = await client.restParsed(
          `reading when #${issue} was labelled blocked`,
          IssueEventListSchema,
          (kit, request) => (first ? kit.request(route, { per_page: PAGE, request }) : kit.request(`GET ${route}`, { request })),
          { signal: batchSignal },
        );
        for (const e of data) {
          if ((e.event === 'labeled' || e.event === 'unlabeled') && e.label) events.push({ kind: e.event, at: e.created_at, label: e.label.name });
        }
        url = nextLink(headers);
        first = false;
      }
      return githubBlockedSince(events, isBlockedLabel);
    },
    { concurrency: CONCURRENCY, ...(signal ? { signal } : {}) },
  );
  if (signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
  const found = new Map<number, string>();
  results.forEach((r, i) => {
    if (r.ok && r.value !== undefined) found.set(numbers[i]!, r.value);
  });
  return found;
}
