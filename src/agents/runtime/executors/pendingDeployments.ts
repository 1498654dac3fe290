import { isDevOpsError } from '../../../core/errors';
import { type DeliveryProvider, type PendingDeployment, type PendingDeploymentsReader } from '../../../core/release/pendingDeployments';
import { AzureApprovals } from './azureApprovals';
import { type DeliveryClients } from './deliveryExecutors';
import { DEFAULT_FOLLOW } from './follow';
import { GitHubDelivery } from './githubDelivery';

const NAMES: Record<DeliveryProvider, string> = { azure: 'Azure Pipelines', github: 'GitHub Actions' };

/** The delivery backends whose tracker is configured (Azure DevOps first, as the settings list them). */
export function connectedProviders(trackers: { azure(): unknown; github(): unknown }): DeliveryProvider[] {
  return [...(trackers.azure() ? (['azure'] as const) : []), ...(trackers.github() ? (['github'] as const) : [])];
}

/**
 * The pending approvals of the connected backends (the ones `connected` names), read over the
 * delivery clients (their credentials, throttling and retries). A backend that cannot be read is
 * a problem in the answer, not a failure of the whole list: the other one is still listed.
 */
export function pendingDeploymentsReader(delivery: DeliveryClients, connected: readonly DeliveryProvider[]): PendingDeploymentsReader {
  return {
    providers: connected,
    list: async (signal) => {
      const items: PendingDeployment[] = [];
      const problems: string[] = [];
      for (const provider of connected) {
        try {
          if (provider === 'azure') {
            const found = await new AzureApprovals(await delivery.azure(), { follow: DEFAULT_FOLLOW }).pendingInProject(signal);
            items.push(...found.items);
            if (found.unplaced) problems.push(`${NAMES.azure}: ${found.unplaced} pending approval(s) belong to no YAML pipeline run that is still going (a classic release, or a run that ended meanwhile); answer them in Azure DevOps.`);
          } else {
            items.push(...(await new GitHubDelivery(await delivery.github(), { follow: DEFAULT_FOLLOW }).pendingDeployments(signal)));
          }
        } catch (error) {
          if (isDevOpsError(error) && error.code === 'cancelled') throw error;
          problems.push(`${NAMES[provider]}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      // Oldest wait first: the one blocking longest is answered first.
      items.sort((a, b) => (a.waitingSince ?? '').localeCompare(b.waitingSince ?? ''));
      return { items, problems };
    },
  };
}
