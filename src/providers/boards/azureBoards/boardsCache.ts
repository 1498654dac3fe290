import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type CachedList, type WorkItemFilter } from '../../../core/boards/workTracker';
import { type Logger } from '../../../core/host';
import { type WorkItem, WorkItemSchema } from '../../../core/workItem';

const FilterSchema = z.enum(['assignedToMe', 'currentIteration', 'allOpen']);
const FILTERS = FilterSchema.options;

/** Work items are kept on disk in files of this many consecutive ids: a change rewrites one of them. */
export const CHUNK_IDS = 1000;

const MetaSchema = z.object({
  version: z.literal(2),
  /** Which organization/project/team this cache belongs to. */
  key: z.string(),
  /** The watermark for the next changed-since query: the service's time of the last sync. */
  syncedAt: z.string().optional(),
  /** Local time of the last successful sync, for the time-to-live. */
  fetchedAt: z.number().optional(),
  /** The team's current iteration path, to keep the currentIteration filter up to date locally. */
  currentIterationPath: z.string().optional(),
  /** The item files written (chunk numbers: id / CHUNK_IDS). */
  chunks: z.array(z.number().int().nonnegative()),
  /** The filters whose id lists were written. */
  lists: z.array(FilterSchema),
});
const ChunkSchema = z.object({ key: z.string(), items: z.array(WorkItemSchema) });
/** Positive integer ids, checked in one loop: a list holds up to hundreds of thousands, and zod's per-element checks cost ~10x more on a window's start. */
const IdsSchema = z.custom<number[]>((value) => Array.isArray(value) && value.every((id) => Number.isSafeInteger(id) && (id as number) > 0), 'a list of positive integer ids');
const ListSchema = z.object({ key: z.string(), ids: IdsSchema });

const chunkOf = (id: number): number => Math.floor(id / CHUNK_IDS);

/**
 * Saves still being written, by cache folder: a whole list's read hands its rows over before its
 * files are written, and a cache opened meanwhile in this process (a new tracker after a settings
 * change) reads the folder only once they are.
 */
const writing = new Map<string, Promise<void>>();

/** Settles when every cache save under way in this process is written (a test's or a shutdown's wait). */
export async function cacheWritesSettled(): Promise<void> {
  while (writing.size > 0) await Promise.all(writing.values());
}

