import { type AdvisoryService } from '../../core/security/advisories';
import { type AuditTrailReader, type RepositoryControls } from '../../core/security/repositoryControls';

/**
 * What the security agent reads from outside, supplied by the host (editor or CLI) from its
 * settings and credentials; missing ones make their checks "not checked", never "passed".
 */
declare module '../runtime/context' {
  interface AgentProviders {
    /** Package vulnerability services, in the order to ask them (the npm registry, then OSV). */
    advisories: readonly AdvisoryService[];
    /** Branch policies and required reviewers of the connected repositories (Azure Repos, GitHub), one reader each. */
    repositoryControls: readonly RepositoryControls[];
    /** The workspace's audit trail: verified, and read for a period. */
    auditTrail: AuditTrailReader;
  }
}
