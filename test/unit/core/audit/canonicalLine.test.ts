import assert from 'node:assert/strict';
import { type AuditInput, buildAuditEvent, EMPTY_HEAD, newLineFields, parseTrailLine, scanCanonicalLine, serializeEvent } from '../../../../src/core/audit';

/** mulberry32, so every run checks the same lines. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '中', '😀', '\ud800', '\udfff', 'AB#7', 'main', '{', '}', ',', ':', '[', ']'];
const NUMBERS = [0, -0, 1, -5, 0.1, 1e21, 1e-7, 123456789012345, 2 ** 53, -1.5e300, 3.14159];

function text(r: () => number, max: number): string {
  const n = 1 + Math.floor(r() * max);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)]!;
  return s;
}

function json(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 2 || k < 0.3) return text(r, 6);
  if (k < 0.5) return NUMBERS[Math.floor(r() * NUMBERS.length)]!;
  if (k < 0.6) return r() < 0.5 ? true : null;
  if (k < 0.8) return Array.from({ length: Math.floor(r() * 3) }, () => json(r, depth + 1));
  return Object.fromEntries(Array.from({ length: Math.floor(r() * 4) }, () => [r() < 0.8 ? `k${Math.floor(r() * 20)}` : text(r, 3), json(r, depth + 1)]));
}

function input(r: () => number): AuditInput {
  const maybe = (f: () => string) => (r() < 0.5 ? f() : null);
  return {
    correlationId: r() < 0.7 ? `run-${Math.floor(r() * 1e6)}` : text(r, 8),
    eventType: r() < 0.5 ? 'run.step' : 'workItem.stateChanged',
    service: r() < 0.8 ? 'qa' : text(r, 4),
    workItemId: r() < 0.5 ? 1 + Math.floor(r() * 1e6) : null,
    repository: maybe(() => 'contoso/web'),
    oldState: maybe(() => text(r, 4)),
    newState: maybe(() => 'Active'),
    user: maybe(() => text(r, 5)),
    metadata: json(r, 0) as Record<string, unknown> | undefined,
  };
}

/** Lines as the sink writes them, from generated input (unicode, escapes, numbers of every form, nesting). */
function lines(seed: number, n: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  let head = EMPTY_HEAD;
  for (let i = 0; i < n; i++) {
    const raw = input(r);
    const metadata = raw.metadata && typeof raw.metadata === 'object' && !Array.isArray(raw.metadata) ? raw.metadata : { value: raw.metadata };
    const e = buildAuditEvent({ ...raw, metadata }, head, new Date(Date.UTC(2024, 1, 28, 23, 59, 59, Math.floor(r() * 1000)) + i * 3_600_000));
    head = { prev: e.hash, seq: e.seq };
    out.push(serializeEvent(e));
  }
  return out;
}