function sameIds(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The cached items by id; remembers which id ranges changed since the last save. */
export class CachedItems extends Map<number, WorkItem> {
  readonly dirty = new Set<number>();

  override set(id: number, item: WorkItem): this {
    this.dirty.add(chunkOf(id));
    return super.set(id, item);
  }

  override delete(id: number): boolean {
    const had = super.delete(id);
    if (had) this.dirty.add(chunkOf(id));
    return had;
  }

  override clear(): void {
    for (const id of this.keys()) this.dirty.add(chunkOf(id));
    super.clear();
  }

  /** Adds an item read from disk (nothing to write back). */
  restore(item: WorkItem): void {
    super.set(item.id, item);
  }
}

/**
 * The Azure Boards cache: items by id and the ids each filter matched, in memory and on disk under
 * `<storageDir>/azure-boards/<hash>/`: `meta.json` (watermark, times), `list-<filter>.json` (the
 * ids of each list) and `items-<n>.json` (the items with ids n×1000 … n×1000+999). A save writes
 * only the files whose content changed, each to a temporary name and renamed, the meta file last:
 * a refresh that changed nothing writes the small meta file, and a 200,000-item project is never
 * rewritten whole. A file that does not parse or belongs to another project is ignored (its items
 * or list are fetched again); so is a cache written by an earlier version (one file), which is
 * removed.
 */
export class BoardsCache {
  readonly items = new CachedItems();
  readonly queries = new Map<WorkItemFilter, number[]>();
  syncedAt: string | undefined;
  fetchedAt: number | undefined;
  currentIterationPath: string | undefined;
  private readonly dir: string;
  private readonly legacyFile: string;
  /** What each list file holds now (a copy), so an unchanged list is not written again: compared id by id, not turned into text on every save. */
  private readonly writtenLists = new Map<WorkItemFilter, readonly number[]>();
  /** The folder exists (made once, not on every save: a whole list's read saves once per id range). */
  private dirMade = false;
  private writtenChunks = new Set<number>();
  private writtenMeta: string | undefined;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    storageDir: string,
    private readonly key: string,
    private readonly log: Logger,
  ) {
    const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
    this.dir = path.join(storageDir, 'azure-boards', id);
    this.legacyFile = `${this.dir}.json`;
  }

  /** The folder holding this project's cache files. */
  get path(): string {
    return this.dir;
  }

  /**
   * What the cache files hold for `filter`, read without the tracker or the service (the Azure
   * Boards tree's first rows while the connection is still being made): the meta file, the list's
   * ids and, for a list of at most `maxItems`, only the item files its ids fall in. Undefined when
   * that list was never cached for this key.
   */
  static async peek(storageDir: string, key: string, log: Logger, filter: WorkItemFilter, options: { maxItems: number; ttlSeconds: number; now: Date }): Promise<CachedList | undefined> {
    const cache = new BoardsCache(storageDir, key, log);
    await writing.get(cache.dir);
    const meta = await cache.readJson('meta.json', MetaSchema);
    if (!meta?.lists.includes(filter)) return undefined;
    const list = await cache.readJson(`list-${filter}.json`, ListSchema);
    if (!list) return undefined;
    const fetchedAt = meta.fetchedAt;
    const stale = fetchedAt === undefined || options.now.getTime() - fetchedAt > options.ttlSeconds * 1000;
    const head = { ids: list.ids, syncedAt: fetchedAt === undefined ? undefined : new Date(fetchedAt).toISOString(), stale };
    if (list.ids.length > options.maxItems) return head;
    const wanted = [...new Set(list.ids.map(chunkOf))].filter((n) => meta.chunks.includes(n));
    const byId = new Map<number, WorkItem>();
    for (const chunk of await Promise.all(wanted.map((n) => cache.readJson(`items-${n}.json`, ChunkSchema)))) for (const item of chunk?.items ?? []) byId.set(item.id, item);
    const items = list.ids.map((id) => byId.get(id));
    return items.every((i): i is WorkItem => i !== undefined) ? { ...head, items } : head;
  }

  async load(): Promise<void> {
    // The single-file cache of earlier versions (it could be hundreds of MB): read no more, removed.
    await rm(this.legacyFile, { force: true }).catch(() => undefined);
    await writing.get(this.dir);
    const meta = await this.readJson('meta.json', MetaSchema);
    if (!meta) return;
    this.clear();
    const [lists, chunks] = await Promise.all([
      Promise.all(meta.lists.map(async (filter) => [filter, await this.readJson(`list-${filter}.json`, ListSchema)] as const)),
      Promise.all(meta.chunks.map(async (n) => [n, await this.readJson(`items-${n}.json`, ChunkSchema)] as const)),
    ]);
    for (const [filter, list] of lists) {
      if (!list) continue;
      this.queries.set(filter, list.ids);
      this.writtenLists.set(filter, [...list.ids]);
    }
    for (const [n, chunk] of chunks) {
      if (!chunk) continue;
      this.writtenChunks.add(n);
      for (const item of chunk.items) if (chunkOf(item.id) === n) this.items.restore(item);
    }
    this.syncedAt = meta.syncedAt;
    this.fetchedAt = meta.fetchedAt;
    this.currentIterationPath = meta.currentIterationPath;
  }

  private async readJson<T extends { key: string }>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(path.join(this.dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not read the Azure Boards cache (${name}): ${String(error)}`);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      this.log.warn(`The Azure Boards cache file ${name} was unreadable; what it held will be fetched again.`);
      return undefined;
    }
    return parsed.data.key === this.key ? parsed.data : undefined;
  }

  clear(): void {
    this.items.clear();
    this.queries.clear();
    this.syncedAt = undefined;
    this.fetchedAt = undefined;
  }

  /**
   * For a load of many items in batches (a whole list read): call the answer with each batch as it
   * arrives (the ids asked and the items read). An id range's items are put in the cache as soon as
   * every id of that range asked for has been answered, never a part of a range; the load's save
   * writes them once the read is over or cut short (off the read's way: its rows are handed over
   * first), so a read cut short keeps the ranges it completed. Items of a range not asked for go in
   * at once.
   */
  collector(ids: readonly number[]): (asked: readonly number[], items: readonly WorkItem[]) => void {
    const pending = new Map<number, number>();
    for (const id of ids) pending.set(chunkOf(id), (pending.get(chunkOf(id)) ?? 0) + 1);
    const held = new Map<number, WorkItem[]>();
    return (asked, items) => {
      for (const item of items) {
        const n = chunkOf(item.id);
        if (!pending.has(n)) this.items.set(item.id, item);
        else if (held.has(n)) held.get(n)!.push(item);
        else held.set(n, [item]);
      }
      for (const id of asked) {
        const n = chunkOf(id);
        const left = (pending.get(n) ?? 0) - 1;
        if (left > 0) {
          pending.set(n, left);
          continue;
        }
        if (!pending.delete(n)) continue;
        for (const item of held.get(n) ?? []) this.items.set(item.id, item);
        held.delete(n);
      }
    };
  }

  /**
   * Writes what changed since the last save: the item files of the id ranges that changed, the
   * lists that changed, then the meta file. Saves are serialized so the last state wins; a file
   * that could not be written is tried again by the next save, and the meta file (the watermark)
   * is not moved on past items that are not on disk.
   */
  save(): Promise<void> {
    // Each dirty range's items as they are now (items are replaced, never changed in place), turned
    // into text one file at a time as it is written: a whole list's JSON is never held at once.
    const chunks = new Map<number, WorkItem[]>();
    for (const n of this.items.dirty) {
      // A range is at most CHUNK_IDS ids: looked up one by one, not found by walking every cached item.
      const items: WorkItem[] = [];
      for (let id = Math.max(1, n * CHUNK_IDS); id < (n + 1) * CHUNK_IDS; id++) {
        const item = this.items.get(id);
        if (item) items.push(item);
      }
      chunks.set(n, items);
    }
    this.items.dirty.clear();
    const lists = new Map<WorkItemFilter, readonly number[]>();
    for (const [filter, ids] of this.queries) {
      // Lists change in place (a refresh splices ids in and out): what is written is a copy.
      if (!sameIds(this.writtenLists.get(filter), ids)) lists.set(filter, [...ids]);
    }
    const gone = FILTERS.filter((f) => this.writtenLists.has(f) && !this.queries.has(f));
    const snapshot = { syncedAt: this.syncedAt, fetchedAt: this.fetchedAt, currentIterationPath: this.currentIterationPath, filters: [...this.queries.keys()] };
    const saving = this.saving.then(() => this.write(chunks, lists, gone, snapshot)).catch((error: unknown) => this.log.warn(`Could not save the Azure Boards cache: ${String(error)}`));
    this.saving = saving;
    writing.set(this.dir, saving);
    void saving.then(() => {
      if (writing.get(this.dir) === saving) writing.delete(this.dir);
    });
    return saving;
  }

  /** Settles when every save asked for so far is written (or has failed and been logged). */
  get settled(): Promise<void> {
    return this.saving;
  }

  private async write(
    chunks: ReadonlyMap<number, readonly WorkItem[]>,
    lists: ReadonlyMap<WorkItemFilter, readonly number[]>,
    gone: readonly WorkItemFilter[],
    state: { syncedAt: string | undefined; fetchedAt: number | undefined; currentIterationPath: string | undefined; filters: WorkItemFilter[] },
  ): Promise<void> {
    let failed = false;
    const attempt = async (what: string, write: () => Promise<void>, onFail: () => void): Promise<void> => {
      try {
        await write();
      } catch (error) {
        failed = true;
        // The folder may be gone (removed by hand): made again by the next save.
        this.dirMade = false;
        onFail();
        this.log.warn(`Could not save the Azure Boards cache (${what}): ${String(error)}`);
      }
    };
    try {
      if (!this.dirMade) await mkdir(this.dir, { recursive: true });
      this.dirMade = true;
    } catch (error) {
      for (const n of chunks.keys()) this.items.dirty.add(n);
      this.log.warn(`Could not save the Azure Boards cache: ${String(error)}`);
      return;
    }
    for (const [n, items] of chunks) {
      await attempt(
        `items ${n * CHUNK_IDS}-${n * CHUNK_IDS + CHUNK_IDS - 1}`,
        async () => {
          if (items.length === 0) {
            await rm(path.join(this.dir, `items-${n}.json`), { force: true });
            this.writtenChunks.delete(n);
          } else {
            await this.writeFileAtomic(`items-${n}.json`, JSON.stringify({ key: this.key, items }));
            this.writtenChunks.add(n);
          }
        },
        () => this.items.dirty.add(n),
      );
    }
    for (const [filter, ids] of lists) {
      await attempt(
        `the ${filter} list`,
        async () => {
          await this.writeFileAtomic(`list-${filter}.json`, `{"key":${JSON.stringify(this.key)},"ids":[${ids.join(',')}]}`);
          this.writtenLists.set(filter, ids);
        },
        () => this.writtenLists.delete(filter),
      );
    }
    for (const filter of gone) {
      await rm(path.join(this.dir, `list-${filter}.json`), { force: true }).catch(() => undefined);
      this.writtenLists.delete(filter);
    }
    // The watermark moves on only when every item it covers is on disk: otherwise the next session
    // asks for those changes again.
    if (failed) return;
    const meta = JSON.stringify({
      version: 2,
      key: this.key,
      ...(state.syncedAt !== undefined ? { syncedAt: state.syncedAt } : {}),
      ...(state.fetchedAt !== undefined ? { fetchedAt: state.fetchedAt } : {}),
      ...(state.currentIterationPath !== undefined ? { currentIterationPath: state.currentIterationPath } : {}),
      chunks: [...this.writtenChunks].sort((a, b) => a - b),
      lists: state.filters.filter((f) => this.writtenLists.has(f)),
    } satisfies z.infer<typeof MetaSchema>);
    if (meta === this.writtenMeta) return;
    await attempt('meta', async () => {
      await this.writeFileAtomic('meta.json', meta);
      this.writtenMeta = meta;
    }, () => undefined);
  }

  private async writeFileAtomic(name: string, text: string): Promise<void> {
    const file = path.join(this.dir, name);
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, text, 'utf8');
    await rename(temp, file).catch(async (error: unknown) => {
      await rm(temp, { force: true });
      throw error;
    });
  }
}
