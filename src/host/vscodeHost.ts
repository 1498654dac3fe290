import * as vscode from 'vscode';
import { type Credential, type CredentialRequest, type Host, type Logger, type ServiceId } from '../core/host';
import { HOST_SETTINGS, type PendingHost, resolveHostSetting } from '../core/workspaceHosts';
import { workspaceKeyFor } from '../core/approvals';
import { ConfirmedHosts } from './confirmedHosts';

export interface CredentialSource {
  getCredential(service: ServiceId, request: CredentialRequest): Promise<Credential | undefined>;
}

/**
 * Reads `aiDevops.*` settings as the extension may use them. An untrusted workspace's values are
 * not read at all (only the user's); a trusted workspace's values are, except a host (organization
 * URL, model endpoint) that only the workspace names and the user has not confirmed for it: then
 * the user's own value applies and the host waits in `pending` for the user's answer.
 */
/** The settings as this window's extension may use them: hosts confirmed per workspace folder (globalState). */
export function aiDevopsConfigFor(context: Pick<vscode.ExtensionContext, 'globalState'>): AiDevopsConfig {
  const workspaceKey = (): string | undefined => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return root === undefined ? undefined : workspaceKeyFor(root);
  };
  return new AiDevopsConfig(new ConfirmedHosts(context.globalState), workspaceKey);
}

export class AiDevopsConfig {
  private readonly waiting = new Map<string, PendingHost>();

  constructor(
    private readonly confirmed: ConfirmedHosts | undefined,
    private readonly workspaceKey: () => string | undefined,
  ) {}

  /** Raw value of an `aiDevops.*` setting (key without the prefix). */
  read(key: string): unknown {
    const config = vscode.workspace.getConfiguration('aiDevops');
    const inspected = config.inspect(key);
    if (!vscode.workspace.isTrusted) return inspected?.globalValue ?? inspected?.defaultValue;
    if (!HOST_SETTINGS.includes(key)) return config.get(key);
    const ws = this.workspaceKey();
    const resolved = resolveHostSetting(
      key,
      { user: inspected?.globalValue, workspace: inspected?.workspaceFolderValue ?? inspected?.workspaceValue, fallback: inspected?.defaultValue },
      (origin) => ws !== undefined && this.confirmed?.has(ws, origin) === true,
    );
    if (resolved.pending) this.waiting.set(key, resolved.pending);
    else this.waiting.delete(key);
    return resolved.value;
  }

  /** The user's own value (never a workspace's). */
  readUser(key: string): unknown {
    const inspected = vscode.workspace.getConfiguration('aiDevops').inspect(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }

  /** Hosts named only by the workspace's settings, waiting for the user's confirmation. */
  pending(): PendingHost[] {
    return [...this.waiting.values()];
  }

  async confirm(origin: string): Promise<void> {
    const ws = this.workspaceKey();
    if (ws && this.confirmed) await this.confirmed.add(ws, origin);
  }
}

/** The one Host implementation backed by the editor. */
export class VsCodeHost implements Host {
  readonly fetch = globalThis.fetch.bind(globalThis);

  constructor(
    readonly log: Logger,
    private readonly credentials: CredentialSource,
    private readonly context: vscode.ExtensionContext,
    private readonly config: AiDevopsConfig,
  ) {}

  getCredential(service: ServiceId, request: CredentialRequest): Promise<Credential | undefined> {
    return this.credentials.getCredential(service, request);
  }

  getConfig(key: string): unknown {
    return this.config.read(key);
  }

  get workspaceRoot(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  get storageDir(): string {
    return this.context.globalStorageUri.fsPath;
  }
}
