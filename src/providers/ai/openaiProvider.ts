import type OpenAI from 'openai';
import { type ModelInfo, type ProviderRequest } from '../../core/ai/chatModel';
import { type ChatChunk, type FinishReason } from '../../core/ai/messages';
import { ModelError, parseRetryAfter, type HttpFailure } from '../../core/ai/modelErrors';
import { type Host } from '../../core/host';
import { familyOf, limitsOf } from './modelLimits';
import { toWireMessages, toWireTools, ToolCallAssembler } from './openAiWire';
import { ProviderBase, type ProviderEndpoint } from './providerBase';

/** Azure OpenAI's GA data-plane version for chat completions with tools and structured output. */
export const AZURE_API_VERSION = '2024-10-21';

export const OPENAI_DEFAULT_URL = 'https://api.openai.com/v1';

type Flavour = 'openai' | 'azureOpenai' | 'sandbox';

interface SdkError {
  status?: number;
  code?: string | null;
  error?: { message?: string; code?: string | null } | null;
  message?: string;
  headers?: Headers | Record<string, string>;
}

function headerOf(headers: SdkError['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/**
 * OpenAI chat completions through the `openai` SDK: api.openai.com, any OpenAI-compatible endpoint
 * (LM Studio, vLLM, LiteLLM, ... by base URL), Azure OpenAI through its AzureOpenAI class (the model
 * id is the deployment name), and the sandbox's stand-in.
 */
export class OpenAiProvider extends ProviderBase {
  private client: { key: string; sdk: OpenAI } | undefined;

  constructor(
    host: Host,
    endpoint: () => Promise<ProviderEndpoint>,
    readonly id: Flavour,
  ) {
    super(host, endpoint);
  }

  private async sdk(): Promise<OpenAI> {
    const { url } = await this.endpoint();
    const credential = await this.requireCredential(this.id === 'azureOpenai' ? 'azureOpenai' : 'openai');
    const key = `${url}\u0000${credential.value}`;
    if (this.client?.key === key) return this.client.sdk;
    const { OpenAI: OpenAIClient, AzureOpenAI } = await import('./sdk/openai');
    // Retries belong to the shared wrapper (one policy for every provider), so the SDK's are off.
    const common = { apiKey: credential.value, maxRetries: 0, fetch: this.recordingFetch };
    const sdk =
      this.id === 'azureOpenai'
        ? new AzureOpenAI({ ...common, endpoint: url, apiVersion: AZURE_API_VERSION })
        : new OpenAIClient({ ...common, baseURL: url });
    this.client = { key, sdk };
    return sdk;
  }

  describe(model: string): ModelInfo {
    return { provider: this.id, id: model, name: model, family: familyOf(model), ...limitsOf(model), toolCalling: true, local: false };
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const sdk = await this.sdk();
      const ids: string[] = [];
      for await (const m of sdk.models.list({ signal })) ids.push(m.id);
      // Only chat models belong in a chat model picker.
      return ids.filter((id) => !/embedding|whisper|tts|dall-e|moderation|davinci|babbage|transcribe|image|realtime|audio/i.test(id)).sort().map((id) => this.describe(id));
    } catch (error) {
      throw this.toModelError(error, '', signal);
    }
  }

  protected async *open(request: ProviderRequest): AsyncGenerator<ChatChunk> {
    const sdk = await this.sdk();
    const { url } = await this.endpoint();
    const official = url.startsWith('https://api.openai.com');
    const json = request.json;
    const body: OpenAI.Chat.ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: toWireMessages(request.messages) as OpenAI.Chat.ChatCompletionMessageParam[],
      stream: true,
      stream_options: { include_usage: true },
      ...(request.tools?.length ? { tools: toWireTools(request.tools), tool_choice: request.toolMode ?? 'auto' } : {}),
      ...(json
        ? { response_format: json.kind === 'object' ? { type: 'json_object' } : { type: 'json_schema', json_schema: { name: json.name, schema: { ...json.schema }, strict: false } } }
        : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxOutputTokens !== undefined ? (official ? { max_completion_tokens: request.maxOutputTokens } : { max_tokens: request.maxOutputTokens }) : {}),
    };
    const stream = await sdk.chat.completions.create(body, { signal: request.signal });
    const calls = new ToolCallAssembler();
    let refusal = '';
    let finish: string | null = null;
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) yield { type: 'text', text: delta.content };
      if (delta?.refusal) refusal += delta.refusal;
      delta?.tool_calls?.forEach((c) => calls.add(c));
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    if (refusal || finish === 'content_filter') throw new ModelError('refused', this.id, request.model, refusal ? refusal.slice(0, 200) : undefined);
    for (const call of calls.finish((text, tool) => this.parseArguments(text, request.model, tool))) yield { type: 'toolCall', call };
    if (usage) yield { type: 'usage', usage: { inputTokens: usage.prompt_tokens, outputTokens: usage.completion_tokens } };
    if (finish === null) return;
    const reason: FinishReason = finish === 'length' ? 'length' : calls.size > 0 || finish === 'tool_calls' ? 'toolCalls' : 'stop';
    yield { type: 'finish', reason };
  }

  protected httpFailureOf(error: unknown): HttpFailure | undefined {
    const e = error as SdkError | undefined;
    if (!e || typeof e !== 'object' || typeof e.status !== 'number') return undefined;
    const ms = Number(headerOf(e.headers, 'retry-after-ms'));
    return {
      status: e.status,
      code: e.code ?? e.error?.code ?? undefined,
      message: e.error?.message ?? e.message,
      retryAfterMs: Number.isFinite(ms) && ms > 0 ? ms : parseRetryAfter(headerOf(e.headers, 'retry-after')),
    };
  }
}
