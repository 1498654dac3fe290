import { hash as sha256 } from 'node:crypto';
import { type ChainHead, EMPTY_HEAD } from './build';
import { HASH_MEMBER_LENGTH, type LineFields, newLineFields, scanCanonicalLine } from './canonicalLine';
import { hashEvent } from './chain';
import { type AuditEvent, AuditEventSchema } from './event';

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

/** The first bad line: which file (the index of its `beginFile`), which line (1-based), what and why. */
export interface Damage {
  readonly file: number;
  readonly line: number;
  readonly kind: DamageKind;
  readonly detail: string;
  /**
   * Events verified before the bad line, in this pass; -1 when the bad line is the one this pass
   * started after (its hash was recomputed after an edit: the first new line no longer chains to it).
   */
  readonly count: number;
}

export type ChainVerdict =
  | { readonly ok: true; readonly count: number; readonly head: string; readonly lastSeq: number }
  | ({ readonly ok: false } & Damage);

/**
 * What `line` and `endFile` ask of the caller: `Line`, give me the next line; `Done`, the verdict
 * is in (`result()`), stop reading; `LookBack`, find the earlier event with `lookBack.seq` and say
 * whether its hash is `lookBack.hash` (`resolveLookBack`).
 */
export const Next = { Line: 0, Done: 1, LookBack: 2 } as const;
export type Next = (typeof Next)[keyof typeof Next];

type Parsed = { readonly kind: 'event'; readonly event: AuditEvent } | { readonly kind: 'notJson' } | { readonly kind: 'notEvent'; readonly why: string };

