import * as vscode from 'vscode';
import { type ModelInfo, type ModelProvider, type ProviderRequest } from '../../core/ai/chatModel';
import { type ChatChunk } from '../../core/ai/messages';
import { isModelError, ModelError } from '../../core/ai/modelErrors';
import { redactText } from '../../core/redact';
import { toVsCodeMessages, toVsCodeTools } from './lmMessages';

/** Our own registered models: never offered back to ourselves, or a request would loop. */
export const OWN_VENDOR = 'aiDevops';

const info = (m: vscode.LanguageModelChat): ModelInfo => ({
  provider: 'vscode',
  id: m.id,
  name: m.name,
  family: m.family,
  maxInputTokens: m.maxInputTokens,
  maxOutputTokens: 4_096,
  toolCalling: true,
  local: false,
  detail: m.vendor,
});

/** VS Code's language-model errors in our vocabulary. */
function mapError(error: unknown, model: string, token: vscode.CancellationToken): ModelError {
  if (isModelError(error)) return error;
  if (token.isCancellationRequested || (error instanceof Error && error.name === 'Canceled')) return new ModelError('cancelled', 'vscode', model);
  const message = error instanceof Error ? redactText(error.message).slice(0, 200) : String(error);
  if (error instanceof vscode.LanguageModelError) {
    if (error.code === 'NoPermissions') return new ModelError('noModel', 'vscode', model, `VS Code did not allow AI DevOps to use this model; allow it when asked (${message})`, { cause: error });
    if (error.code === 'Blocked') return new ModelError('refused', 'vscode', model, message, { cause: error });
    if (error.code === 'NotFound') return new ModelError('unknownModel', 'vscode', model, message, { cause: error });
  }
  if (/rate limit|quota|too many requests/i.test(message)) return new ModelError('rateLimited', 'vscode', model, message, { cause: error });
  if (/context|too long|token limit/i.test(message)) return new ModelError('contextTooLong', 'vscode', model, message, { cause: error });
  return new ModelError('outage', 'vscode', model, message, { cause: error });
}

/** The models VS Code offers (Copilot's and other extensions'), behind our ChatModel through vscode.lm. */
export class VsCodeModelProvider implements ModelProvider {
  readonly id = 'vscode' as const;

  async endpointId(): Promise<string> {
    return 'vscode.lm';
  }

  async isLocal(): Promise<boolean> {
    return false;
  }

  private async find(model: string): Promise<vscode.LanguageModelChat> {
    const [found] = (await vscode.lm.selectChatModels({ id: model })).filter((m) => m.vendor !== OWN_VENDOR);
    if (!found) throw new ModelError('unknownModel', 'vscode', model);
    return found;
  }

  async listModels(): Promise<ModelInfo[]> {
    const models = (await vscode.lm.selectChatModels()).filter((m) => m.vendor !== OWN_VENDOR);
    if (models.length === 0) throw new ModelError('noModel', 'vscode', '', 'VS Code offers no language model here (sign in to GitHub Copilot, or pick another provider)');
    return models.map(info);
  }

  describe(model: string): ModelInfo {
    return { provider: 'vscode', id: model, name: model, family: model, maxInputTokens: 64_000, maxOutputTokens: 4_096, toolCalling: true, local: false };
  }

  async *stream(request: ProviderRequest): AsyncGenerator<ChatChunk> {
    const source = new vscode.CancellationTokenSource();
    const cancel = (): void => source.cancel();
    request.signal.addEventListener('abort', cancel, { once: true });
    try {
      const model = await this.find(request.model);
      const tools = request.toolMode === 'none' ? undefined : toVsCodeTools(request.tools);
      const response = await model.sendRequest(
        toVsCodeMessages(request.messages),
        {
          justification: 'AI DevOps sends your request and the work items or files it mentions to the model you chose.',
          ...(tools ? { tools, toolMode: request.toolMode === 'required' ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto } : {}),
        },
        source.token,
      );
      let calls = 0;
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) yield { type: 'text', text: part.value };
        else if (part instanceof vscode.LanguageModelToolCallPart) {
          calls++;
          yield { type: 'toolCall', call: { id: part.callId, name: part.name, arguments: { ...(part.input as Record<string, unknown>) } } };
        }
      }
      if (request.signal.aborted) throw request.signal.reason;
      // vscode.lm says nothing about finishing: a stream that ended without an error is complete.
      yield { type: 'finish', reason: calls > 0 ? 'toolCalls' : 'stop' };
    } catch (error) {
      if (request.signal.aborted && isModelError(request.signal.reason)) throw request.signal.reason;
      throw mapError(error, request.model, source.token);
    } finally {
      request.signal.removeEventListener('abort', cancel);
      source.dispose();
    }
  }

  async countTokens(model: string, text: string): Promise<number | undefined> {
    try {
      return await (await this.find(model)).countTokens(text);
    } catch {
      return undefined;
    }
  }
}
