import path from 'node:path';
import { PROVIDER_IDS, type ChatModel, type ModelInfo, type ModelProvider, type ProviderId } from '../../core/ai/chatModel';
import { isModelError, ModelError } from '../../core/ai/modelErrors';
import { SentPromptLog } from '../../core/ai/sentPrompts';
import { type Host } from '../../core/host';
import { readSettings, type Settings } from '../../core/settings';
import { ConcurrencyLimiter } from './concurrencyLimiter';
import { EndpointResolver, type SandboxModelAccess } from './endpoints';
import { GeminiProvider } from './geminiProvider';
import { ManagedChatModel, type ManagedSettings, type ModelServices } from './managedChatModel';
import { OllamaProvider } from './ollamaProvider';
import { OpenAiProvider } from './openaiProvider';
import { ResponseCache, type CacheStats } from './responseCache';
import { DEFAULT_RETRY, modelRetryPolicy, type RetryOptions } from './retryPolicy';
import { WatsonxProvider } from './watsonxProvider';

export interface ModelRegistryOptions {
  readonly host: Host;
  /** The sandbox's model stand-ins; without it the `sandbox` provider reports that it is unavailable. */
  readonly sandbox?: SandboxModelAccess;
  /** Providers that live outside this layer: the VS Code language models (src/host/ai). */
  readonly external?: Partial<Record<ProviderId, ModelProvider>>;
  /** No chunk for this long ends a stream with a `stalled` error. Default 60 s (a local model may take a while to load). */
  readonly stallTimeoutMs?: number;
  readonly retry?: Partial<RetryOptions>;
  /** Where replies are cached on disk; default `<storageDir>/model-cache`. Null: memory only. */
  readonly cacheDir?: string | null;
}

/** One provider's answer for the model picker: its models, or why it could not list them. */
export interface ProviderListing {
  readonly provider: ProviderId;
  readonly models: readonly ModelInfo[];
  readonly error?: ModelError;
}

/** The model the sandbox provider uses when none is set. */
export const SANDBOX_DEFAULT_MODEL = 'gpt-4o-mini';

/**
 * Builds the configured ChatModel from settings and owns what all models share (limiter, retry
 * policy, response cache, sent-prompt log). The @devops participant, agents and the VS Code
 * language-model registration all get their models here.
 */
export class ModelRegistry {
  readonly sentPrompts = new SentPromptLog();
  readonly cache: ResponseCache;
  private readonly limiter: ConcurrencyLimiter;
  private readonly resolver: EndpointResolver;
  private readonly providers = new Map<ProviderId, ModelProvider>();
  private readonly services: ModelServices;
  private readonly listeners = new Set<() => void>();
  private readonly firstModel = new Map<ProviderId, string>();
  private readonly retryOptions: RetryOptions;
  private retryPolicy: ReturnType<typeof modelRetryPolicy> | undefined;
  /** Validated settings, read once and again after refresh(): parsing them per request cost about a millisecond. */
  private settingsCache: Settings | undefined;

  constructor(private readonly options: ModelRegistryOptions) {
    const { host } = options;
    this.retryOptions = { ...DEFAULT_RETRY, ...options.retry };
    this.cache = new ResponseCache(options.cacheDir === null ? undefined : (options.cacheDir ?? path.join(host.storageDir, 'model-cache')));
    this.limiter = new ConcurrencyLimiter(this.settings().ai.concurrency);
    this.resolver = new EndpointResolver(() => this.settings(), options.sandbox);
    this.services = {
      limiter: this.limiter,
      retry: () => (this.retryPolicy ??= modelRetryPolicy(this.retryOptions)),
      cache: this.cache,
      sentPrompts: this.sentPrompts,
      settings: () => this.managedSettings(),
      log: host.log,
    };
  }

  /** The validated settings (re-read after refresh(), which the VS Code side calls when they change). */
  settings(): Settings {
    return (this.settingsCache ??= readSettings((key) => this.options.host.getConfig(key)).settings);
  }

  private managedSettings(): ManagedSettings {
    const { ai } = this.settings();
    return { cacheTtlSeconds: ai.cacheTtlSeconds, redactForLocalModels: ai.redactForLocalModels, stallTimeoutMs: this.options.stallTimeoutMs ?? 60_000 };
  }

