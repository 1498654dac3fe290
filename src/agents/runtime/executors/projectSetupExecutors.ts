import { type GitHubProjectSetup, GitHubSetupStepSchema } from '../../../core/bootstrap/githubProjectSetup';
import { type ProjectSetup, SetupStepSchema } from '../../../core/bootstrap/projectSetup';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type RemoteExecutor } from '../remote';
import { payloadOf } from './payload';

export interface ProjectSetupDeps {
  /** The connected Azure DevOps project's setup (bootstrap), when Azure DevOps is configured. */
  readonly projectSetup?: () => Promise<ProjectSetup | undefined>;
  /** The repository's GitHub Project setup (bootstrap on GitHub), when GitHub is configured. */
  readonly githubProjectSetup?: () => Promise<GitHubProjectSetup | undefined>;
}

/**
 * `azureDevOps.setup`: one bootstrap step (project, repository files, a branch policy, wiki, area,
 * iteration, team settings); `github.projectSetup`: one step of the repository's Project (the
 * Project, its link, the Status options, the iteration and estimate fields).
 */
export function projectSetupExecutors(deps: ProjectSetupDeps): RemoteExecutor[] {
  return [
    {
      kind: 'azureDevOps.setup',
      execute: async (change, context) => {
        const step = payloadOf(change, SetupStepSchema);
        const setup = await deps.projectSetup?.();
        if (!setup) throw new DevOpsError('notConfigured', 'Azure DevOps is not connected; set the organization and project (AI DevOps: Open Settings), sign in, and run bootstrap again.');
        const outcome = await setup.apply(step, context.signal);
        return { kind: 'applied', detail: outcome.made ? outcome.detail : `already there: ${outcome.detail}`, ...(outcome.url ? { url: outcome.url } : {}), result: { made: outcome.made } };
      },
    },
    {
      kind: 'github.projectSetup',
      execute: async (change, context) => {
        const step = payloadOf(change, GitHubSetupStepSchema);
        const setup = await deps.githubProjectSetup?.();
        if (!setup) throw new DevOpsError('notConfigured', 'GitHub is not connected; set aiDevops.github.owner and aiDevops.github.repo, sign in (AI DevOps: Sign In), and run bootstrap again.');
        try {
          const outcome = await setup.apply(step, context.signal);
          return { kind: 'applied', detail: outcome.made ? outcome.detail : `already there: ${outcome.detail}`, ...(outcome.url ? { url: outcome.url } : {}), result: { made: outcome.made, ...(outcome.number !== undefined ? { number: outcome.number } : {}) } };
        } catch (error) {
          // Someone gave the Project items a Status meanwhile: replacing the options now would clear them.
          if (isDevOpsError(error) && error.code === 'conflict') return { kind: 'refused', detail: error.message };
          throw error;
        }
      },
    },
  ];
}
