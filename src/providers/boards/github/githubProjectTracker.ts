import { randomUUID } from 'node:crypto';
import { Listeners } from '../../../core/listeners';
import { z } from 'zod';
import { type RemoteWriteRequest, type WriteConnection, type WriteKind } from '../../../core/boards/outbox';
import { githubHome, withAccount } from '../../../core/boards/writeTarget';
import {
  type IterationMove,
  type PartialProjectBoard,
  type ProjectBoard,
  type ProjectItem,
  type ProjectSummary,
  type ProjectTracker,
  type ProjectWriteOutcome,
  type RefreshOptions,
  type WriteOptions,
} from '../../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { normalizeStatus } from '../../../core/process';
import { type GitHubClient } from './githubClient';
import { type GitHubIssueTrackerOptions } from './githubIssueTracker';
import { ItemStatusSchema, OwnerProjectsSchema, type ProjectItemNode, ProjectPageSchema, UpdateItemFieldSchema } from './githubSchemas';
import { cacheKeyOf } from './issueStore';
import { type BoardCache, ProjectBoardFiles, sameProjectItem } from './projectBoardFiles';

export { sameProjectItem };
import { ItemIterationSchema, itemIterationQuery, setIterationMutation } from '../../planning/githubSprintQueries';
import { boardPageQuery, itemQuery, type OwnerKind, projectsQuery, setStatusMutation } from './projectQueries';
import { type AddedToProject, type AddToProject, addToProjectWriteKind } from './projectAddWrite';

const STATE_NAMES: Readonly<Record<string, string>> = { OPEN: 'Open', CLOSED: 'Closed', MERGED: 'Merged' };

const loginsOf = (connection: { nodes: ({ login: string } | null)[] } | null | undefined): string[] => {
  const out: string[] = [];
  if (connection) for (const n of connection.nodes) if (n) out.push(n.login);
  return out;
};

const namesOf = (connection: { nodes: ({ name: string } | null)[] } | null | undefined): string[] => {
  const out: string[] = [];
  if (connection) for (const n of connection.nodes) if (n) out.push(n.name);
  return out;
};

/**
 * A project item node as the rest of the extension sees it. Runs for every item of every page (a
 * 50,000-item board: 50,000 times a read), so it builds each item once, in one shape, with loops
 * rather than spreads and flatMaps.
 */
export function toProjectItem(node: ProjectItemNode): ProjectItem {
  const content = node.content ?? null;
  const status = node.status?.name ?? undefined;
  if (content === null || content.__typename === 'DraftIssue') {
    return {
      itemId: node.id,
      contentType: 'draft',
      number: undefined,
      repository: undefined,
      title: content === null ? '(not visible to you)' : content.title,
      status,
      assignees: content === null ? [] : loginsOf(content.assignees),
      labels: [],
      url: undefined,
      state: undefined,
    };
  }
  const state = content.__typename === 'Issue' ? content.issueState : content.prState;
  return {
    itemId: node.id,
    contentType: content.__typename === 'Issue' ? 'issue' : 'pullRequest',
    number: content.number,
    repository: content.repository.nameWithOwner,
    title: content.title,
    status,
    assignees: loginsOf(content.assignees),
    labels: namesOf(content.labels),
    url: content.url,
    state: STATE_NAMES[state] ?? state,
  };
}

/** Whether a board read again shows anything new: compared item by item, in order, without serialising either. */
export function boardChanged(before: { items: readonly ProjectItem[]; options: readonly { id: string; name: string }[] }, after: { items: readonly ProjectItem[]; options: readonly { id: string; name: string }[] }): boolean {
  if (before.items.length !== after.items.length || before.options.length !== after.options.length) return true;
  if (before.options.some((o, i) => o.id !== after.options[i]!.id || o.name !== after.options[i]!.name)) return true;
  return before.items.some((item, i) => !sameProjectItem(item, after.items[i]!));
}

