import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Column, type Columns } from './eventColumns';

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

const KINDS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array } as const;
type Kind = keyof typeof KINDS;
const kindOf = (c: Column): Kind => (c instanceof Uint8Array ? 'u8' : c instanceof Uint16Array ? 'u16' : c instanceof Uint32Array ? 'u32' : c instanceof Int32Array ? 'i32' : 'f64');

const HeaderSchema = z
  .object({
    version: z.literal(2),
    events: z.number().int().nonnegative(),
    groups: z.number().int().nonnegative(),
    newestGroup: z.number().int(),
    services: z.number().int().nonnegative(),
    types: z.number().int().nonnegative(),
    files: z.array(IndexedFileSchema),
    /** The arrays that follow the header, in order: name, kind and length. */
    arrays: z.array(z.object({ name: z.string(), kind: z.enum(['u8', 'u16', 'u32', 'i32', 'f64']), length: z.number().int().nonnegative() }).strict()),
  })
  .strict();
export type IndexHeader = Omit<z.infer<typeof HeaderSchema>, 'arrays'>;

const MAGIC = Buffer.from('ai-devops audit index\n');
const pad = (n: number): number => (8 - (n % 8)) % 8;

/**
 * The index on disk, so a window opens a large trail without reading it again or rebuilding its
 * tables: a JSON header (files as indexed, counts) and the index's typed arrays as raw bytes
 * (little-endian, as every machine VS Code runs on). Written to a new file and renamed over the old
 * one; anything that does not read back exactly is ignored (the index is then built again from
 * the trail, which is the truth).
 */
export async function saveIndex(file: string, header: IndexHeader, arrays: Columns): Promise<void> {
  const entries = Object.entries(arrays);
  const json = JSON.stringify({ ...header, arrays: entries.map(([name, c]) => ({ name, kind: kindOf(c), length: c.length })) });
  // Every array starts 8-byte aligned, so loading can look at the file's bytes as typed arrays without copying them.
  const head = Buffer.from(json.padEnd(json.length + pad(MAGIC.length + 4 + json.length), ' '));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  const parts: Uint8Array[] = [MAGIC, length, head];
  for (const [, c] of entries) parts.push(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), Buffer.alloc(pad(c.byteLength)));
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

/** The saved header and arrays, or undefined when there is none or it is not whole. */
export async function loadIndex(file: string): Promise<{ header: IndexHeader; arrays: Columns } | undefined> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch {
    return undefined;
  }
  if (data.length < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const headLength = data.readUInt32LE(MAGIC.length);
  let parsed: z.infer<typeof HeaderSchema>;
  try {
    parsed = HeaderSchema.parse(JSON.parse(data.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headLength)));
  } catch {
    return undefined;
  }
  let at = MAGIC.length + 4 + headLength;
  const arrays: Columns = {};
  for (const { name, kind, length } of parsed.arrays) {
    const Type = KINDS[kind as Kind];
    const bytes = length * Type.BYTES_PER_ELEMENT;
    if (at % 8 !== 0 || at + bytes > data.length) return undefined;
    // A view of the file's bytes where they are aligned (readFile's buffer normally starts at 0), else a copy.
    const aligned = (data.byteOffset + at) % Type.BYTES_PER_ELEMENT === 0;
    // readFile's buffer is never shared memory; the cast only tells TypeScript so.
    const memory = data.buffer as ArrayBuffer;
    arrays[name] = aligned ? new Type(memory, data.byteOffset + at, length) : new Type(new Uint8Array(data.subarray(at, at + bytes)).buffer);
    at += bytes + pad(bytes);
  }
  if (at !== data.length) return undefined;
  const { arrays: _arrays, ...header } = parsed;
  return { header, arrays };
}
