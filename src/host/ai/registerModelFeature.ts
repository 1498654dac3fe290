import * as vscode from 'vscode';
import { type Host } from '../../core/host';
import { type SandboxModelAccess } from '../../providers/ai/endpoints';
import { ModelRegistry } from '../../providers/ai/modelRegistry';
import { type DisposableStore } from '../disposable';
import { registerOurLanguageModels } from './ourLanguageModels';
import { selectModel } from './selectModelCommand';
import { registerSentPromptsDocument } from './sentPromptsDocument';
import { VsCodeModelProvider } from './vscodeModelProvider';

export interface ModelFeatureDeps {
  readonly host: Host;
  /** The running sandbox's model stand-ins (started on first use); without it the sandbox model is not offered. */
  readonly sandbox?: SandboxModelAccess;
}

/**
 * The model side of the extension: the registry (what agents and @devops get their ChatModel
 * from), VS Code's models as a provider, our models in VS Code's Chat model picker, and the Select
 * Model, Show What Was Sent and Clear Model Cache commands.
 */
export function registerModelFeature(scope: DisposableStore, deps: ModelFeatureDeps): ModelRegistry {
  const { host } = deps;
  const registry = new ModelRegistry({ host, sandbox: deps.sandbox, external: { vscode: new VsCodeModelProvider() } });
  const showSent = registerSentPromptsDocument(scope, registry.sentPrompts);
  registerOurLanguageModels(scope, registry, host.log);
  scope.add(
    vscode.commands.registerCommand('aiDevops.selectModel', () => selectModel(registry)),
    vscode.commands.registerCommand('aiDevops.showSentPrompts', () => showSent()),
    vscode.commands.registerCommand('aiDevops.clearModelCache', async () => {
      const { hits, misses } = registry.cacheStats();
      await registry.clearCache();
      void vscode.window.showInformationMessage(`AI DevOps: model response cache cleared (this session: ${hits} hits, ${misses} misses).`);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('aiDevops.ai') || e.affectsConfiguration('aiDevops.backend')) registry.refresh();
    }),
  );
  return registry;
}