type ProjectHead = NonNullable<NonNullable<z.infer<typeof ProjectPageSchema>['owner']>['projectV2']>;

/** The item belongs to the Status group `status` (undefined: No Status), matched as groupByStatus matches it. */
function inGroup(item: ProjectItem, status: string | undefined): boolean {
  if (status === undefined) return item.status === undefined || item.status.trim() === '';
  return item.status !== undefined && item.status.toLowerCase() === status.toLowerCase();
}

/** Pages are saved to the disk cache every this many while a group is read, not after each one. */
const SAVE_EVERY_PAGES = 20;

/** The issues tracker's (where its cache lives, how long it is fresh, the outbox, the log, the clock), and who is signed in. */
export interface GitHubProjectTrackerOptions extends GitHubIssueTrackerOptions {
  /** The signed-in login, recorded with each queued change (the issues tracker knows it). */
  readonly account?: (signal?: AbortSignal) => Promise<string | undefined>;
  readonly knownAccount?: () => string | undefined;
  /** Items per chunk file of the board's disk cache (projectBoardFiles.ts). */
  readonly boardChunkItems?: number;
}

/** The field a Status change sets, as the user reads it. */
const STATUS_FIELD = 'Status';
const SetStatusSchema = z.object({ projectNumber: z.number().int().positive(), itemId: z.string().min(1), status: z.string().min(1) });
const SetIterationSchema = z.object({
  projectNumber: z.number().int().positive(),
  projectId: z.string().min(1),
  itemId: z.string().min(1),
  fieldId: z.string().min(1),
  fieldName: z.string().min(1),
  iterationId: z.string().min(1),
  iteration: z.string().min(1),
  from: z.string().nullable(),
  number: z.number().int().positive().optional(),
});

/**
 * The owner's Projects (v2) through octokit's GraphQL: the project list, a board (the Status
 * field's options in the project's order and every item, 100 a page), and Status changes with
 * updateProjectV2ItemFieldValue, checked against the Status the caller saw.
 */
export class GitHubProjectTracker implements ProjectTracker {
  private ownerKind: OwnerKind | undefined;
  private readonly boards = new Map<number, BoardCache>();
  private readonly diskFiles = new Map<number, ProjectBoardFiles>();
  /** The page reading under way per project: one at a time, whoever asks (the view opens several groups at once). */
  private readonly reading = new Map<number, Promise<unknown>>();
  private readonly listeners = new Listeners((error) => this.options.log.error(error instanceof Error ? error : String(error)));
  private readonly now: () => Date;
  private readonly login: string;
  private readonly keyBase: string;

  constructor(
    private readonly client: GitHubClient,
    private readonly options: GitHubProjectTrackerOptions,
  ) {
    this.login = client.endpoint.owner;
    this.keyBase = cacheKeyOf(client.endpoint.baseUrl, `${client.endpoint.owner}/projects`);
    this.now = options.now ?? (() => new Date());
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.on(listener);
  }

  private fire(): void {
    this.listeners.fire();
  }

  private files(projectNumber: number): ProjectBoardFiles {
    let files = this.diskFiles.get(projectNumber);
    if (!files) {
      files = new ProjectBoardFiles(this.options.storageDir, `${this.keyBase}|${projectNumber}`, this.options.log, this.options.boardChunkItems);
      this.diskFiles.set(projectNumber, files);
    }
    return files;
  }

