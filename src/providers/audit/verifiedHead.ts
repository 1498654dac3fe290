import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HASH_HEX, hashEvent, parseTrailLine } from '../../core/audit';
import { parseAuditFileName } from './auditLayout';
import { forEachLineBackward } from './lineStream';
import { type TrailPosition } from './trailVerify';

/**
 * Where the extension keeps what it knows about a workspace's trail (the verified head, the
 * index): under its own storage, never in the workspace. A head read from the workspace would let
 * a cloned repository claim "verified up to here" and hide damage before it.
 */
export function auditStateDir(storageDir: string, workspaceRoot: string): string {
  const key = createHash('sha256').update(path.resolve(workspaceRoot)).digest('hex').slice(0, 16);
  return path.join(storageDir, 'audit', key);
}

const HeadSchema = z
  .object({
    version: z.literal(1),
    file: z.string().refine((n) => parseAuditFileName(n) !== undefined, 'not a trail file name'),
    offset: z.number().int().positive(),
    line: z.number().int().positive(),
    seq: z.number().int().nonnegative(),
    hash: z.string().regex(HASH_HEX),
    count: z.number().int().positive(),
    verifiedAt: z.iso.datetime(),
  })
  .strict();

export type LoadedHead = { readonly head: TrailPosition; readonly verifiedAt: string } | { readonly head?: undefined; readonly why?: string };

/**
 * The verified head of one workspace's trail: the last event a verify found intact, with where it
 * ends, so the next verify checks only what came after. Saved by writing a new file and renaming
 * it over the old one, so a crash leaves the old head or the new one, never half of one.
 */
export class VerifiedHeadStore {
  constructor(private readonly file: string) {}

  async load(): Promise<LoadedHead> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { why: 'the remembered position could not be read' };
    }
    const r = HeadSchema.safeParse(value);
    if (!r.success) return { why: 'the remembered position could not be read' };
    const { version: _v, verifiedAt, ...head } = r.data;
    return { head, verifiedAt };
  }

  async save(head: TrailPosition, at: Date): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomUUID()}.tmp`;
    await fs.writeFile(temp, JSON.stringify({ version: 1, ...head, verifiedAt: at.toISOString() }));
    await fs.rename(temp, this.file);
  }

  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}

/**
 * Whether the remembered head is still where it was: its file is in the trail, and the line that
 * ends just before its offset is that event (same seq, same hash, content that still hashes to it). A trail replaced behind our back
 * (a checkout, a restore, a truncation, a lost write) fails this and gets a full verify.
 */
export async function headStillThere(dir: string, head: TrailPosition): Promise<string | undefined> {
  const file = path.join(dir, head.file);
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch {
    return `${head.file} is no longer in the trail`;
  }
  if (size < head.offset) return `${head.file} is shorter than when it was last verified`;
  let found: string | undefined;
  await forEachLineBackward(file, { to: head.offset }, (b, start, end, _offset, terminated) => {
    const p = parseTrailLine(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
    // Its content too: an edit that kept the hash field is not the event that was verified.
    const same = terminated && p.kind === 'event' && p.event.seq === head.seq && p.event.hash === head.hash && hashEvent(p.event) === head.hash;
    found = same ? 'same' : 'other';
    return false;
  });
  return found === 'same' ? undefined : `the event last verified (seq ${head.seq}) is no longer at the end of line ${head.line} of ${head.file}`;
}
