import { type WorkItemReference } from './references';

/**
 * Where the connected trackers read: the Azure DevOps organization and project, the GitHub
 * repository. A reference that names another organization, project or repository (a work item
 * URL pasted from elsewhere) must never be answered with the connected one's item of the same id.
 */
export interface ConnectedScope {
  /** The organization name (`contoso` of dev.azure.com/contoso), or a server's collection name. */
  readonly organization?: string;
  readonly project?: string;
  /** `owner/repo`. */
  readonly repository?: string;
}

const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The organization an Azure DevOps URL names: `dev.azure.com/<org>`, `<org>.visualstudio.com`, or
 * the last path segment of a server's collection URL (`…/tfs/DefaultCollection`).
 */
export function organizationOf(organizationUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(organizationUrl);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  if (url.hostname.toLowerCase() === 'dev.azure.com') return segments[0];
  const vs = /^([\w-]+)\.visualstudio\.com$/i.exec(url.hostname);
  if (vs) return vs[1];
  return segments.at(-1);
}

/** Why `reference` is outside what the trackers read, or undefined when it is inside (or says nothing of where it is). */
export function outsideConnection(reference: WorkItemReference, scope: ConnectedScope | undefined): string | undefined {
  if (!scope) return undefined;
  if (reference.tracker === 'azureBoards') {
    if (reference.organization && scope.organization !== undefined && norm(reference.organization) !== norm(scope.organization)) {
      return `AB#${reference.id} is in the organization "${reference.organization}"${reference.project ? ` (project "${reference.project}")` : ''}; the extension is connected to "${scope.organization}", so it is not looked up there.`;
    }
    if (reference.project && scope.project && norm(reference.project) !== norm(scope.project)) {
      return `AB#${reference.id} is in the project "${reference.project}"; the extension is connected to "${scope.project}".`;
    }
    return undefined;
  }
  if (reference.owner && reference.repo && scope.repository && norm(`${reference.owner}/${reference.repo}`) !== norm(scope.repository)) {
    return `${reference.owner}/${reference.repo}#${reference.id} is in another repository; the extension is connected to ${scope.repository}.`;
  }
  return undefined;
}
