import * as vscode from 'vscode';
import { DisposableStore } from './host/disposable';

/**
 * Composition root: the only place that knows every service. Each feature registers itself from
 * a function that takes what it needs and returns its disposables.
 */
let extensionScope: DisposableStore | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const scope = new DisposableStore();
  extensionScope = scope;
  context.subscriptions.push(scope);
  const log = scope.add(vscode.window.createOutputChannel('AI DevOps', { log: true }));
  try {
    scope.add(vscode.commands.registerCommand('aiDevops.showLog', () => log.show()));
    scope.add(
      vscode.commands.registerCommand('aiDevops.openSettings', () =>
        vscode.commands.executeCommand('workbench.action.openSettings', '@ext:ai-devops.ai-devops'),
      ),
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(`AI DevOps could not start: ${message}`, 'Show Log').then((pick) => {
      if (pick) log.show();
    });
    throw error;
  }
}

export async function deactivate(): Promise<void> {
  extensionScope?.dispose();
  extensionScope = undefined;
}
