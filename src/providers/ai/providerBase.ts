import { type ModelInfo, type ModelProvider, type ProviderId, type ProviderRequest } from '../../core/ai/chatModel';
import { type ChatChunk, type ToolCall } from '../../core/ai/messages';
import { classifyHttpFailure, isModelError, ModelError, parseRetryAfter, type HttpFailure } from '../../core/ai/modelErrors';
import { isDevOpsError } from '../../core/errors';
import { type Credential, type Host, type ServiceId } from '../../core/host';
import { redactText } from '../../core/redact';

/** Where a provider sends its requests, resolved by the registry from settings or the sandbox. */
export interface ProviderEndpoint {
  /** Base URL in the form the SDK takes it (OpenAI baseURL, Ollama host, Gemini baseUrl, watsonx serviceUrl). */
  readonly url: string;
  /** The credential to use instead of asking the Host (the sandbox's fixed keys). */
  readonly credential?: Credential;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

export const isLoopbackUrl = (url: string): boolean => {
  try {
    return LOOPBACK.test(new URL(url).hostname);
  } catch {
    return false;
  }
};

const ABORT_NAMES = new Set(['AbortError', 'APIUserAbortError', 'CanceledError', 'TimeoutError']);
const isAbort = (error: unknown): boolean =>
  error instanceof Error && (ABORT_NAMES.has(error.name) || /operation was aborted|request was aborted/i.test(error.message));

const NETWORK = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EPIPE|ETIMEDOUT|socket hang up|fetch failed|other side closed|terminated|network|Connection error/i;

/**
 * What every provider shares: credentials through the Host, one mapping from an SDK's error to a
 * ModelError, and tool-call argument parsing. Subclasses only speak their wire protocol.
 */
export abstract class ProviderBase implements ModelProvider {
  abstract readonly id: ProviderId;
  /**
   * Retry-After of the latest 429/503. Some SDKs' errors carry the body but not the headers
   * (@google/genai, ollama), so the fetch they are given notes it on the way through.
   */
  private lastRetryAfterMs: number | undefined;

  /** Host.fetch, noting Retry-After: give this to SDKs whose errors drop response headers. */
  protected readonly recordingFetch: typeof fetch = async (input, init) => {
    const response = await this.host.fetch(input, init);
    if (response.status === 429 || response.status === 503) this.lastRetryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return response;
  };

  constructor(
    protected readonly host: Host,
    protected readonly endpoint: () => Promise<ProviderEndpoint>,
  ) {}

  async endpointId(): Promise<string> {
    return (await this.endpoint()).url;
  }

  /**
   * Cloud by default, even on a loopback URL (a proxy, or the sandbox standing in for a cloud
   * service): only a provider that runs models on this machine (Ollama) may claim otherwise.
   */
  async isLocal(): Promise<boolean> {
    return false;
  }

  abstract listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
  abstract describe(model: string): ModelInfo;
  protected abstract open(request: ProviderRequest): AsyncIterable<ChatChunk>;
  /** The service's status, error code, message and Retry-After from an SDK error, when it is one. */
  protected abstract httpFailureOf(error: unknown): HttpFailure | undefined;

  /**
   * Streams the reply; every failure leaves as a ModelError. Providers yield `finish` only when the
   * service said the reply is complete, so a stream cut short (or garbled at its end) is an error
   * rather than a silently truncated answer.
   */
  async *stream(request: ProviderRequest): AsyncGenerator<ChatChunk> {
    let finished = false;
    try {
      for await (const chunk of this.open(request)) {
        if (chunk.type === 'finish') finished = true;
        yield chunk;
      }
    } catch (error) {
      throw this.toModelError(error, request.model, request.signal);
    }
    if (finished) return;
    // Some SDKs end an aborted stream quietly (openai does): that is a cancel or a stall, not a bad reply.
    if (request.signal.aborted) throw this.toModelError(request.signal.reason, request.model, request.signal);
    throw new ModelError('badOutput', this.id, request.model, 'the reply ended before the model finished it');
  }

  /** The key for the service, released only for `url` (by default the endpoint; watsonx sends its key to IAM). */
  protected async requireCredential(service: ServiceId, url?: string): Promise<Credential> {
    const endpoint = await this.endpoint();
    if (endpoint.credential) return endpoint.credential;
    let found: Credential | undefined;
    try {
      found = await this.host.getCredential(service, { url: url ?? endpoint.url });
    } catch (error) {
      // Refused: the stored key is for another host, or the endpoint uses plain http to another machine.
      throw new ModelError('noKey', this.id, '', isDevOpsError(error) ? error.message : String(error), { cause: error });
    }
    if (!found) throw new ModelError('noKey', this.id, '');
    return found;
  }

  /** Maps anything an SDK throws onto the shared vocabulary (never passing a secret through). */
  toModelError(error: unknown, model: string, signal?: AbortSignal): ModelError {
    if (isModelError(error)) return error;
    if (signal?.aborted || isAbort(error)) {
      // The wrapper aborts with a ModelError as the reason (a stall); a user's cancel has none.
      const reason: unknown = signal?.reason;
      return isModelError(reason) ? reason : new ModelError('cancelled', this.id, model, undefined, { cause: error });
    }
    const http = this.httpFailureOf(error);
    const noted = this.lastRetryAfterMs;
    this.lastRetryAfterMs = undefined;
    if (http && (http.status !== undefined || http.code !== undefined)) {
      const detail = http.message ? redactText(http.message).slice(0, 300) : undefined;
      return new ModelError(classifyHttpFailure(http), this.id, model, detail, { status: http.status, retryAfterMs: http.retryAfterMs ?? noted, cause: error });
    }
    const message = error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error);
    const code = (error as { code?: unknown } | undefined)?.code;
    if (NETWORK.test(message) || (typeof code === 'string' && NETWORK.test(code))) {
      return new ModelError('network', this.id, model, redactText(message).slice(0, 200), { cause: error });
    }
    return new ModelError('badOutput', this.id, model, redactText(message).slice(0, 200), { cause: error });
  }

  /** Tool-call arguments arrive as JSON text from most providers; anything but an object is a bad reply. */
  protected parseArguments(text: string, model: string, tool: string): ToolCall['arguments'] {
    if (text.trim() === '') return {};
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as ToolCall['arguments'];
    } catch {
      // fall through to the error below
    }
    throw new ModelError('badOutput', this.id, model, `the arguments of the call to ${tool} are not a JSON object`);
  }
}

/** Ids for tool calls from providers that have none (Ollama, Gemini): unique within a reply. */
export const generatedCallId = (index: number, name: string): string => `call_${index}_${name}`;
