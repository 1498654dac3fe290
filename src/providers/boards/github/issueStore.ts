import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { type Logger } from '../../../core/host';
import { type WorkItem, WorkItemSchema } from '../../../core/workItem';
import { type GitHubIssue, type Milestone, MilestoneSchema } from './githubSchemas';
import { revOf, toWorkItem, withChildren } from './issueMapping';
import { JsonFileStore } from './jsonFileStore';

const ExtraSchema = z.object({ assignees: z.array(z.string()), milestone: z.number().int().positive().nullable() });

const CacheFileSchema = z.object({
  version: z.literal(1),
  /** baseUrl + owner/repo, so a cache file is never read for another repository. */
  key: z.string(),
  /** The largest updated_at seen (GitHub's clock): the next refresh asks `since` it. */
  watermark: z.string().nullable(),
  /** Our clock, for the time-to-live. */
  syncedAt: z.iso.datetime({ offset: true }).nullable(),
  me: z.string().nullable(),
  items: z.array(WorkItemSchema),
  extras: z.array(z.tuple([z.number().int().positive(), ExtraSchema])),
  milestones: z.array(MilestoneSchema),
  /** The ETag of the last `since=<watermark>` answer, for a conditional GET of the same question. */
  etag: z.object({ watermark: z.string(), value: z.string() }).nullish(),
});
type CacheFile = z.infer<typeof CacheFileSchema>;

export const cacheKeyOf = (baseUrl: string, repository: string): string => `${baseUrl.replace(/\/+$/, '')}|${repository.toLowerCase()}`;

export function cacheFileFor(storageDir: string, kind: string, key: string): string {
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return path.join(storageDir, 'github', `${kind}-${hash}.json`);
}

/**
 * The repository's issues and pull requests as last synced: WorkItems plus what the filters need
 * and a WorkItem does not hold (every assignee, the milestone with its due date). Kept in memory,
 * persisted to the storage directory after every change.
 */
export class IssueStore {
  private items = new Map<number, WorkItem>();
  private extras = new Map<number, z.infer<typeof ExtraSchema>>();
  private milestoneMap = new Map<number, Milestone>();
  watermark: string | undefined;
  syncedAt: string | undefined;
  me: string | undefined;
  etag: { watermark: string; value: string } | undefined;
  private readonly file: JsonFileStore<typeof CacheFileSchema>;
  private loading: Promise<void> | undefined;

  constructor(
    storageDir: string,
    private readonly key: string,
    private readonly repository: string,
    log: Logger,
  ) {
    this.file = new JsonFileStore(cacheFileFor(storageDir, 'issues', key), CacheFileSchema, log);
  }

  load(): Promise<void> {
    this.loading ??= this.file.load().then((data) => {
      if (!data || data.key !== this.key) return;
      this.items = new Map(data.items.map((i) => [i.id, i]));
      this.extras = new Map(data.extras);
      this.milestoneMap = new Map(data.milestones.map((m) => [m.number, m]));
      this.watermark = data.watermark ?? undefined;
      this.syncedAt = data.syncedAt ?? undefined;
      this.me = data.me ?? undefined;
      this.etag = data.etag ?? undefined;
    });
    return this.loading;
  }

  async save(): Promise<void> {
    const data: CacheFile = {
      version: 1,
      key: this.key,
      watermark: this.watermark ?? null,
      syncedAt: this.syncedAt ?? null,
      me: this.me ?? null,
      items: [...this.items.values()],
      extras: [...this.extras.entries()],
      milestones: [...this.milestoneMap.values()],
      etag: this.etag ?? null,
    };
    await this.file.save(data);
  }

  /** Forgets every item (a full refresh replaces them). */
  clear(): void {
    this.items.clear();
    this.extras.clear();
    this.milestoneMap.clear();
    this.watermark = undefined;
    this.etag = undefined;
  }

  /**
   * Stores an issue as GitHub sent it; true when it is new or changed. Only a refresh's list moves
   * the watermark: an item read or written on its own may be newer than changes to other items
   * the next `since` must still bring.
   */
  upsert(issue: GitHubIssue, fromRefresh = false): boolean {
    const item = toWorkItem(issue, this.repository);
    const before = this.items.get(item.id);
    this.items.set(item.id, item);
    this.extras.set(item.id, { assignees: (issue.assignees ?? (issue.assignee ? [issue.assignee] : [])).map((a) => a.login), milestone: issue.milestone?.number ?? null });
    if (issue.milestone) this.milestoneMap.set(issue.milestone.number, issue.milestone);
    if (fromRefresh && (!this.watermark || Date.parse(issue.updated_at) > Date.parse(this.watermark))) this.watermark = issue.updated_at;
    return before === undefined || before.rev !== item.rev || before.modifiedAt !== item.modifiedAt || before.state !== item.state;
  }

  get size(): number {
    return this.items.size;
  }

  /** One item with childIds filled from the cached children. */
  get(id: number): WorkItem | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    const childIds = [...this.items.values()].filter((i) => i.parentId === id).map((i) => i.id).sort((a, b) => a - b);
    return { ...item, childIds };
  }

  has(id: number): boolean {
    return this.items.has(id);
  }

  assigneesOf(id: number): readonly string[] {
    return this.extras.get(id)?.assignees ?? [];
  }

  milestoneOf(id: number): Milestone | undefined {
    const n = this.extras.get(id)?.milestone;
    return n ? this.milestoneMap.get(n) : undefined;
  }

  milestones(): Milestone[] {
    return [...this.milestoneMap.values()];
  }

  /** Every cached item with childIds filled, ordered by number. */
  all(): WorkItem[] {
    return withChildren([...this.items.values()].sort((a, b) => a.id - b.id));
  }

  /** For the conflict check before a write: what the cache last saw, by updated_at. */
  revOf(id: number): number | undefined {
    const item = this.items.get(id);
    return item ? revOf(item.modifiedAt) : undefined;
  }
}
