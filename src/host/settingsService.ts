import * as vscode from 'vscode';
import { type Logger } from '../core/host';
import { readSettings, type Settings } from '../core/settings';
import { type DisposableStore } from './disposable';

/**
 * The validated settings, kept current, with the context keys the manifest's `when` clauses use.
 * An invalid value is reported once per change and replaced by its default.
 */
export class SettingsService {
  private current: Settings;
  private readonly changed: vscode.EventEmitter<Settings>;
  readonly onDidChange: vscode.Event<Settings>;

  constructor(
    scope: DisposableStore,
    private readonly getConfig: (key: string) => unknown,
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

  private read(): Settings {
    const { settings, invalid } = readSettings(this.getConfig);
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
