import { type z } from 'zod';
import { DevOpsError } from '../../core/errors';

export type Fetch = typeof globalThis.fetch;

export interface AdvisoryHttpOptions {
  readonly baseUrl: string;
  readonly fetch?: Fetch;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * One JSON request to an advisory service, with the failure said in words the scan report can
 * carry: offline, refused (401/403, a registry proxy that does not pass the audit endpoint),
 * rate-limited, a server error, a time-out, or an answer that is not what the service sends.
 */
export async function advisoryJson<T>(service: string, options: AdvisoryHttpOptions, path: string, init: { method: 'GET' | 'POST'; body?: unknown }, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: init.method,
      headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: combined,
    });
  } catch (error) {
    if (signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
    if (timeout.aborted) throw new DevOpsError('timeout', `${service} did not answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s.`);
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new DevOpsError('unavailable', `${service} cannot be reached (${cause}); are you offline?`, { cause: error });
  }
  if (!response.ok) {
    const status = response.status;
    await response.body?.cancel().catch(() => undefined);
    if (status === 401 || status === 403) throw new DevOpsError('forbidden', `${service} refused the request (HTTP ${status}); a registry proxy may not pass advisory requests.`, { status });
    if (status === 404 || status === 405) throw new DevOpsError('notFound', `${service} has no advisory endpoint at ${new URL(url).origin} (HTTP ${status}).`, { status });
    if (status === 429) throw new DevOpsError('rateLimited', `${service} is rate-limiting requests (HTTP 429); try again later.`, { status });
    throw new DevOpsError('unavailable', `${service} answered HTTP ${status}.`, { status });
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new DevOpsError('badResponse', `${service} sent an answer that is not JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevOpsError('badResponse', `${service} sent an answer of an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message}).`);
  }
  return parsed.data;
}