  /**
   * Writes the board to its disk cache in the background, after the writes under way: the caller
   * (the view) has the board at once; a new window's trackers in this process wait for the write.
   */
  private persist(projectNumber: number, cache: BoardCache): void {
    void this.files(projectNumber)
      .save(cache)
      .catch((error: unknown) => this.options.log.warn(`Could not write the project cache: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Waits for the boards' disk writes under way (on dispose, and before the bench or a test reads the files). */
  async settled(): Promise<void> {
    await Promise.all([...this.diskFiles.values()].map((f) => f.settled()));
  }

  /** The files of a board's disk cache, head first. */
  cacheFiles(projectNumber: number): Promise<string[]> {
    return this.files(projectNumber).files();
  }

  /** Runs a query as organization, and as user when no organization has the login. */
  private async asOwner<T>(run: (kind: OwnerKind) => Promise<T>, isMissing: (value: T) => boolean): Promise<T> {
    const kinds: OwnerKind[] = this.ownerKind ? [this.ownerKind] : ['organization', 'user'];
    let last: unknown;
    for (const kind of kinds) {
      try {
        const value = await run(kind);
        if (isMissing(value)) continue;
        this.ownerKind = kind;
        return value;
      } catch (error) {
        // Only "no such organization" sends us on to the user; a missing project is an answer.
        const ownerMissing = isDevOpsError(error) && error.code === 'notFound' && /resolve to an? (Organization|User)\b/i.test(error.message);
        if (!ownerMissing) throw error;
        last = error;
      }
    }
    throw last ?? new DevOpsError('notFound', `GitHub has no organization or user named ${this.login}.`);
  }

  async projects(signal?: AbortSignal): Promise<readonly ProjectSummary[]> {
    return this.asOwner(
      async (kind) => {
        const found: ProjectSummary[] = [];
        let cursor: string | null = null;
        for (;;) {
          const data: z.infer<typeof OwnerProjectsSchema> = await this.client.graphql(`listing the projects of ${this.login}`, projectsQuery(kind), { login: this.login, cursor }, OwnerProjectsSchema, signal ? { signal } : {});
          if (!data.owner) return undefined;
          for (const n of data.owner.projectsV2.nodes) if (n) found.push({ number: n.number, title: n.title, url: n.url, closed: n.closed });
          if (!data.owner.projectsV2.pageInfo.hasNextPage) break;
          cursor = data.owner.projectsV2.pageInfo.endCursor ?? null;
        }
        return found.sort((a, b) => Number(a.closed) - Number(b.closed) || a.number - b.number);
      },
      (v) => v === undefined,
    ).then((v) => v ?? []);
  }

  /** The board last read (memory, else disk), whatever its age: shown while a fresh one loads. */
  async cachedBoard(projectNumber: number): Promise<ProjectBoard | undefined> {
    const cache = this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber));
    return cache ? this.toBoard(cache) : undefined;
  }

  private async loadCache(projectNumber: number): Promise<BoardCache | undefined> {
    const cache = await this.files(projectNumber).load();
    if (!cache) return undefined;
    this.boards.set(projectNumber, cache);
    this.ownerKind ??= cache.ownerKind;
    return cache;
  }

  private toBoard(cache: BoardCache): PartialProjectBoard {
    return {
      project: cache.project,
      statusOptions: cache.options.map((o) => o.name),
      items: cache.items,
      syncedAt: cache.syncedAt,
      complete: !cache.cursor,
      totalCount: cache.totalCount ?? (cache.cursor ? undefined : cache.items.length),
    };
  }

  private fresh(cache: BoardCache): boolean {
    return this.now().getTime() - Date.parse(cache.syncedAt) < this.options.cacheTtlSeconds * 1000;
  }

  /** The board from the cache within its time-to-live, else (or with `full`) every page read again. */
  async board(projectNumber: number, options: RefreshOptions = {}): Promise<ProjectBoard> {
    const cached = this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber));
    // A board read only in part (a view of a large project) is read whole here.
    if (cached && !options.full && this.fresh(cached) && !cached.cursor) return this.toBoard(cached);
    const cache = await this.fetchBoard(projectNumber, options.signal);
    const changed = !cached || boardChanged(cached, cache);
    this.boards.set(projectNumber, cache);
    this.persist(projectNumber, cache);
    if (changed && cached) this.fire();
    return this.toBoard(cache);
  }

  /** One page of items (100) after `cursor`; the project's fields too on the first. */
  private async fetchPage(projectNumber: number, cursor: string | null, signal: AbortSignal | undefined): Promise<{ kind: OwnerKind; project: ProjectHead; items: ProjectItem[] }> {
    return this.asOwner(
      async (kind) => {
        const page: z.infer<typeof ProjectPageSchema> = await this.client.graphql(
          `reading project ${projectNumber} of ${this.login}`,
          boardPageQuery(kind),
          { login: this.login, number: projectNumber, cursor, withFields: cursor === null },
          ProjectPageSchema,
          signal ? { signal } : {},
        );
        const project = page.owner?.projectV2;
        if (!page.owner) return undefined;
        if (!project) throw new DevOpsError('notFound', `GitHub: ${this.login} has no project number ${projectNumber} (or the token cannot see it; reading projects needs the \`read:project\` scope).`);
        const items: ProjectItem[] = [];
        for (const node of project.items.nodes) if (node && !node.isArchived) items.push(toProjectItem(node));
        if (project.items.pageInfo.hasNextPage && !project.items.pageInfo.endCursor) throw new DevOpsError('badResponse', `GitHub said project ${projectNumber} has more items but gave no cursor.`);
        return { kind, project, items };
      },
      (v) => v === undefined,
    ) as Promise<{ kind: OwnerKind; project: ProjectHead; items: ProjectItem[] }>;
  }

