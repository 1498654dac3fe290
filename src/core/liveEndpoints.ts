import { type ServiceEndpoints } from './backend';
import { type Settings } from './settings';

const GITHUB_API = 'https://api.github.com';

/**
 * The live services as the user configured them. Azure DevOps needs both the organization URL and
 * the project; GitHub needs owner and repository (the project number is optional). What is not
 * configured is undefined, and the views say how to configure it.
 */
export function liveEndpoints(settings: Settings): ServiceEndpoints {
  const { azureDevOps, github } = settings;
  return {
    kind: 'live',
    azureDevOps:
      azureDevOps.organizationUrl && azureDevOps.project
        ? {
            organizationUrl: azureDevOps.organizationUrl.replace(/\/+$/, ''),
            project: azureDevOps.project,
            team: azureDevOps.team || `${azureDevOps.project} Team`,
          }
        : undefined,
    github: github.owner && github.repo ? { baseUrl: GITHUB_API, owner: github.owner, repo: github.repo, projectNumber: github.projectNumber } : undefined,
    models: undefined,
    advisories: {
      npmRegistryUrl: (settings.security.npmRegistryUrl || 'https://registry.npmjs.org').replace(/\/+$/, ''),
      osvUrl: (settings.security.osvUrl || 'https://api.osv.dev').replace(/\/+$/, ''),
    },
  };
}
