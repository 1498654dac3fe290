import { type FieldChange, type FieldConflict, type Observation, type WriteContext, type WriteKind } from '../../../core/boards/outbox';
import { checkFields } from '../../../core/boards/outboxOrder';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { redactText } from '../../../core/redact';

/** How one attempt at a change ended, in the outbox's terms. */
export type AttemptResult =
  | { readonly kind: 'applied'; readonly result: unknown; readonly alreadyApplied: boolean }
  | { readonly kind: 'conflict'; readonly fields: readonly FieldConflict[]; readonly remote: unknown; readonly url: string | undefined }
  | { readonly kind: 'refused'; readonly error: DevOpsError; readonly url: string | undefined }
  /** Try again later. `unsure`: the write may have reached the service (a lost or garbled answer); the next attempt looks first. */
  | { readonly kind: 'retry'; readonly error: DevOpsError; readonly unsure: boolean };

export interface AttemptInput {
  readonly payload: unknown;
  readonly changes: readonly FieldChange[];
  readonly overwrite: boolean;
}

/** A change re-read and decided again this many times when its guard keeps failing (someone keeps editing): then later. */
const MAX_GUARD_ROUNDS = 3;

/** Anything thrown, as a DevOpsError; a plain error from a client library (a dropped socket) is a passing failure. */
function asDevOpsError(error: unknown, what: string): DevOpsError {
  if (isDevOpsError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DevOpsError('unavailable', `${what} failed: ${redactText(message).slice(0, 300)}`, { cause: error });
}

/** Reads fail for passing reasons, or because the answer was garbled: either way, read again later. A read never makes a change fail. */
const READ_WAITS = new Set(['unavailable', 'timeout', 'rateLimited', 'badResponse', 'unauthorized', 'notConfigured', 'conflict']);
/** A write whose answer did not come or could not be read may or may not have been made. */
const WRITE_UNSURE = new Set(['unavailable', 'timeout', 'rateLimited', 'badResponse']);
/** A write refused before the service acted on it: not made, send again once signed in. */
const WRITE_WAITS = new Set(['unauthorized', 'notConfigured']);

/**
 * One attempt at a change, the same for every service and kind: read what the service holds of
 * it (skipped for a comment or new item never tried before: nothing can be there yet), decide
 * (made already; in conflict, field by field; or to send), send once, and sort the outcome.
 * A send whose guard fails (the item changed between the read and the write) reads and decides
 * again. Cancellation is thrown; everything else is an AttemptResult.
 */
export async function attemptWrite(kind: WriteKind, input: AttemptInput, context: WriteContext): Promise<AttemptResult> {
  const parsed = kind.payload.safeParse(input.payload);
  if (!parsed.success) return { kind: 'refused', error: new DevOpsError('invalidInput', 'The change is damaged and cannot be sent (its data does not read).'), url: undefined };
  const payload = parsed.data;
  const look = input.changes.length > 0 || !context.fresh || context.mayRepeat;
  for (let round = 0; round < MAX_GUARD_ROUNDS; round++) {
    let observed: Observation | undefined;
    if (look) {
      try {
        observed = await kind.observe(payload, context);
      } catch (error) {
        const e = asDevOpsError(error, 'Reading what the service holds');
        if (e.code === 'cancelled') throw e;
        if (READ_WAITS.has(e.code)) return { kind: 'retry', error: e, unsure: !context.fresh };
        return { kind: 'refused', error: e, url: undefined };
      }
      if (input.changes.length > 0) {
        const verdict = checkFields(input.changes, observed.values ?? {}, input.overwrite);
        if (verdict.kind === 'made') return applied(kind, payload, observed.result, true, context);
        if (verdict.kind === 'conflict') return { kind: 'conflict', fields: verdict.fields, remote: observed.result, url: observed.url };
      } else if (observed.made) {
        return applied(kind, payload, observed.result, true, context);
      }
    }
    try {
      const result = await kind.send(payload, observed, context);
      return applied(kind, payload, result, false, context);
    } catch (error) {
      const e = asDevOpsError(error, 'Sending the change');
      if (e.code === 'cancelled') throw e;
      if (e.code === 'conflict' && observed !== undefined) continue;
      if (WRITE_UNSURE.has(e.code)) return (await checkedAtOnce(kind, payload, input, context)) ?? { kind: 'retry', error: e, unsure: true };
      if (WRITE_WAITS.has(e.code)) return { kind: 'retry', error: e, unsure: !context.fresh };
      if (e.code === 'conflict') return { kind: 'retry', error: e, unsure: true };
      return { kind: 'refused', error: e, url: observed?.url };
    }
  }
  return { kind: 'retry', error: new DevOpsError('conflict', 'The item kept changing while the change was being sent; it will be tried again.'), unsure: true };
}

/**
 * After a lost or garbled answer, one look right away: when the service shows the change made,
 * the caller is told so now; anything else (not made, or the look fails too) is left to the replay.
 */
async function checkedAtOnce(kind: WriteKind, payload: unknown, input: AttemptInput, context: WriteContext): Promise<AttemptResult | undefined> {
  let observed: Observation;
  try {
    observed = await kind.observe(payload, { ...context, fresh: false });
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    return undefined;
  }
  const made = input.changes.length > 0 ? checkFields(input.changes, observed.values ?? {}, false).kind === 'made' : observed.made === true;
  return made ? applied(kind, payload, observed.result, true, context) : undefined;
}

async function applied(kind: WriteKind, payload: unknown, result: unknown, alreadyApplied: boolean, context: WriteContext): Promise<AttemptResult> {
  // The change is on the service whatever the bookkeeping does; a cache or audit failure is the adapter's to log.
  await kind.applied?.(payload, result, context).catch(() => undefined);
  return { kind: 'applied', result, alreadyApplied };
}
