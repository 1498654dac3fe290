import assert from 'node:assert/strict';
import { runBatch, type BatchProgress } from '../../../../src/core/ai/batch';
import { DevOpsError } from '../../../../src/core/errors';

describe('batch helper', () => {
  it('keeps input order, reports progress after each item and isolates failures', async () => {
    const progress: BatchProgress[] = [];
    const results = await runBatch(
      [30, 10, 20, -1],
      async (n) => {
        if (n < 0) throw new Error('negative');
        await new Promise((r) => setTimeout(r, n));
        return n * 2;
      },
      { onProgress: (p) => progress.push(p), concurrency: 2 },
    );
    assert.deepEqual(results.map((r) => (r.ok ? r.value : r.error.message)), [60, 20, 40, 'negative']);
    assert.equal(progress.length, 4);
    assert.deepEqual(progress.at(-1), { done: 4, failed: 1, total: 4 });
  });

  it('runs at most `concurrency` items at once', async () => {
    let running = 0;
    let peak = 0;
    await runBatch(Array.from({ length: 8 }, (_, i) => i), async () => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    }, { concurrency: 3 });
    assert.equal(peak, 3);
  });

  it('stops on cancel: running items get the signal, the rest are never started', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const results = await runBatch(
      [1, 2, 3, 4, 5],
      (n, signal) =>
        new Promise<number>((resolve, reject) => {
          started.push(n);
          if (n === 1) setTimeout(() => controller.abort(), 5);
          signal.addEventListener('abort', () => reject(new DevOpsError('cancelled', 'Cancelled.')), { once: true });
          if (n > 1) setTimeout(() => resolve(n), 1_000);
        }),
      { signal: controller.signal, concurrency: 2 },
    );
    assert.deepEqual(started, [1, 2]);
    assert.ok(results.every((r) => !r.ok && r.error instanceof DevOpsError && r.error.code === 'cancelled'));
  });
});
