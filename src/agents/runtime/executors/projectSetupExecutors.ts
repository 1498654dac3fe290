import { type ProjectSetup, SetupStepSchema } from '../../../core/bootstrap/projectSetup';
import { DevOpsError } from '../../../core/errors';
import { type RemoteExecutor } from '../remote';
import { payloadOf } from './payload';

export interface ProjectSetupDeps {
  /** The connected Azure DevOps project's setup (bootstrap), when Azure DevOps is configured. */
  readonly projectSetup?: () => Promise<ProjectSetup | undefined>;
}

/** `azureDevOps.setup`: one bootstrap step (project, repository files, a branch policy, wiki, area, iteration, team settings). */
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
  ];
}
