import { z } from 'zod';
import { type PullRequestFound, type PullRequestHost, type PullRequestRequest } from '../../../core/boards/codeHost';
import { type GitHubClient } from './githubClient';

const PullSchema = z.object({ number: z.number().int(), html_url: z.string() }).loose();

/**
 * Pull requests on the connected GitHub repository through the trackers' client (its credential,
 * throttling and retries), as the outbox's adapter uses them (pullRequestWrites.ts): GitHub keeps
 * one open pull request per head and base, which `findOpen` looks for; `create` posts once.
 */
export class GitHubPullRequests implements PullRequestHost {
  constructor(private readonly client: GitHubClient) {}

  async findOpen(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestFound | undefined> {
    const { owner, repo } = this.client.endpoint;
    const listed = await this.client.restParsed(
      'looking for an open pull request',
      z.array(PullSchema),
      (kit, r) => kit.rest.pulls.list({ owner, repo, head: `${owner}:${request.sourceBranch}`, base: request.targetBranch, state: 'open', per_page: 1, request: r }),
      { ...(signal ? { signal } : {}) },
    );
    const found = listed.data[0];
    return found ? { id: found.number, url: found.html_url } : undefined;
  }

  async create(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestFound> {
    const { owner, repo } = this.client.endpoint;
    const made = await this.client.restParsed(
      `opening the pull request ${request.sourceBranch} → ${request.targetBranch}`,
      PullSchema,
      // Never retried by the client: after a lost answer the outbox looks first, then sends again.
      (kit, r) => kit.rest.pulls.create({ owner, repo, head: request.sourceBranch, base: request.targetBranch, title: request.title, body: request.description, draft: request.isDraft ?? false, request: { ...r, retries: 0 } }),
      { write: true, ...(signal ? { signal } : {}) },
    );
    return { id: made.data.number, url: made.data.html_url };
  }
}
