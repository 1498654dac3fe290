import { DevOpsError } from '../errors';
import { redactText, redactValue } from '../redact';
import { hashEvent } from './chain';
import { type AuditEvent, AuditEventSchema, type AuditInput, AuditInputSchema, GENESIS } from './event';

/** Where the chain stands: the last event's hash and seq (GENESIS and -1 before the first event). */
export interface ChainHead {
  readonly prev: string;
  readonly seq: number;
}

export const EMPTY_HEAD: ChainHead = { prev: GENESIS, seq: -1 };

const MAX_STRING = 4096;
const MAX_METADATA = 64 * 1024;

function truncateStrings(value: unknown): unknown {
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…[${value.length - MAX_STRING} more characters]` : value;
  if (Array.isArray(value)) return value.map(truncateStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, truncateStrings(v)]));
  return value;
}

/** Redacted, JSON-only metadata (NaN and undefined gone), long strings cut and the whole bounded. */
function safeMetadata(metadata: Record<string, unknown> | undefined): Record<string, AuditEvent['metadata'][string]> {
  const plain = JSON.parse(JSON.stringify(redactValue(metadata ?? {}) ?? {})) as Record<string, unknown>;
  const cut = truncateStrings(plain) as Record<string, AuditEvent['metadata'][string]>;
  const size = JSON.stringify(cut).length;
  return size <= MAX_METADATA ? cut : { truncated: true, originalSize: size, keys: Object.keys(cut).slice(0, 50) };
}

const opt = (s: string | null | undefined): string | null => (s === undefined || s === null ? null : redactText(s));

/**
 * Builds the next event of the chain from caller input: validates it, redacts every string and the
 * metadata (secrets never reach the file), stamps seq, timestamp, prev and hash.
 */
export function buildAuditEvent(input: AuditInput, head: ChainHead, now: Date): AuditEvent {
  const parsed = AuditInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'input';
    throw new DevOpsError('invalidInput', `Audit event refused: ${where}: ${redactText(issue?.message ?? 'invalid')}.`);
  }
  const i = parsed.data;
  const body: Omit<AuditEvent, 'hash'> = {
    seq: head.seq + 1,
    correlationId: redactText(i.correlationId),
    eventType: i.eventType,
    service: redactText(i.service),
    workItemId: i.workItemId ?? null,
    repository: opt(i.repository),
    oldState: opt(i.oldState),
    newState: opt(i.newState),
    metadata: safeMetadata(i.metadata),
    timestamp: now.toISOString(),
    user: opt(i.user),
    prev: head.prev,
  };
  const event = { ...body, hash: hashEvent(body) };
  // Redaction may lengthen a field past its limit; the schema is the last word on what is written.
  return AuditEventSchema.parse(event);
}
