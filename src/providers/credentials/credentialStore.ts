import { type Credential, type CredentialRequest, type Logger, type ServiceId } from '../../core/host';
import { SANDBOX_CREDENTIALS } from '../../sandbox/identity';

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

const SANDBOX: Record<ServiceId, Credential | undefined> = {
  azureDevOps: { kind: 'pat', value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox', account: 'Sandbox User' },
  github: { kind: 'bearer', value: SANDBOX_CREDENTIALS.githubToken, source: 'sandbox', account: 'sandbox-user' },
  openai: { kind: 'apiKey', value: SANDBOX_CREDENTIALS.openaiKey, source: 'sandbox' },
  azureOpenai: { kind: 'apiKey', value: SANDBOX_CREDENTIALS.openaiKey, source: 'sandbox' },
  gemini: { kind: 'apiKey', value: SANDBOX_CREDENTIALS.geminiKey, source: 'sandbox' },
  watsonx: { kind: 'apiKey', value: SANDBOX_CREDENTIALS.watsonxApiKey, source: 'sandbox' },
  ollama: undefined,
};

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

/**
 * Finds the credential for a service: the sandbox's fixed ones while the sandbox backend is on,
 * else VS Code's own sign-in session (GitHub, Microsoft), else a token or key the user stored in
 * SecretStorage. Nothing here is ever logged but the source and the account name.
 */
export class CredentialStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly sessions: SessionSource,
    private readonly isSandbox: () => boolean,
    private readonly log: Logger,
  ) {}

  async getCredential(service: ServiceId, request: CredentialRequest = {}): Promise<Credential | undefined> {
    if (this.isSandbox()) return SANDBOX[service];
    const stored = await this.secrets.get(secretKey(service));
    const session = SESSION_PROVIDERS[service];
    // A stored PAT is an explicit choice by the user, so it wins over an ambient sign-in.
    if (stored) return { kind: service === 'azureDevOps' || service === 'github' ? 'pat' : 'apiKey', value: stored, source: 'secretStorage' };
    if (!session) return undefined;
    try {
      const found = await this.sessions.getSession(session.provider, session.scopes, {
        interactive: request.interactive === true,
        forceRefresh: request.forceRefresh === true,
      });
      if (!found) return undefined;
      this.log.debug(`Using the ${session.provider} sign-in of ${found.account} for ${SERVICE_LABELS[service]}.`);
      return { kind: 'bearer', value: found.accessToken, source: 'session', account: found.account };
    } catch (error) {
      // The user dismissed the sign-in, or the provider is unavailable (e.g. no Microsoft auth in code-server).
      this.log.warn(`No ${session.provider} sign-in for ${SERVICE_LABELS[service]}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  async setSecret(service: ServiceId, value: string): Promise<void> {
    const trimmed = value.trim();
    if (trimmed.length === 0) throw new Error('The token is empty.');
    if (/\s/.test(trimmed)) throw new Error('A token has no spaces or line breaks; check what was pasted.');
    await this.secrets.store(secretKey(service), trimmed);
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
