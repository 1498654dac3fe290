import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forEachLine, forEachLineBackward } from '../../../../src/providers/audit';

type Seen = [text: string, offset: number, terminated: boolean];

describe('line stream (bounded reads of a trail file)', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-lines-'));
    file = path.join(dir, 'f.jsonl');
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const read = async (options: Parameters<typeof forEachLine>[1] = {}, stopAt = Infinity): Promise<{ seen: Seen[]; end: number; complete: boolean }> => {
    const seen: Seen[] = [];
    const r = await forEachLine(file, options, (b, start, end, offset, terminated) => {
      seen.push([Buffer.from(b.subarray(start, end)).toString('utf8'), offset, terminated]);
      return seen.length < stopAt;
    });
    return { seen, ...r };
  };

  it('hands over every line with its offset, across chunk boundaries, and a last line without newline', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${i}:${'é'.repeat(i % 9)}${'x'.repeat((i * 7) % 23)}`);
    const text = `${lines.join('\n')}\n\nlast`;
    await fs.writeFile(file, text);
    const { seen, end, complete } = await read({ chunkSize: 16 });
    const expected: Seen[] = [];
    let offset = 0;
    for (const l of [...lines, '']) {
      expected.push([l, offset, true]);
      offset += Buffer.byteLength(l) + 1;
    }
    expected.push(['last', offset, false]);
    assert.deepEqual(seen, expected);
    assert.equal(end, Buffer.byteLength(text));
    assert.ok(complete);
  });

  it('starts and stops at given offsets, and stops when the handler says so', async () => {
    await fs.writeFile(file, 'aa\nbbb\ncccc\ndd\n');
    assert.deepEqual((await read({ from: 3, to: 12, chunkSize: 4 })).seen, [['bbb', 3, true], ['cccc', 7, true]]);
    const stopped = await read({}, 2);
    assert.deepEqual([stopped.seen.length, stopped.end, stopped.complete], [2, 3, false]);
  });

  it('cuts a line longer than the limit, skips its rest and keeps counting lines', async () => {
    await fs.writeFile(file, `short\n${'y'.repeat(100)}\nafter\n${'z'.repeat(40)}`);
    const { seen } = await read({ chunkSize: 8, maxLine: 32 });
    assert.deepEqual(seen, [['short', 0, true], ['y'.repeat(32), 6, true], ['after', 107, true], ['z'.repeat(32), 113, false]]);
  });

  it('reads nothing from a file that is not there', async () => {
    assert.deepEqual(await read(), { seen: [], end: 0, complete: true });
    let called = false;
    await forEachLineBackward(file, {}, () => (called = true));
    assert.equal(called, false);
  });

  it('reads backward the same lines as forward, newest first, whatever the chunk and line sizes', async () => {
    const texts = ['', '\n', '\n\n', 'a', 'a\n', 'a\n\n', '\na\n', 'abc\ndef', 'é\n'.repeat(5)];
    let seed = 5;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 30; i++) texts.push(Array.from({ length: 1 + Math.floor(next() * 12) }, () => 'x'.repeat(Math.floor(next() * 40))).join('\n') + (next() < 0.5 ? '\n' : ''));
    for (const text of texts) {
      await fs.writeFile(file, text);
      for (const [chunkSize, maxLine] of [[4, 1000], [7, 16], [1 << 20, 1 << 20]] as const) {
        const forward = (await read({ chunkSize, maxLine })).seen;
        const backward: Seen[] = [];
        await forEachLineBackward(file, { chunkSize, maxLine }, (b, start, end, offset, terminated) => {
          backward.push([Buffer.from(b.subarray(start, end)).toString('utf8'), offset, terminated]);
          return true;
        });
        assert.deepEqual(backward.reverse(), forward, `${JSON.stringify(text)} read in chunks of ${chunkSize}, lines up to ${maxLine}`);
      }
    }
  });

  it('stops reading backward when the handler says so', async () => {
    await fs.writeFile(file, 'a\nb\nc\n');
    const seen: number[] = [];
    await forEachLineBackward(file, { chunkSize: 2 }, (_b, _s, _e, offset) => {
      seen.push(offset);
      return seen.length < 2;
    });
    assert.deepEqual(seen, [4, 2]);
  });
});
