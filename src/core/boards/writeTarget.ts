import { z } from 'zod';
import { type AzureDevOpsEndpoint, type GitHubEndpoint } from '../backend';

/**
 * Where a remote write goes: the connection it was asked for on (an Azure DevOps organization and
 * project, or a GitHub repository) and the account that asked. The outbox records it with every
 * queued change and sends the change only to that connection, as that account: a change queued in
 * one window is never sent to whatever another window happens to be connected to.
 */
export const WriteTargetSchema = z.discriminatedUnion('service', [
  z.object({
    service: z.literal('azureBoards'),
    /** The organization, normalised (`https://dev.azure.com/contoso`), or `sandbox` for the sandbox's stand-in. */
    organization: z.string().min(1),
    project: z.string().min(1),
    /** The signed-in account (email) when it was known; a change is never sent as another account. */
    account: z.string().min(1).optional(),
  }),
  z.object({
    service: z.literal('github'),
    /** `github.com`, a GitHub Enterprise host, or `sandbox`. */
    host: z.string().min(1),
    owner: z.string().min(1),
    repo: z.string().min(1),
    account: z.string().min(1).optional(),
  }),
]);
export type WriteTarget = z.infer<typeof WriteTargetSchema>;

/** A connection without the account: what a window is connected to. */
export type WriteHome = { readonly service: 'azureBoards'; readonly organization: string; readonly project: string } | { readonly service: 'github'; readonly host: string; readonly owner: string; readonly repo: string };

/** The sandbox's stand-ins answer on a new port each session; their changes belong to "the sandbox", not to a port. */
export const SANDBOX_ORIGIN = 'sandbox';

/**
 * An organization URL as one string per organization: lower case, no trailing slash, and the old
 * `https://contoso.visualstudio.com` form written as `https://dev.azure.com/contoso`.
 */
export function normalizeOrganization(organizationUrl: string): string {
  let url: URL;
  try {
    url = new URL(organizationUrl.trim());
  } catch {
    return organizationUrl.trim().replace(/\/+$/, '').toLowerCase();
  }
  const host = url.hostname.toLowerCase();
  const legacy = /^([a-z0-9-]+)\.visualstudio\.com$/.exec(host);
  if (legacy) return `https://dev.azure.com/${legacy[1]}`;
  const port = url.port ? `:${url.port}` : '';
  return `${url.protocol}//${host}${port}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

/** `https://api.github.com` → `github.com`; `https://ghe.example.com/api/v3` → `ghe.example.com`. */
export function normalizeGitHubHost(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return baseUrl.trim().toLowerCase();
  }
  const host = url.host.toLowerCase();
  return host === 'api.github.com' ? 'github.com' : host;
}

export function azureHome(endpoint: AzureDevOpsEndpoint, backend: 'live' | 'sandbox'): WriteHome {
  return { service: 'azureBoards', organization: backend === 'sandbox' ? SANDBOX_ORIGIN : normalizeOrganization(endpoint.organizationUrl), project: endpoint.project };
}

export function githubHome(endpoint: GitHubEndpoint, backend: 'live' | 'sandbox'): WriteHome {
  return { service: 'github', host: backend === 'sandbox' ? SANDBOX_ORIGIN : normalizeGitHubHost(endpoint.baseUrl), owner: endpoint.owner, repo: endpoint.repo };
}

const same = (a: string, b: string): boolean => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** Whether a change recorded for `target` belongs to the connection `home` (names compare as the services do: case-insensitively). */
export function sameHome(target: WriteHome, home: WriteHome): boolean {
  if (target.service === 'azureBoards' && home.service === 'azureBoards') return same(target.organization, home.organization) && same(target.project, home.project);
  if (target.service === 'github' && home.service === 'github') return same(target.host, home.host) && same(target.owner, home.owner) && same(target.repo, home.repo);
  return false;
}

/** Whether a change recorded as `recorded` may be sent by `current`: the same account, or none was known when it was queued. */
export function sameAccount(recorded: string | undefined, current: string | undefined): boolean {
  if (recorded === undefined) return true;
  return current !== undefined && same(recorded, current);
}

export function withAccount(home: WriteHome, account: string | undefined): WriteTarget {
  return { ...home, ...(account ? { account } : {}) } as WriteTarget;
}

/** `acme/private-a on GitHub`, `Fabrikam in dev.azure.com/contoso`, with `as alice` when the account is known. */
export function targetLabel(target: WriteHome & { readonly account?: string }): string {
  const where =
    target.service === 'azureBoards'
      ? `Azure Boards ${target.organization === SANDBOX_ORIGIN ? 'sandbox' : target.organization.replace(/^https?:\/\//, '')} · ${target.project}`
      : `GitHub ${target.host === 'github.com' ? '' : target.host === SANDBOX_ORIGIN ? 'sandbox ' : `${target.host} `}${target.owner}/${target.repo}`;
  return target.account ? `${where} (as ${target.account})` : where;
}
