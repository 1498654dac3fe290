import assert from 'node:assert/strict';
import { hashEvent, serializeEvent, verify, type AuditEvent } from '../../../../src/core/audit';
import { makeChain } from './chainBuilder';

const edit = (line: string, change: (e: AuditEvent) => AuditEvent, rehash = false): string => {
  const e = change(JSON.parse(line) as AuditEvent);
  return serializeEvent(rehash ? { ...e, hash: hashEvent(e) } : e);
};

describe('audit verify', () => {
  const { events, lines } = makeChain(6);

  it('says ok with the count and the head hash', () => {
    assert.deepEqual(verify(lines), { ok: true, count: 6, head: events[5]!.hash, lastSeq: 5 });
    assert.deepEqual(verify([...lines, '']), { ok: true, count: 6, head: events[5]!.hash, lastSeq: 5 });
    assert.deepEqual(verify([]), { ok: true, count: 0, head: '0'.repeat(64), lastSeq: -1 });
  });

  it('continues across files from a start head', () => {
    assert.deepEqual(verify(lines.slice(3), { start: { prev: events[2]!.hash, seq: 2 } }), { ok: true, count: 3, head: events[5]!.hash, lastSeq: 5 });
  });

  const damage: { name: string; lines: () => string[]; line: number; kind: string; detail: RegExp; options?: Parameters<typeof verify>[1] }[] = [
    { name: 'an edited field', lines: () => lines.map((l, i) => (i === 2 ? edit(l, (e) => ({ ...e, newState: 'Closed' })) : l)), line: 3, kind: 'edited', detail: /no longer matches its hash/ },
    { name: 'an edit with a recomputed hash', lines: () => lines.map((l, i) => (i === 2 ? edit(l, (e) => ({ ...e, user: 'mallory' }), true) : l)), line: 3, kind: 'edited', detail: /Event 2 was changed and its hash recomputed/ },
    { name: 'a line that is JSON but not an event', lines: () => lines.map((l, i) => (i === 1 ? '{"hello":"world"}' : l)), line: 2, kind: 'edited', detail: /not a valid audit event/ },
    { name: 'an extra field', lines: () => lines.map((l, i) => (i === 1 ? edit(l, (e) => ({ ...e, extra: 1 }) as AuditEvent) : l)), line: 2, kind: 'edited', detail: /not a valid audit event/ },
    { name: 'a dropped line', lines: () => lines.filter((_, i) => i !== 3), line: 4, kind: 'dropped', detail: /1 event \(seq 3\) missing before this line/ },
    { name: 'dropped lines at the start', lines: () => lines.slice(2), line: 1, kind: 'dropped', detail: /2 events \(seq 0 to 1\) missing/ },
    { name: 'two swapped lines', lines: () => [lines[0]!, lines[2]!, lines[1]!, ...lines.slice(3)], line: 2, kind: 'reordered', detail: /Event 2 comes before event 1/ },
    { name: 'a line moved to the end', lines: () => [...lines.slice(0, 2), ...lines.slice(3), lines[2]!], line: 3, kind: 'reordered', detail: /Event 3 comes before event 2/ },
    { name: 'a duplicated line', lines: () => [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)], line: 4, kind: 'duplicated', detail: /Event 2 appears again/ },
    { name: 'a torn last line', lines: () => [...lines.slice(0, 5), lines[5]!.slice(0, 40)], line: 6, kind: 'torn', detail: /cut off/, options: { lastLineMayBeTorn: true } },
    { name: 'a partial line that is not the end of the trail', lines: () => [...lines.slice(0, 5), lines[5]!.slice(0, 40)], line: 6, kind: 'invalidJson', detail: /not JSON/ },
    { name: 'invalid JSON in the middle', lines: () => lines.map((l, i) => (i === 1 ? l.slice(0, 30) : l)), line: 2, kind: 'invalidJson', detail: /not JSON/, options: { lastLineMayBeTorn: true } },
    { name: 'a blank line in the middle', lines: () => [lines[0]!, '', ...lines.slice(1)], line: 2, kind: 'invalidJson', detail: /blank line/ },
    { name: 'a file that does not continue the previous one', lines: () => lines.slice(3), line: 1, kind: 'edited', detail: /end of the previous file/, options: { start: { prev: 'f'.repeat(64), seq: 2 } } },
  ];

  for (const d of damage) {
    it(`names the first bad line for ${d.name}`, () => {
      const r = verify(d.lines(), d.options);
      assert.ok(!r.ok, 'expected damage');
      assert.equal(r.kind, d.kind);
      assert.equal(r.line, d.line);
      assert.match(r.detail, d.detail);
      assert.equal(r.count, d.line - 1);
    });
  }
});
