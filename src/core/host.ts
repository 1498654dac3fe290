import { type CredentialScope } from './credentialScope';

/**
 * What the rest of the extension may ask of the editor. Providers and agents get a Host in their
 * constructor and never import 'vscode', so they run (and are tested) in plain node with a fake.
 */

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** Services whose credentials the Host knows how to find (a sign-in session, SecretStorage, the sandbox). */
export type ServiceId = 'azureDevOps' | 'github' | 'openai' | 'azureOpenai' | 'gemini' | 'watsonx' | 'ollama';

export interface Credential {
  /** `pat` is sent as Basic auth, `bearer` as a Bearer token, `apiKey` as the service wants its key. */
  readonly kind: 'pat' | 'bearer' | 'apiKey';
  readonly value: string;
  /** Where it came from, so an expired session can be renewed and a rejected PAT reported as such. */
  readonly source: 'session' | 'secretStorage' | 'sandbox';
  /** Display name of the signed-in account, when there is one. Never secret. */
  readonly account?: string;
  /**
   * Where it may be sent; a transport that is redirected elsewhere (Azure DevOps' location service)
   * sends it only to requests this scope allows. Absent for credentials the user gave for this run
   * only (the headless runner's environment) and the sandbox's.
   */
  readonly scope?: CredentialScope;
}

export interface CredentialRequest {
  /**
   * The URL the credential will be sent to. A credential is released only for the origin it was
   * stored or issued for (a workspace cannot point the user's token at a host of its choosing).
   */
  readonly url: string;
  /** Ask the user to sign in when nothing is stored (only in response to a user action). */
  readonly interactive?: boolean;
  /** The last credential was refused by the service: get a fresh session instead of the cached one. */
  readonly forceRefresh?: boolean;
}

/** What a provider asks for when it already knows where it sends the credential (its source adds the URL). */
export type CredentialRefresh = Omit<CredentialRequest, 'url'>;

export interface Host {
  readonly log: Logger;
  /** The fetch providers must use (tests and the sandbox may substitute it). */
  readonly fetch: typeof globalThis.fetch;
  getCredential(service: ServiceId, request: CredentialRequest): Promise<Credential | undefined>;
  /** Raw value of an `aiDevops.*` setting (key without the prefix). Validate with core/settings. */
  getConfig(key: string): unknown;
  /** Absolute path of the first workspace folder, or undefined when no folder is open. */
  readonly workspaceRoot: string | undefined;
  /** A directory private to the extension for caches and the outbox (VS Code's globalStorage). */
  readonly storageDir: string;
}