  private nextCursor(project: ProjectHead): string | null {
    return project.items.pageInfo.hasNextPage ? (project.items.pageInfo.endCursor ?? null) : null;
  }

  private firstCache(projectNumber: number, first: { kind: OwnerKind; project: ProjectHead; items: ProjectItem[] }): BoardCache {
    const head = first.project;
    const status = head.status;
    return {
      key: `${this.keyBase}|${projectNumber}`,
      ownerKind: first.kind,
      projectId: head.id,
      statusFieldId: status?.id ?? null,
      options: status?.options ?? [],
      project: { number: head.number, title: head.title, url: head.url, closed: head.closed },
      items: first.items,
      syncedAt: this.now().toISOString(),
      cursor: this.nextCursor(head),
      totalCount: head.items.totalCount,
    };
  }

  private async fetchBoard(projectNumber: number, signal: AbortSignal | undefined): Promise<BoardCache> {
    const first = await this.fetchPage(projectNumber, null, signal);
    const cache = this.firstCache(projectNumber, first);
    const items = [...cache.items];
    while (cache.cursor) {
      const page = await this.fetchPage(projectNumber, cache.cursor, signal);
      items.push(...page.items);
      cache.cursor = this.nextCursor(page.project);
      cache.totalCount = page.project.items.totalCount;
    }
    return { ...cache, items, cursor: null };
  }

  /** Runs page reads of one project one after another. */
  private serial<T>(projectNumber: number, run: () => Promise<T>): Promise<T> {
    const before = this.reading.get(projectNumber) ?? Promise.resolve();
    const next = before.catch(() => undefined).then(run);
    this.reading.set(projectNumber, next);
    void next.catch(() => undefined).then(() => {
      if (this.reading.get(projectNumber) === next) this.reading.delete(projectNumber);
    });
    return next;
  }

