import assert from 'node:assert/strict';
import { Listeners } from '../../../src/core/listeners';

describe('Listeners', () => {
  it('calls every listener, reports one that throws without stopping the others, and forgets disposed ones', () => {
    const errors: unknown[] = [];
    const listeners = new Listeners((e) => errors.push(e));
    const calls: string[] = [];
    listeners.on(() => calls.push('a'));
    listeners.on(() => {
      throw new Error('boom');
    });
    const c = listeners.on(() => calls.push('c'));
    listeners.fire();
    assert.deepEqual(calls, ['a', 'c']);
    assert.equal(errors.length, 1);
    c.dispose();
    listeners.fire();
    assert.deepEqual(calls, ['a', 'c', 'a']);
    listeners.clear();
    listeners.fire();
    assert.equal(calls.length, 3);
  });
});
