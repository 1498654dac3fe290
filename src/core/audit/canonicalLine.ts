import { z } from 'zod';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The fast path for reading a trail line: recognises a line that is exactly the canonical JSON
 * (RFC 8785, as `serializeEvent` writes it) of an event `AuditEventSchema` accepts, straight from
 * the bytes, with no JSON.parse, zod or canonicalize, and says where its fields are. That is every
 * line the extension writes, and it makes verify and the index a few times faster (see
 * bench/audit).
 *
 * It only ever answers "yes, exactly such a line" or "not sure": anything it does not recognise
 * (an escape it does not know, non-canonical number or key order, a `__proto__` key, over-long
 * fields, invalid UTF-8, whitespace, a CRLF) returns false, and the caller takes the slow path
 * (JSON.parse, the zod schema, canonicalize), which decides exactly as verify always has. So a
 * line it accepts is one the slow path accepts with the same fields, and for such a line
 * `canonicalize(event without hash)` is the line without its `"hash":"…",` member: verify hashes
 * those bytes instead of re-serialising. The equivalence is tested on generated and mutated lines.
 */

/** Where the fields of a recognised line are (absolute byte positions) and their number values. */
export interface LineFields {
  /** The `"` that opens `"hash":"`; the hash's 64 hex digits start 8 bytes later. */
  hashMember: number;
  prev: number;
  seq: number;
  workItemId: number | null;
  correlationId: number;
  correlationIdEnd: number;
  eventType: number;
  eventTypeEnd: number;
  service: number;
  serviceEnd: number;
  timestamp: number;
  timestampEnd: number;
  /** True when a field above (ranges without their quotes) holds an escape or non-ASCII byte, so its bytes are not its text. */
  escaped: boolean;
}

export const newLineFields = (): LineFields => ({
  hashMember: 0,
  prev: 0,
  seq: 0,
  workItemId: null,
  correlationId: 0,
  correlationIdEnd: 0,
  eventType: 0,
  eventTypeEnd: 0,
  service: 0,
  serviceEnd: 0,
  timestamp: 0,
  timestampEnd: 0,
  escaped: false,
});

/** `"hash":"` + 64 hex digits + `",`: what comes out of a line to leave the hashed body. */
export const HASH_MEMBER_LENGTH = 74;

// Plain arrays of small integers: V8 reads them faster in the byte loops than a Uint8Array.
const bytes = (s: string): readonly number[] => Array.from(s, (c) => c.charCodeAt(0));
const K_CORRELATION = bytes('{"correlationId":');
const K_EVENT_TYPE = bytes(',"eventType":');
const K_HASH = bytes(',"hash":"');
const K_METADATA = bytes('","metadata":');
const K_NEW_STATE = bytes(',"newState":');
const K_OLD_STATE = bytes(',"oldState":');
const K_PREV = bytes(',"prev":"');
const K_REPOSITORY = bytes('","repository":');
const K_SEQ = bytes(',"seq":');
const K_SERVICE = bytes(',"service":');
const K_TIMESTAMP = bytes(',"timestamp":');
const K_USER = bytes(',"user":');
const K_WORK_ITEM = bytes(',"workItemId":');
const PROTO = bytes('__proto__');

const MAX_DEPTH = 32;

// Scan state, module-level so the hot loop allocates nothing (the scanner is synchronous):
// `nonAscii` for the whole line (checked as UTF-8 once at the end), `dirty` for the string just
// read (an escape or a non-ASCII byte: its bytes are not its text).
let nonAscii = false;
let dirty = false;

function literal(b: Uint8Array, i: number, token: readonly number[], end = b.length): number {
  if (i + token.length > end) return -1;
  for (let k = 0; k < token.length; k++) if (b[i + k] !== token[k]) return -1;
  return i + token.length;
}

