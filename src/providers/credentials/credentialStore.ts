import { z } from 'zod';
import { type CredentialScope, CredentialScopeSchema, DEFAULT_CREDENTIAL_URL, describeScope, endpointProblem, originOf, scopeAllows, scopeForUrl } from '../../core/credentialScope';
import { DevOpsError } from '../../core/errors';
import { type Credential, type CredentialRequest, type Logger, type ServiceId } from '../../core/host';
import { type SandboxCredentials } from '../../sandbox/identity';

/** The slice of VS Code's SecretStorage the store needs. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The slice of vscode.authentication the store needs: a session's token and account label. */
export interface SessionSource {
  getSession(
    providerId: 'github' | 'microsoft',
    scopes: readonly string[],
    options: { interactive: boolean; forceRefresh: boolean },
  ): Promise<{ accessToken: string; account: string } | undefined>;
}

/** Azure DevOps' resource id: a Microsoft session with this scope carries a token the service accepts. */
export const AZURE_DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
/** GitHub scopes: issues and PRs (repo), Projects v2 read/write (project), and the user's identity. */
export const GITHUB_SCOPES = ['repo', 'project', 'read:user'] as const;

const SESSION_PROVIDERS: Partial<Record<ServiceId, { provider: 'github' | 'microsoft'; scopes: readonly string[] }>> = {
  azureDevOps: { provider: 'microsoft', scopes: [AZURE_DEVOPS_SCOPE, 'offline_access'] },
  github: { provider: 'github', scopes: GITHUB_SCOPES },
};

/** The running sandbox's credentials (random per session), as each service's client sends them. */
function sandboxCredential(service: ServiceId, c: SandboxCredentials): Credential | undefined {
  switch (service) {
    case 'azureDevOps':
      return { kind: 'pat', value: c.azureDevOpsPat, source: 'sandbox', account: 'Sandbox User' };
    case 'github':
      return { kind: 'bearer', value: c.githubToken, source: 'sandbox', account: 'sandbox-user' };
    case 'openai':
    case 'azureOpenai':
      return { kind: 'apiKey', value: c.openaiKey, source: 'sandbox' };
    case 'gemini':
      return { kind: 'apiKey', value: c.geminiKey, source: 'sandbox' };
    case 'watsonx':
      return { kind: 'apiKey', value: c.watsonxApiKey, source: 'sandbox' };
    case 'ollama':
      return undefined;
  }
}

/** While the sandbox backend is on, its stand-ins' credentials (the sandbox starts on first use). */
export interface SandboxCredentialSource {
  active(): boolean;
  credentials(): Promise<SandboxCredentials>;
}

export const ALL_SERVICES: readonly ServiceId[] = ['azureDevOps', 'github', 'openai', 'azureOpenai', 'gemini', 'watsonx', 'ollama'];

export const SERVICE_LABELS: Record<ServiceId, string> = {
  azureDevOps: 'Azure DevOps',
  github: 'GitHub',
  openai: 'OpenAI (or compatible)',
  azureOpenai: 'Azure OpenAI',
  gemini: 'Google Gemini',
  watsonx: 'IBM watsonx.ai',
  ollama: 'Ollama (remote, with a key)',
};

const secretKey = (service: ServiceId): string => `aiDevops.secret.${service}`;

/** A stored token with the scope it was stored for. Older entries are the bare token (see legacyScope). */
const StoredSecretSchema = z.object({ v: z.literal(1), secret: z.string().min(1), scope: CredentialScopeSchema }).strict();

function parseStored(raw: string): { secret: string; scope?: CredentialScope } {
  if (raw.startsWith('{')) {
    try {
      const parsed = StoredSecretSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return { secret: parsed.data.secret, scope: parsed.data.scope };
    } catch {
      // A token is never JSON; an unreadable entry is taken as a bare token below.
    }
  }
  return { secret: raw };
}

/**
 * Endpoints from the user's own settings (never a workspace's): where a session may also go (an
 * Azure DevOps Server the user set) and what a token stored before scopes existed is bound to.
 */
export type UserEndpoint = (service: ServiceId) => string | undefined;

/**
 * Finds the credential for a service: the sandbox's fixed ones while the sandbox backend is on,
 * else a token or key the user stored in SecretStorage, else VS Code's own sign-in session (GitHub,
 * Microsoft). Each is released only for the URL it is bound to: a stored token for the origin it
 * was stored for (shown when it is stored), a Microsoft session for Azure DevOps' cloud or an Azure
 * DevOps Server URL from the user's settings, a GitHub session for api.github.com; never over http
 * to another machine. Nothing here is ever logged but the source, the account name and the origin.
 */
