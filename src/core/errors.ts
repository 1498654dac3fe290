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

/**
 * The build bundles each lazily imported module (dist/lazy/) with its own copy of this file, so an
 * error thrown by the Azure Boards chunk is not an instance of the activation bundle's class. A
 * brand in the global symbol registry, checked by `instanceof`, makes every copy recognise the
 * others' errors (otherwise a "cancelled" from a chunk was shown as an error with "Cancelled.").
 */
const BRAND = Symbol.for('ai-devops.DevOpsError');

export class DevOpsError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses (ModelError) keep the ordinary prototype check.
    if (this !== DevOpsError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

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

Object.defineProperty(DevOpsError.prototype, BRAND, { value: true });

export const isDevOpsError = (e: unknown): e is DevOpsError => e instanceof DevOpsError;

/** An AbortSignal fired: stop quietly. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
}
