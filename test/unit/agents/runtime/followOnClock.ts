import { type FollowOptions } from '../../../../src/agents/runtime/executors/follow';
import { DevOpsError } from '../../../../src/core/errors';

/** Following a run in a test: each poll moves the stand-in's clock on by the interval instead of sleeping. */
export function followOnClock(clock: { now(): Date; advance(ms: number): void }, onPoll?: () => void): FollowOptions {
  return {
    intervalMs: 2_000,
    timeoutMs: 120_000,
    now: () => clock.now().getTime(),
    sleep: async (ms, signal) => {
      if (signal.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
      onPoll?.();
      clock.advance(ms);
    },
  };
}
