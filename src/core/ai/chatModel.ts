import { type z } from 'zod';
import { type Settings } from '../settings';
import { type ChatChunk, type ChatCompletion, type ChatMessage, type ChatOptions, type JsonOutput, type ToolDefinition } from './messages';

export type ProviderId = Settings['ai']['provider'];

export const PROVIDER_IDS: readonly ProviderId[] = ['vscode', 'openai', 'azureOpenai', 'ollama', 'gemini', 'watsonx', 'sandbox'];

/** What the model picker and the VS Code language-model registration show about one model. */
export interface ModelInfo {
  readonly provider: ProviderId;
  /** The provider's model id (an Azure OpenAI deployment name, an Ollama tag, `models/...` stripped for Gemini). */
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly toolCalling: boolean;
  /** Runs on this machine (loopback Ollama): prompts may skip redaction when the user allows it. */
  readonly local: boolean;
  readonly detail?: string;
}

export interface TokenCount {
  readonly tokens: number;
  /** False when the provider has no tokenizer and the count is an estimate (about four characters a token). */
  readonly exact: boolean;
}

/**
 * A language model, whichever provider serves it. What agents and @devops call: every
 * implementation they get already has the shared behaviour (redaction, concurrency limit, retry,
 * cache, stall time-out) around it.
 */
export interface ChatModel {
  readonly info: ModelInfo;
  /** Text, whole tool calls, usage and the finish reason, as they arrive. Errors are ModelErrors. */
  stream(messages: readonly ChatMessage[], options?: ChatOptions): AsyncIterable<ChatChunk>;
  complete(messages: readonly ChatMessage[], options?: ChatOptions): Promise<ChatCompletion>;
  /**
   * Asks for JSON and checks it with `schema`; a bad reply is sent back once with the validation
   * error, a second bad reply fails with a `badOutput` ModelError.
   */
  completeJson<T>(messages: readonly ChatMessage[], schema: z.ZodType<T>, options?: ChatOptions & { readonly schemaName?: string }): Promise<T>;
  countTokens(input: string | readonly ChatMessage[], signal?: AbortSignal): Promise<TokenCount>;
}

/** One request as a provider receives it: already redacted, already past the cache and the limiter. */
export interface ProviderRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolDefinition[];
  readonly toolMode?: 'auto' | 'required' | 'none';
  readonly json?: JsonOutput;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  /** Always set: the wrapper aborts it on cancellation and on a stall. */
  readonly signal: AbortSignal;
}

/**
 * What each provider implements (src/providers/ai, and the VS Code one in src/host/ai): the wire
 * protocol and nothing else. The shared behaviour is written once around it.
 */
export interface ModelProvider {
  readonly id: ProviderId;
  /** Identifies the endpoint in cache keys and the sent-prompt log (a URL, never a secret). */
  endpointId(): Promise<string>;
  /** True when the endpoint is on this machine (loopback), so redaction may be waived by setting. */
  isLocal(): Promise<boolean>;
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  /** Information about one model without listing them all (defaults when the provider cannot tell). */
  describe(model: string): ModelInfo;
  stream(request: ProviderRequest): AsyncIterable<ChatChunk>;
  /** Exact count from the provider's tokenizer, or undefined when it has none. */
  countTokens?(model: string, text: string, signal?: AbortSignal): Promise<number | undefined>;
}

/** About four characters a token: the usual rule for English and code when no tokenizer is at hand. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export function messagesAsText(messages: readonly ChatMessage[]): string {
  return messages
    .map((m) => (m.role === 'assistant' && m.toolCalls?.length ? `${m.content}\n${JSON.stringify(m.toolCalls)}` : m.content))
    .join('\n');
}