const isHex = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** Bytes a JSON string holds as they are: printable ASCII but `"` and `\`. */
const PLAIN = Uint8Array.from({ length: 256 }, (_, c) => (c >= 0x20 && c < 0x80 && c !== QUOTE && c !== BACKSLASH ? 1 : 0));

const HEX = Uint8Array.from({ length: 256 }, (_, c) => (isHex(c) ? 1 : 0));

/** 64 lower-case hex digits; `check` false only skips looking at them (the caller compares them with a known hash). */
function hex64(b: Uint8Array, i: number, end: number, check: boolean): number {
  if (i + 64 > end) return -1;
  if (check) for (let k = i; k < i + 64; k++) if (HEX[b[k]!] === 0) return -1;
  return i + 64;
}

/**
 * A JSON string as JSON.stringify writes it, starting at its opening quote; returns the index
 * after the closing quote, or -1. Short escapes only where JSON.stringify uses them, `\u00xx`
 * (lower-case) only for the other control characters; non-ASCII is checked as UTF-8 once per line.
 */
function string(b: Uint8Array, i: number, end: number): number {
  if (b[i] !== QUOTE) return -1;
  for (i++; i < end; i++) {
    const c = b[i]!;
    if (PLAIN[c] === 1) continue;
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c >= 0x80) {
      nonAscii = true;
      dirty = true;
    } else if (c === BACKSLASH) {
      dirty = true;
      const e = b[i + 1];
      if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) i++;
      else if (e === 0x75) {
        // \u00xx for a control character that has no short form.
        if (i + 6 > end || b[i + 2] !== 0x30 || b[i + 3] !== 0x30 || !isHex(b[i + 4]!) || !isHex(b[i + 5]!)) return -1;
        const code = parseInt(String.fromCharCode(b[i + 4]!, b[i + 5]!), 16);
        if (code >= 0x20 || code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return -1;
        i += 5;
      } else return -1;
    }
  }
  return -1;
}

/** A string of 1 to `max` UTF-16 units (judged conservatively on bytes: units never exceed bytes). */
function text(b: Uint8Array, i: number, end: number, max: number): number {
  const after = string(b, i, end);
  const length = after - i - 2;
  return after === -1 || length < 1 || length > max ? -1 : after;
}

/** `null`, or a string of at most `max` units. */
function nullableText(b: Uint8Array, i: number, end: number, max: number): number {
  if (b[i] === 0x6e) return literal(b, i, NULL, end);
  const after = string(b, i, end);
  return after === -1 || after - i - 2 > max ? -1 : after;
}
const NULL = bytes('null');
const TRUE = bytes('true');
const FALSE = bytes('false');

/** A non-negative integer with at most 15 digits and no leading zero (a safe integer written canonically). */
function integer(b: Uint8Array, i: number, end: number, positive: boolean): number {
  const first = b[i];
  if (first === undefined || !isDigit(first) || (first === 0x30 && positive)) return -1;
  if (first === 0x30) return i + 1 < end && isDigit(b[i + 1]!) ? -1 : i + 1;
  let k = i + 1;
  while (k < end && isDigit(b[k]!)) k++;
  return k - i > 15 ? -1 : k;
}

function intValue(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + (b[k]! - 0x30);
  return n;
}

/** A JSON number in the form JSON.stringify gives it (what canonicalize writes). */
function number(b: Uint8Array, i: number, end: number): number {
  let k = i;
  if (b[k] === 0x2d) k++;
  const intStart = k;
  if (b[k] === 0x30) k++;
  else if (k < end && isDigit(b[k]!) && b[k] !== 0x30) while (k < end && isDigit(b[k]!)) k++;
  else return -1;
  const plain = k - intStart <= 15;
  let fancy = false;
  if (b[k] === 0x2e) {
    fancy = true;
    k++;
    if (!(k < end && isDigit(b[k]!))) return -1;
    while (k < end && isDigit(b[k]!)) k++;
  }
  if (b[k] === 0x65 || b[k] === 0x45) {
    fancy = true;
    k++;
    if (b[k] === 0x2b || b[k] === 0x2d) k++;
    if (!(k < end && isDigit(b[k]!))) return -1;
    while (k < end && isDigit(b[k]!)) k++;
  }
  if (!fancy && plain) return b[i] === 0x2d && b[intStart] === 0x30 ? -1 : k; // -0 is written 0
  const source = String.fromCharCode(...b.subarray(i, k));
  const value = Number(source);
  return Number.isFinite(value) && String(value) === source ? k : -1;
}

/** Compares `b[a0, a1)` with `b[c0, c1)`, or with all of `other` when it is given. */
function compareBytes(b: Uint8Array, a0: number, a1: number, c0: number, c1: number, other?: Uint8Array): number {
  const o = other ?? b;
  const from = other ? 0 : c0;
  const to = other ? other.length : c1;
  const n = Math.min(a1 - a0, to - from);
  for (let k = 0; k < n; k++) {
    const d = b[a0 + k]! - o[from + k]!;
    if (d !== 0) return d;
  }
  return a1 - a0 - (to - from);
}

/** A JSON object with keys in canonical (sorted, unique) order; plain ASCII keys only. */
function object(b: Uint8Array, i: number, end: number, depth: number): number {
  if (b[i] !== 0x7b || depth > MAX_DEPTH) return -1;
  i++;
  if (b[i] === 0x7d) return i + 1;
  let prevKey = -1;
  let prevKeyEnd = -1;
  for (;;) {
    dirty = false;
    const keyEnd = string(b, i, end);
    // Key order is compared on bytes, which is UTF-16 order only for plain ASCII keys.
    if (keyEnd === -1 || dirty) return -1;
    if (prevKey !== -1 && compareBytes(b, prevKey, prevKeyEnd, i + 1, keyEnd - 1) >= 0) return -1;
    if (keyEnd - i - 2 === PROTO.length && literal(b, i + 1, PROTO, end) !== -1) return -1;
    prevKey = i + 1;
    prevKeyEnd = keyEnd - 1;
    if (b[keyEnd] !== 0x3a) return -1;
    i = value(b, keyEnd + 1, end, depth + 1);
    if (i === -1) return -1;
    if (b[i] === 0x7d) return i + 1;
    if (b[i] !== 0x2c) return -1;
    i++;
  }
}

function array(b: Uint8Array, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) return -1;
  i++;
  if (b[i] === 0x5d) return i + 1;
  for (;;) {
    i = value(b, i, end, depth + 1);
    if (i === -1) return -1;
    if (b[i] === 0x5d) return i + 1;
    if (b[i] !== 0x2c) return -1;
    i++;
  }
}

function value(b: Uint8Array, i: number, end: number, depth: number): number {
  const c = b[i];
  if (c === QUOTE) return string(b, i, end);
  if (c === 0x7b) return object(b, i, end, depth);
  if (c === 0x5b) return array(b, i, end, depth);
  if (c === 0x74) return literal(b, i, TRUE, end);
  if (c === 0x66) return literal(b, i, FALSE, end);
  if (c === 0x6e) return literal(b, i, NULL, end);
  return number(b, i, end);
}

/** `[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*` in quotes, at most 100 characters (EVENT_TYPE). */
function eventType(b: Uint8Array, i: number, end: number): number {
  if (b[i] !== QUOTE) return -1;
  let k = i + 1;
  let atStart = true;
  for (; k < end && b[k] !== QUOTE; k++) {
    const c = b[k]!;
    const lower = c >= 0x61 && c <= 0x7a;
    if (atStart) {
      if (!lower) return -1;
      atStart = false;
    } else if (c === 0x2e) atStart = true;
    else if (!(lower || (c >= 0x41 && c <= 0x5a) || isDigit(c))) return -1;
  }
  return k >= end || atStart || k - i - 1 > 100 ? -1 : k + 1;
}

const isoDate = z.iso.date();
const lastDate = new Uint8Array(10);

/** `"YYYY-MM-DDTHH:MM:SS(.fraction)Z"` exactly as `z.iso.datetime()` accepts it (a real calendar date, no offset). */
function timestamp(b: Uint8Array, i: number, end: number): number {
  if (b[i] !== QUOTE || i + 22 > end || b[i + 11] !== 0x54) return -1;
  // The date part is checked by zod's own date pattern; one day's lines share it, so it is remembered.
  if (compareBytes(b, i + 1, i + 11, -1, -1, lastDate) !== 0) {
    const date = b.subarray(i + 1, i + 11);
    if (!isoDate.safeParse(String.fromCharCode(...date)).success) return -1;
    lastDate.set(date);
  }
  const t = i + 12;
  const h0 = b[t]!;
  const h1 = b[t + 1]!;
  if (!((h0 === 0x30 || h0 === 0x31) && isDigit(h1)) && !(h0 === 0x32 && h1 >= 0x30 && h1 <= 0x33)) return -1;
  if (b[t + 2] !== 0x3a || !(b[t + 3]! >= 0x30 && b[t + 3]! <= 0x35) || !isDigit(b[t + 4]!)) return -1;
  if (b[t + 5] !== 0x3a || !(b[t + 6]! >= 0x30 && b[t + 6]! <= 0x35) || !isDigit(b[t + 7]!)) return -1;
  let k = t + 8;
  if (b[k] === 0x2e) {
    k++;
    if (!(k < end && isDigit(b[k]!))) return -1;
    while (k < end && isDigit(b[k]!)) k++;
  }
  return b[k] === 0x5a && b[k + 1] === QUOTE ? k + 2 : -1;
}

/** Strict UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF), as a decoder with `fatal` would demand. */
function validUtf8(b: Uint8Array, i: number, end: number): boolean {
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return false;
    if (i + need >= end) return false;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k]!;
      if ((d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/**
 * Recognises `b[start, end)` (one line, without its newline) as an event's canonical JSON and
 * fills `out`; false means "not recognised, take the slow path", never "damaged". With
 * `checkHashes` false the `hash` and `prev` digits are not looked at: verify passes that, since it
 * compares both with hashes it knows (a computed digest, the previous line's hash), and a line
 * whose digits differ goes to the slow path anyway.
 */
export function scanCanonicalLine(b: Uint8Array, start: number, end: number, out: LineFields, checkHashes = true): boolean {
  nonAscii = false;
  dirty = false;
  let i = literal(b, start, K_CORRELATION, end);
  if (i === -1) return false;
  out.correlationId = i + 1;
  i = text(b, i, end, 200);
  if (i === -1) return false;
  out.correlationIdEnd = i - 1;
  // eventType cannot hold an escape; the service is checked below.
  let escaped = dirty;
  i = literal(b, i, K_EVENT_TYPE, end);
  if (i === -1) return false;
  out.eventType = i + 1;
  i = eventType(b, i, end);
  if (i === -1) return false;
  out.eventTypeEnd = i - 1;
  out.hashMember = i + 1;
  i = literal(b, i, K_HASH, end);
  if (i === -1 || (i = hex64(b, i, end, checkHashes)) === -1 || (i = literal(b, i, K_METADATA, end)) === -1) return false;
  i = object(b, i, end, 0);
  if (i === -1 || (i = literal(b, i, K_NEW_STATE, end)) === -1 || (i = nullableText(b, i, end, 200)) === -1) return false;
  if ((i = literal(b, i, K_OLD_STATE, end)) === -1 || (i = nullableText(b, i, end, 200)) === -1) return false;
  if ((i = literal(b, i, K_PREV, end)) === -1) return false;
  out.prev = i;
  if ((i = hex64(b, i, end, checkHashes)) === -1 || (i = literal(b, i, K_REPOSITORY, end)) === -1 || (i = nullableText(b, i, end, 500)) === -1) return false;
  if ((i = literal(b, i, K_SEQ, end)) === -1) return false;
  const seqStart = i;
  if ((i = integer(b, i, end, false)) === -1) return false;
  out.seq = intValue(b, seqStart, i);
  if ((i = literal(b, i, K_SERVICE, end)) === -1) return false;
  out.service = i + 1;
  dirty = false;
  if ((i = text(b, i, end, 100)) === -1) return false;
  escaped ||= dirty;
  out.serviceEnd = i - 1;
  if ((i = literal(b, i, K_TIMESTAMP, end)) === -1) return false;
  out.timestamp = i + 1;
  if ((i = timestamp(b, i, end)) === -1) return false;
  out.timestampEnd = i - 1;
  if ((i = literal(b, i, K_USER, end)) === -1 || (i = nullableText(b, i, end, 200)) === -1 || (i = literal(b, i, K_WORK_ITEM, end)) === -1) return false;
  if (b[i] === 0x6e) {
    if ((i = literal(b, i, NULL, end)) === -1) return false;
    out.workItemId = null;
  } else {
    const from = i;
    if ((i = integer(b, i, end, true)) === -1) return false;
    out.workItemId = intValue(b, from, i);
  }
  if (b[i] !== 0x7d || i + 1 !== end) return false;
  if (nonAscii && !validUtf8(b, start, end)) return false;
  out.escaped = escaped;
  return true;
}
