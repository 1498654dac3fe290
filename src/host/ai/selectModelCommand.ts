import * as vscode from 'vscode';
import { type ProviderId } from '../../core/ai/chatModel';
import { PROVIDER_LABELS } from '../../core/ai/modelErrors';
import { type ServiceId } from '../../core/host';
import { type ModelRegistry } from '../../providers/ai/modelRegistry';

type Pick = vscode.QuickPickItem & { readonly run?: () => Promise<void> };

const KEY_SERVICE: Partial<Record<ProviderId, ServiceId>> = { openai: 'openai', azureOpenai: 'azureOpenai', gemini: 'gemini', watsonx: 'watsonx' };

/** Writes a setting where it takes effect: the workspace when it already overrides it there, else the user's settings. */
async function writeSetting(key: string, value: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('aiDevops');
  const inspected = config.inspect(key);
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

/**
 * "Select Model…": what each provider offers (VS Code's models, OpenAI's /models, Ollama's installed
 * tags, Gemini's and watsonx's lists, the sandbox), grouped by provider; a provider that cannot
 * list says why and offers the fix. The pick is written to aiDevops.ai.provider and .model.
 */
export async function selectModel(registry: ModelRegistry): Promise<void> {
  const quickPick = vscode.window.createQuickPick<Pick>();
  quickPick.title = 'AI DevOps: Select Model';
  quickPick.placeholder = 'Loading the models each provider offers…';
  quickPick.busy = true;
  quickPick.matchOnDetail = true;
  quickPick.show();
  const controller = new AbortController();
  const hidden = quickPick.onDidHide(() => controller.abort());
  try {
    const { ai } = registry.settings();
    const listings = await registry.listAll(undefined, AbortSignal.any([controller.signal, AbortSignal.timeout(15_000)]));
    const items: Pick[] = [];
    for (const listing of listings) {
      const label = PROVIDER_LABELS[listing.provider] ?? listing.provider;
      items.push({ label, kind: vscode.QuickPickItemKind.Separator });
      for (const m of listing.models) {
        const current = ai.provider === listing.provider && ai.model === m.id;
        items.push({
          label: `${current ? '$(check) ' : ''}${m.name}`,
          description: m.id === m.name ? undefined : m.id,
          detail: [m.detail, `${Math.round(m.maxInputTokens / 1000)}k context`, m.toolCalling ? 'tools' : undefined].filter(Boolean).join(' · '),
          run: async () => {
            await writeSetting('ai.provider', listing.provider);
            await writeSetting('ai.model', m.id);
            registry.refresh();
            void vscode.window.showInformationMessage(`AI DevOps will use ${m.name} (${label}).`);
          },
        });
      }
      if (listing.error) {
        const service = KEY_SERVICE[listing.provider];
        const fixable = service && (listing.error.failure === 'noKey' || listing.error.failure === 'badKey');
        items.push({
          label: `$(warning) ${fixable ? `Set the ${label} API key…` : 'Not available'}`,
          detail: listing.error.message,
          run: fixable ? async () => void (await vscode.commands.executeCommand('aiDevops.setToken', service)) : async () => void (await vscode.commands.executeCommand('aiDevops.openSettings')),
        });
      }
    }
    quickPick.items = items;
    quickPick.placeholder = 'Pick the model AI DevOps uses for agents and @devops';
    quickPick.busy = false;
    const picked = await new Promise<Pick | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]));
      quickPick.onDidHide(() => resolve(undefined));
    });
    quickPick.hide();
    await picked?.run?.();
  } finally {
    hidden.dispose();
    quickPick.dispose();
  }
}
