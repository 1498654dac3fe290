import { promises as fs } from 'node:fs';
import { throwIfAborted } from '../../core/errors';

/** How much of a file is read at a time: memory stays at this (and one line) whatever the file's size. */
const CHUNK = 1 << 20;
/**
 * The longest line kept whole. The extension never writes one over about 70 KB (strings are cut at
 * 4 KB, metadata at 64 KB); a longer line is handed over cut to its first MAX_LINE bytes, where it
 * is not JSON (so verify reports it as such).
 */
export const MAX_LINE = 8 << 20;

export interface LineStreamOptions {
  /** Byte offset to start at (the start of a line). */
  readonly from?: number;
  /** Stop before this offset (the end of a line); the file's end when absent. */
  readonly to?: number;
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes read so far in this file. */
  readonly onBytes?: (read: number) => void;
  /** Read size and longest whole line (defaults CHUNK and MAX_LINE; tests make them small). */
  readonly chunkSize?: number;
  readonly maxLine?: number;
}

/**
 * One line: `b[start, end)` without its newline, `offset` its position in the file. `terminated`
 * is false for a last line with no newline after it (a torn write, or one still being written).
 * Return false to stop reading.
 */
export type LineHandler = (b: Uint8Array, start: number, end: number, offset: number, terminated: boolean) => boolean;

export interface LineStreamEnd {
  /** The offset after the last byte read. */
  readonly end: number;
  /** False when the handler stopped the reading. */
  readonly complete: boolean;
}

/**
 * Reads a file's lines in chunks, calling `onLine` for each; a missing file has no lines. The next
 * chunk is read while the lines of this one are handled, so the disk and the handler overlap.
 */
export async function forEachLine(file: string, options: LineStreamOptions, onLine: LineHandler): Promise<LineStreamEnd> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { end: options.from ?? 0, complete: true };
    throw e;
  }
  let reading: Promise<unknown> | undefined;
  try {
    const limit = options.to ?? (await handle.stat()).size;
    const maxLine = Math.max(options.maxLine ?? MAX_LINE, 1);
    const chunk = Math.min(options.chunkSize ?? CHUNK, maxLine);
    const from = options.from ?? 0;
    // buffer[0, filled) holds file bytes [base, base + filled): a partial line carried over, then the chunk just read.
    let buffer = Buffer.allocUnsafe(2 * chunk);
    // Handlers get a plain Uint8Array over the same memory: its subarrays are cheaper than a Buffer's.
    let view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    let base = from;
    let filled = 0;
    const ahead = Buffer.allocUnsafe(chunk);
    let readAt = from;
    const readNext = (): Promise<number> => {
      const want = Math.min(chunk, limit - readAt);
      const p = want > 0 ? handle.read(ahead, 0, want, readAt).then((r) => r.bytesRead) : Promise.resolve(0);
      reading = p;
      return p;
    };
    let next = readNext();
    /** An over-long line being skipped: its first maxLine bytes and where it starts. */
    let overlong: { head: Uint8Array; offset: number } | undefined;
    for (;;) {
      throwIfAborted(options.signal);
      const n = await next;
      if (filled + n > buffer.length) {
        const bigger = Buffer.allocUnsafe(Math.max(filled + n, buffer.length * 2));
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
        view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
      }
      ahead.copy(buffer, filled, 0, n);
      filled += n;
      readAt += n;
      next = readNext();
      options.onBytes?.(readAt - from);
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf(10, start);
        if (nl === -1 || nl >= filled) break;
        if (overlong) {
          const { head, offset } = overlong;
          overlong = undefined;
          if (!onLine(head, 0, head.length, offset, true)) return { end: offset, complete: false };
        } else if (!onLine(view, start, Math.min(nl, start + maxLine), base + start, true)) return { end: base + start, complete: false };
        start = nl + 1;
      }
      if (n === 0) {
        if (overlong) {
          if (!onLine(overlong.head, 0, overlong.head.length, overlong.offset, false)) return { end: overlong.offset, complete: false };
        } else if (start < filled && !onLine(view, start, Math.min(filled, start + maxLine), base + start, false)) return { end: base + start, complete: false };
        return { end: base + filled, complete: true };
      }
      if (overlong) {
        // Still inside the over-long line: what was read of it goes.
        base += filled;
        filled = 0;
        continue;
      }
      // Carry the partial line to the front; past maxLine it is kept as a head and the rest skipped.
      buffer.copy(buffer, 0, start, filled);
      base += start;
      filled -= start;
      if (filled > maxLine) {
        overlong = { head: Uint8Array.prototype.slice.call(view, 0, maxLine), offset: base };
        base += filled;
        filled = 0;
      }
    }
  } finally {
    // A read still in flight must finish before the handle closes.
    await reading?.catch(() => undefined);
    await handle.close();
  }
}

export interface BackwardLineOptions {
  /** Read the lines that end at or before this offset; the file's end when absent. */
  readonly to?: number;
  readonly signal?: AbortSignal;
  readonly chunkSize?: number;
  readonly maxLine?: number;
}

/**
 * Reads a file's lines from its end back to its start (the newest event first), in chunks, so
 * finding the last event of a large file reads only its tail. The handler gets each line as
 * `forEachLine` gives them: a last line without newline has `terminated` false, a newline at the
 * very end ends the last line (it is not an empty line of its own), and a line longer than
 * `maxLine` is cut to its first `maxLine` bytes.
 */
export async function forEachLineBackward(file: string, options: BackwardLineOptions, onLine: LineHandler): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    const maxLine = Math.max(options.maxLine ?? MAX_LINE, 1);
    const chunk = Math.min(options.chunkSize ?? CHUNK, maxLine);
    const size = options.to ?? (await handle.stat()).size;
    if (size === 0) return;
    const lastByte = Buffer.alloc(1);
    await handle.read(lastByte, 0, 1, size - 1);
    let terminated = lastByte[0] === 10;
    let buffer = Buffer.allocUnsafe(2 * chunk);
    let view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    // buffer[from, to) holds file bytes [pos, pos + to - from): the start (at most maxLine bytes)
    // of what is read of the line being gathered, which ends where the last handed-over line began.
    let from = buffer.length;
    let to = buffer.length;
    let pos = terminated ? size - 1 : size;
    for (;;) {
      throwIfAborted(options.signal);
      let k = to - 1;
      while (k >= from && buffer[k] !== 10) k--;
      if (k >= from) {
        if (!onLine(view, k + 1, Math.min(to, k + 1 + maxLine), pos + (k + 1 - from), terminated)) return;
        terminated = true;
        to = k;
        continue;
      }
      if (pos === 0) {
        onLine(view, from, Math.min(to, from + maxLine), 0, terminated);
        return;
      }
      const n = Math.min(chunk, pos);
      if (from < n) {
        // Room for one more chunk before what is kept; an over-long line keeps only its start.
        const keep = Math.min(to - from, maxLine);
        const target = buffer.length >= keep + n ? buffer : Buffer.allocUnsafe(keep + n);
        buffer.copy(target, target.length - keep, from, from + keep);
        buffer = target;
        view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
        from = buffer.length - keep;
        to = buffer.length;
      }
      const { bytesRead } = await handle.read(buffer, from - n, n, pos - n);
      if (bytesRead !== n) throw new Error(`${file} became shorter while it was read.`);
      from -= n;
      pos -= n;
    }
  } finally {
    await handle.close();
  }
}
