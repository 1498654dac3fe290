import { hashEvent } from './chain';
import { type AuditEvent, AuditEventSchema } from './event';
import { type ChainHead, EMPTY_HEAD } from './build';

/**
 * What can be wrong with a trail, found at the first bad line:
 *   edited      a line's content no longer matches its hash, is not an audit event, or its hash
 *               was recomputed after an edit (the next line's prev no longer matches it)
 *   dropped     events are missing before this line (its seq jumps ahead and the missing ones are nowhere)
 *   reordered   this line is out of place (the event that should be here comes later)
 *   duplicated  this line repeats an earlier event
 *   torn        the last line is partial JSON (the editor or machine stopped mid-write)
 *   invalidJson a line in the middle is not JSON at all
 */
export type DamageKind = 'edited' | 'dropped' | 'reordered' | 'duplicated' | 'torn' | 'invalidJson';

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly head: string; readonly lastSeq: number }
  | { readonly ok: false; readonly line: number; readonly kind: DamageKind; readonly detail: string; readonly count: number };

export interface VerifyOptions {
  /** Where the chain stood before these lines (the previous file's end); the genesis when absent. */
  readonly start?: ChainHead;
  /** These lines end the trail, so a partial last line is a torn write rather than damage in the middle. */
  readonly lastLineMayBeTorn?: boolean;
}

type Parsed = { readonly kind: 'event'; readonly event: AuditEvent } | { readonly kind: 'notJson' } | { readonly kind: 'notEvent'; readonly why: string };

function parseLine(line: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'notJson' };
  }
  const r = AuditEventSchema.safeParse(value);
  if (r.success) return { kind: 'event', event: r.data };
  const issue = r.error.issues[0];
  return { kind: 'notEvent', why: `${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'}` };
}

/**
 * Checks lines of the trail (one JSON event each, in file order; a trailing empty line is ignored)
 * and names the first bad line, 1-based, with the kind of damage; or says ok with the count and
 * the head hash to continue from.
 */
export function verify(lines: readonly string[], options: VerifyOptions = {}): VerifyResult {
  const rows = lines.length > 0 && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines;
  const parsed = rows.map(parseLine);
  const seqAt = new Map<number, number[]>();
  parsed.forEach((p, i) => {
    if (p.kind === 'event') seqAt.set(p.event.seq, [...(seqAt.get(p.event.seq) ?? []), i]);
  });
  const start = options.start ?? EMPTY_HEAD;
  let prev = start.prev;
  let seq = start.seq;
  const bad = (i: number, kind: DamageKind, detail: string): VerifyResult => ({ ok: false, line: i + 1, kind, detail, count: i });

  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i]!;
    if (p.kind === 'notJson') {
      const last = i === parsed.length - 1;
      return last && options.lastLineMayBeTorn
        ? bad(i, 'torn', 'The last line is cut off (partial JSON after a crash); the events before it are intact.')
        : bad(i, 'invalidJson', rows[i]!.trim() === '' ? 'A blank line sits inside the trail.' : 'This line is not JSON.');
    }
    if (p.kind === 'notEvent') return bad(i, 'edited', `This line is not a valid audit event (${p.why}).`);
    const e = p.event;
    if (hashEvent(e) !== e.hash) return bad(i, 'edited', `The content of event ${e.seq} no longer matches its hash.`);
    const expected = seq + 1;
    if (e.seq === expected) {
      if (e.prev !== prev) {
        // The line before was changed and re-hashed: its hash is no longer the one this line chains to.
        if (i === 0) return bad(i, 'edited', `Event ${e.seq} does not chain to the event before it (${options.start ? 'the end of the previous file' : 'the start of the trail'}): that event was changed.`);
        return bad(i - 1, 'edited', `Event ${seq} was changed and its hash recomputed: event ${e.seq} on the next line chains to a different hash.`);
      }
    } else if (e.seq > expected) {
      const later = (seqAt.get(expected) ?? []).some((j) => j > i);
      if (later) return bad(i, 'reordered', `Event ${e.seq} comes before event ${expected}, which appears further down.`);
      const missing = e.seq - expected;
      return bad(i, 'dropped', `${missing} event${missing === 1 ? '' : 's'} (${missing === 1 ? `seq ${expected}` : `seq ${expected} to ${e.seq - 1}`}) missing before this line.`);
    } else {
      const earlier = (seqAt.get(e.seq) ?? []).filter((j) => j < i).map((j) => parsed[j]!);
      const dup = earlier.some((q) => q.kind === 'event' && q.event.hash === e.hash);
      return dup ? bad(i, 'duplicated', `Event ${e.seq} appears again.`) : bad(i, 'reordered', `Event ${e.seq} appears after event ${seq}.`);
    }
    prev = e.hash;
    seq = e.seq;
  }
  return { ok: true, count: parsed.length, head: prev, lastSeq: seq };
}