  /** The provider behind an id (built on first use; its SDK loads on its first request). */
  provider(id: ProviderId): ModelProvider {
    const existing = this.providers.get(id) ?? this.options.external?.[id];
    if (existing) return existing;
    const { host } = this.options;
    const r = this.resolver;
    let built: ModelProvider;
    switch (id) {
      case 'openai':
      case 'sandbox':
        built = new OpenAiProvider(host, () => r.openai(id), id);
        break;
      case 'azureOpenai':
        built = new OpenAiProvider(host, () => r.azureOpenai(), 'azureOpenai');
        break;
      case 'ollama':
        built = new OllamaProvider(host, () => r.ollama());
        break;
      case 'gemini':
        built = new GeminiProvider(host, () => r.gemini());
        break;
      case 'watsonx':
        built = new WatsonxProvider(host, () => r.watsonx());
        break;
      case 'vscode':
        throw new ModelError('noModel', 'vscode', '', 'VS Code language models are only available inside VS Code');
    }
    this.providers.set(id, built);
    return built;
  }

  /** A model by provider and id, with the shared behaviour around it. */
  model(provider: ProviderId, modelId: string, info?: ModelInfo): ChatModel {
    const p = this.provider(provider);
    return new ManagedChatModel(info ?? p.describe(modelId), p, this.services);
  }

  /**
   * The model the settings select (aiDevops.ai.provider and .model). With no model set, the
   * provider's first model. Fails with a `noModel` ModelError that says how to configure one.
   */
  async current(signal?: AbortSignal): Promise<ChatModel> {
    const { ai } = this.settings();
    let modelId = ai.model;
    if (!modelId) modelId = ai.provider === 'sandbox' ? SANDBOX_DEFAULT_MODEL : await this.defaultModel(ai.provider, signal);
    return this.model(ai.provider, modelId);
  }

  private async defaultModel(provider: ProviderId, signal?: AbortSignal): Promise<string> {
    const known = this.firstModel.get(provider);
    if (known) return known;
    let models: ModelInfo[];
    try {
      models = await this.provider(provider).listModels(signal);
    } catch (error) {
      if (isModelError(error) && error.failure !== 'network') throw error;
      throw new ModelError('noModel', provider, '', isModelError(error) ? error.message : undefined, { cause: error });
    }
    const first = models.find((m) => m.toolCalling) ?? models[0];
    if (!first) throw new ModelError('noModel', provider, '', `${provider} offers no chat model`);
    this.firstModel.set(provider, first.id);
    return first.id;
  }

  /** What every provider offers, for the Select Model picker. One provider's failure does not hide the others. */
  async listAll(providers: readonly ProviderId[] = PROVIDER_IDS, signal?: AbortSignal): Promise<ProviderListing[]> {
    return Promise.all(
      providers.map(async (provider): Promise<ProviderListing> => {
        try {
          if (provider === 'sandbox' && !this.options.sandbox) throw new ModelError('noModel', 'sandbox', '', 'the sandbox is not available in this window');
          const models = provider === 'sandbox' ? [this.provider('sandbox').describe(SANDBOX_DEFAULT_MODEL)] : await this.provider(provider).listModels(signal);
          return { provider, models };
        } catch (error) {
          const mapped = isModelError(error) ? error : new ModelError('network', provider, '', error instanceof Error ? error.message : String(error));
          return { provider, models: [], error: mapped };
        }
      }),
    );
  }

  /** The concurrency limit in force and how many requests hold or wait for a slot. */
  concurrency(): { readonly limit: number; readonly active: number; readonly queued: number } {
    return { limit: this.limiter.capacity, active: this.limiter.active, queued: this.limiter.queued };
  }

  cacheStats(): CacheStats {
    return this.cache.stats();
  }

  async clearCache(): Promise<void> {
    await this.cache.clear();
  }

  /** Settings changed: forget derived state (the default model) and tell listeners (the VS Code model list). */
  refresh(): void {
    this.settingsCache = undefined;
    this.firstModel.clear();
    this.limiter.setCapacity(this.settings().ai.concurrency);
    this.listeners.forEach((l) => l());
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
