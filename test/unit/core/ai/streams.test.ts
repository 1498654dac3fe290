import assert from 'node:assert/strict';
import { nextWithin } from '../../../../src/core/ai/streams';

describe('stream time-out', () => {
  it('passes items through and rejects when the next one is too slow', async () => {
    async function* slow() {
      yield 1;
      await new Promise((r) => setTimeout(r, 200));
      yield 2;
    }
    const it = slow();
    assert.deepEqual(await nextWithin(it, 50, () => new Error('stalled')), { value: 1, done: false });
    await assert.rejects(nextWithin(it, 50, () => new Error('stalled')), /stalled/);
  });

  it('waits without limit when the time-out is 0', async () => {
    async function* one() {
      await new Promise((r) => setTimeout(r, 20));
      yield 'x';
    }
    assert.deepEqual(await nextWithin(one(), 0, () => new Error('never')), { value: 'x', done: false });
  });
});
