import { randomBytes } from 'node:crypto';
import { resetEmail } from './resetEmail.js';

const ONE_HOUR_MS = 60 * 60 * 1000;
const pending = new Map<string, { email: string; expires: number }>();

export function resetLink(token: string): string {
  return `https://contoso.example/reset?token=${encodeURIComponent(token)}`;
}

/** Creates a one-time token valid for an hour and returns the email to send. */
export function startReset(email: string, now = Date.now()): { to: string; subject: string; html: string } {
  const token = randomBytes(24).toString('base64url');
  pending.set(token, { email, expires: now + ONE_HOUR_MS });
  // TODO AB#7 send it through the transactional email service instead of returning it to the caller
  return { to: email, subject: 'Reset your Contoso password', html: resetEmail(resetLink(token)) };
}

/** The email a token was issued for, once: a used or expired token gives undefined. */
export function redeem(token: string, now = Date.now()): string | undefined {
  const entry = pending.get(token);
  pending.delete(token);
  return entry && entry.expires > now ? entry.email : undefined;
}
