/**
 * Errors a user can act on. `message` is shown as is, so it says what happened and what to do, and
 * never carries a secret (callers pass text through redact() before building one from outside data).
 */
export type DevOpsErrorCode =
  | 'notConfigured'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'rateLimited'
  | 'unavailable'
  | 'timeout'
  | 'cancelled'
  | 'badResponse'
  | 'invalidInput'
  | 'refused';

export class DevOpsError extends Error {
  override readonly name = 'DevOpsError';
  constructor(
    readonly code: DevOpsErrorCode,
    message: string,
    readonly options: { readonly retryAfterMs?: number; readonly status?: number; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Worth sending again later (the outbox keeps such changes). */
  get transient(): boolean {
    return this.code === 'rateLimited' || this.code === 'unavailable' || this.code === 'timeout';
  }
}

export const isDevOpsError = (e: unknown): e is DevOpsError => e instanceof DevOpsError;

/** An AbortSignal fired: stop quietly. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
}
