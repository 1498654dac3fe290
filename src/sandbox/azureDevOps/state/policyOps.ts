import { z } from 'zod';
import { type Policy, type Repository } from './model';
import { type AzureDevOpsState } from './state';

/** Built-in branch policy types (ids as the service defines them). */
export const POLICY_TYPES = [
  { id: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd', displayName: 'Minimum number of reviewers', description: 'This policy will ensure that a minimum number of reviewers have approved a pull request before completion.' },
  { id: '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e', displayName: 'Work item linking', description: 'This policy encourages developers to link commits to work items.' },
  { id: 'c6a1889d-b943-4856-b76f-9e46bb6b0df2', displayName: 'Comment requirements', description: 'Check if the pull request has any active comments' },
  { id: '0609b952-1397-4640-95ec-e00a01b2c241', displayName: 'Build', description: 'This policy will require a successful build has been performed before updating protected refs.' },
  { id: 'fa4e907d-c16b-4a4c-9dfa-4916e5d171ab', displayName: 'Require a merge strategy', description: 'This policy ensures that pull requests use a consistent merge strategy.' },
] as const;

const ScopeSchema = z.array(z.object({ refName: z.string().nullish(), matchKind: z.string().nullish(), repositoryId: z.string().nullish() }));

/** Enabled, blocking policies whose scope covers a branch of a repository. */
export function blockingPoliciesFor(state: AzureDevOpsState, repo: Repository, refName: string): Policy[] {
  return state.doc.policies.filter((p) => {
    if (!p.isEnabled || !p.isBlocking || p.isDeleted || p.projectId !== repo.projectId) return false;
    const scope = ScopeSchema.safeParse(p.settings.scope);
    if (!scope.success) return false;
    return scope.data.some((s) => {
      if (s.repositoryId && s.repositoryId !== repo.id) return false;
      if (!s.refName) return true;
      return (s.matchKind ?? 'exact').toLowerCase() === 'prefix' ? refName.startsWith(s.refName) : refName.toLowerCase() === s.refName.toLowerCase();
    });
  });
}
