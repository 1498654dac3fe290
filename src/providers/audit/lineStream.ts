import { promises as fs } from 'node:fs';
import { throwIfAborted } from '../../core/errors';

/** How much of a file is read at a time: memory stays at this (and one line) whatever the file's size. */
const CHUNK = 1 << 20;
/**
 * The longest line kept whole. The extension never writes one over about 70 KB (strings are cut at
 * 4 KB, metadata at 64 KB); a longer line is handed over cut to this length, where it is not JSON.
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
    let buffer = Buffer.allocUnsafe(Math.min(options.chunkSize ?? CHUNK, maxLine));
    // Handlers get a plain Uint8Array over the same memory: its subarrays are cheaper than a Buffer's.
    let view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    /** File offset of buffer[0]. */
    let base = options.from ?? 0;
    /** Bytes of buffer holding data (a partial line carried over, then what was read). */
    let filled = 0;
    /** The rest of an over-long line (its head was handed over) is being skipped. */
    let skipping = false;
    for (;;) {
      throwIfAborted(options.signal);
      if (filled === buffer.length) {
        // A line longer than the buffer: grow up to maxLine, then hand its first maxLine bytes over and skip the rest.
        if (buffer.length < maxLine) {
          const bigger = Buffer.allocUnsafe(Math.min(maxLine, buffer.length * 2));
          buffer.copy(bigger, 0, 0, filled);
          buffer = bigger;
          view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
        } else {
          if (!skipping && !onLine(view, 0, filled, base, true)) return { end: base, complete: false };
          skipping = true;
          base += filled;
          filled = 0;
        }
      }
      const want = Math.min(buffer.length - filled, limit - (base + filled));
      const { bytesRead } = want > 0 ? await handle.read(buffer, filled, want, base + filled) : { bytesRead: 0 };
      const atEnd = bytesRead === 0;
      filled += bytesRead;
      options.onBytes?.(base + filled - (options.from ?? 0));
      let start = 0;
      for (;;) {
        const nl = buffer.indexOf(10, start);
        if (nl === -1 || nl >= filled) break;
        if (skipping) skipping = false;
        else if (!onLine(view, start, nl, base + start, true)) return { end: base + start, complete: false };
        start = nl + 1;
      }
      if (atEnd) {
        if (start < filled && !skipping && !onLine(view, start, filled, base + start, false)) return { end: base + start, complete: false };
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
