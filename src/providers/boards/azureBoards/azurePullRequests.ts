import { z } from 'zod';
import { type PullRequestFound, type PullRequestHost, type PullRequestRequest } from '../../../core/boards/codeHost';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';
import { type AzureRepository, projectRepository } from './azureRepository';

const PullRequestSchema = z.object({ pullRequestId: z.number().int(), repository: z.object({ webUrl: z.string().optional() }).loose().optional() }).loose();
/** GET _apis/git/pullrequests/{id}: only its repository is needed. */
const PullRequestByIdSchema = z.object({ pullRequestId: z.number().int(), repository: z.object({ id: z.string() }).loose() }).loose();
/** A ResourceRef of GET …/pullRequests/{id}/workitems: the work item's id as a string. */
const ResourceRefSchema = z.object({ id: z.string().regex(/^[1-9][0-9]{0,9}$/, 'a work item id'), url: z.string().optional() }).loose();
const notFoundAsUndefined = (error: unknown): undefined => {
  if (isDevOpsError(error) && error.code === 'notFound') return undefined;
  throw error;
};
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

  /**
   * The work items linked to each of these pull requests (Git API pull request work item refs), by
   * pull request id. Azure DevOps numbers pull requests across the project, so a merge commit's
   * "Merged PR 12" is found without knowing its repository: the first one is read by id for its
   * repository, the others are asked there, and one that is not there is read by id too.
   */
  async linkedWorkItems(ids: readonly number[], signal?: AbortSignal): Promise<Map<number, readonly number[] | DevOpsError>> {
    const project = this.connection.endpoint.project;
    const out = new Map<number, readonly number[] | DevOpsError>();
    let repositoryId: string | undefined;
    const repositoryOf = async (id: number): Promise<string | undefined> => {
      const answer: unknown = await this.connection.call(`reading pull request ${id}`, async (api) => (await api.git()).getPullRequestById(id, project), { idempotent: true, signal }).catch(notFoundAsUndefined);
      const pr = PullRequestByIdSchema.safeParse(answer);
      return pr.success ? pr.data.repository.id : undefined;
    };
    const refsOf = async (repo: string, id: number): Promise<readonly number[] | undefined> => {
      const answer: unknown = await this.connection.call(`reading the work items of pull request ${id}`, async (api) => (await api.git()).getPullRequestWorkItemRefs(repo, id, project), { idempotent: true, signal });
      if (answer === null || answer === undefined) return undefined;
      const refs = z.array(ResourceRefSchema).safeParse(answer);
      if (!refs.success) throw new DevOpsError('badResponse', `Azure DevOps answered the work items of pull request ${id} with something that is not a list of work item references.`);
      return refs.data.map((r) => Number(r.id));
    };
    for (const id of ids) {
      try {
        repositoryId ??= await repositoryOf(id);
        let refs = repositoryId ? await refsOf(repositoryId, id).catch(notFoundAsUndefined) : undefined;
        if (refs === undefined && repositoryId) {
          const own = await repositoryOf(id);
          if (own && own !== repositoryId) refs = await refsOf(own, id).catch(notFoundAsUndefined);
        }
        out.set(id, refs ?? new DevOpsError('notFound', `Pull request ${id} was not found in ${project}.`));
      } catch (error) {
        if (isDevOpsError(error) && (error.code === 'cancelled' || error.code === 'unauthorized')) throw error;
        out.set(id, isDevOpsError(error) ? error : new DevOpsError('badResponse', String(error)));
      }
    }
    return out;
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
