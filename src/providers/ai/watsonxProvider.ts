import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { type ModelInfo, type ProviderRequest } from '../../core/ai/chatModel';
import { type ChatChunk } from '../../core/ai/messages';
import { ModelError, parseRetryAfter, type HttpFailure } from '../../core/ai/modelErrors';
import { type Host } from '../../core/host';
import { familyOf, limitsOf } from './modelLimits';
import { toWireMessages, toWireTools, ToolCallAssembler } from './openAiWire';
import { ProviderBase, type ProviderEndpoint } from './providerBase';

export const WATSONX_DEFAULT_URL = 'https://us-south.ml.cloud.ibm.com';
export const IAM_DEFAULT_URL = 'https://iam.cloud.ibm.com';
/** The watsonx.ai API version date the chat, tokenization and model-spec calls are made with. */
export const WATSONX_API_VERSION = '2024-05-31';

export interface WatsonxEndpoint extends ProviderEndpoint {
  /** IBM Cloud IAM, where the API key is exchanged for an access token. */
  readonly iamUrl: string;
  readonly projectId: string;
}

interface SdkError {
  status?: number;
  message?: string;
  /** Text for most calls; for a failed stream, the unread response. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** `errors[0]` of a watsonx.ai error body, or IAM's `errorCode`/`errorMessage`. */
function serviceError(body: unknown): { code?: string; message?: string } {
  if (typeof body !== 'string' || !body) return {};
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: string; message?: string }[]; errorCode?: string; errorMessage?: string };
    return { code: parsed.errors?.[0]?.code ?? parsed.errorCode, message: parsed.errors?.[0]?.message ?? parsed.errorMessage };
  } catch {
    return {};
  }
}

/**
 * A failed streaming call leaves the error body unread (the SDK asked for a stream): read it, so
 * the error says what the service said (e.g. which limit the prompt exceeded).
 */
async function withBodyRead(error: unknown): Promise<unknown> {
  const e = error as SdkError | undefined;
  const body = e?.body as unknown;
  if (!e || !body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return error;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of body as AsyncIterable<Buffer | string>) {
      const buffer = Buffer.isBuffer(part) ? part : Buffer.from(part);
      parts.push(buffer);
      size += buffer.length;
      if (size > 64 * 1024) break;
    }
  } catch {
    return error;
  }
  e.body = Buffer.concat(parts).toString('utf8');
  return e;
}

interface StreamEvent {
  data?: {
    choices?: { finish_reason?: string | null; delta?: { content?: string; tool_calls?: { index?: number; id?: string; function?: { name?: string; arguments?: string } }[] } }[];
    usage?: { prompt_tokens?: number; completion_tokens?: number };
  };
}

/**
 * IBM watsonx.ai through `@ibm-cloud/watsonx-ai`. The SDK's IamAuthenticator exchanges the API key
 * at IAM (its `url` is configurable, so the sandbox's IAM stand-in works) and keeps the access token
 * until shortly before it expires; one client per key keeps that cache alive between requests.
 */
export class WatsonxProvider extends ProviderBase {
  readonly id = 'watsonx' as const;
  private client: { key: string; sdk: WatsonXAI } | undefined;

  constructor(
    host: Host,
    private readonly watsonxEndpoint: () => Promise<WatsonxEndpoint>,
  ) {
    super(host, watsonxEndpoint);
  }

  private async sdk(): Promise<{ sdk: WatsonXAI; projectId: string }> {
    const endpoint = await this.watsonxEndpoint();
    if (!endpoint.projectId) throw new ModelError('missingSetting', 'watsonx', '', 'set "aiDevops.ai.watsonxProjectId" to the id of your watsonx.ai project');
    // The key goes to IAM (exchanged for a short-lived token), so it is bound to IAM's origin.
    const credential = await this.requireCredential('watsonx', endpoint.iamUrl);
    const key = `${endpoint.url}\u0000${endpoint.iamUrl}\u0000${credential.value}`;
    if (this.client?.key !== key) {
      const { WatsonXAI: Client, IamAuthenticator } = await import('./sdk/watsonx');
      const authenticator = new IamAuthenticator({ apikey: credential.value, url: endpoint.iamUrl });
      this.client = { key, sdk: new Client({ version: WATSONX_API_VERSION, serviceUrl: endpoint.url, authenticator }) };
    }
    return { sdk: this.client.sdk, projectId: endpoint.projectId };
  }

