import * as vscode from 'vscode';
import { type Credential, type CredentialRequest, type Host, type Logger, type ServiceId } from '../core/host';

export interface CredentialSource {
  getCredential(service: ServiceId, request?: CredentialRequest): Promise<Credential | undefined>;
}

/** Raw value of an `aiDevops.*` setting. */
export function readAiDevopsConfig(key: string): unknown {
  const config = vscode.workspace.getConfiguration('aiDevops');
  // Workspace values win, but only when the workspace is trusted: an untrusted folder must not
  // point our clients (and the user's tokens) at a server of its choosing.
  if (!vscode.workspace.isTrusted) {
    const inspected = config.inspect(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }
  return config.get(key);
}

/** The one Host implementation backed by the editor. */
export class VsCodeHost implements Host {
  readonly fetch = globalThis.fetch.bind(globalThis);

  constructor(
    readonly log: Logger,
    private readonly credentials: CredentialSource,
    private readonly context: vscode.ExtensionContext,
  ) {}

  getCredential(service: ServiceId, request?: CredentialRequest): Promise<Credential | undefined> {
    return this.credentials.getCredential(service, request);
  }

  getConfig(key: string): unknown {
    return readAiDevopsConfig(key);
  }

  get workspaceRoot(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  get storageDir(): string {
    return this.context.globalStorageUri.fsPath;
  }
}
