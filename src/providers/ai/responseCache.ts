import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import stableStringify from 'fast-json-stable-stringify';
import { z } from 'zod';
import { type ChatChunk } from '../../core/ai/messages';

const UsageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number() });
const ChunkSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('toolCall'), call: z.object({ id: z.string(), name: z.string(), arguments: z.record(z.string(), z.unknown()) }) }),
  z.object({ type: z.literal('usage'), usage: UsageSchema }),
  z.object({ type: z.literal('finish'), reason: z.enum(['stop', 'length', 'toolCalls']) }),
]);
const EntrySchema = z.object({ version: z.literal(1), createdAt: z.number(), chunks: z.array(ChunkSchema) });
type Entry = z.infer<typeof EntrySchema>;

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly memoryEntries: number;
}

/** Everything that makes two requests the same request. Secrets never get here: keys are not part of it. */
export interface CacheKeyParts {
  readonly provider: string;
  readonly endpoint: string;
  readonly model: string;
  readonly messages: unknown;
  readonly options: unknown;
}

export const cacheKey = (parts: CacheKeyParts): string =>
  createHash('sha256').update(stableStringify({ v: 1, ...parts })).digest('hex');

const MEMORY_LIMIT = 500;

/**
 * Model replies reused for the same provider, endpoint, model, messages and options: in memory, and
 * on disk under the extension's storage so they survive a restart. Entries older than the
 * time-to-live (read at lookup, so lowering the setting takes effect at once) are misses.
 */
export class ResponseCache {
  private readonly memory = new Map<string, Entry>();
  private hitCount = 0;
  private missCount = 0;
  private pruned = false;

  constructor(
    /** Undefined: memory only. */
    private readonly dir: string | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  stats(): CacheStats {
    return { hits: this.hitCount, misses: this.missCount, memoryEntries: this.memory.size };
  }

  async get(key: string, ttlSeconds: number): Promise<readonly ChatChunk[] | undefined> {
    const fresh = (e: Entry | undefined): e is Entry => e !== undefined && this.now() - e.createdAt < ttlSeconds * 1000;
    let entry = this.memory.get(key);
    if (!fresh(entry)) {
      entry = await this.readDisk(key, ttlSeconds);
      if (entry && fresh(entry)) this.remember(key, entry);
    }
    if (!fresh(entry)) {
      this.missCount++;
      return undefined;
    }
    this.hitCount++;
    return entry.chunks;
  }

  async set(key: string, chunks: readonly ChatChunk[]): Promise<void> {
    const entry: Entry = { version: 1, createdAt: this.now(), chunks: [...chunks] as Entry['chunks'] };
    this.remember(key, entry);
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${key}.json`);
    const temp = `${file}.${randomUUID()}.tmp`;
    // Write then rename, so a crash never leaves half an entry that later reads as a reply.
    await writeFile(temp, JSON.stringify(entry), 'utf8');
    await rename(temp, file);
  }

  async clear(): Promise<void> {
    this.memory.clear();
    this.hitCount = 0;
    this.missCount = 0;
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private remember(key: string, entry: Entry): void {
    this.memory.delete(key);
    this.memory.set(key, entry);
    if (this.memory.size > MEMORY_LIMIT) this.memory.delete(this.memory.keys().next().value as string);
  }

  private async readDisk(key: string, ttlSeconds: number): Promise<Entry | undefined> {
    if (!this.dir) return undefined;
    if (!this.pruned) {
      this.pruned = true;
      await this.pruneExpired(ttlSeconds);
    }
    try {
      const parsed = EntrySchema.safeParse(JSON.parse(await readFile(path.join(this.dir, `${key}.json`), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Missing, unreadable or not JSON: a miss, and the next answer overwrites it.
      return undefined;
    }
  }

  /** Deletes entries that can never be hits again, once a session. */
  private async pruneExpired(ttlSeconds: number): Promise<void> {
    if (!this.dir) return;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const limit = this.now() - ttlSeconds * 1000;
    await Promise.all(
      names.map(async (name) => {
        const file = path.join(this.dir!, name);
        const info = await stat(file).catch(() => undefined);
        if (info && info.mtimeMs < limit) await rm(file, { force: true });
      }),
    );
  }
}
