import { DevOpsError } from '../../../core/errors';
import { redactText } from '../../../core/redact';

/** What typed-rest-client (under azure-devops-node-api) puts on the errors it throws. */
interface ClientError {
  readonly message?: unknown;
  readonly statusCode?: unknown;
  readonly code?: unknown;
  readonly rateLimit?: { readonly retryAfter?: unknown; readonly reset?: unknown; readonly delay?: unknown };
}

export const SIGN_IN_AGAIN =
  'Azure DevOps refused the credentials: sign in again or set a PAT with AI DevOps: Set Personal Access Token or API Key.';

/** The last X-RateLimit-* values seen (the status bar shows them; background refresh slows near the limit). */
export interface RateLimitReading {
  readonly limit?: number;
  readonly remaining?: number;
  readonly resource?: string;
  readonly resetAt?: string;
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

export function statusOf(error: unknown): number | undefined {
  return num((error as ClientError | undefined)?.statusCode);
}

function retryAfterMs(error: ClientError): number | undefined {
  const seconds = num(error.rateLimit?.retryAfter) ?? num(error.rateLimit?.delay);
  if (seconds !== undefined) return seconds * 1000;
  const reset = num(error.rateLimit?.reset);
  return reset !== undefined ? Math.max(0, reset * 1000 - Date.now()) : undefined;
}

/** The service's own message, trimmed and redacted (it may echo a URL with a token). */
function serviceMessage(error: ClientError): string {
  const text = typeof error.message === 'string' ? error.message : '';
  return redactText(text.replace(/^Failed request: /, '').slice(0, 400));
}

/**
 * A thrown client error as a DevOpsError a user can act on. `what` names the operation
 * ("reading work items", "changing AB#12"), so the message says what failed.
 */
export function toDevOpsError(error: unknown, what: string): DevOpsError {
  if (error instanceof DevOpsError) return error;
  const e = (error ?? {}) as ClientError;
  const status = statusOf(error);
  const detail = serviceMessage(e);
  const code = typeof e.code === 'string' ? e.code : '';
  const options = { status, cause: error };
  switch (status) {
    case 401:
    case 203:
      return new DevOpsError('unauthorized', SIGN_IN_AGAIN, options);
    case 403:
      return new DevOpsError('forbidden', `Azure DevOps refused ${what}: you do not have permission (${detail || '403'}). Ask a project administrator for access.`, options);
    case 404:
      return new DevOpsError('notFound', `Azure DevOps could not find what ${what} needs (${detail || '404'}). Check the organization, project and team in the settings.`, options);
    case 409:
      return new DevOpsError('conflict', `Azure DevOps refused ${what} because of a conflicting change: ${detail}`, options);
    case 412:
      return new DevOpsError('conflict', `Someone changed the work item while ${what}: ${detail}`, options);
    case 429:
      return new DevOpsError('rateLimited', `Azure DevOps is limiting requests (429) while ${what}; it will be retried.`, { ...options, retryAfterMs: retryAfterMs(e) });
    case 400:
      return new DevOpsError('refused', `Azure DevOps refused ${what}: ${detail}`, options);
    default:
      break;
  }
  if (status !== undefined && status >= 500) {
    return new DevOpsError('unavailable', `Azure DevOps is unavailable (${status}) while ${what}; it will be retried.`, { ...options, retryAfterMs: retryAfterMs(e) });
  }
  if (/timeout|timed out|ETIMEDOUT/i.test(`${detail} ${code}`)) {
    return new DevOpsError('timeout', `Azure DevOps did not answer in time while ${what}.`, options);
  }
  if (/ECONNRESET|ECONNREFUSED|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|network|aborted/i.test(`${detail} ${code}`)) {
    return new DevOpsError('unavailable', `Azure DevOps cannot be reached (${code || detail}) while ${what}; it will be retried.`, options);
  }
  if (error instanceof SyntaxError || /JSON|Unexpected token|parse/i.test(detail)) {
    return new DevOpsError('badResponse', `Azure DevOps sent an answer that could not be read while ${what}.`, options);
  }
  return new DevOpsError('unavailable', `Azure DevOps failed while ${what}: ${detail || 'unknown error'}.`, options);
}

export function badResponse(what: string, problem: string): DevOpsError {
  return new DevOpsError('badResponse', `Azure DevOps sent an answer that could not be read while ${what} (${redactText(problem).slice(0, 200)}).`);
}