/** Ways a line gets changed: by hand, by tools that re-format JSON, by a disk. */
const MUTATIONS: ((line: string, r: () => number) => string)[] = [
  (l, r) => {
    const i = Math.floor(r() * l.length);
    return l.slice(0, i) + String.fromCharCode(32 + Math.floor(r() * 95)) + l.slice(i + 1);
  },
  (l, r) => {
    const i = Math.floor(r() * l.length);
    return l.slice(0, i) + l.slice(i + 1);
  },
  (l, r) => {
    const i = Math.floor(r() * l.length);
    return l.slice(0, i) + PIECES[Math.floor(r() * PIECES.length)]! + l.slice(i);
  },
  (l) => l.replace(':', ': '),
  (l) => `${l}\r`,
  (l) => l.replace(/"seq":(\d+)/, '"seq":$1.0'),
  (l) => l.replace(/"seq":(\d+)/, '"seq":0$1'),
  (l) => l.replace(/"seq":(\d+)/, '"seq":$1e0'),
  (l) => l.replace('"metadata":{', '"metadata":{"__proto__":1,'),
  (l) => l.replace('"metadata":{', '"metadata":{"zz":1,'),
  (l) => l.replace('"metadata":{', '"metadata":{"a":{"__proto__":{}},'),
  (l) => l.replace('"correlationId":"', '"correlationId":"\\u0041'),
  (l) => l.replace('"correlationId":"', '"correlationId":"\\/'),
  (l) => l.replace('"correlationId":"', '"correlationId":"\\u001F'),
  (l) => l.replace('"correlationId":"', '"correlationId":"\\ud83d'),
  (l) => l.replace('"service":"', '"service":"\\u00e9'),
  (l) => l.replace('"timestamp":"2024-02-28', '"timestamp":"2023-02-29'),
  (l) => l.replace('"timestamp":"2024-02-28', '"timestamp":"2024-02-29'),
  (l) => l.replace(/Z"/, '+00:00"'),
  (l) => l.replace('"workItemId":null', '"workItemId":0'),
  (l) => l.replace(/"workItemId":\d+/, '"workItemId":-1'),
  (l) => l.replace('"user":null', '"user":""'),
  (l) => l.replace('"repository":', '"repository":"x","repository":'),
  (l) => l.replace(/,"user":[^,]*/, ''),
  (l) => l.replace(/"prev":"./, '"prev":"G'),
  (l) => l.replace('"correlationId":"', `"correlationId":"${'x'.repeat(200)}`),
  (l) => l.replace('"eventType":"', '"eventType":"Run.'),
  (l) => l.replace('"eventType":"', `"eventType":"${'a'.repeat(99)}`),
  (l) => l.replace(/"metadata":\{/, '"metadata":{"n":1E5,'),
  (l) => l.replace(/"metadata":\{/, '"metadata":{"n":-0,'),
  (l) => l.replace(/"metadata":\{/, '"metadata":{"n":1e400,'),
  (l) => l.replace(/"metadata":\{/, '"metadata":{"n":12345678901234567890,'),
];

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The fast path's promise: what it accepts, the slow path reads as a valid event whose canonical JSON is that very line. */
function assertAgrees(line: string | Uint8Array): boolean {
  const b = typeof line === 'string' ? utf8(line) : line;
  const f = newLineFields();
  if (!scanCanonicalLine(b, 0, b.length, f)) return false;
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
  const p = parseTrailLine(text);
  assert.equal(p.kind, 'event', `accepted a line the schema refuses: ${text}`);
  if (p.kind !== 'event') return true;
  assert.equal(serializeEvent(p.event), text, 'accepted a line that is not canonical');
  const slice = (from: number, to: number) => new TextDecoder().decode(b.subarray(from, to));
  const unescape = (from: number, to: number) => JSON.parse(`"${slice(from, to)}"`) as string;
  assert.equal(f.seq, p.event.seq);
  assert.equal(f.workItemId, p.event.workItemId);
  assert.equal(slice(f.prev, f.prev + 64), p.event.prev);
  assert.equal(slice(f.hashMember + 8, f.hashMember + 72), p.event.hash);
  assert.equal(unescape(f.correlationId, f.correlationIdEnd), p.event.correlationId);
  assert.equal(unescape(f.eventType, f.eventTypeEnd), p.event.eventType);
  assert.equal(unescape(f.service, f.serviceEnd), p.event.service);
  assert.equal(slice(f.timestamp, f.timestampEnd), p.event.timestamp);
  if (!f.escaped) assert.equal(slice(f.correlationId, f.correlationIdEnd) + slice(f.service, f.serviceEnd), p.event.correlationId + p.event.service);
  return true;
}

describe('canonical line fast path', () => {
  const written = lines(7, 400);

  it('recognises the lines the sink writes, unicode, escapes and every number form included', () => {
    // What it leaves to the slow path: lone surrogates (written \udxxx) and object keys that are not plain ASCII.
    const keys = (v: unknown): string[] => (v && typeof v === 'object' ? [...(Array.isArray(v) ? [] : Object.keys(v)), ...Object.values(v).flatMap(keys)] : []);
    const slowOnes = written.filter((l) => /\\ud[89a-f]/.test(l) || keys((JSON.parse(l) as { metadata: unknown }).metadata).some((k) => /[^\x20-\x7f]|["\\]/.test(k)));
    const accepted = written.filter((l) => assertAgrees(l));
    assert.equal(accepted.length, written.length - slowOnes.length);
    assert.ok(accepted.length > written.length / 2, `only ${accepted.length} of ${written.length} lines took the fast path`);
    assert.ok(accepted.some((l) => /[é中😀]/u.test(l)) && accepted.some((l) => l.includes('\\n')) && accepted.some((l) => l.includes('1e+21')));
  });

  it('never accepts a changed line that the slow path would not read as that same canonical event', () => {
    const r = rng(11);
    let accepted = 0;
    for (const line of written) {
      for (const mutate of MUTATIONS) if (assertAgrees(mutate(line, r))) accepted++;
    }
    // Some mutations leave a valid canonical line (a different digit, a different letter): those are fine.
    assert.ok(accepted > 0);
  });

  it('refuses bytes that are not UTF-8 and a line with a byte order mark', () => {
    const line = utf8(written[0]!.replace('"correlationId":"', '"correlationId":"é'));
    const at = line.indexOf(0xc3);
    for (const bad of [[0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      const b = new Uint8Array([...line.subarray(0, at), ...bad, ...line.subarray(at + 2)]);
      assert.equal(scanCanonicalLine(b, 0, b.length, newLineFields()), false, `accepted ${bad.map((x) => x.toString(16)).join(' ')}`);
    }
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(written[0]!)]);
    assert.equal(scanCanonicalLine(bom, 0, bom.length, newLineFields()), false);
  });

  it('reads only its own line out of a larger buffer', () => {
    const b = utf8(`${written[0]}\n${written[1]}\n`);
    const end = b.indexOf(10);
    assert.ok(scanCanonicalLine(b, 0, end, newLineFields()));
    assert.equal(scanCanonicalLine(b, 0, end - 1, newLineFields()), false);
    assert.equal(scanCanonicalLine(b, 0, end + 1, newLineFields()), false);
    const f = newLineFields();
    assert.ok(scanCanonicalLine(b, end + 1, b.length - 1, f));
    assert.equal(f.seq, 1);
  });
});
