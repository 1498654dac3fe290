import { type PendingDeploymentsReader } from '../../core/release/pendingDeployments';
import { type AuditTrailReader } from '../../core/security/repositoryControls';

/** What the release agent reads from outside, supplied by the host (editor or CLI) over the trackers' connections. */
declare module '../runtime/context' {
  interface AgentProviders {
    /** The deployments waiting for approval in the connected Azure DevOps project and GitHub repository. */
    pendingDeployments: PendingDeploymentsReader;
    /** The workspace's audit trail: a rollback reads the release's own work item moves from it (the security agent declares it too). */
    auditTrail: AuditTrailReader;
  }
}
