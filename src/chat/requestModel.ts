import type * as vscode from 'vscode';
import { PROVIDER_IDS, type ChatModel, type ProviderId } from '../core/ai/chatModel';
import { OWN_VENDOR } from '../host/ai/vscodeModelProvider';
import { type ModelRegistry } from '../providers/ai/modelRegistry';
import { type ModelAccess } from '../providers/chat/chatServices';
import { FallbackChatModel } from '../providers/chat/fallbackModel';

/**
 * The picked Chat model as one of ours: our own registered models (`<provider>/<model>`) go
 * straight to their provider, any other (Copilot's, another extension's) through the registry's
 * VS Code provider, so every request gets the shared redaction, limit, retry and cache.
 */
export function pickedModel(model: vscode.LanguageModelChat | undefined, registry: ModelRegistry): ChatModel | undefined {
  if (!model) return undefined;
  if (model.vendor === OWN_VENDOR) {
    const slash = model.id.indexOf('/');
    const provider = model.id.slice(0, slash) as ProviderId;
    if (slash <= 0 || !PROVIDER_IDS.includes(provider)) return undefined;
    return registry.model(provider, model.id.slice(slash + 1));
  }
  return registry.model('vscode', model.id, {
    provider: 'vscode',
    id: model.id,
    name: model.name,
    family: model.family,
    maxInputTokens: model.maxInputTokens,
    maxOutputTokens: 4_096,
    toolCalling: true,
    local: false,
    detail: model.vendor,
  });
}

/** The request's model first; the configured provider's when it is missing or unusable. */
export function modelAccessFor(model: vscode.LanguageModelChat | undefined, registry: ModelRegistry): ModelAccess {
  let chosen: Promise<ChatModel> | undefined;
  return {
    get: (signal) => {
      chosen ??= (async () => {
        const picked = pickedModel(model, registry);
        return picked ? new FallbackChatModel(picked, () => registry.current(signal)) : registry.current(signal);
      })();
      // A failed lookup (no model configured) is asked again next time: the user may fix it meanwhile.
      chosen.catch(() => (chosen = undefined));
      return chosen;
    },
  };
}
