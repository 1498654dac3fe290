import { type RetryPolicy } from 'cockatiel';
import { type z } from 'zod';
import { estimateTokens, messagesAsText, type ChatModel, type ModelInfo, type ModelProvider, type ProviderRequest, type TokenCount } from '../../core/ai/chatModel';
import { completeJsonWith } from '../../core/ai/jsonOutput';
import { collect, type ChatChunk, type ChatCompletion, type ChatMessage, type ChatOptions } from '../../core/ai/messages';
import { isModelError, ModelError } from '../../core/ai/modelErrors';
import { redactMessages } from '../../core/ai/promptRedaction';
import { type SentPromptLog } from '../../core/ai/sentPrompts';
import { nextWithin } from '../../core/ai/streams';
import { type Logger } from '../../core/host';
import { redactText } from '../../core/redact';
import { type ConcurrencyLimiter } from './concurrencyLimiter';
import { cacheKey, type ResponseCache } from './responseCache';

/** The per-request settings the wrapper reads (from aiDevops.ai.* through the registry). */
export interface ManagedSettings {
  readonly cacheTtlSeconds: number;
  readonly redactForLocalModels: boolean;
  readonly stallTimeoutMs: number;
}

/** What every managed model shares: one limiter, one retry policy, one cache, one sent-prompt log. */
export interface ModelServices {
  readonly limiter: ConcurrencyLimiter;
  readonly retry: () => RetryPolicy;
  readonly cache: ResponseCache;
  readonly sentPrompts: SentPromptLog;
  readonly settings: () => ManagedSettings;
  readonly log: Logger;
}

/**
 * A provider's model with the shared behaviour around it, in the order it applies: redaction (and
 * the record of what was sent), the response cache, the concurrency limit, retry with backoff
 * until the first chunk, and the stall time-out on every chunk.
 */
export class ManagedChatModel implements ChatModel {
  constructor(
    readonly info: ModelInfo,
    private readonly provider: ModelProvider,
    private readonly services: ModelServices,
  ) {}

  async *stream(messages: readonly ChatMessage[], options: ChatOptions = {}): AsyncGenerator<ChatChunk> {
    const { provider, info, services } = this;
    const who = { provider: provider.id, model: info.id };
    if (options.signal?.aborted) throw new ModelError('cancelled', who.provider, who.model);
    const settings = services.settings();
    const [endpoint, local] = await Promise.all([provider.endpointId(), provider.isLocal()]);
    const redact = !(local && !settings.redactForLocalModels);
    const sent = redact ? redactMessages(messages) : { messages: [...messages], changed: 0 };
    const request: Omit<ProviderRequest, 'signal'> = {
      model: info.id,
      messages: sent.messages,
      tools: options.tools,
      toolMode: options.tools?.length ? (options.toolMode ?? 'auto') : undefined,
      json: options.json,
      temperature: options.temperature,
      maxOutputTokens: options.maxOutputTokens,
    };
    const key = cacheKey({
      provider: provider.id,
      endpoint,
      model: info.id,
      messages: request.messages,
      options: { tools: request.tools, toolMode: request.toolMode, json: request.json, temperature: request.temperature, maxOutputTokens: request.maxOutputTokens },
    });
    const record = (fromCache: boolean): void =>
      services.sentPrompts.record({
        provider: provider.id,
        model: info.id,
        endpoint,
        redacted: redact,
        messagesChanged: sent.changed,
        messages: sent.messages,
        tools: (request.tools ?? []).map((t) => t.name),
        fromCache,
      });

    const useCache = settings.cacheTtlSeconds > 0;
    if (useCache && !options.bypassCache) {
      const hit = await services.cache.get(key, settings.cacheTtlSeconds);
      if (hit) {
        record(true);
        yield* hit;
        return;
      }
    }
    const release = await services.limiter.acquire(options.signal, who);
    const controller = new AbortController();
    const onCancel = (): void => controller.abort(new ModelError('cancelled', who.provider, who.model));
    options.signal?.addEventListener('abort', onCancel, { once: true });
    const stallMs = options.stallTimeoutMs ?? settings.stallTimeoutMs;
    const onStall = (): Error => {
      const error = new ModelError('stalled', who.provider, who.model, `nothing arrived for ${Math.round(stallMs / 1000)} s`);
      // Abort the HTTP request too, so the socket closes instead of waiting on the server.
      controller.abort(error);
      return error;
    };
    let completed = false;
    let iterator: AsyncIterator<ChatChunk> | undefined;
    try {
      // Recorded once it holds a slot: a request cancelled while queued was never sent.
      record(false);
      const opened = await services.retry().execute(async () => {
        if (controller.signal.aborted) throw controller.signal.reason;
        const it = provider.stream({ ...request, signal: controller.signal })[Symbol.asyncIterator]();
        const first = await nextWithin(it, stallMs, onStall);
        return { it, first };
      }, options.signal);
      iterator = opened.it;
      const recorded: ChatChunk[] = [];
      for (let next = opened.first; !next.done; next = await nextWithin(iterator, stallMs, onStall)) {
        recorded.push(next.value);
        yield next.value;
      }
      completed = true;
      if (useCache) await services.cache.set(key, recorded).catch((e: unknown) => services.log.warn(`Could not store a model reply in the cache: ${redactText(String(e))}`));
    } catch (error) {
      throw this.normalize(error);
    } finally {
      options.signal?.removeEventListener('abort', onCancel);
      release();
      if (!completed) {
        // The consumer stopped early, or it failed: end the request so its socket is not left open.
        if (!controller.signal.aborted) controller.abort(new ModelError('cancelled', who.provider, who.model));
        void iterator?.return?.()?.catch(() => undefined);
      }
    }
  }

  complete(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatCompletion> {
    return collect(this.stream(messages, options));
  }

  completeJson<T>(messages: readonly ChatMessage[], schema: z.ZodType<T>, options: ChatOptions & { readonly schemaName?: string } = {}): Promise<T> {
    return completeJsonWith((m, o) => this.complete(m, o), messages, schema, options, { provider: this.provider.id, model: this.info.id });
  }

  async countTokens(input: string | readonly ChatMessage[], signal?: AbortSignal): Promise<TokenCount> {
    const raw = typeof input === 'string' ? input : messagesAsText(input);
    if (!this.provider.countTokens) return { tokens: estimateTokens(raw), exact: false };
    const local = await this.provider.isLocal();
    const text = local && !this.services.settings().redactForLocalModels ? raw : redactText(raw);
    try {
      const counted = await this.provider.countTokens(this.info.id, text, signal);
      return counted === undefined ? { tokens: estimateTokens(raw), exact: false } : { tokens: counted, exact: true };
    } catch (error) {
      if (signal?.aborted) throw this.normalize(error);
      // A count is a planning aid: an estimate beats failing the caller's whole request over it.
      this.services.log.debug(`Token count from ${this.provider.id} failed; estimating instead: ${error instanceof Error ? error.message : String(error)}`);
      return { tokens: estimateTokens(raw), exact: false };
    }
  }

  private normalize(error: unknown): ModelError {
    if (isModelError(error)) return error;
    if (error instanceof Error && error.name === 'TaskCancelledError') return new ModelError('cancelled', this.provider.id, this.info.id);
    return new ModelError('badOutput', this.provider.id, this.info.id, error instanceof Error ? redactText(error.message).slice(0, 200) : undefined, { cause: error });
  }
}
