import { type z } from 'zod';
import { type ChatModel, type ModelInfo, type TokenCount } from '../../core/ai/chatModel';
import { collect, type ChatChunk, type ChatCompletion, type ChatMessage, type ChatOptions } from '../../core/ai/messages';
import { isModelError, type ModelFailure } from '../../core/ai/modelErrors';

/** Failures that say "this model cannot be used here", so another one may be tried. */
const UNUSABLE: readonly ModelFailure[] = ['noModel', 'unknownModel', 'noKey', 'missingSetting', 'badKey'];

export const isUnusableModel = (error: unknown): boolean => isModelError(error) && UNUSABLE.includes(error.failure);

/**
 * The model picked in the Chat view, falling back to the configured one when the picked model
 * turns out to be unusable (not found, no permission, no key) before it said anything. Errors of a
 * usable model (rate limit, refusal, outage) are the user's to see, not a reason to switch.
 */
export class FallbackChatModel implements ChatModel {
  private fallen: Promise<ChatModel> | undefined;
  /** The configured model once it has taken over, so `info` names the model that answered. */
  private answering: ChatModel | undefined;

  constructor(
    private readonly primary: ChatModel,
    private readonly fallback: () => Promise<ChatModel>,
  ) {}

  get info(): ModelInfo {
    return (this.answering ?? this.primary).info;
  }

  private backup(): Promise<ChatModel> {
    return (this.fallen ??= this.fallback().then((m) => (this.answering = m)));
  }

  async *stream(messages: readonly ChatMessage[], options?: ChatOptions): AsyncGenerator<ChatChunk> {
    if (this.fallen) {
      yield* (await this.fallen).stream(messages, options);
      return;
    }
    let started = false;
    try {
      for await (const chunk of this.primary.stream(messages, options)) {
        started = true;
        yield chunk;
      }
    } catch (error) {
      if (started || !isUnusableModel(error)) throw error;
      yield* (await this.backup()).stream(messages, options);
    }
  }

  complete(messages: readonly ChatMessage[], options?: ChatOptions): Promise<ChatCompletion> {
    return collect(this.stream(messages, options));
  }

  async completeJson<T>(messages: readonly ChatMessage[], schema: z.ZodType<T>, options?: ChatOptions & { readonly schemaName?: string }): Promise<T> {
    if (this.fallen) return (await this.fallen).completeJson(messages, schema, options);
    try {
      return await this.primary.completeJson(messages, schema, options);
    } catch (error) {
      if (!isUnusableModel(error)) throw error;
      return (await this.backup()).completeJson(messages, schema, options);
    }
  }

  async countTokens(input: string | readonly ChatMessage[], signal?: AbortSignal): Promise<TokenCount> {
    return (await (this.fallen ?? Promise.resolve(this.primary))).countTokens(input, signal);
  }
}
