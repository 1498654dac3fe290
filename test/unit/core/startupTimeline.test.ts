import assert from 'node:assert/strict';
import { formatTimeline, StartupTimeline, startupTimeline } from '../../../src/core/startupTimeline';

describe('start-up timeline', () => {
  it('keeps the first span of each name, in start order, also when the work fails', async () => {
    let now = 100;
    const t = new StartupTimeline(100, () => now);
    const seen: string[] = [];
    t.onDidRecord((s) => seen.push(s.name));
    await t.span('sandbox start', async () => {
      now = 150;
    });
    await assert.rejects(
      t.span('Azure DevOps: reading work items', async () => {
        now = 190;
        throw new Error('503');
      }),
    );
    await t.span('sandbox start', async () => {
      now = 500;
    });
    t.spanSync('GitHub stand-in: schema build', () => (now = 520));
    t.record('activation', 100, undefined, 130);
    t.record('activation: outbox', 110, 'from disk', 125);
    assert.deepEqual(
      t.list().map((s) => [s.name, s.start, s.end]),
      [
        ['sandbox start', 100, 150],
        ['activation', 100, 130],
        ['activation: outbox', 110, 125],
        ['Azure DevOps: reading work items', 150, 190],
        ['GitHub stand-in: schema build', 500, 520],
      ],
    );
    assert.deepEqual(seen, ['sandbox start', 'Azure DevOps: reading work items', 'GitHub stand-in: schema build', 'activation', 'activation: outbox']);
    assert.deepEqual(formatTimeline(t.list(), 100).slice(1, 3), ['activation: 30 ms (at 0 ms to 30 ms)', '  activation: outbox: 15 ms (at 10 ms to 25 ms), from disk']);
  });

  it('is one timeline per process, shared by every copy of the module', () => {
    assert.equal(startupTimeline(), startupTimeline());
    assert.equal((globalThis as Record<symbol, unknown>)[Symbol.for('ai-devops.startupTimeline')], startupTimeline());
  });
});
