import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { type AuditEvent } from './event';

/**
 * RFC 8785 canonical JSON (sorted keys, no whitespace, ECMAScript number and string forms), by the
 * `canonicalize` package of the RFC's authors. Hashing is not I/O, so node:crypto is fine in core.
 */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('Value has no JSON form.');
  return out;
}

/** SHA-256 (hex) of the event's canonical JSON without its own `hash`; `prev` is inside, which makes the chain. */
export function hashEvent(event: Omit<AuditEvent, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...body } = event;
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** The line written to the file: canonical JSON too, so a line re-hashes to itself. */
export const serializeEvent = (event: AuditEvent): string => canonicalJson(event);
