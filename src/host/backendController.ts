import path from 'node:path';
import * as vscode from 'vscode';
import { type Backend, type ServiceEndpoints } from '../core/backend';
import { DevOpsError } from '../core/errors';
import { type Logger } from '../core/host';
import { liveEndpoints } from '../core/liveEndpoints';
import { type Settings } from '../core/settings';
import { startupTimeline } from '../core/startupTimeline';
import { type SandboxModelAccess, type SandboxModelUrls } from '../providers/ai/endpoints';
import { type SandboxCredentials } from '../sandbox/identity';
import type { Sandbox } from '../sandbox/sandbox';
import { type DisposableStore } from './disposable';
import { type SettingsService } from './settingsService';

export interface BackendControllerDeps {
  readonly settings: SettingsService;
  readonly log: Logger;
  readonly workspaceRoot: string | undefined;
  readonly storageDir: string;
}

/**
 * Decides where the services are for this window: the live ones from settings, or the sandbox's
 * stand-ins, started on first use (the sandbox code and its demo data load only then). Also owns
 * the Try/Leave Sandbox commands and the status bar item that says the sandbox is on.
 */
export class BackendController implements Backend, SandboxModelAccess {
  private sandbox: Promise<Sandbox> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly status: vscode.StatusBarItem;
  private backendKind: Settings['backend'];

  constructor(
    scope: DisposableStore,
    private readonly deps: BackendControllerDeps,
  ) {
    this.backendKind = deps.settings.value.backend;
    this.status = scope.add(vscode.window.createStatusBarItem('aiDevops.sandbox', vscode.StatusBarAlignment.Left, 50));
    this.status.name = 'AI DevOps Sandbox';
    this.status.command = 'aiDevops.leaveSandbox';
    scope.add(
      this.changed,
      deps.settings.onDidChange((settings) => this.onSettings(settings)),
      vscode.commands.registerCommand('aiDevops.trySandbox', () => this.trySandbox()),
      vscode.commands.registerCommand('aiDevops.leaveSandbox', () => this.leaveSandbox()),
    );
    this.showStatus(undefined);
  }

  async endpoints(): Promise<ServiceEndpoints> {
    const settings = this.deps.settings.value;
    if (settings.backend !== 'sandbox') return liveEndpoints(settings);
    return (await this.startSandbox()).endpoints();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.changed.event(listener);
  }

  /** The running sandbox's credentials (random per session), starting the sandbox if needed. */
  async credentials(): Promise<SandboxCredentials> {
    return (await this.startSandbox()).credentials;
  }

  /** For the model registry: the sandbox's model stand-ins, starting the sandbox if needed. */
  async modelUrls(): Promise<SandboxModelUrls> {
    return (await this.startSandbox()).modelUrls();
  }

  /** Stops the sandbox (deactivation), saving its state. */
  async stop(): Promise<void> {
    const running = this.sandbox;
    this.sandbox = undefined;
    if (running) await (await running.catch(() => undefined))?.stop();
  }

  private startSandbox(): Promise<Sandbox> {
    this.sandbox ??= startupTimeline().span('sandbox start', async () => {
      const { Sandbox } = await startupTimeline().span('sandbox start: loading its code', () => import('../sandbox/sandbox'));
      const { sandbox: options } = this.deps.settings.value;
      const stateDir = this.deps.workspaceRoot
        ? path.join(this.deps.workspaceRoot, '.devops', 'sandbox')
        : path.join(this.deps.storageDir, 'sandbox');
      const started = await Sandbox.start({ stateDir, log: this.deps.log, latencyMs: options.latencyMs, faults: options.faults });
      this.showStatus(started);
      return started;
    }).catch((error: unknown) => {
      this.sandbox = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.log.error(`The sandbox could not start: ${reason}`);
      throw new DevOpsError('unavailable', `The sandbox could not start (${reason}). See AI DevOps: Show Log.`, { cause: error });
    });
    return this.sandbox;
  }

  private onSettings(settings: Settings): void {
    if (settings.backend !== this.backendKind) {
      this.backendKind = settings.backend;
      if (settings.backend === 'live') void this.stop().then(() => this.showStatus(undefined));
      else this.showStatus(undefined);
      this.changed.fire();
      return;
    }
    if (this.sandbox) void this.sandbox.then((s) => s.configure(settings.sandbox), () => undefined);
  }

  private showStatus(sandbox: Sandbox | undefined): void {
    if (this.deps.settings.value.backend !== 'sandbox') {
      this.status.hide();
      return;
    }
    this.status.text = sandbox ? '$(beaker) Sandbox' : '$(beaker) Sandbox (starts on first use)';
    const tooltip = new vscode.MarkdownString(
      sandbox
        ? `**AI DevOps sandbox** on ${sandbox.url}\n\nDemo Azure Boards project *Contoso Web*, GitHub repository *contoso/contoso-web* with its Project, and a scripted model, all on this machine; no account is used and nothing leaves it.\n\nClick to leave the sandbox.`
        : '**AI DevOps sandbox** is selected; its local stand-ins start when a view or `@devops` first needs them.\n\nClick to leave the sandbox.',
    );
    this.status.tooltip = tooltip;
    this.status.show();
  }

  private async trySandbox(): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('aiDevops').update('backend', 'sandbox', target);
    try {
      const sandbox = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'AI DevOps: starting the sandbox…' },
        () => this.startSandbox(),
      );
      const pick = await vscode.window.showInformationMessage(
        `The sandbox is running on ${sandbox.url}: a demo Azure Boards project, a GitHub repository and Project, and a scripted model, no account needed. Your settings are unchanged apart from aiDevops.backend.`,
        'Open Azure Boards',
        'Ask @devops',
      );
      if (pick === 'Open Azure Boards') await vscode.commands.executeCommand('aiDevops.boards.focus');
      if (pick === 'Ask @devops') await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops /status' });
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error), 'Show Log').then((p) => {
        if (p) void vscode.commands.executeCommand('aiDevops.showLog');
      });
    }
  }

  private async leaveSandbox(): Promise<void> {
    const config = vscode.workspace.getConfiguration('aiDevops');
    const inspected = config.inspect<string>('backend');
    // Clear the value where it was set, so the user's own choice (or the default) applies again.
    if (inspected?.workspaceValue !== undefined) await config.update('backend', undefined, vscode.ConfigurationTarget.Workspace);
    if (inspected?.globalValue !== undefined) await config.update('backend', undefined, vscode.ConfigurationTarget.Global);
    if (config.get('backend') === 'sandbox') await config.update('backend', 'live', vscode.ConfigurationTarget.Workspace);
    await this.stop();
    this.showStatus(undefined);
    void vscode.window.showInformationMessage('Left the sandbox. Its demo data is kept in .devops/sandbox for next time.');
  }
}
