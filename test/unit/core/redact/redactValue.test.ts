import assert from 'node:assert/strict';
import { isSensitiveKey, REDACTED, redactValue } from '../../../../src/core/redact';
import { canaries } from './canaries';

describe('redactValue', () => {
  it('redacts the value of every secret-named key whatever the value is', () => {
    const input = {
      authorization: 'anything at all',
      Authorization: 12345,
      password: { nested: 'object' },
      token: ['a', 'b'],
      apiKey: true,
      secret: 'short',
      cookie: 'theme=dark',
      'x-api-key': 'k',
      accessToken: 'abc',
      GITHUB_TOKEN: 'abc',
      aws_secret_access_key: 'abc',
      connectionString: 'Server=x',
      clientSecret: 'abc',
      privateKey: 'abc',
    };
    const out = redactValue(input) as Record<string, unknown>;
    for (const key of Object.keys(input)) assert.equal(out[key], REDACTED, key);
  });

  it('keeps keys that only look like secrets', () => {
    const input = { maxTokens: 4096, promptTokens: 10, tokenType: 'bearer', compat: 'x', monkey: 'y', key: 'AB#1', secretName: 'DB' };
    assert.deepEqual(redactValue(input), input);
  });

  it('keeps null and undefined secrets as they are ("not set" hides nothing)', () => {
    assert.deepEqual(redactValue({ token: null, password: undefined }), { token: null, password: undefined });
  });

  it('redacts secrets inside strings at any depth and in arrays', () => {
    const gh = canaries.githubClassic('p');
    const out = redactValue({ a: [{ b: { c: `use ${gh}` } }], url: new URL(`https://ada:${canaries.password()}@host/x`) });
    const text = JSON.stringify(out);
    assert.ok(!text.includes(gh));
    assert.ok(!text.includes(canaries.password()));
    assert.match(text, /https:\/\/ada:\[REDACTED:password\]@host\/x/);
  });

  it('turns non-JSON values into plain data', () => {
    const err = Object.assign(new Error(`401 for ${canaries.githubClassic('o')}`), { code: 'EAUTH' });
    const out = redactValue({
      when: new Date('2025-01-02T03:04:05.000Z'),
      bad: new Date('nope'),
      big: 10n,
      fn: () => 1,
      err,
      map: new Map([['token', 'x'], ['k', 'v']]),
      set: new Set(['a']),
      bytes: new Uint8Array(3),
    }) as Record<string, unknown>;
    assert.equal(out['when'], '2025-01-02T03:04:05.000Z');
    assert.equal(out['bad'], null);
    assert.equal(out['big'], '10');
    assert.equal(out['fn'], undefined);
    assert.deepEqual(out['err'], { name: 'Error', message: '401 for [REDACTED:github-token]', code: 'EAUTH' });
    assert.deepEqual(out['map'], { token: REDACTED, k: 'v' });
    assert.deepEqual(out['set'], ['a']);
    assert.equal(out['bytes'], '[binary 3 bytes]');
  });

  it('survives cycles and keeps shared (non-cyclic) references', () => {
    const shared = { v: 1 };
    const a: Record<string, unknown> = { x: shared, y: shared };
    a['self'] = a;
    assert.deepEqual(redactValue(a), { x: { v: 1 }, y: { v: 1 }, self: '[Circular]' });
  });

  it('stops at a depth limit instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i++) deep = (deep['n'] = {}) as Record<string, unknown>;
    assert.match(JSON.stringify(redactValue(root)), /\[Too deep\]/);
  });

  it('does not modify its input', () => {
    const input = { password: 'x', list: ['a'] };
    redactValue(input);
    assert.deepEqual(input, { password: 'x', list: ['a'] });
  });
});

describe('isSensitiveKey', () => {
  const yes = ['password', 'Passwd', 'pwd', 'token', 'access_token', 'refreshToken', 'SYSTEM_ACCESSTOKEN', 'apiKey', 'api-key', 'x-api-key', 'API_KEY', 'secret', 'clientSecret', 'cookie', 'Set-Cookie', 'authorization', 'Proxy-Authorization', 'pat', 'AZURE_DEVOPS_EXT_PAT', 'sig', 'signature', 'privateKey', 'AccountKey', 'Ocp-Apim-Subscription-Key', 'credentials', 'sessionId', 'auth'];
  const no = ['maxTokens', 'tokens', 'tokenType', 'tokenCount', 'compat', 'monkey', 'hotkey', 'key', 'keys', 'secretName', 'author', 'authMethod', 'passed', 'path', 'signed', 'design', 'name', 'patch'];
  for (const k of yes) it(`treats ${k} as secret`, () => assert.ok(isSensitiveKey(k)));
  for (const k of no) it(`treats ${k} as ordinary`, () => assert.ok(!isSensitiveKey(k)));
});
