import { type PendingDeploymentsReader } from '../../core/release/pendingDeployments';

/** What the release agent reads from outside, supplied by the host (editor or CLI) over the trackers' connections. */
declare module '../runtime/context' {
  interface AgentProviders {
    /** The deployments waiting for approval in the connected Azure DevOps project and GitHub repository. */
    pendingDeployments: PendingDeploymentsReader;
  }
}