  describe(model: string): ModelInfo {
    return { provider: 'watsonx', id: model, name: model.replace(/^[^/]+\//, ''), family: familyOf(model.replace(/^[^/]+\//, '')), ...limitsOf(model), toolCalling: true, local: false };
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const { sdk } = await this.sdk();
      const specs = await sdk.listFoundationModelSpecs({ filters: 'function_text_chat', limit: 200, signal });
      return (specs.result.resources ?? []).map((r) => ({
        ...this.describe(r.model_id),
        name: r.label ?? r.model_id,
        maxInputTokens: r.model_limits?.max_sequence_length ?? limitsOf(r.model_id).maxInputTokens,
        maxOutputTokens: (r.model_limits as { max_output_tokens?: number } | undefined)?.max_output_tokens ?? limitsOf(r.model_id).maxOutputTokens,
        detail: r.provider,
      }));
    } catch (error) {
      throw this.toModelError(error, '', signal);
    }
  }

  async countTokens(model: string, text: string, signal?: AbortSignal): Promise<number | undefined> {
    try {
      const { sdk, projectId } = await this.sdk();
      const response = await sdk.tokenizeText({ modelId: model, projectId, input: text, signal });
      return response.result.result.token_count;
    } catch (error) {
      throw this.toModelError(error, model, signal);
    }
  }

  protected async *open(request: ProviderRequest): AsyncGenerator<ChatChunk> {
    const { sdk, projectId } = await this.sdk();
    const json = request.json;
    const tools = toWireTools(request.tools);
    const stream = await sdk
      .textChatStream({
      modelId: request.model,
      projectId,
      messages: toWireMessages(request.messages) as WatsonXAI.TextChatMessages[],
      ...(tools ? { tools: tools as WatsonXAI.TextChatParameterTools[], toolChoiceOption: request.toolMode ?? 'auto' } : {}),
      ...(json ? { responseFormat: (json.kind === 'object' ? { type: 'json_object' } : { type: 'json_schema', json_schema: { name: json.name, schema: { ...json.schema } } }) as WatsonXAI.TextChatResponseFormat } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxOutputTokens !== undefined ? { maxTokens: request.maxOutputTokens } : {}),
      returnObject: true,
      signal: request.signal,
    })
      .catch(async (error: unknown) => {
        throw await withBodyRead(error);
      });
    const calls = new ToolCallAssembler();
    let finish: string | undefined;
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    for await (const event of stream as AsyncIterable<StreamEvent>) {
      // The SDK logs and drops an event whose data is not JSON; a missing `data` is that event.
      if (!event.data || typeof event.data !== 'object') throw new ModelError('badOutput', 'watsonx', request.model, 'a streamed event was not valid JSON');
      const choice = event.data.choices?.[0];
      if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
      choice?.delta?.tool_calls?.forEach((c) => calls.add(c));
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (event.data.usage) usage = { inputTokens: event.data.usage.prompt_tokens ?? 0, outputTokens: event.data.usage.completion_tokens ?? 0 };
    }
    for (const call of calls.finish((text, tool) => this.parseArguments(text, request.model, tool))) yield { type: 'toolCall', call };
    if (usage) yield { type: 'usage', usage };
    if (finish) yield { type: 'finish', reason: finish === 'length' ? 'length' : calls.size > 0 ? 'toolCalls' : 'stop' };
  }

  protected httpFailureOf(error: unknown): HttpFailure | undefined {
    const e = error as SdkError | undefined;
    if (!e || typeof e !== 'object' || typeof e.status !== 'number' || e.status === 0) return undefined;
    const said = serviceError(e.body);
    return { status: e.status, code: said.code, message: said.message ?? e.message, retryAfterMs: parseRetryAfter(e.headers?.['retry-after']) };
  }
}
