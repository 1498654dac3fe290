import assert from 'node:assert/strict';
import { agentRuns, groupByCorrelation, isRunEnd } from '../../../../src/core/audit';
import { makeChain } from './chainBuilder';

describe('audit groups and agent runs', () => {
  const { events } = makeChain([
    { correlationId: 'a', eventType: 'run.started', service: 'qa' },
    { correlationId: 'b', eventType: 'workItem.stateChanged', service: 'azureBoards', workItemId: 7 },
    { correlationId: 'a', eventType: 'run.step', service: 'qa', workItemId: 7 },
    { correlationId: 'a', eventType: 'file.written', service: 'qa' },
    { correlationId: 'a', eventType: 'run.completed', service: 'qa' },
    { correlationId: 'c', eventType: 'run.started', service: 'security' },
    { correlationId: 'c', eventType: 'run.failed', service: 'security' },
    { correlationId: 'd', eventType: 'run.started', service: 'agent.custom' },
  ]);

  it('groups by correlation id, newest group first, events oldest first', () => {
    const groups = groupByCorrelation([...events].reverse());
    assert.deepEqual(groups.map((g) => g.correlationId), ['d', 'c', 'a', 'b']);
    assert.deepEqual(groups[2]!.events.map((e) => e.eventType), ['run.started', 'run.step', 'file.written', 'run.completed']);
  });

  it('finds agent runs with their steps, outcome and work items', () => {
    const runs = agentRuns(events);
    assert.deepEqual(runs.map((r) => [r.correlationId, r.agent, r.outcome, r.steps.length]), [
      ['d', 'agent.custom', 'running', 0],
      ['c', 'security', 'failed', 0],
      ['a', 'qa', 'succeeded', 2],
    ]);
    assert.deepEqual(runs[2]!.workItemIds, [7]);
    assert.ok(isRunEnd(events[4]!));
    assert.ok(!isRunEnd(events[3]!));
  });
});
