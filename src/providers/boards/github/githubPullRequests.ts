import { z } from 'zod';
import { type PullRequestCreated, type PullRequestHost, type PullRequestRequest } from '../../../core/boards/codeHost';
import { type GitHubClient } from './githubClient';

const PullSchema = z.object({ number: z.number().int(), html_url: z.string() }).loose();

/**
 * Pull requests on the connected GitHub repository through the trackers' client (its credential,
 * throttling and retries). An open pull request for the same head and base is looked for first,
 * so a re-run or a retry after an unknown outcome never opens a second one.
 */
export class GitHubPullRequests implements PullRequestHost {
  constructor(private readonly client: GitHubClient) {}

  async createPullRequest(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestCreated> {
    const { owner, repo } = this.client.endpoint;
    const head = `${owner}:${request.sourceBranch}`;
    const open = async (): Promise<z.infer<typeof PullSchema> | undefined> =>
      (
        await this.client.restParsed('looking for an open pull request', z.array(PullSchema), (kit, r) => kit.rest.pulls.list({ owner, repo, head, base: request.targetBranch, state: 'open', per_page: 1, request: r }), { ...(signal ? { signal } : {}) })
      ).data[0];
    const existing = await open();
    if (existing) return { id: existing.number, url: existing.html_url, existed: true };
    try {
      const made = await this.client.restParsed(
        `opening the pull request ${request.sourceBranch} → ${request.targetBranch}`,
        PullSchema,
        (kit, r) => kit.rest.pulls.create({ owner, repo, head: request.sourceBranch, base: request.targetBranch, title: request.title, body: request.description, draft: request.isDraft ?? false, request: r }),
        { write: true, ...(signal ? { signal } : {}) },
      );
      return { id: made.data.number, url: made.data.html_url, existed: false };
    } catch (error) {
      // A dropped create may have been made: look before saying it failed.
      const after = await open().catch(() => undefined);
      if (after) return { id: after.number, url: after.html_url, existed: false };
      throw error;
    }
  }
}