/** The slow path: JSON.parse and the zod schema, exactly as verify always read a line. */
export function parseTrailLine(line: string): Parsed {
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

// Keeps a byte order mark as text, as Buffer#toString does: such a line is not JSON.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

const HEX = new TextEncoder();

/**
 * Checks a trail one line at a time with bounded memory, so a trail of any size streams through
 * it: each line's hash, its seq and its link to the line before. Lines are bytes (one line,
 * without its newline); files are announced with `beginFile` and closed with `endFile`, and the
 * chain runs on across them. It names the first bad line with the kind of damage, or says ok with
 * the count and the head to continue from.
 *
 * Lines the extension wrote (canonical JSON of a valid event, see canonicalLine.ts) are checked
 * on their bytes; any other line, and any line that is not fine, goes through the slow path
 * (JSON.parse, zod, canonicalize), which decides what is wrong exactly as verify always did.
 * Telling some kinds apart needs other lines: a seq gap is `reordered` when the missing event
 * comes later (the verifier keeps reading, `Next.Line`, until it finds it or the trail ends) and
 * `dropped` otherwise; a seq already seen is `duplicated` when that earlier event has the same
 * hash (`Next.LookBack`: the caller looks, since the verifier keeps no history).
 */
export class ChainVerifier {
  private prev: string;
  /** `prev` as the bytes of its hex digits, for the fast comparison with a line's `prev`. */
  private readonly prevBytes = new Uint8Array(64);
  private seq: number;
  private count = 0;
  private file = -1;
  private fileLine = 0;
  private afterPreviousFile = false;
  private verdict: ChainVerdict | undefined;
  /**
   * A line that is not JSON: torn if it turns out to end the trail, else invalid JSON. `after`
   * counts the empty lines after it (one empty last line of a file is not a line of the trail).
   */
  private notJson: { line: number; blank: boolean; empty: boolean; after: number } | undefined;
  /** A seq gap at `line`: reordered if `expected` turns up later, dropped if the trail ends first. */
  private gap: { file: number; line: number; seq: number; expected: number } | undefined;
  private pendingLookBack: { file: number; line: number; seq: number; hash: string } | undefined;
  private readonly fields: LineFields = newLineFields();
  private scratch = new Uint8Array(4096);

  constructor(start: ChainHead = EMPTY_HEAD) {
    this.prev = start.prev;
    this.seq = start.seq;
    HEX.encodeInto(start.prev, this.prevBytes);
  }

  /** The head so far: the last verified event's hash and seq. */
  get head(): ChainHead {
    return { prev: this.prevText(), seq: this.seq };
  }

  /** Events verified so far in this pass. */
  get verified(): number {
    return this.count;
  }

  /** True once the verdict is in (damage found); `result()` has it. */
  get finished(): boolean {
    return this.verdict !== undefined;
  }

  /** Set while `Next.LookBack` waits for an answer. */
  get lookBack(): { readonly seq: number; readonly hash: string } | undefined {
    return this.pendingLookBack;
  }

  /**
   * The next lines belong to a new file. `firstLine` is the 1-based number of the first line
   * given (more than 1 when verifying on from inside a file); `afterPreviousFile` says that a
   * file came before it in the trail (for the message when its first line does not chain).
   */
  beginFile(firstLine = 1, afterPreviousFile = this.file >= 0): void {
    this.file++;
    this.fileLine = firstLine - 1;
    this.afterPreviousFile = afterPreviousFile;
  }

  /** One line of the current file (without its newline). */
  line(b: Uint8Array, start: number, end: number): Next {
    if (this.verdict) return Next.Done;
    this.fileLine++;
    if (this.gap) return this.lookAhead(b, start, end);
    if (this.notJson) {
      // A blank line after it may be the file's ignored last line; anything else means it was not the last.
      if (start === end && this.notJson.after === 0) {
        this.notJson.after = 1;
        return Next.Line;
      }
      return this.finishNotJson(false);
    }
    const f = this.fields;
    if (scanCanonicalLine(b, start, end, f, false) && f.seq === this.seq + 1 && this.sameAsPrev(b, f.prev) && this.hashMatches(b, start, end, f.hashMember)) {
      this.prevBytes.set(b.subarray(f.hashMember + 8, f.hashMember + 72));
      this.prev = '';
      this.seq = f.seq;
      this.count++;
      return Next.Line;
    }
    return this.slowLine(utf8.decode(b.subarray(start, end)));
  }

  /** The current file has no more lines; `lastOfTrail` when nothing follows it (a partial last line is then torn). */
  endFile(lastOfTrail: boolean): Next {
    if (this.verdict) return Next.Done;
    if (this.notJson) {
      if (this.notJson.empty && this.notJson.after === 0) {
        // One empty last line (a file ending in two newlines) is not a line of the trail.
        this.notJson = undefined;
        return Next.Line;
      }
      // It is the last line (perhaps before that one empty line): torn if the trail ends here.
      return this.finishNotJson(lastOfTrail);
    }
    return Next.Line;
  }

  /** The answer to `Next.LookBack`: whether the earlier event with that seq has the same hash. */
  resolveLookBack(sameHashEarlier: boolean): Next {
    const p = this.pendingLookBack;
    if (!p) return this.verdict ? Next.Done : Next.Line;
    this.pendingLookBack = undefined;
    return sameHashEarlier ? this.bad(p.line, 'duplicated', `Event ${p.seq} appears again.`, this.count, p.file) : this.bad(p.line, 'reordered', `Event ${p.seq} appears after event ${this.seq}.`, this.count, p.file);
  }

  /** The verdict once the trail has ended (or `Next.Done` was returned). */
  result(): ChainVerdict {
    if (this.verdict) return this.verdict;
    if (this.gap) {
      const g = this.gap;
      const missing = g.seq - g.expected;
      this.bad(g.line, 'dropped', `${missing} event${missing === 1 ? '' : 's'} (${missing === 1 ? `seq ${g.expected}` : `seq ${g.expected} to ${g.seq - 1}`}) missing before this line.`, this.count, g.file);
      return this.verdict!;
    }
    return { ok: true, count: this.count, head: this.prevText(), lastSeq: this.seq };
  }

  /** The head's hash as text (the fast path keeps only its bytes). */
  private prevText(): string {
    if (this.prev === '') this.prev = utf8.decode(this.prevBytes);
    return this.prev;
  }

  private sameAsPrev(b: Uint8Array, at: number): boolean {
    const p = this.prevBytes;
    for (let k = 0; k < 64; k++) if (b[at + k] !== p[k]) return false;
    return true;
  }

  /** SHA-256 of the line without its `"hash":"…",` member (its canonical body) against the hash it holds. */
  private hashMatches(b: Uint8Array, start: number, end: number, hashMember: number): boolean {
    const length = end - start - HASH_MEMBER_LENGTH;
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, this.scratch.length * 2));
    const s = this.scratch;
    s.set(b.subarray(start, hashMember), 0);
    s.set(b.subarray(hashMember + HASH_MEMBER_LENGTH, end), hashMember - start);
    const digest = sha256('sha256', s.subarray(0, length));
    const at = hashMember + 8;
    for (let k = 0; k < 64; k++) if (digest.charCodeAt(k) !== b[at + k]) return false;
    return true;
  }

  private bad(line: number, kind: Damage['kind'], detail: string, count: number, file = this.file): Next {
    this.verdict = { ok: false, file, line, kind, detail, count };
    return Next.Done;
  }

  private finishNotJson(endsTrail: boolean): Next {
    const p = this.notJson!;
    this.notJson = undefined;
    return endsTrail
      ? this.bad(p.line, 'torn', 'The last line is cut off (partial JSON after a crash); the events before it are intact.', this.count)
      : this.bad(p.line, 'invalidJson', p.blank ? 'A blank line sits inside the trail.' : 'This line is not JSON.', this.count);
  }

  /** The line-by-line rules of verify, on a parsed line. */
  private slowLine(text: string): Next {
    const p = parseTrailLine(text);
    const line = this.fileLine;
    if (p.kind === 'notJson') {
      this.notJson = { line, blank: text.trim() === '', empty: text === '', after: 0 };
      return Next.Line;
    }
    if (p.kind === 'notEvent') return this.bad(line, 'edited', `This line is not a valid audit event (${p.why}).`, this.count);
    const e = p.event;
    if (hashEvent(e) !== e.hash) return this.bad(line, 'edited', `The content of event ${e.seq} no longer matches its hash.`, this.count);
    const expected = this.seq + 1;
    if (e.seq === expected) {
      if (e.prev !== this.prevText()) {
        // The line before was changed and re-hashed: its hash is no longer the one this line chains to.
        if (line === 1) {
          return this.bad(line, 'edited', `Event ${e.seq} does not chain to the event before it (${this.afterPreviousFile ? 'the end of the previous file' : 'the start of the trail'}): that event was changed.`, this.count);
        }
        return this.bad(line - 1, 'edited', `Event ${this.seq} was changed and its hash recomputed: event ${e.seq} on the next line chains to a different hash.`, this.count - 1);
      }
      this.prev = e.hash;
      HEX.encodeInto(e.hash, this.prevBytes);
      this.seq = e.seq;
      this.count++;
      return Next.Line;
    }
    if (e.seq > expected) {
      this.gap = { file: this.file, line, seq: e.seq, expected };
      return Next.Line;
    }
    this.pendingLookBack = { file: this.file, line, seq: e.seq, hash: e.hash };
    return Next.LookBack;
  }

  /** After a gap: does the missing event come later? Only valid events count, as they always have. */
  private lookAhead(b: Uint8Array, start: number, end: number): Next {
    const g = this.gap!;
    let seq: number | undefined;
    if (scanCanonicalLine(b, start, end, this.fields, true)) seq = this.fields.seq;
    else {
      const p = parseTrailLine(utf8.decode(b.subarray(start, end)));
      if (p.kind === 'event') seq = p.event.seq;
    }
    if (seq !== g.expected) return Next.Line;
    this.gap = undefined;
    return this.bad(g.line, 'reordered', `Event ${g.seq} comes before event ${g.expected}, which appears further down.`, this.count, g.file);
  }
}
