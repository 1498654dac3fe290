import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redeem, startReset } from '../src/auth/reset.ts';

// TODO AB#8 cover the whole reset flow end to end: request, email, link, new password, sign-in
test('a reset token works once', () => {
  const mail = startReset('customer@contoso.example', 0);
  const token = new URL(/href="([^"]+)"/.exec(mail.html)![1]!).searchParams.get('token')!;
  assert.equal(redeem(token, 1_000), 'customer@contoso.example');
  assert.equal(redeem(token, 2_000), undefined);
});

test('a reset token expires after an hour', () => {
  const mail = startReset('customer@contoso.example', 0);
  const token = new URL(/href="([^"]+)"/.exec(mail.html)![1]!).searchParams.get('token')!;
  assert.equal(redeem(token, 60 * 60 * 1000 + 1), undefined);
});
