import { DevOpsError, type DevOpsErrorCode } from '../errors';

/** Why a model request failed, in words a provider-independent caller can act on. */
export type ModelFailure =
  | 'noModel'
  | 'noKey'
  | 'missingSetting'
  | 'badKey'
  | 'unknownModel'
  | 'contextTooLong'
  | 'refused'
  | 'rateLimited'
  | 'outage'
  | 'stalled'
  | 'badOutput'
  | 'badRequest'
  | 'network'
  | 'cancelled';

const CODES: Record<ModelFailure, DevOpsErrorCode> = {
  noModel: 'notConfigured',
  noKey: 'notConfigured',
  missingSetting: 'notConfigured',
  badKey: 'unauthorized',
  unknownModel: 'notFound',
  contextTooLong: 'invalidInput',
  refused: 'refused',
  rateLimited: 'rateLimited',
  outage: 'unavailable',
  stalled: 'timeout',
  badOutput: 'badResponse',
  badRequest: 'invalidInput',
  network: 'unavailable',
  cancelled: 'cancelled',
};

/** Display names for messages ("OpenAI refused the API key ..."). */
export const PROVIDER_LABELS: Record<string, string> = {
  vscode: 'VS Code language model',
  openai: 'OpenAI',
  azureOpenai: 'Azure OpenAI',
  ollama: 'Ollama',
  gemini: 'Gemini',
  watsonx: 'watsonx.ai',
  sandbox: 'Sandbox model',
};

const label = (provider: string): string => PROVIDER_LABELS[provider] ?? provider;

/** What to do about each failure; the provider's own words (already redacted) go in `detail`. */
function advice(failure: ModelFailure, provider: string, model: string): string {
  const p = label(provider);
  switch (failure) {
    case 'noModel':
      return 'No language model is configured. Run "AI DevOps: Select Model…" to pick one (or try the sandbox).';
    case 'noKey':
      return `No API key for ${p} is stored. Run "AI DevOps: Set Personal Access Token or API Key…" and choose ${p}.`;
    case 'missingSetting':
      return `${p} needs a setting that is empty.`;
    case 'badKey':
      return `${p} refused the API key. Run "AI DevOps: Set Personal Access Token or API Key…" and enter a valid key for ${p}.`;
    case 'unknownModel':
      return `${p} has no model "${model}". Run "AI DevOps: Select Model…" to pick one it offers.`;
    case 'contextTooLong':
      return `The prompt is longer than ${model} accepts. Mention fewer or smaller files, or pick a model with a larger context window.`;
    case 'refused':
      return `${p} declined to answer (content filter or safety block). Rephrase the request or remove the content it objected to.`;
    case 'rateLimited':
      return `${p} is rate-limiting requests. Wait a moment and try again, or lower "aiDevops.ai.concurrency".`;
    case 'outage':
      return `${p} is not answering properly right now (server error). Try again later.`;
    case 'stalled':
      return `${p} stopped sending its reply partway through. Try again; if it keeps happening the endpoint may be overloaded.`;
    case 'badOutput':
      return `${p} sent a reply that could not be read.`;
    case 'badRequest':
      return `${p} rejected the request as invalid.`;
    case 'network':
      return `Could not reach ${p}. Check the endpoint ("aiDevops.ai.endpoint") and your network connection.`;
    case 'cancelled':
      return 'Cancelled.';
  }
}

/**
 * A DevOpsError that also says which model failed and why. `code` keeps the shared vocabulary
 * (retry, outbox and UI decisions use it); `failure` is the model-specific reason.
 */
export class ModelError extends DevOpsError {
  constructor(
    readonly failure: ModelFailure,
    readonly provider: string,
    readonly model: string,
    /** The provider's own words (redacted), kept apart so a copy can be made with more options. */
    readonly detail?: string,
    options: { readonly retryAfterMs?: number; readonly status?: number; readonly cause?: unknown } = {},
  ) {
    const base = advice(failure, provider, model);
    super(CODES[failure], detail ? `${base} (${detail})` : base, options);
  }
}

export const isModelError = (e: unknown): e is ModelError => e instanceof ModelError;

/** What a provider could tell about a failed HTTP exchange, before it is put into words. */
export interface HttpFailure {
  readonly status?: number;
  /** The service's own error code or status string, e.g. `invalid_api_key`, `RESOURCE_EXHAUSTED`. */
  readonly code?: string;
  readonly message?: string;
  readonly retryAfterMs?: number;
}

const CONTEXT_WORDS = /context[_ ]length|maximum context|too many tokens|input token count|exceeds the maximum|total tokens limit|prompt is too long/i;
const MODEL_WORDS = /model[_ ]not[_ ]found|model_not_supported|not supported|is not found|model .* not found|unknown model|does not exist/i;
const KEY_WORDS = /api[_ ]?key|invalid[_ ]api[_ ]key|unauthori[sz]ed|authentication|API_KEY_INVALID/i;
const REFUSAL_WORDS = /content[_ ]filter|content_policy|responsible ?ai|safety/i;

/** Maps a provider's HTTP failure onto a ModelFailure the same way for every provider. */
export function classifyHttpFailure(f: HttpFailure): ModelFailure {
  const text = `${f.code ?? ''} ${f.message ?? ''}`;
  const status = f.status ?? 0;
  if (status === 401 || status === 403) return 'badKey';
  if (status === 429 || /RESOURCE_EXHAUSTED|rate[_ ]limit|too_many_requests/i.test(text)) return 'rateLimited';
  if (status >= 500) return 'outage';
  if (CONTEXT_WORDS.test(text)) return 'contextTooLong';
  if (REFUSAL_WORDS.test(text)) return 'refused';
  if (status === 404 || MODEL_WORDS.test(text)) return 'unknownModel';
  // Gemini answers a bad key with 400 INVALID_ARGUMENT, and IAM a bad API key with 400 BXNIM0415E.
  if (status === 400 && (KEY_WORDS.test(text) || /BXNIM/i.test(text))) return 'badKey';
  if (status >= 400 && status < 500) return 'badRequest';
  return 'network';
}

/** Retry-After as seconds or an HTTP date, in milliseconds (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Failures worth sending again: the same request may well succeed in a moment. */
export const isRetryableFailure = (e: unknown): boolean =>
  isModelError(e) && (e.failure === 'rateLimited' || e.failure === 'outage' || e.failure === 'network');
