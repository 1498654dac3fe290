import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type ProjectItem } from '../../../core/boards/workTracker';
import { type Logger } from '../../../core/host';
import { cacheFileFor } from './issueStore';

/**
 * A Project board's disk cache as a head file (the project, its Status options, where reading
 * stopped) and its items in chunk files of `chunkItems` (1,000) each, so a refresh of a
 * 50,000-item Project rewrites the chunks whose items changed, not one 10 MB file. The head lists
 * each chunk's stamp (written with the chunk); a chunk missing, unreadable or of another write
 * makes the whole cache read as absent, and the board is read from GitHub again.
 *
 * Saves run one after another in the background (the board is on screen before its files are
 * written); a load in this process waits for the saves of the same board under way.
 */

export const ProjectItemSchema = z
  .object({
    itemId: z.string(),
    contentType: z.enum(['issue', 'pullRequest', 'draft']),
    number: z.number().int().positive().optional(),
    repository: z.string().optional(),
    title: z.string(),
    status: z.string().optional(),
    assignees: z.array(z.string()),
    labels: z.array(z.string()),
    url: z.string().optional(),
    state: z.string().optional(),
  })
  .transform((i): ProjectItem => ({ ...i, number: i.number, repository: i.repository, status: i.status, url: i.url, state: i.state }));

const HeadSchema = z.object({
  version: z.literal(2),
  key: z.string(),
  ownerKind: z.enum(['organization', 'user']),
  projectId: z.string(),
  statusFieldId: z.string().nullable(),
  options: z.array(z.object({ id: z.string(), name: z.string() })),
  project: z.object({ number: z.number().int().positive(), title: z.string(), url: z.string(), closed: z.boolean() }),
  syncedAt: z.iso.datetime({ offset: true }),
  /** Where the next page starts when the board was read only in part; null: every item is read. */
  cursor: z.string().min(1).nullable(),
  totalCount: z.number().int().nonnegative().optional(),
  chunks: z.array(z.object({ stamp: z.string().min(1), count: z.number().int().nonnegative() })),
});

const ChunkSchema = z.object({ key: z.string(), stamp: z.string().min(1), items: z.array(ProjectItemSchema) });

/** A board as the tracker keeps it: the head's fields and every item read. */
export type BoardCache = Omit<z.infer<typeof HeadSchema>, 'version' | 'chunks'> & { items: ProjectItem[] };

/** Saves under way per head file, for loads in this process (another window's trackers). */
const saving = new Map<string, Promise<void>>();

async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Whether two reads of an item show the same (every field a row shows or a command uses). */
export const sameProjectItem = (a: ProjectItem, b: ProjectItem): boolean =>
  a.itemId === b.itemId &&
  a.title === b.title &&
  a.status === b.status &&
  a.state === b.state &&
  a.contentType === b.contentType &&
  a.number === b.number &&
  a.repository === b.repository &&
  a.url === b.url &&
  a.assignees.length === b.assignees.length &&
  a.assignees.every((x, i) => x === b.assignees[i]) &&
  a.labels.length === b.labels.length &&
  a.labels.every((x, i) => x === b.labels[i]);

export class ProjectBoardFiles {
  readonly head: string;
  /** The chunks on disk as this tracker last wrote or read them: unchanged ones are not written again. */
  private onDisk: { stamp: string; items: readonly ProjectItem[] }[] = [];
  private last: Promise<void> = Promise.resolve();

  constructor(
    storageDir: string,
    private readonly key: string,
    private readonly log: Logger,
    private readonly chunkItems = 1_000,
  ) {
    this.head = cacheFileFor(storageDir, 'board', key);
  }

  private chunkFile(index: number): string {
    return this.head.replace(/\.json$/, `.${index}.json`);
  }

  /** The board last saved (by any tracker of this process, once its saves are done), or undefined. */
  async load(): Promise<BoardCache | undefined> {
    await saving.get(this.head)?.catch(() => undefined);
    let text: string;
    try {
      text = await readFile(this.head, 'utf8');
    } catch {
      return undefined;
    }
    const ignore = (why: string): undefined => {
      this.log.warn(`Ignoring the project cache ${path.basename(this.head)}: ${why}; the board is read from GitHub again.`);
      return undefined;
    };
    let head: z.infer<typeof HeadSchema>;
    try {
      const parsed = HeadSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return ignore(parsed.error.issues[0]?.message ?? 'invalid');
      head = parsed.data;
    } catch {
      return ignore('it is not valid JSON');
    }
    if (head.key !== this.key) return undefined;
    const chunks = await Promise.all(
      head.chunks.map(async (want, index) => {
        try {
          const parsed = ChunkSchema.safeParse(JSON.parse(await readFile(this.chunkFile(index), 'utf8')));
          return parsed.success && parsed.data.key === this.key && parsed.data.stamp === want.stamp && parsed.data.items.length === want.count ? parsed.data : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    if (chunks.some((c) => c === undefined)) return ignore('a chunk of its items is missing or from another write');
    this.onDisk = chunks.map((c) => ({ stamp: c!.stamp, items: c!.items }));
    const items: ProjectItem[] = [];
    for (const c of chunks) for (const item of c!.items) items.push(item);
    const { version: _version, chunks: _chunks, ...rest } = head;
    return { ...rest, items };
  }

  /** Queues a save of `cache` after the ones under way; resolves when it is on disk. */
  save(cache: BoardCache): Promise<void> {
    const next = this.last.catch(() => undefined).then(() => this.write(cache));
    this.last = next;
    saving.set(this.head, next);
    void next.catch(() => undefined).then(() => {
      if (saving.get(this.head) === next) saving.delete(this.head);
    });
    return next;
  }

  /** Resolves when the saves queued so far are done (failed ones included). */
  async settled(): Promise<void> {
    await this.last.catch(() => undefined);
  }

  private async write(cache: BoardCache): Promise<void> {
    await mkdir(path.dirname(this.head), { recursive: true });
    const chunks: { stamp: string; items: readonly ProjectItem[] }[] = [];
    for (let start = 0, index = 0; start < cache.items.length || index === 0; start += this.chunkItems, index++) {
      const items = cache.items.slice(start, start + this.chunkItems);
      const before = this.onDisk[index];
      if (before && before.items.length === items.length && items.every((item, i) => sameProjectItem(item, before.items[i]!))) {
        chunks.push(before);
        continue;
      }
      const stamp = randomUUID();
      await writeAtomically(this.chunkFile(index), JSON.stringify({ key: this.key, stamp, items }));
      chunks.push({ stamp, items });
      if (cache.items.length === 0) break;
    }
    const { items: _items, ...rest } = cache;
    await writeAtomically(this.head, JSON.stringify({ version: 2, ...rest, chunks: chunks.map((c) => ({ stamp: c.stamp, count: c.items.length })) }));
    const gone = this.onDisk.length;
    this.onDisk = chunks;
    // Chunks past the board's end (it shrank) are removed after the head no longer lists them.
    for (let index = chunks.length; index < gone; index++) await rm(this.chunkFile(index), { force: true });
  }

  /** The files of this board on disk (head first), for tests and the bench. */
  async files(): Promise<string[]> {
    const dir = path.dirname(this.head);
    const base = path.basename(this.head, '.json');
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.filter((n) => n === `${base}.json` || (n.startsWith(`${base}.`) && n.endsWith('.json') && !n.endsWith('.tmp'))).sort((a, b) => a.length - b.length || a.localeCompare(b)).map((n) => path.join(dir, n));
  }
}
