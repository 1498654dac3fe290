import type { Message, Ollama, Tool } from 'ollama';
import { type ModelInfo, type ProviderRequest } from '../../core/ai/chatModel';
import { type ChatChunk, type ChatMessage } from '../../core/ai/messages';
import { type HttpFailure } from '../../core/ai/modelErrors';
import { familyOf } from './modelLimits';
import { generatedCallId, isLoopbackUrl, ProviderBase } from './providerBase';

export const OLLAMA_DEFAULT_HOST = 'http://127.0.0.1:11434';

function toOllamaMessages(messages: readonly ChatMessage[]): Message[] {
  return messages.map((m): Message => {
    if (m.role === 'tool') return { role: 'tool', content: m.content, tool_name: m.name };
    if (m.role === 'assistant' && m.toolCalls?.length) {
      return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: { ...c.arguments } } })) };
    }
    return { role: m.role, content: m.content };
  });
}

/** Context length from `/api/show`'s model_info (`<arch>.context_length`). */
function contextLengthOf(info: Record<string, unknown> | undefined): number | undefined {
  const entry = Object.entries(info ?? {}).find(([k]) => k.endsWith('.context_length'));
  return typeof entry?.[1] === 'number' ? entry[1] : undefined;
}

/**
 * A local (or remote) Ollama through the `ollama` client: the host setting, the installed models
 * from /api/tags, tool calls and JSON output. Ollama sends tool calls whole and has no ids for them.
 */
export class OllamaProvider extends ProviderBase {
  readonly id = 'ollama' as const;
  private readonly known = new Map<string, ModelInfo>();

  /** A client whose every request carries `signal` (the ollama client has no per-request signal). */
  private async client(signal: AbortSignal | undefined): Promise<Ollama> {
    const { url, credential } = await this.endpoint();
    // A remote Ollama behind a proxy may need a key; a local one needs none.
    const stored = credential ?? (isLoopbackUrl(url) ? undefined : await this.host.getCredential('ollama', { url }));
    const { Ollama: OllamaClient } = await import('./sdk/ollama');
    const fetchWithSignal: typeof fetch = (input, init) =>
      this.recordingFetch(input, { ...init, signal: signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal) });
    return new OllamaClient({ host: url, fetch: fetchWithSignal, headers: stored ? { Authorization: `Bearer ${stored.value}` } : undefined });
  }

  override async isLocal(): Promise<boolean> {
    return isLoopbackUrl((await this.endpoint()).url);
  }

  describe(model: string): ModelInfo {
    return (
      this.known.get(model) ?? {
        provider: 'ollama',
        id: model,
        name: model,
        family: familyOf(model),
        maxInputTokens: 8_192,
        maxOutputTokens: 4_096,
        toolCalling: true,
        local: false,
      }
    );
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const client = await this.client(signal);
      const local = await this.isLocal();
      const { models } = await client.list();
      const infos = await Promise.all(
        models.map(async (m): Promise<ModelInfo> => {
          const shown = await client.show({ model: m.name }).catch(() => undefined);
          const context = contextLengthOf(shown?.model_info as Record<string, unknown> | undefined) ?? 8_192;
          const capabilities = (shown as { capabilities?: string[] } | undefined)?.capabilities;
          const info: ModelInfo = {
            provider: 'ollama',
            id: m.name,
            name: m.name,
            family: m.details?.family || familyOf(m.name),
            maxInputTokens: context,
            maxOutputTokens: Math.min(4_096, context),
            toolCalling: capabilities ? capabilities.includes('tools') : true,
            local,
            detail: [m.details?.parameter_size, m.details?.quantization_level].filter(Boolean).join(' '),
          };
          this.known.set(m.name, info);
          return info;
        }),
      );
      return infos;
    } catch (error) {
      throw this.toModelError(error, '', signal);
    }
  }

  protected async *open(request: ProviderRequest): AsyncGenerator<ChatChunk> {
    const client = await this.client(request.signal);
    const json = request.json;
    const tools: Tool[] | undefined =
      request.tools?.length && request.toolMode !== 'none'
        ? request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: { ...t.parameters } as Tool['function']['parameters'] } }))
        : undefined;
    const stream = await client.chat({
      model: request.model,
      messages: toOllamaMessages(request.messages),
      stream: true,
      ...(tools ? { tools } : {}),
      ...(json ? { format: json.kind === 'object' ? 'json' : { ...json.schema } } : {}),
      options: {
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxOutputTokens !== undefined ? { num_predict: request.maxOutputTokens } : {}),
      },
    });
    let calls = 0;
    for await (const part of stream) {
      if (part.message?.content) yield { type: 'text', text: part.message.content };
      for (const c of part.message?.tool_calls ?? []) {
        const args = c.function.arguments as unknown;
        const parsed = typeof args === 'string' ? this.parseArguments(args, request.model, c.function.name) : ((args ?? {}) as Record<string, unknown>);
        yield { type: 'toolCall', call: { id: generatedCallId(calls++, c.function.name), name: c.function.name, arguments: parsed } };
      }
      if (part.done) {
        yield { type: 'usage', usage: { inputTokens: part.prompt_eval_count ?? 0, outputTokens: part.eval_count ?? 0 } };
        yield { type: 'finish', reason: part.done_reason === 'length' ? 'length' : calls > 0 ? 'toolCalls' : 'stop' };
      }
    }
  }

  protected httpFailureOf(error: unknown): HttpFailure | undefined {
    const e = error as { name?: string; status_code?: unknown; error?: unknown } | undefined;
    if (!e || e.name !== 'ResponseError' || typeof e.status_code !== 'number') return undefined;
    const message = typeof e.error === 'string' ? e.error : String(e.error ?? '');
    return { status: e.status_code, message, code: /not found/i.test(message) ? 'model_not_found' : undefined };
  }
}
