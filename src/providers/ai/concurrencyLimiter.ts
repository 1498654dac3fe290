import { BulkheadPolicy } from 'cockatiel';
import { ModelError } from '../../core/ai/modelErrors';

/**
 * At most N model requests in flight across every provider (aiDevops.ai.concurrency). A slot is
 * held for a whole stream, not just until its first byte, so N really is the number of open
 * requests. Built on cockatiel's bulkhead; a new capacity takes effect for the next request.
 */
export class ConcurrencyLimiter {
  private bulkhead: BulkheadPolicy;
  private capacityValue: number;

  constructor(capacity: number) {
    this.capacityValue = capacity;
    this.bulkhead = new BulkheadPolicy(capacity, Number.MAX_SAFE_INTEGER);
  }

  get capacity(): number {
    return this.capacityValue;
  }

  setCapacity(capacity: number): void {
    if (capacity === this.capacityValue) return;
    this.capacityValue = capacity;
    // Requests holding a slot of the old bulkhead finish there; new ones queue on the new one.
    this.bulkhead = new BulkheadPolicy(capacity, Number.MAX_SAFE_INTEGER);
  }

  /** Slots in use right now (of the current capacity). */
  get active(): number {
    return this.capacityValue - this.bulkhead.executionSlots;
  }

  get queued(): number {
    return Number.MAX_SAFE_INTEGER - this.bulkhead.queueSlots;
  }

  /** Waits for a slot; call the returned function exactly when the request is over. */
  acquire(signal: AbortSignal | undefined, who: { provider: string; model: string }): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let granted = false;
      let cancelled = false;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const onAbort = (): void => {
        if (granted) return;
        cancelled = true;
        reject(new ModelError('cancelled', who.provider, who.model));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.bulkhead
        .execute(() => {
          signal?.removeEventListener('abort', onAbort);
          if (cancelled) return undefined; // cancelled while queued: give the slot straight back
          granted = true;
          let done = false;
          resolve(() => {
            if (done) return;
            done = true;
            release();
          });
          return held;
        })
        .catch(() => onAbort());
    });
  }
}