  async openBoard(projectNumber: number, options: { readonly refresh?: boolean; readonly signal?: AbortSignal } = {}): Promise<PartialProjectBoard> {
    const cached = this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber));
    if (cached && !options.refresh && this.fresh(cached)) return this.toBoard(cached);
    return this.serial(projectNumber, async () => {
      const first = await this.fetchPage(projectNumber, null, options.signal);
      const cache = this.firstCache(projectNumber, first);
      this.boards.set(projectNumber, cache);
      this.persist(projectNumber, cache);
      return this.toBoard(cache);
    });
  }

  async readGroup(projectNumber: number, status: string | undefined, want: number, signal?: AbortSignal): Promise<PartialProjectBoard> {
    const held = (cache: BoardCache): number => cache.items.reduce((n, item) => n + (inGroup(item, status) ? 1 : 0), 0);
    const start = this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber));
    if (start && (!start.cursor || held(start) >= want)) return this.toBoard(start);
    return this.serial(projectNumber, async () => {
      let cache = this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber));
      if (!cache) {
        cache = this.firstCache(projectNumber, await this.fetchPage(projectNumber, null, signal));
        this.boards.set(projectNumber, cache);
      }
      let count = held(cache);
      let pages = 0;
      const items = [...cache.items];
      let cursor = cache.cursor ?? null;
      let totalCount = cache.totalCount;
      try {
        while (cursor && count < want) {
          const page = await this.fetchPage(projectNumber, cursor, signal);
          for (const item of page.items) {
            items.push(item);
            if (inGroup(item, status)) count++;
          }
          cursor = this.nextCursor(page.project);
          totalCount = page.project.items.totalCount;
          if (++pages % SAVE_EVERY_PAGES === 0) this.persist(projectNumber, { ...cache, items: [...items], cursor, totalCount });
        }
      } finally {
        // What was read stays read, also when the reading was cancelled or failed part way.
        if (pages > 0) {
          const next = { ...cache, items, cursor, totalCount };
          this.boards.set(projectNumber, next);
          this.persist(projectNumber, next);
        }
      }
      return this.toBoard(this.boards.get(projectNumber) ?? cache);
    });
  }

  private optionFor(cache: BoardCache, status: string): { id: string; name: string } {
    const option = cache.options.find((o) => o.name === status) ?? cache.options.find((o) => normalizeStatus(o.name) === normalizeStatus(status));
    if (!option || !cache.statusFieldId) {
      const names = cache.options.map((o) => `"${o.name}"`).join(', ') || 'none (the project has no single-select Status field)';
      throw new DevOpsError('invalidInput', `Project ${cache.project.number} has no Status "${status}"; its options are ${names}.`);
    }
    return option;
  }

  /** `options.from`: the Status the caller saw (an agent's plan read the item itself); else the board's. */
  async setStatus(projectNumber: number, itemId: string, status: string, options: WriteOptions & { readonly from?: string | null } = {}): Promise<ProjectWriteOutcome> {
    const cache = await this.cacheOf(projectNumber, options.signal);
    const option = this.optionFor(cache, status);
    const seen = cache.items.find((i) => i.itemId === itemId);
    return this.sendItemWrite(
      projectNumber,
      itemId,
      seen,
      {
        kind: 'setStatus',
        touches: [STATUS_FIELD],
        changes: [{ field: STATUS_FIELD, bases: [options.from !== undefined ? options.from : (seen?.status ?? null)], want: option.name }],
        payload: { projectNumber, itemId, status: option.name },
        description: `Project ${projectNumber}: ${seen ? `"${seen.title.slice(0, 50)}"` : itemId} → ${option.name}`,
      },
      (known) => ({ ...known, status: option.name }),
      options,
    );
  }

  /** Moves a Project item into an iteration through the outbox, checked against the iteration the planner saw. */
  async setProjectIteration(projectNumber: number, move: IterationMove, options: WriteOptions = {}): Promise<ProjectWriteOutcome> {
    const seen = (this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber)))?.items.find((i) => i.itemId === move.itemId);
    const label = move.number !== undefined ? `#${move.number}` : seen ? `"${seen.title.slice(0, 50)}"` : move.itemId;
    return this.sendItemWrite(
      projectNumber,
      move.itemId,
      seen,
      {
        kind: 'setIteration',
        touches: [move.fieldName],
        changes: [{ field: move.fieldName, bases: [move.from], want: move.iteration }],
        payload: { projectNumber, ...move, from: move.from },
        description: `Project ${projectNumber}: ${label} → ${move.iteration}`,
      },
      (known) => known,
      options,
    );
  }

  /** Adds an issue of the repository to the Project (its estimate in the number field) through the outbox. */
  async addIssueToProject(projectNumber: number, issue: { readonly number: number; readonly estimate?: number; readonly estimateField?: string }, options: WriteOptions = {}): Promise<ProjectWriteOutcome> {
    const payload: AddToProject = { projectNumber, number: issue.number, ...(issue.estimate !== undefined ? { estimate: issue.estimate } : {}), ...(issue.estimateField ? { estimateField: issue.estimateField } : {}) };
    const beforeAdded: ProjectItem = { ...this.unknownItem(`#${issue.number}`), contentType: 'issue', number: issue.number, title: `#${issue.number}` };
    const outcome = await this.sendItemWrite(
      projectNumber,
      `#${issue.number}`,
      beforeAdded,
      { kind: 'addToProject', touches: [], payload, description: `Project ${projectNumber}: add #${issue.number}${payload.estimate !== undefined ? ` (${payload.estimateField} ${payload.estimate})` : ''}` },
      (known) => known,
      options,
    );
    if (outcome.kind !== 'applied-project') return outcome;
    const added = outcome.item as unknown as Partial<AddedToProject>;
    return { kind: 'applied-project', item: { ...beforeAdded, ...(added.itemId ? { itemId: added.itemId } : {}), ...(added.url ? { url: added.url } : {}) } };
  }

  /** One Project item write through the outbox on this tracker's own connection, its outcome as a ProjectWriteOutcome. */
  private async sendItemWrite(
    projectNumber: number,
    itemId: string,
    seen: ProjectItem | undefined,
    write: Pick<RemoteWriteRequest, 'kind' | 'touches' | 'changes' | 'payload' | 'description'>,
    appliedWithout: (known: ProjectItem) => ProjectItem,
    options: WriteOptions,
  ): Promise<ProjectWriteOutcome> {
    const clientId = options.clientId ?? randomUUID();
    const account = await (this.options.account?.(options.signal) ?? Promise.resolve(undefined)).catch(() => undefined);
    const home = this.options.home ?? githubHome(this.client.endpoint, 'live');
    const via: WriteConnection = {
      home: async () => home,
      account: (signal) => this.options.account?.(signal) ?? Promise.resolve(undefined),
      knownAccount: () => this.options.knownAccount?.(),
      kinds: async () => new Map(this.writeKinds().map((k) => [k.kind, k])),
    };
    const outcome = await this.options.outbox.send(
      { ...write, target: withAccount(home, account), subject: `project ${projectNumber} item ${itemId}`, clientId, correlationId: options.correlationId ?? clientId },
      { via, ...(options.signal ? { signal: options.signal } : {}) },
    );
    switch (outcome.kind) {
      case 'queued':
      case 'refused':
        return outcome;
      case 'conflict':
        return { kind: 'project-conflict', remote: (outcome.remote as ProjectItem | undefined) ?? seen ?? this.unknownItem(itemId), message: outcome.message };
      case 'applied':
        // When the service's answer carries no item, the item as last seen with this write applied.
        return { kind: 'applied-project', item: (outcome.result as ProjectItem | undefined) ?? appliedWithout(seen ?? this.unknownItem(itemId)) };
    }
  }

  private unknownItem(itemId: string): ProjectItem {
    return { itemId, contentType: 'draft', number: undefined, repository: undefined, title: itemId, status: undefined, assignees: [], labels: [], url: undefined, state: undefined };
  }

  private async cacheOf(projectNumber: number, signal: AbortSignal | undefined): Promise<BoardCache> {
    const cached = this.boards.get(projectNumber) ?? (await this.loadCache(projectNumber));
    if (cached) return cached;
    await this.board(projectNumber, signal ? { signal } : {});
    const loaded = this.boards.get(projectNumber);
    if (!loaded) throw new DevOpsError('notFound', `Project ${projectNumber} could not be read.`);
    return loaded;
  }

  /**
   * The outbox's adapter for Status changes (core/boards/outbox.ts): the item's Status read by its
   * node id, and updateProjectV2ItemFieldValue sent right after (GitHub has no conditional update).
   */
  writeKinds(): readonly WriteKind[] {
    const kind: WriteKind<z.infer<typeof SetStatusSchema>> = {
      kind: 'setStatus',
      payload: SetStatusSchema,
      observe: async (p, context) => {
        const withSignal = context.signal ? { signal: context.signal } : {};
        const current = await this.client.graphql(`reading a project item of project ${p.projectNumber}`, itemQuery, { id: p.itemId }, ItemStatusSchema, withSignal);
        if (!current.node) throw new DevOpsError('notFound', `The item is no longer in project ${p.projectNumber}.`);
        const remote = toProjectItem({ id: current.node.id, status: current.node.status ?? null, content: current.node.content ?? null });
        return { values: { [STATUS_FIELD]: remote.status ?? null }, result: remote, ...(remote.url ? { url: remote.url } : {}) };
      },
      send: async (p, observed, context) => {
        const cache = await this.cacheOf(p.projectNumber, context.signal);
        const option = this.optionFor(cache, p.status);
        const remote = observed?.result as ProjectItem;
        const done = await this.client.graphql(
          `setting the Status of "${remote.title}"`,
          setStatusMutation,
          { projectId: cache.projectId, itemId: p.itemId, fieldId: cache.statusFieldId, optionId: option.id },
          UpdateItemFieldSchema,
          { ...(context.signal ? { signal: context.signal } : {}), write: true },
        );
        if (!done.updateProjectV2ItemFieldValue?.projectV2Item) throw new DevOpsError('badResponse', 'GitHub did not confirm the Status change.');
        return { ...remote, status: option.name };
      },
      applied: async (p, result) => {
        if (result) this.remember(p.projectNumber, result as ProjectItem);
      },
    };
    const iteration: WriteKind<z.infer<typeof SetIterationSchema>> = {
      kind: 'setIteration',
      payload: SetIterationSchema,
      observe: async (p, context) => {
        const withSignal = context.signal ? { signal: context.signal } : {};
        const current = await this.client.graphql(`reading a project item of project ${p.projectNumber}`, itemIterationQuery, { id: p.itemId, field: p.fieldName }, ItemIterationSchema, withSignal);
        if (!current.node) throw new DevOpsError('notFound', `The item is no longer in project ${p.projectNumber}.`);
        const content = current.node.content;
        const remote = { ...this.unknownItem(p.itemId), contentType: 'issue' as const, number: content?.number ?? p.number, title: content?.title ?? `#${p.number ?? '?'}`, url: content?.url };
        return { values: { [p.fieldName]: current.node.iteration?.title ?? null }, result: remote, ...(remote.url ? { url: remote.url } : {}) };
      },
      send: async (p, observed, context) => {
        const done = await this.client.graphql(
          `moving ${p.number !== undefined ? `#${p.number}` : 'an item'} into ${p.iteration}`,
          setIterationMutation,
          { projectId: p.projectId, itemId: p.itemId, fieldId: p.fieldId, iterationId: p.iterationId },
          UpdateItemFieldSchema,
          { ...(context.signal ? { signal: context.signal } : {}), write: true },
        );
        if (!done.updateProjectV2ItemFieldValue?.projectV2Item) throw new DevOpsError('badResponse', `GitHub did not confirm the move into ${p.iteration}.`);
        return observed?.result;
      },
    };
    return [kind as WriteKind, iteration as WriteKind, addToProjectWriteKind(this.client) as WriteKind];
  }

  private remember(projectNumber: number, item: ProjectItem): ProjectItem {
    const cache = this.boards.get(projectNumber);
    if (cache) {
      // A board read in part gets an item it has not read yet from its page, not appended here (twice then).
      const items = cache.items.some((i) => i.itemId === item.itemId) ? cache.items.map((i) => (i.itemId === item.itemId ? item : i)) : cache.cursor ? cache.items : [...cache.items, item];
      const next = { ...cache, items };
      this.boards.set(projectNumber, next);
      this.persist(projectNumber, next);
      this.fire();
    }
    return item;
  }
}
