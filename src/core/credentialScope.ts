import { z } from 'zod';
import { type ServiceId } from './host';
import { type Settings } from './settings';

/**
 * Where a credential may be sent. Every token and key is bound to the origin it was stored or
 * issued for; a request to any other origin goes without it. Azure DevOps' own cloud is one
 * family of hosts (dev.azure.com, *.dev.azure.com, *.visualstudio.com: the location service
 * routes an organization's calls across them), everything else an exact origin
 * (`https://tfs.contoso.com`, `https://api.openai.com`).
 */
export type CredentialScope = { readonly kind: 'azureDevOpsCloud' } | { readonly kind: 'origin'; readonly origin: string };

export const CredentialScopeSchema = z.union([z.object({ kind: z.literal('azureDevOpsCloud') }).strict(), z.object({ kind: z.literal('origin'), origin: z.string().min(1) }).strict()]);

/** Where each service's credential goes when no endpoint is set (the key's destination, e.g. IBM's IAM for watsonx). */
export const DEFAULT_CREDENTIAL_URL: Readonly<Record<ServiceId, string | undefined>> = {
  azureDevOps: 'https://dev.azure.com',
  github: 'https://api.github.com',
  openai: 'https://api.openai.com',
  azureOpenai: undefined,
  gemini: 'https://generativelanguage.googleapis.com',
  watsonx: 'https://iam.cloud.ibm.com',
  ollama: undefined,
};

/** `scheme://host[:port]`, lower-cased, default ports dropped; undefined for what is not an http(s) URL. */
export function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
};

/** This machine: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** dev.azure.com, its subdomains (vssps., vsrm., ...) and *.visualstudio.com, over https. */
export function isAzureDevOpsCloudUrl(url: string): boolean {
  const host = hostOf(url);
  if (!host || !url.toLowerCase().startsWith('https:')) return false;
  return host === 'dev.azure.com' || host.endsWith('.dev.azure.com') || host.endsWith('.visualstudio.com');
}

/**
 * Why an endpoint URL may not be used, or undefined: it must be an http(s) URL, and plain http is
 * only for this machine (a token sent over http to another host can be read on the way).
 */
export function endpointProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url}" is not a URL.`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `"${url}" is not an http(s) URL.`;
  if (u.username || u.password) return `"${u.origin}" carries a user name or password in the URL; store credentials with AI DevOps: Set Personal Access Token or API Key instead.`;
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) return `"${u.origin}" uses plain http to another machine, where a token could be read on the way; use https (http is only for localhost).`;
  return undefined;
}

/** The scope a credential gets when it is stored for, or issued for, this URL. */
export function scopeForUrl(url: string): CredentialScope | undefined {
  if (isAzureDevOpsCloudUrl(url)) return { kind: 'azureDevOpsCloud' };
  const origin = originOf(url);
  return origin ? { kind: 'origin', origin } : undefined;
}

/** Whether a credential of this scope may go with a request to `url` (never over http to another machine). */
export function scopeAllows(scope: CredentialScope, url: string): boolean {
  if (endpointProblem(url)) return false;
  if (scope.kind === 'azureDevOpsCloud') return isAzureDevOpsCloudUrl(url);
  return originOf(url) === scope.origin;
}

export function describeScope(scope: CredentialScope): string {
  return scope.kind === 'azureDevOpsCloud' ? 'Azure DevOps (dev.azure.com and *.visualstudio.com)' : scope.origin;
}

/**
 * Where the settings send the service's credential now: the organization URL for Azure DevOps,
 * the model endpoint for the selected provider, else the public default (IBM's IAM for watsonx,
 * where its key is exchanged). Undefined when the service needs an endpoint that is not set.
 */
export function credentialUrlFor(service: ServiceId, settings: Settings): string | undefined {
  switch (service) {
    case 'azureDevOps':
      return settings.azureDevOps.organizationUrl || DEFAULT_CREDENTIAL_URL.azureDevOps;
    case 'github':
    case 'watsonx':
      return DEFAULT_CREDENTIAL_URL[service];
    default:
      return (settings.ai.provider === service && settings.ai.endpoint) || DEFAULT_CREDENTIAL_URL[service];
  }
}

/** The endpoint the user's own settings name for the service, if they name one (no default). */
export function userEndpointFor(service: ServiceId, userSettings: Settings): string | undefined {
  if (service === 'azureDevOps') return userSettings.azureDevOps.organizationUrl || undefined;
  if (service === 'github' || service === 'watsonx') return undefined;
  return (userSettings.ai.provider === service && userSettings.ai.endpoint) || undefined;
}
