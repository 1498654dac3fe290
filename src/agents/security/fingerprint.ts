import { createHash } from 'node:crypto';

/**
 * What makes a finding the same finding on another run or machine (SARIF partialFingerprints):
 * its category, rule, file and a part that does not move when lines are added above it (a secret's
 * hash and occurrence, a package and advisory, a code snippet). Never line numbers, never a
 * machine path, never a secret: only a hash of one, cut to 32 hex digits.
 */
export function fingerprintOf(...parts: readonly (string | number | undefined)[]): string {
  return createHash('sha256').update(parts.map((p) => String(p ?? '')).join('\u0000')).digest('hex').slice(0, 32);
}

/** A hash that identifies a value without revealing it (secrets, code lines). */
export function digestOf(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
