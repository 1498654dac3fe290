import { z } from 'zod';
import { type PullRequestFound, type PullRequestHost, type PullRequestRequest } from '../../../core/boards/codeHost';
import { DevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';
import { type AzureRepository, projectRepository } from './azureRepository';

const PullRequestSchema = z.object({ pullRequestId: z.number().int(), repository: z.object({ webUrl: z.string().optional() }).loose().optional() }).loose();
const ACTIVE = 1; // GitPullRequestStatus.Active

const refOf = (branch: string): string => (branch.startsWith('refs/') ? branch : `refs/heads/${branch}`);
const criteriaOf = (r: PullRequestRequest): { sourceRefName: string; targetRefName: string; status: number } => ({ sourceRefName: refOf(r.sourceBranch), targetRefName: refOf(r.targetBranch), status: ACTIVE });

/**
 * Pull requests on Azure Repos through the Azure Boards connection (its credential, bound to the
 * organization, and its policies), as the outbox's adapter uses them (pullRequestWrites.ts): the
 * active pull request for the same branches is looked for by `findOpen`; `create` posts once.
 */
export class AzurePullRequests implements PullRequestHost {
  constructor(private readonly connection: AzureConnection) {}

  async findOpen(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestFound | undefined> {
    const repo = await this.repository(request.repository, signal);
    const found = await this.active(repo.id, criteriaOf(request), signal);
    return found ? { id: found.pullRequestId, url: this.webUrl(repo, found.pullRequestId) } : undefined;
  }

  async create(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestFound> {
    const project = this.connection.endpoint.project;
    const repo = await this.repository(request.repository, signal);
    const criteria = criteriaOf(request);
    const made = await this.connection.call(
      `creating the pull request ${request.sourceBranch} → ${request.targetBranch}`,
      async (api) =>
        (await api.git()).createPullRequest(
          {
            sourceRefName: criteria.sourceRefName,
            targetRefName: criteria.targetRefName,
            title: request.title,
            description: request.description,
            isDraft: request.isDraft ?? false,
            workItemRefs: (request.workItemIds ?? []).map((id) => ({ id: String(id) })),
          },
          repo.id,
          project,
        ),
      { idempotent: false, signal },
    );
    const parsed = PullRequestSchema.safeParse(made);
    if (!parsed.success) throw new DevOpsError('badResponse', 'Azure DevOps answered the pull request create with something that is not a pull request.');
    return { id: parsed.data.pullRequestId, url: this.webUrl(repo, parsed.data.pullRequestId) };
  }

  private async active(repositoryId: string, criteria: { sourceRefName: string; targetRefName: string; status: number }, signal?: AbortSignal): Promise<z.infer<typeof PullRequestSchema> | undefined> {
    const listed = z.array(PullRequestSchema).safeParse(
      await this.connection.call('looking for an open pull request', async (api) => (await api.git()).getPullRequests(repositoryId, criteria, this.connection.endpoint.project), { idempotent: true, signal }),
    );
    if (!listed.success) throw new DevOpsError('badResponse', 'Azure DevOps sent a pull request list that could not be read.');
    return listed.data[0];
  }

  private repository(name: string | undefined, signal?: AbortSignal): Promise<AzureRepository> {
    return projectRepository(this.connection, name, signal);
  }

  private webUrl(repo: AzureRepository, id: number): string {
    const base = repo.webUrl ?? `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.connection.endpoint.project)}/_git/${encodeURIComponent(repo.name)}`;
    return `${base}/pullrequest/${id}`;
  }
}
