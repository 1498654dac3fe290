import { ExponentialBackoff, handleWhen, retry, type IBackoff, type IBackoffFactory, type IRetryBackoffContext, type RetryPolicy } from 'cockatiel';
import { isModelError, isRetryableFailure } from '../../core/ai/modelErrors';

export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error goes to the user, who can come back later. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 3, initialDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

type Context = IRetryBackoffContext<unknown>;

const retryAfterOf = (context: Context): number | undefined => {
  const error = 'error' in context.result ? context.result.error : undefined;
  return isModelError(error) ? error.options.retryAfterMs : undefined;
};

/** Exponential backoff with decorrelated jitter (cockatiel's), replaced by the service's Retry-After when it sent one. */
function honouringRetryAfter(inner: IBackoffFactory<unknown>): IBackoffFactory<Context> {
  return {
    next(context: Context): IBackoff<Context> {
      const base = inner.next(undefined) as IBackoff<unknown>;
      const hinted = retryAfterOf(context);
      return { duration: hinted ?? base.duration, next: honouringRetryAfter(base).next };
    },
  };
}

/** One retry policy for every provider: rate limits, 5xx and dropped connections, before the first chunk only. */
export function modelRetryPolicy(options: RetryOptions): RetryPolicy {
  const retryable = handleWhen(
    (error) => isRetryableFailure(error) && (!isModelError(error) || (error.options.retryAfterMs ?? 0) <= options.maxRetryAfterMs),
  );
  return retry(retryable, {
    maxAttempts: options.retries,
    backoff: honouringRetryAfter(new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: options.maxDelayMs })),
  });
}
