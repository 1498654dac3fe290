import assert from 'node:assert/strict';
import { isSafeEventName, sanitizeTelemetry } from '../../../src/core/telemetry';

describe('telemetry sanitizer', () => {
  it('keeps short vocabulary values and finite numbers', () => {
    const out = sanitizeTelemetry({ backend: 'sandbox', provider: 'azureBoards', ok: true, version: '7.1' }, { durationMs: 12.34567, items: 3 });
    assert.deepEqual(out, { properties: { backend: 'sandbox', provider: 'azureBoards', ok: 'true', version: '7.1' }, measurements: { durationMs: 12.346, items: 3 } });
  });

  it('drops personal data, paths, URLs, free text and secrets', () => {
    const token = ['ghp', '_', 'A'.repeat(36)].join('');
    const out = sanitizeTelemetry(
      { email: 'ada@contoso.com', path: '/home/ada/project/src/a.ts', winPath: 'C:\\Users\\ada', url: 'https://dev.azure.com/contoso', title: 'Fix the login page', token, undefinedValue: undefined, 'bad key': 'x' },
      { nan: Number.NaN, inf: Number.POSITIVE_INFINITY },
    );
    assert.deepEqual(out, { properties: {}, measurements: {} });
  });

  it('accepts only dotted camelCase event names', () => {
    assert.ok(isSafeEventName('chat.status'));
    assert.ok(!isSafeEventName('chat status'));
    assert.ok(!isSafeEventName('/home/ada'));
  });
});
