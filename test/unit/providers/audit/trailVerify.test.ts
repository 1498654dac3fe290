import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AuditEvent, hashEvent, serializeEvent } from '../../../../src/core/audit';
import { isDevOpsError } from '../../../../src/core/errors';
import { verifyTrail, verifyTrailStream } from '../../../../src/providers/audit';
import { makeChain } from '../../core/audit/chainBuilder';

const DAYS = ['audit-2025-05-01.jsonl', 'audit-2025-05-02.jsonl', 'audit-2025-05-03.jsonl'];
/** Five events a file: seq 0-4, 5-9, 10-14. */
const { events } = makeChain(15);
const line = (e: AuditEvent): string => serializeEvent(e);
const rehashed = (e: AuditEvent, change: Partial<AuditEvent>): string => {
  const changed = { ...e, ...change };
  return serializeEvent({ ...changed, hash: hashEvent(changed) });
};

type Files = string[][];
const pristine = (): Files => [0, 1, 2].map((f) => events.slice(f * 5, f * 5 + 5).map(line));

describe('trail verify, streamed over several files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-trail-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const write = async (files: Files, last = '\n'): Promise<void> => {
    await Promise.all(files.map((lines, i) => fs.writeFile(path.join(dir, DAYS[i]!), lines.length ? `${lines.join('\n')}${i === files.length - 1 ? last : '\n'}` : '')));
  };

  it('verifies an intact trail across files, with the head to continue from', async () => {
    await write(pristine());
    assert.deepEqual(await verifyTrail(dir), { ok: true, count: 15, head: events[14]!.hash, files: 3 });
    const report = await verifyTrailStream(dir);
    assert.deepEqual(report.head, { file: DAYS[2], offset: (await fs.stat(path.join(dir, DAYS[2]!))).size, line: 5, seq: 14, hash: events[14]!.hash, count: 15 });
    assert.equal(report.checked, 15);
  });

  /** [name, how the files change, file index, line, kind, detail]; `null` file: verify still says ok (what the chain cannot see). */
  type Case = [string, (f: Files) => void, number | null, number, string, RegExp?];
  const at = (f: Files, file: number, i: number, value: string | undefined) => (value === undefined ? f[file]!.splice(i, 1) : (f[file]![i] = value));
  const edit = (file: number, i: number) => (f: Files) => at(f, file, i, f[file]![i]!.replace('"run.step"', '"run.stop"'));
  const rehash = (file: number, i: number) => (f: Files) => at(f, file, i, rehashed(events[file * 5 + i]!, { user: 'mallory' }));
  const drop = (file: number, i: number) => (f: Files) => at(f, file, i, undefined);
  const notJson = (file: number, i: number) => (f: Files) => at(f, file, i, 'not json');
  const notEvent = (file: number, i: number) => (f: Files) => at(f, file, i, '{"hello":"world"}');
  const duplicate = (file: number, i: number) => (f: Files) => f[file]!.splice(i + 1, 0, f[file]![i]!);
  const swap = (a: [number, number], b: [number, number]) => (f: Files) => {
    const x = f[a[0]]![a[1]]!;
    f[a[0]]![a[1]] = f[b[0]]![b[1]]!;
    f[b[0]]![b[1]] = x;
  };

  const cases: Case[] = [
    ['an edited event at the start', edit(0, 0), 0, 1, 'edited', /content of event 0 no longer matches/],
    ['an edited event in the middle', edit(1, 2), 1, 3, 'edited', /content of event 7/],
    ['an edited event at the end', edit(2, 4), 2, 5, 'edited', /content of event 14/],
    ['an edited event first in a file', edit(1, 0), 1, 1, 'edited', /content of event 5/],
    ['a re-hashed edit at the start', rehash(0, 0), 0, 1, 'edited', /Event 0 was changed and its hash recomputed/],
    ['a re-hashed edit in the middle', rehash(1, 2), 1, 3, 'edited', /Event 7 was changed/],
    // The chain is not a signature: a re-hashed last event has no line after it to give it away.
    ['a re-hashed edit at the end', rehash(2, 4), null, 0, ''],
    ['a re-hashed edit last in a file', rehash(0, 4), 1, 1, 'edited', /Event 5 does not chain to the event before it \(the end of the previous file\)/],
    ['a dropped event at the start', drop(0, 0), 0, 1, 'dropped', /1 event \(seq 0\) missing/],
    ['a dropped event in the middle', drop(1, 2), 1, 3, 'dropped', /seq 7/],
    // Nor can it tell the last events from events never written.
    ['a dropped event at the end', drop(2, 4), null, 0, ''],
    ['the last event of a file dropped', drop(0, 4), 1, 1, 'dropped', /seq 4\)/],
    ['a whole file dropped', (f) => f[1]!.splice(0), 2, 1, 'dropped', /5 events \(seq 5 to 9\)/],
    ['two events swapped at the start', swap([0, 0], [0, 1]), 0, 1, 'reordered', /Event 1 comes before event 0/],
    ['two events swapped in the middle', swap([1, 2], [1, 3]), 1, 3, 'reordered', /Event 8 comes before event 7/],
    ['two events swapped at the end', swap([2, 3], [2, 4]), 2, 4, 'reordered', /Event 14 comes before event 13/],
    ['two events swapped across files', swap([0, 4], [1, 0]), 0, 5, 'reordered', /Event 5 comes before event 4, which appears further down/],
    ['an event moved to the end', (f) => f[2]!.push(...f[0]!.splice(1, 1)), 0, 2, 'reordered', /Event 2 comes before event 1/],
    ['a duplicated event at the start', duplicate(0, 0), 0, 2, 'duplicated', /Event 0 appears again/],
    ['a duplicated event in the middle', duplicate(1, 2), 1, 4, 'duplicated', /Event 7 appears again/],
    ['a duplicated event at the end', duplicate(2, 4), 2, 6, 'duplicated', /Event 14 appears again/],
    ['an event repeated in the next file', (f) => f[1]!.unshift(f[0]![4]!), 1, 1, 'duplicated', /Event 4 appears again/],
    ['an older event repeated two files later', (f) => f[2]!.splice(2, 0, f[0]![1]!), 2, 3, 'duplicated', /Event 1 appears again/],
    ['an old event back in the middle', (f) => f[1]!.splice(2, 0, rehashed(events[1]!, { user: 'mallory' })), 1, 3, 'reordered', /Event 1 appears after event 6/],
    ['a line that is not JSON at the start', notJson(0, 0), 0, 1, 'invalidJson', /not JSON/],
    ['a line that is not JSON in the middle', notJson(1, 2), 1, 3, 'invalidJson', /not JSON/],
    ['a line that is not JSON last in a file', notJson(0, 4), 0, 5, 'invalidJson', /not JSON/],
    ['a partial last line', (f) => at(f, 2, 4, f[2]![4]!.slice(0, 50)), 2, 5, 'torn', /cut off/],
    ['a partial line last in a file that is not the last', (f) => at(f, 1, 4, f[1]![4]!.slice(0, 50)), 1, 5, 'invalidJson', /not JSON/],
    ['JSON that is not an event', notEvent(1, 2), 1, 3, 'edited', /not a valid audit event/],
    ['a blank line in the middle', (f) => f[1]!.splice(2, 0, ''), 1, 3, 'invalidJson', /blank line/],
    ['a file from another trail', (f) => (f[1] = makeChain(Array.from({ length: 10 }, () => ({ service: 'security' }))).lines.slice(5)), 1, 1, 'edited', /end of the previous file/],
  ];

  for (const [name, change, file, lineNo, kind, detail] of cases) {
    it(`names the file and line of ${name}`, async () => {
      const files = pristine();
      change(files);
      await write(files);
      const r = await verifyTrail(dir);
      if (file === null) {
        assert.ok(r.ok, JSON.stringify(r));
        return;
      }
      assert.ok(!r.ok, 'expected damage');
      assert.deepEqual([path.basename(r.file), r.line, r.kind], [DAYS[file], lineNo, kind]);
      assert.match(r.detail, detail!);
      // Every event before the bad line verifies.
      const before = files.slice(0, file).reduce((n, l) => n + l.length, 0) + lineNo - 1;
      assert.ok(r.count <= before && r.count >= 0, `count ${r.count} vs ${before}`);
    });
  }

  it('ignores one empty line ending a file, and stops at a second', async () => {
    await write(pristine(), '\n\n');
    assert.ok((await verifyTrail(dir)).ok);
    await write(pristine(), '\n\n\n');
    const r = await verifyTrail(dir);
    assert.ok(!r.ok && r.kind === 'torn' && r.line === 6, JSON.stringify(r));
  });

  it('reads a CRLF line the slow way and still verifies it', async () => {
    const files = pristine();
    files[1]![2] = `${files[1]![2]}\r`;
    await write(files);
    assert.deepEqual(await verifyTrail(dir), { ok: true, count: 15, head: events[14]!.hash, files: 3 });
  });

  it('verifies on from a remembered position, checking only the lines after it', async () => {
    await write(pristine());
    const first = await verifyTrailStream(dir);
    const more = makeChain(18).lines.slice(15);
    await fs.appendFile(path.join(dir, DAYS[2]!), `${more.join('\n')}\n`);
    const next = await verifyTrailStream(dir, { from: first.head! });
    assert.equal(next.checked, 3);
    assert.deepEqual(next.result, { ok: true, count: 18, head: JSON.parse(more[2]!).hash, files: 3 });
    assert.equal(next.head!.line, 8);
    // Damage before the position is a full verify's to find.
    const text = await fs.readFile(path.join(dir, DAYS[0]!), 'utf8');
    await fs.writeFile(path.join(dir, DAYS[0]!), text.replace('"run.step"', '"run.stop"'));
    assert.ok((await verifyTrailStream(dir, { from: next.head! })).result.ok);
    const full = await verifyTrail(dir);
    assert.ok(!full.ok && full.kind === 'edited' && full.line === 1);
  });

  it('names the remembered event as changed when the first new line no longer chains to it', async () => {
    await write(pristine());
    const first = await verifyTrailStream(dir, {});
    // As a full verify would: the line a new event does not chain to was changed (and re-hashed).
    await fs.appendFile(path.join(dir, DAYS[2]!), `${rehashed(makeChain(16).events[15]!, { prev: 'f'.repeat(64) })}\n`);
    const r = await verifyTrailStream(dir, { from: first.head! });
    assert.ok(!r.result.ok);
    assert.deepEqual([path.basename(r.result.file), r.result.line, r.result.kind, r.result.count], [DAYS[2], 5, 'edited', 14]);
  });

  it('reports progress in bytes and stops when cancelled', async () => {
    await write(pristine());
    const total = (await Promise.all(DAYS.map((d) => fs.stat(path.join(dir, d))))).reduce((n, s) => n + s.size, 0);
    const seen: [number, number][] = [];
    await verifyTrailStream(dir, { onProgress: (done, all) => seen.push([done, all]) });
    assert.deepEqual(seen[seen.length - 1], [total, total]);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(verifyTrailStream(dir, { signal: controller.signal }), (e: unknown) => isDevOpsError(e) && e.code === 'cancelled');
  });

  it('verifies lines that cross read chunks, in a file of several megabytes', async () => {
    const big = makeChain(Array.from({ length: 700 }, (_, i) => ({ metadata: { i, text: `${'x'.repeat(3000 + (i % 7))}` } })));
    const lines = big.lines;
    await fs.writeFile(path.join(dir, DAYS[0]!), `${lines.join('\n')}\n`);
    assert.ok((await fs.stat(path.join(dir, DAYS[0]!))).size > 2 * (1 << 20));
    assert.deepEqual(await verifyTrail(dir), { ok: true, count: 700, head: big.events[699]!.hash, files: 1 });
    lines[600] = lines[600]!.replace('"run.step"', '"run.stop"');
    await fs.writeFile(path.join(dir, DAYS[0]!), `${lines.join('\n')}\n`);
    const r = await verifyTrail(dir);
    assert.ok(!r.ok && r.line === 601 && r.kind === 'edited' && r.count === 600, JSON.stringify(r));
  });
});
