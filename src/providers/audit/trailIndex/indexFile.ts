import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type EventColumns } from './eventColumns';

/** One trail file as the index last saw it. */
export const IndexedFileSchema = z
  .object({
    name: z.string(),
    /** Bytes indexed: up to the end of the last complete line. */
    size: z.number().int().nonnegative(),
    /** The file's size, modification time and inode when it was indexed: any change is looked into. */
    diskSize: z.number().int().nonnegative(),
    mtimeMs: z.number(),
    ino: z.number(),
    /** Lines indexed (events and lines that are not events). */
    lines: z.number().int().nonnegative(),
    /** Row of its first event, and how many strings of each table existed before it. */
    firstEvent: z.number().int().nonnegative(),
    groupsBefore: z.number().int().nonnegative(),
    servicesBefore: z.number().int().nonnegative(),
    typesBefore: z.number().int().nonnegative(),
    /** SHA-256 of its first and of its last (up to `size`) 4 KB: appended-to or rewritten? */
    head: z.string(),
    tail: z.string(),
  })
  .strict();
export type IndexedFile = z.infer<typeof IndexedFileSchema>;

const HeaderSchema = z
  .object({
    version: z.literal(1),
    events: z.number().int().nonnegative(),
    files: z.array(IndexedFileSchema),
    groups: z.array(z.string()),
    services: z.array(z.string()),
    types: z.array(z.string()),
  })
  .strict();
export type IndexHeader = z.infer<typeof HeaderSchema>;

const MAGIC = Buffer.from('ai-devops audit index\n');

/**
 * The index on disk, so a window opens a large trail without reading it again: a JSON header
 * (files as indexed, string tables) and the event columns as raw little-endian arrays. Written to
 * a new file and renamed over the old one; anything that does not read back exactly is ignored
 * (the index is then built again from the trail, which is the truth).
 */
export async function saveIndex(file: string, header: IndexHeader, columns: EventColumns): Promise<void> {
  const head = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  const parts: Uint8Array[] = [MAGIC, length, head];
  for (const column of columns.saved()) parts.push(new Uint8Array(column.buffer, column.byteOffset, header.events * column.BYTES_PER_ELEMENT));
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writev(parts);
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
}

/** The saved header and column bytes, or undefined when there is none or it is not whole. */
export async function loadIndex(file: string, columns: EventColumns): Promise<IndexHeader | undefined> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch {
    return undefined;
  }
  if (data.length < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headLength = data.readUInt32LE(MAGIC.length);
  let header: IndexHeader;
  try {
    header = HeaderSchema.parse(JSON.parse(data.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headLength)));
  } catch {
    return undefined;
  }
  const n = header.events;
  let at = MAGIC.length + 4 + headLength;
  const widths = columns.saved().map((c) => c.BYTES_PER_ELEMENT);
  if (data.length !== at + n * widths.reduce((a, b) => a + b, 0)) return undefined;
  columns.grow(n + 1024);
  for (const column of columns.saved()) {
    const bytes = n * column.BYTES_PER_ELEMENT;
    new Uint8Array(column.buffer, column.byteOffset, bytes).set(data.subarray(at, at + bytes));
    at += bytes;
  }
  columns.length = n;
  return header;
}
