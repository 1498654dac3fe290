import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { type BranchControls, type RepositoryControls } from '../../../core/security/repositoryControls';
import { type AzureConnection } from './azureConnection';
import { projectRepository } from './azureRepository';

/** The built-in policy type "Minimum number of reviewers" (its id is the same in every organization). */
export const MINIMUM_REVIEWERS_TYPE = 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd';

const ScopeSchema = z.array(z.object({ repositoryId: z.string().nullish(), refName: z.string().nullish(), matchKind: z.string().nullish() }).loose());
const PolicySchema = z
  .object({
    id: z.number().int(),
    isEnabled: z.boolean(),
    isBlocking: z.boolean(),
    isDeleted: z.boolean().optional(),
    type: z.object({ id: z.string(), displayName: z.string().optional() }).loose(),
    settings: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
type Policy = z.infer<typeof PolicySchema>;

/** Whether a policy's scope covers the branch of the repository (no scope entry: the whole project). */
function covers(policy: Policy, repositoryId: string, refName: string): boolean {
  const scope = ScopeSchema.safeParse(policy.settings?.scope);
  if (!scope.success) return false;
  return scope.data.some((s) => {
    if (s.repositoryId && s.repositoryId.toLowerCase() !== repositoryId.toLowerCase()) return false;
    if (!s.refName) return true;
    return (s.matchKind ?? 'exact').toLowerCase() === 'prefix' ? refName.startsWith(s.refName) : refName.toLowerCase() === s.refName.toLowerCase();
  });
}

/**
 * Branch policies of the project's repository (the one pull requests go to) through the policy
 * configurations API, over the Azure Boards connection: the default branch is protected when an
 * enabled, blocking policy covers it; required reviewers come from a blocking "Minimum number of
 * reviewers" policy (an optional one requires nobody). Errors say why and are not a "no".
 */
export class AzureBranchPolicies implements RepositoryControls {
  constructor(private readonly connection: AzureConnection) {}

  get name(): string {
    return `Azure Repos ${this.connection.endpoint.project}`;
  }

  async branchControls(signal?: AbortSignal): Promise<BranchControls> {
    const project = this.connection.endpoint.project;
    const repo = await projectRepository(this.connection, undefined, signal);
    const refName = repo.defaultBranch ?? 'refs/heads/main';
    const raw = await this.connection.call('reading the branch policies', async (api) => (await api.policy()).getPolicyConfigurations(project), { idempotent: true, signal });
    // typed-rest-client answers a 404 to a GET with null rather than an error.
    if (raw === null) throw new DevOpsError('notFound', `Azure DevOps answered 404 (not found) for the policy configurations of ${project}: the project is gone or the credential cannot see it.`);
    const parsed = z.array(PolicySchema).safeParse(raw);
    if (!parsed.success) throw new DevOpsError('badResponse', 'Azure DevOps sent policy configurations that could not be read.');
    const applying = parsed.data.filter((p) => p.isEnabled && !p.isDeleted && covers(p, repo.id, refName));
    const blocking = applying.filter((p) => p.isBlocking);
    const reviewers = blocking.filter((p) => p.type.id.toLowerCase() === MINIMUM_REVIEWERS_TYPE).map((p) => Number(p.settings?.minimumApproverCount ?? 0)).filter(Number.isFinite);
    const nameOf = (p: Policy): string => p.type.displayName ?? p.type.id;
    const branch = refName.replace(/^refs\/heads\//, '');
    const base = this.connection.endpoint.organizationUrl.replace(/\/+$/, '');
    return {
      source: `Azure Repos ${project}/${repo.name}`,
      branch,
      protected: blocking.length > 0,
      requiredReviewers: reviewers.length ? Math.max(...reviewers) : 0,
      policies: [...blocking.map(nameOf), ...applying.filter((p) => !p.isBlocking).map((p) => `${nameOf(p)} (optional)`)],
      url: `${base}/${encodeURIComponent(project)}/_settings/repositories?repo=${encodeURIComponent(repo.id)}&_a=policiesMid&refs=${encodeURIComponent(refName)}`,
    };
  }
}
