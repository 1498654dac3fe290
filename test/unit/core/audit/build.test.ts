import assert from 'node:assert/strict';
import { buildAuditEvent, canonicalJson, EMPTY_HEAD, GENESIS, hashEvent, serializeEvent } from '../../../../src/core/audit';
import { isDevOpsError } from '../../../../src/core/errors';
import { canaries } from '../redact/canaries';

const now = new Date('2025-03-04T05:06:07.089Z');

describe('audit event builder', () => {
  it('stamps seq, timestamp, prev and a hash that covers the rest', () => {
    const e = buildAuditEvent({ correlationId: 'c1', eventType: 'workItem.stateChanged', service: 'orchestrator', workItemId: 42, repository: 'web', oldState: 'New', newState: 'Active', user: 'Ada' }, EMPTY_HEAD, now);
    assert.equal(e.seq, 0);
    assert.equal(e.prev, GENESIS);
    assert.equal(e.timestamp, '2025-03-04T05:06:07.089Z');
    assert.deepEqual(e.metadata, {});
    assert.match(e.hash, /^[0-9a-f]{64}$/);
    assert.equal(hashEvent(e), e.hash);
    assert.notEqual(hashEvent({ ...e, newState: 'Closed' }), e.hash);
    const next = buildAuditEvent({ correlationId: 'c1', eventType: 'run.step', service: 'qa' }, { prev: e.hash, seq: e.seq }, now);
    assert.equal(next.seq, 1);
    assert.equal(next.prev, e.hash);
  });

  it('redacts secrets in metadata and every string field before hashing', () => {
    const gh = canaries.githubClassic('p');
    const pw = canaries.password();
    const e = buildAuditEvent(
      {
        correlationId: 'c2',
        eventType: 'command.run',
        service: 'release',
        repository: `https://ada:${pw}@dev.azure.com/contoso/_git/web`,
        user: 'ada',
        newState: `token ${gh}`,
        metadata: { headers: { Authorization: `Bearer ${gh}` }, apiKey: 'anything', output: `pushed with ${gh}` },
      },
      EMPTY_HEAD,
      now,
    );
    const line = serializeEvent(e);
    assert.ok(!line.includes(gh));
    assert.ok(!line.includes(pw));
    assert.deepEqual(e.metadata['headers'], { Authorization: '[REDACTED]' });
    assert.equal(e.metadata['apiKey'], '[REDACTED]');
    assert.equal(hashEvent(e), e.hash);
  });

  it('keeps metadata to plain JSON and bounded size', () => {
    const e = buildAuditEvent({ correlationId: 'c', eventType: 'run.step', service: 'qa', metadata: { n: Number.NaN, u: undefined, long: 'x'.repeat(5000), when: new Date(0) } }, EMPTY_HEAD, now);
    assert.equal(e.metadata['n'], null);
    assert.ok(!('u' in e.metadata));
    assert.match(String(e.metadata['long']), /…\[904 more characters\]$/);
    assert.equal(e.metadata['when'], '1970-01-01T00:00:00.000Z');
    const huge = buildAuditEvent({ correlationId: 'c', eventType: 'run.step', service: 'qa', metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'y'.repeat(4000)])) }, EMPTY_HEAD, now);
    assert.equal(huge.metadata['truncated'], true);
  });

  it('refuses malformed input with a clear error', () => {
    const cases: [unknown, RegExp][] = [
      [{ correlationId: '', eventType: 'run.step', service: 'qa' }, /correlationId/],
      [{ correlationId: 'c', eventType: 'Run Step', service: 'qa' }, /eventType: use dotted camelCase/],
      [{ correlationId: 'c', eventType: 'run.step', service: 'qa', workItemId: -1 }, /workItemId/],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => buildAuditEvent(input as never, EMPTY_HEAD, now),
        (e: unknown) => isDevOpsError(e) && e.code === 'invalidInput' && message.test(e.message),
      );
    }
  });

  it('writes canonical JSON: sorted keys, no whitespace, one line', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 1e21, y: 0.1 } }), '{"a":[true,null,"x"],"b":1,"c":{"y":0.1,"z":1e+21}}');
    const e = buildAuditEvent({ correlationId: 'c', eventType: 'run.step', service: 'qa', metadata: { text: 'line1\nline2' } }, EMPTY_HEAD, now);
    const line = serializeEvent(e);
    assert.ok(!line.includes('\n'));
    assert.deepEqual(Object.keys(JSON.parse(line) as object), [...Object.keys(e)].sort());
    assert.throws(() => canonicalJson({ n: Number.POSITIVE_INFINITY }));
  });
});
