/**
 * The conversation vocabulary every model provider speaks. Providers translate it to and from their
 * wire format; callers (agents, @devops) never see a provider's own types.
 */

/** A JSON Schema object (draft 2020-12 subset the providers accept: type, properties, required, items, enum, description). */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ToolCall {
  /** The provider's call id (generated when the provider has none, e.g. Ollama and Gemini). */
  readonly id: string;
  readonly name: string;
  /** Parsed arguments; providers that send a JSON string have it parsed (and rejected when it is not an object). */
  readonly arguments: Readonly<Record<string, unknown>>;
}

export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly name: string; readonly content: string };

export interface ToolDefinition {
  /** `^[A-Za-z0-9_-]{1,64}$`, the rule OpenAI, Gemini and VS Code all accept. */
  readonly name: string;
  readonly description: string;
  /** Parameters as a JSON Schema object. */
  readonly parameters: JsonSchema;
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

export type FinishReason = 'stop' | 'length' | 'toolCalls';

/** One piece of a streamed reply. Text arrives in order; tool calls arrive whole (deltas are assembled by the provider). */
export type ChatChunk =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'toolCall'; readonly call: ToolCall }
  | { readonly type: 'usage'; readonly usage: Usage }
  | { readonly type: 'finish'; readonly reason: FinishReason };

/** Ask for JSON: any JSON object, or one that follows a schema (the provider's structured output when it has one). */
export type JsonOutput = { readonly kind: 'object' } | { readonly kind: 'schema'; readonly name: string; readonly schema: JsonSchema };

export interface ChatOptions {
  readonly tools?: readonly ToolDefinition[];
  /** `required` makes the model call a tool; `none` forbids it. Default `auto` when tools are given. */
  readonly toolMode?: 'auto' | 'required' | 'none';
  readonly json?: JsonOutput;
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  /** Aborts the HTTP request (and a queued request before it starts). */
  readonly signal?: AbortSignal;
  /** Skip the response cache for this request (the answer is still stored for later hits). */
  readonly bypassCache?: boolean;
  /** Fail with a `stalled` error when the stream sends nothing for this long. Default: the registry's. */
  readonly stallTimeoutMs?: number;
}

/** Everything a reply carried, once the stream ended. */
export interface ChatCompletion {
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly usage: Usage | undefined;
  readonly finishReason: FinishReason;
}

export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads a whole stream into one completion. */
export async function collect(stream: AsyncIterable<ChatChunk>): Promise<ChatCompletion> {
  let text = '';
  const toolCalls: ToolCall[] = [];
  let usage: Usage | undefined;
  let finishReason: FinishReason | undefined;
  for await (const chunk of stream) {
    if (chunk.type === 'text') text += chunk.text;
    else if (chunk.type === 'toolCall') toolCalls.push(chunk.call);
    else if (chunk.type === 'usage') usage = chunk.usage;
    else finishReason = chunk.reason;
  }
  return { text, toolCalls, usage, finishReason: finishReason ?? (toolCalls.length > 0 ? 'toolCalls' : 'stop') };
}

/** The text of the last user message, for matching and for the "what was asked" line of the sent-prompt log. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return m.content;
  }
  return '';
}
