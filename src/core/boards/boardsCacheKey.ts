import { type AzureDevOpsEndpoint } from '../backend';

/**
 * Which Azure Boards cache files a connection reads and writes. A live connection's is its
 * organization URL, project and team, all known from settings before any request; the sandbox's
 * names its organization and project and the workspace it keeps its state in, not its URL, whose
 * port changes every session, so the rows it showed last time are on screen again before the
 * sandbox has started (and one workspace's sandbox never shows another's rows).
 */
export function azureBoardsCacheKey(endpoint: Pick<AzureDevOpsEndpoint, 'organizationUrl' | 'project' | 'team'>): string {
  return `${endpoint.organizationUrl.replace(/\/+$/, '').toLowerCase()}|${endpoint.project}|${endpoint.team}`;
}

export function sandboxBoardsCacheKey(organization: string, project: string, workspace: string | undefined): string {
  return `sandbox|${workspace ?? ''}|${organization}|${project}`;
}
