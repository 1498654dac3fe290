import * as vscode from 'vscode';
import { type Logger } from '../core/host';
import { readSettings, type Settings } from '../core/settings';
import { type PendingHost } from '../core/workspaceHosts';
import { type DisposableStore } from './disposable';
import { type AiDevopsConfig } from './vscodeHost';

/**
 * The validated settings, kept current, with the context keys the manifest's `when` clauses use.
 * An invalid value is reported once per change and replaced by its default.
 */
export class SettingsService {
  private current: Settings;
  private readonly changed: vscode.EventEmitter<Settings>;
  readonly onDidChange: vscode.Event<Settings>;
  /** Hosts already asked about in this window (the answer "Not Now" is not asked again until reload). */
  private readonly asked = new Set<string>();

  constructor(
    scope: DisposableStore,
    private readonly config: AiDevopsConfig,
    private readonly log: Logger,
  ) {
    this.changed = scope.add(new vscode.EventEmitter<Settings>());
    this.onDidChange = this.changed.event;
    this.current = this.read();
    scope.add(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('aiDevops')) return;
        this.current = this.read();
        this.changed.fire(this.current);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.current = this.read();
        this.changed.fire(this.current);
      }),
    );
  }

  get value(): Settings {
    return this.current;
  }

  /** The user's own settings, no workspace value (where credentials may also go, see CredentialStore). */
  userValue(): Settings {
    return readSettings((key) => this.config.readUser(key)).settings;
  }

  /**
   * A host only the workspace's settings name is used once the user allows it for this workspace.
   * Asked without blocking: until the answer nothing is sent there (the user's own value applies).
   */
  private askAboutHosts(pending: readonly PendingHost[]): void {
    for (const host of pending) {
      if (this.asked.has(host.origin)) continue;
      this.asked.add(host.origin);
      this.log.warn(`This workspace's settings set aiDevops.${host.key} to ${host.origin}; it is not used until you allow it.`);
      const allow = 'Allow for This Workspace';
      void vscode.window
        .showWarningMessage(
          `AI DevOps: this workspace's settings point aiDevops.${host.key} at ${host.origin}. Your credentials and workspace content go there only if you allow it. Until then your own settings apply.`,
          allow,
          'Not Now',
        )
        .then(async (pick) => {
          if (pick !== allow) return;
          await this.config.confirm(host.origin);
          this.log.info(`${host.origin} allowed for this workspace (aiDevops.${host.key}).`);
          this.current = this.read();
          this.changed.fire(this.current);
        });
    }
  }

  private read(): Settings {
    const { settings, invalid } = readSettings((key) => this.config.read(key));
    this.askAboutHosts(this.config.pending());
    if (invalid.length > 0) {
      const keys = invalid.map((k) => `aiDevops.${k}`).join(', ');
      this.log.warn(`Invalid settings replaced by their defaults: ${keys}`);
      void vscode.window.showWarningMessage(`AI DevOps: invalid value in ${keys}; using the default instead.`, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', invalid.map((k) => `aiDevops.${k}`).join(' '));
      });
    }
    const sandbox = settings.backend === 'sandbox';
    void vscode.commands.executeCommand('setContext', 'aiDevops.sandbox.active', sandbox);
    void vscode.commands.executeCommand(
      'setContext',
      'aiDevops.azureDevOps.configured',
      sandbox || (settings.azureDevOps.organizationUrl !== '' && settings.azureDevOps.project !== ''),
    );
    void vscode.commands.executeCommand(
      'setContext',
      'aiDevops.github.configured',
      sandbox || (settings.github.owner !== '' && settings.github.repo !== ''),
    );
    return settings;
  }
}
