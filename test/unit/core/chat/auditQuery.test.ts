import assert from 'node:assert/strict';
import { type AuditEvent } from '../../../../src/core/audit';
import { describeAuditQuery, filterAuditEvents, parseAuditQuery } from '../../../../src/core/chat/auditQuery';

const NOW = new Date('2026-11-29T12:00:00Z');
const known = ['chat', 'security', 'agent.release', 'boards'];

let seq = 0;
const event = (fields: Partial<AuditEvent>): AuditEvent => ({
  seq: seq++,
  correlationId: 'c1',
  eventType: 'workItem.updated',
  service: 'boards',
  workItemId: null,
  repository: null,
  oldState: null,
  newState: null,
  metadata: {},
  timestamp: '2026-11-29T09:00:00.000Z',
  user: null,
  prev: '0'.repeat(64),
  hash: '1'.repeat(64),
  ...fields,
});

describe('audit questions', () => {
  it('reads a work item from AB#n, #n and "item n"', () => {
    assert.equal(parseAuditQuery('what changed AB#7?', known, NOW).workItemId, 7);
    assert.equal(parseAuditQuery('history of #12', known, NOW).workItemId, 12);
    assert.equal(parseAuditQuery('what happened to work item 15', known, NOW).workItemId, 15);
    assert.equal(parseAuditQuery('what happened lately', known, NOW).workItemId, undefined);
  });

  it('reads an agent by its service name or its usual name', () => {
    assert.equal(parseAuditQuery('what did the security agent do today', known, NOW).service, 'security');
    assert.equal(parseAuditQuery('what did the release agent do', known, NOW).service, 'agent.release');
    assert.equal(parseAuditQuery('what did the QA agent run', known, NOW).service, 'qa');
    assert.equal(parseAuditQuery('changes made from chat', known, NOW).service, 'chat');
    assert.equal(parseAuditQuery('what did the bogus agent do', known, NOW).service, undefined);
  });

  it('reads today, yesterday, a date and the last n days in the user\'s time zone', () => {
    assert.deepEqual(parseAuditQuery('today', known, NOW).period, { from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', label: 'today' });
    assert.deepEqual(parseAuditQuery('yesterday', known, NOW).period, { from: '2026-11-28T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z', label: 'yesterday' });
    assert.equal(parseAuditQuery('on 2026-11-02', known, NOW).period?.from, '2026-11-02T00:00:00.000Z');
    assert.equal(parseAuditQuery('the last 3 days', known, NOW).period?.from, '2026-11-27T00:00:00.000Z');
    // UTC+2 at 23:30 UTC is already the next day there.
    const late = new Date('2026-11-29T23:30:00Z');
    assert.equal(parseAuditQuery('today', known, late, 120).period?.from, '2026-11-29T22:00:00.000Z');
    assert.equal(parseAuditQuery('today', known, late, -300).period?.from, '2026-11-29T05:00:00.000Z');
  });

  it('reads kinds of event', () => {
    assert.deepEqual(parseAuditQuery('which comments were added', known, NOW).eventTypes, ['workItem.commented']);
    assert.deepEqual(parseAuditQuery('failed runs', known, NOW).eventTypes, ['run.failed']);
    assert.equal(parseAuditQuery('what changed AB#7', known, NOW).eventTypes, undefined);
  });

  it('filters events by every field together', () => {
    const events = [
      event({ workItemId: 7, service: 'chat', eventType: 'workItem.stateChanged' }),
      event({ workItemId: 7, service: 'security', timestamp: '2026-11-28T09:00:00.000Z' }),
      event({ workItemId: 8, service: 'security' }),
      event({ workItemId: null, service: 'agent.release', eventType: 'run.failed' }),
    ];
    assert.equal(filterAuditEvents(events, parseAuditQuery('AB#7', known, NOW)).length, 2);
    assert.equal(filterAuditEvents(events, parseAuditQuery('AB#7 today', known, NOW)).length, 1);
    assert.equal(filterAuditEvents(events, parseAuditQuery('security agent today', known, NOW))[0]?.workItemId, 8);
    assert.equal(filterAuditEvents(events, parseAuditQuery('release agent failures', known, NOW)).length, 1);
    assert.equal(filterAuditEvents(events, {}).length, 4);
  });

  it('describes the filter in words', () => {
    assert.equal(describeAuditQuery(parseAuditQuery('comments on AB#7 by chat yesterday', known, NOW)), 'workItem.commented events about work item 7 from chat yesterday');
    assert.equal(describeAuditQuery({}), 'events');
    assert.equal(describeAuditQuery(parseAuditQuery('2026-11-02', known, NOW)), 'events on 2026-11-02');
  });
});
