import assert from 'node:assert/strict';
import { backgroundRefreshDelayMs, budgetLines, tightest, type BudgetReading } from '../../../../src/core/boards/requestBudget';

const now = new Date('2026-11-29T12:00:00Z');
const github = (remaining: number, resetAt = '2026-11-29T12:30:00Z'): BudgetReading => ({ service: 'GitHub', resource: 'graphql', limit: 5000, remaining, resetAt });

describe('request budget', () => {
  it('keeps the normal interval while a quarter or more of every budget is left', () => {
    assert.equal(backgroundRefreshDelayMs(60_000, [github(4000), { service: 'Azure DevOps' }], now), 60_000);
    assert.equal(backgroundRefreshDelayMs(60_000, [], now), 60_000);
  });

  it('refreshes four times less often below 20% and waits for the reset below 5%', () => {
    assert.equal(backgroundRefreshDelayMs(60_000, [github(900)], now), 240_000);
    assert.equal(backgroundRefreshDelayMs(60_000, [github(100)], now), 30 * 60_000);
    assert.equal(backgroundRefreshDelayMs(60_000, [github(100, 'garbage')], now), 240_000, 'an unreadable reset still slows down');
    assert.equal(backgroundRefreshDelayMs(60_000, [github(100, '2026-11-29T11:00:00Z')], now), 240_000, 'a reset in the past is not a wait');
  });

  it('describes each budget and names the tightest', () => {
    const lines = budgetLines([github(900), { service: 'Azure DevOps', resource: 'AzDevOps', remaining: 150 }, { service: 'Azure DevOps' }]);
    assert.equal(lines[0], 'GitHub graphql: 900 of 5,000 left (resets 12:30 UTC) — background refresh slowed');
    assert.equal(lines[1], 'Azure DevOps AzDevOps: 150 left');
    assert.equal(lines[2], 'Azure DevOps: no limit reported');
    assert.equal(tightest([github(4000), github(900)])?.remaining, 900);
    assert.equal(tightest([{ service: 'Azure DevOps' }]), undefined);
  });
});
