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

/** Reads a file's lines in chunks, calling `onLine` for each; a missing file has no lines. */
export async function forEachLine(file: string, options: LineStreamOptions, onLine: LineHandler): Promise<LineStreamEnd> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { end: options.from ?? 0, complete: true };
    throw e;
  }
  try {
    const limit = options.to ?? (await handle.stat()).size;
    const maxLine = Math.max(options.maxLine ?? MAX_LINE, 1);
    const chunk = Math.min(options.chunkSize ?? CHUNK, maxLine);
    let buffer = Buffer.allocUnsafe(chunk);
    // Handlers get a plain Uint8Array over the same memory: its subarrays are cheaper than a Buffer's.
    let view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    /** File offset of buffer[0]. */
    let base = options.from ?? 0;
    /** Bytes of buffer holding data (a partial line carried over, then what was read). */
    let filled = 0;
    const read = async (into: Buffer, at: number, position: number): Promise<number> => {
      const want = Math.min(into.length - at, limit - position);
      return want > 0 ? (await handle.read(into, at, want, position)).bytesRead : 0;
    };
    for (;;) {
      throwIfAborted(options.signal);
      if (filled === buffer.length && buffer.length < maxLine) {
        // A line longer than the buffer: grow, up to maxLine.
        const bigger = Buffer.allocUnsafe(Math.min(maxLine, buffer.length * 2));
        buffer.copy(bigger, 0, 0, filled);
        buffer = bigger;
        view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
      } else if (filled === buffer.length) {
        // Longer than maxLine: keep its first maxLine bytes, find its end with a small read buffer, hand it over cut.
        const skip = Buffer.allocUnsafe(chunk);
        let at = base + filled;
        for (;;) {
          throwIfAborted(options.signal);
          const n = await read(skip, 0, at);
          const nl = skip.indexOf(10);
          if (n === 0 || (nl !== -1 && nl < n)) {
            const ended = n > 0;
            if (!onLine(view, 0, filled, base, ended)) return { end: base, complete: false };
            if (!ended) return { end: at, complete: true };
            skip.copy(buffer, 0, nl + 1, n);
            base = at + nl + 1;
            filled = n - nl - 1;
            break;
          }
          at += n;
        }
      }
      const bytesRead = await read(buffer, filled, base + filled);
      filled += bytesRead;
      options.onBytes?.(base + filled - (options.from ?? 0));
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf(10, start);
        if (nl === -1 || nl >= filled) break;
        if (!onLine(view, start, nl, base + start, true)) return { end: base + start, complete: false };
        start = nl + 1;
      }
      if (bytesRead === 0 && filled < buffer.length) {
        if (start < filled && !onLine(view, start, filled, base + start, false)) return { end: base + start, complete: false };
        return { end: base + filled, complete: true };
      }
      // Carry the partial line to the front for the next read.
      buffer.copy(buffer, 0, start, filled);
      base += start;
      filled -= start;
    }
  } finally {
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