export class CredentialStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly sessions: SessionSource,
    private readonly sandbox: SandboxCredentialSource,
    private readonly log: Logger,
    private readonly userEndpoint: UserEndpoint = () => undefined,
  ) {}

  /** What a token stored before scopes existed is bound to: the user's own endpoint for the service, or its public default. */
  private legacyScope(service: ServiceId): CredentialScope | undefined {
    const url = this.userEndpoint(service) ?? DEFAULT_CREDENTIAL_URL[service];
    return url ? scopeForUrl(url) : undefined;
  }

  /** Where a sign-in session for the service may go. */
  private sessionScopes(service: ServiceId): CredentialScope[] {
    if (service === 'github') return [{ kind: 'origin', origin: 'https://api.github.com' }];
    if (service !== 'azureDevOps') return [];
    const server = this.userEndpoint('azureDevOps');
    const own = server ? scopeForUrl(server) : undefined;
    return [{ kind: 'azureDevOpsCloud' }, ...(own ? [own] : [])];
  }

  async getCredential(service: ServiceId, request: CredentialRequest): Promise<Credential | undefined> {
    if (this.sandbox.active()) return sandboxCredential(service, await this.sandbox.credentials());
    const problem = endpointProblem(request.url);
    if (problem) throw new DevOpsError('refused', `${SERVICE_LABELS[service]}: no credential is sent there. ${problem}`);
    const origin = originOf(request.url) ?? request.url;
    let refusal: string | undefined;
    const raw = await this.secrets.get(secretKey(service));
    // A stored PAT is an explicit choice by the user, so it wins over an ambient sign-in.
    if (raw) {
      const stored = parseStored(raw);
      const scope = stored.scope ?? this.legacyScope(service);
      if (scope && scopeAllows(scope, request.url)) {
        return { kind: service === 'azureDevOps' || service === 'github' ? 'pat' : 'apiKey', value: stored.secret, source: 'secretStorage', scope };
      }
      refusal = `The ${SERVICE_LABELS[service]} token you stored is for ${scope ? describeScope(scope) : 'no host yet'}, so it is not sent to ${origin}. If you trust ${origin}, store a token for it with AI DevOps: Set Personal Access Token or API Key.`;
    }
    const session = SESSION_PROVIDERS[service];
    const scopes = session ? this.sessionScopes(service) : [];
    const sessionScope = scopes.find((s) => scopeAllows(s, request.url));
    if (!session || !sessionScope) {
      if (session && !refusal) {
        refusal = `Your ${session.provider === 'microsoft' ? 'Microsoft' : 'GitHub'} sign-in is sent only to ${scopes.map(describeScope).join(' or ')}${service === 'azureDevOps' ? ' (or an Azure DevOps Server URL in your user settings)' : ''}, not to ${origin}. For another server, store a personal access token for it.`;
      }
      if (refusal) {
        this.log.warn(refusal);
        throw new DevOpsError('refused', refusal);
      }
      return undefined;
    }
    try {
      const found = await this.sessions.getSession(session.provider, session.scopes, {
        interactive: request.interactive === true,
        forceRefresh: request.forceRefresh === true,
      });
      if (!found) return undefined;
      this.log.debug(`Using the ${session.provider} sign-in of ${found.account} for ${SERVICE_LABELS[service]} at ${origin}.`);
      return { kind: 'bearer', value: found.accessToken, source: 'session', account: found.account, scope: sessionScope };
    } catch (error) {
      // The user dismissed the sign-in, or the provider is unavailable (e.g. no Microsoft auth in code-server).
      this.log.warn(`No ${session.provider} sign-in for ${SERVICE_LABELS[service]}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Signs in to the service's own host (the Sign In command): the session is not sent anywhere here. */
  async signIn(service: 'azureDevOps' | 'github'): Promise<boolean> {
    const url = service === 'azureDevOps' ? (this.userEndpoint('azureDevOps') ?? 'https://dev.azure.com') : 'https://api.github.com';
    return (await this.getCredential(service, { url, interactive: true }).catch(() => undefined)) !== undefined;
  }

  /**
   * Stores a token bound to the origin of `url` (where the user's settings send it now) and returns
   * that scope, so the prompt can say where the token will go.
   */
  async setSecret(service: ServiceId, value: string, url: string): Promise<CredentialScope> {
    const trimmed = value.trim();
    if (trimmed.length === 0) throw new Error('The token is empty.');
    if (/\s/.test(trimmed)) throw new Error('A token has no spaces or line breaks; check what was pasted.');
    const problem = endpointProblem(url);
    const scope = problem ? undefined : scopeForUrl(url);
    if (!scope) throw new DevOpsError('refused', `${SERVICE_LABELS[service]}: the token cannot be stored for ${url}. ${problem ?? ''}`.trim());
    await this.secrets.store(secretKey(service), JSON.stringify({ v: 1, secret: trimmed, scope }));
    return scope;
  }

  /**
   * Whether a credential for the service would be sent to `url` now, asked silently (no sign-in
   * prompt): the sandbox's, a stored token bound to that host, or a VS Code session. Only the
   * answer leaves here (for a `when` clause), never the credential; a refusal or failure is false.
   */
  async signedIn(service: ServiceId, url: string | undefined): Promise<boolean> {
    if (this.sandbox.active()) return true;
    if (!url) return false;
    try {
      return (await this.getCredential(service, { url, interactive: false })) !== undefined;
    } catch {
      return false;
    }
  }

  async hasSecret(service: ServiceId): Promise<boolean> {
    return (await this.secrets.get(secretKey(service))) !== undefined;
  }

  /** Deletes every token and key this extension stored. Sign-in sessions belong to VS Code's Accounts menu. */
  async forgetAll(): Promise<ServiceId[]> {
    const forgotten: ServiceId[] = [];
    for (const service of ALL_SERVICES) {
      if (await this.hasSecret(service)) {
        await this.secrets.delete(secretKey(service));
        forgotten.push(service);
      }
    }
    return forgotten;
  }
}
