import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type WorkItemFilter } from '../../../core/boards/workTracker';
import { type Logger } from '../../../core/host';
import { type WorkItem, WorkItemSchema } from '../../../core/workItem';

const FilterSchema = z.enum(['assignedToMe', 'currentIteration', 'allOpen']);

const CacheDocumentSchema = z.object({
  version: z.literal(1),
  /** Which organization/project/team this cache belongs to. */
  key: z.string(),
  /** The watermark for the next changed-since query: the latest System.ChangedDate seen. */
  syncedAt: z.string().optional(),
  /** Local time of the last successful sync, for the time-to-live. */
  fetchedAt: z.number().optional(),
  items: z.array(WorkItemSchema),
  /** Ids per filter, in the service's order, for the filters queried so far. */
  queries: z.partialRecord(FilterSchema, z.array(z.number().int().positive())),
  /** The team's current iteration path, to keep the currentIteration filter up to date locally. */
  currentIterationPath: z.string().optional(),
});
export type CacheDocument = z.infer<typeof CacheDocumentSchema>;

/**
 * The Azure Boards cache: items by id and the ids each filter matched, in memory and in one JSON
 * file under storageDir (written to a temporary name and renamed). A file that does not parse or
 * belongs to another project is ignored: the cache is rebuilt from the service.
 */
export class BoardsCache {
  readonly items = new Map<number, WorkItem>();
  readonly queries = new Map<WorkItemFilter, number[]>();
  syncedAt: string | undefined;
  fetchedAt: number | undefined;
  currentIterationPath: string | undefined;
  private readonly file: string;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    storageDir: string,
    private readonly key: string,
    private readonly log: Logger,
  ) {
    const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
    this.file = path.join(storageDir, 'azure-boards', `${id}.json`);
  }

  get path(): string {
    return this.file;
  }

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Could not read the Azure Boards cache: ${String(error)}`);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = CacheDocumentSchema.safeParse(json);
    if (!parsed.success || parsed.data.key !== this.key) {
      if (!parsed.success) this.log.warn('The Azure Boards cache was unreadable; it will be fetched again.');
      return;
    }
    const doc = parsed.data;
    this.clear();
    for (const item of doc.items) this.items.set(item.id, item);
    for (const [filter, ids] of Object.entries(doc.queries)) this.queries.set(filter as WorkItemFilter, ids);
    this.syncedAt = doc.syncedAt;
    this.fetchedAt = doc.fetchedAt;
    this.currentIterationPath = doc.currentIterationPath;
  }

  clear(): void {
    this.items.clear();
    this.queries.clear();
    this.syncedAt = undefined;
    this.fetchedAt = undefined;
  }

  /** Writes the cache; saves are serialized so the last state wins. */
  save(): Promise<void> {
    const doc: CacheDocument = {
      version: 1,
      key: this.key,
      ...(this.syncedAt !== undefined ? { syncedAt: this.syncedAt } : {}),
      ...(this.fetchedAt !== undefined ? { fetchedAt: this.fetchedAt } : {}),
      items: [...this.items.values()],
      queries: Object.fromEntries(this.queries),
      ...(this.currentIterationPath !== undefined ? { currentIterationPath: this.currentIterationPath } : {}),
    };
    const text = JSON.stringify(doc);
    this.saving = this.saving
      .then(async () => {
        await mkdir(path.dirname(this.file), { recursive: true });
        const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(temp, text, 'utf8');
        await rename(temp, this.file).catch(async (error: unknown) => {
          await rm(temp, { force: true });
          throw error;
        });
      })
      .catch((error: unknown) => this.log.warn(`Could not save the Azure Boards cache: ${String(error)}`));
    return this.saving;
  }
}
