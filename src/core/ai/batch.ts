import { BulkheadPolicy } from 'cockatiel';
import { DevOpsError } from '../errors';

export interface BatchProgress {
  readonly done: number;
  readonly failed: number;
  readonly total: number;
}

export type BatchResult<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: Error };

export interface BatchOptions {
  /** Stops the batch: queued items are not started, running ones get the signal. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: BatchProgress) => void;
  /**
   * How many items run at once. The model's own limit (aiDevops.ai.concurrency) still applies
   * underneath; this only keeps a large batch from queueing everything at the start.
   */
  readonly concurrency?: number;
}

/**
 * Runs many prompts (or any async jobs) for an agent: results in input order, one failure does not
 * stop the others, progress after each item, and cancellation that leaves unstarted items
 * `cancelled` instead of sending them.
 */
export async function runBatch<I, R>(
  items: readonly I[],
  run: (item: I, signal: AbortSignal, index: number) => Promise<R>,
  options: BatchOptions = {},
): Promise<BatchResult<R>[]> {
  const limiter = new BulkheadPolicy(Math.max(1, options.concurrency ?? 4), Number.MAX_SAFE_INTEGER);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stop();
  let done = 0;
  let failed = 0;
  const cancelled = (): BatchResult<R> => ({ ok: false, error: new DevOpsError('cancelled', 'Cancelled before it was sent.') });
  try {
    return await Promise.all(
      items.map(async (item, index): Promise<BatchResult<R>> => {
        let result: BatchResult<R>;
        try {
          result = await limiter.execute(async () => {
            if (controller.signal.aborted) return cancelled();
            return { ok: true, value: await run(item, controller.signal, index) };
          });
        } catch (error) {
          result = controller.signal.aborted && !(error instanceof DevOpsError) ? cancelled() : { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
        done++;
        if (!result.ok) failed++;
        options.onProgress?.({ done, failed, total: items.length });
        return result;
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
