import { createHash, randomUUID } from 'node:crypto';

/** A GUID derived from a seed, so the demo data has the same ids on every machine and run. */
export function stableGuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newGuid(): string {
  return randomUUID();
}

/** Git object ids are SHA-1 hex; the stand-in hashes what makes the object, as git does. */
export function objectId(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex');
}

export const EMPTY_OBJECT_ID = '0000000000000000000000000000000000000000';
