import { randomUUID } from 'node:crypto';
import { Listeners } from '../../../core/listeners';
import { type JsonPatchOperation, Operation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { WorkItemErrorPolicy, WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { z } from 'zod';
import { AUDIT_EVENTS } from '../../../core/audit/event';
import { type AuditSink } from '../../../core/audit/sink';
import { type Outbox, type OutboxJson, type RemoteWriteRequest, type WriteConnection, type WriteKind } from '../../../core/boards/outbox';
import { AzurePullRequests } from './azurePullRequests';
import { pullRequestWriteKind } from '../pullRequestWrites';
import { azureHome, withAccount, type WriteHome } from '../../../core/boards/writeTarget';
import {
  type IdGroup,
  type IdGrouping,
  type IdListOptions,
  type ListOptions,
  type NewWorkItem,
  type PagedWorkTracker,
  type RefreshOptions,
  type StateChange,
  type StateChoice,
  type TrackerIdentity,
  type WorkItemFilter,
  type WorkItemIdSnapshot,
  type WorkItemSnapshot,
  type WriteOptions,
  type WriteOutcome,
} from '../../../core/boards/workTracker';
import { DevOpsError, isDevOpsError, throwIfAborted } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { allowedChildTypes, checkParentChild, findType } from '../../../core/process';
import { stateRank } from '../../../core/boards/boardTree';
import { redactText } from '../../../core/redact';
import { type WorkItem, workItemKey } from '../../../core/workItem';
import { abortable, type AzureConnection } from './azureConnection';
import { badResponse } from './azureErrors';
import { BoardsCache } from './boardsCache';
import { azureBoardsCacheKey } from '../../../core/boards/boardsCacheKey';
import { lifecycleTarget, statePatch } from './azureStatePatch';
import { ASSIGNEE_FIELD, type AzureKind, azureWriteKinds, type AzureWriteHost, BLOCKED_FIELD, ITERATION_FIELD, STATE_FIELD } from './azureWrites';
import { isMarkedBlocked } from '../../../core/boards/blockedMark';
import { loadProjectInfo, loadProjectProcess, type ProjectInfo, type ProjectProcess } from './projectInfo';
import { ProjectWiki, wikiSectionKind } from './projectWiki';
import { allIds, WIQL_PAGE } from './wiqlPaging';
import { readStateHistory } from './azureStateHistory';
import { clientMarker, createdMarker, readWireItem, toHtml, toWorkItem, WiqlResultSchema } from './workItemWire';

export const MAX_IDS_PER_REQUEST = 200;
/** How often a background refresh also asks each cached list again: the changed-since query cannot see a deleted item. */
const RECONCILE_MS = 15 * 60_000;
/** What keeping a cached list's membership right needs: the process, and who is signed in when a list is "assigned to me". */
type MembershipInfo = Pick<ProjectInfo, 'template'> & { readonly me?: ProjectInfo['me'] };

const FALLBACK_CLOSED = ['Closed', 'Done', 'Removed'];

export interface AzureBoardsTrackerOptions {
  readonly connection: AzureConnection;
  readonly log: Logger;
  readonly storageDir: string;
  readonly cacheTtlSeconds: number;
  readonly outbox: Outbox;
  readonly audit?: AuditSink;
  /** The repository branches are linked in; the one named like the project (else the first) when not given. */
  readonly repository?: string;
  /** The connection as the outbox records it (the sandbox's, whatever its port); from the endpoint when not given. */
  readonly home?: WriteHome;
  /** Which cache files it reads and writes (core/boards/boardsCacheKey.ts); from the endpoint when not given. */
  readonly cacheKey?: string;
  readonly now?: () => Date;
}

/**
 * Azure Boards through azure-devops-node-api (see core/boards/workTracker.ts for the contract).
 * The cache answers `list`; the first load is one WIQL and the items in batches of 200, the
 * bulkhead in the connection limiting how many go at once; `refresh` is one WIQL on
 * System.ChangedDate and a fetch of only what changed.
 */
export class AzureBoardsTracker implements PagedWorkTracker {
  private readonly cache: BoardsCache;
  private readonly listeners = new Listeners((error) => this.options.log.warn(`A work item change listener failed: ${String(error)}`));
  private info: Promise<ProjectInfo> | undefined;
  private process: Promise<ProjectProcess> | undefined;
  private loaded: Promise<void> | undefined;
  private repositoryId: Promise<string> | undefined;
  private readonly now: () => Date;
  private readonly connection: AzureConnection;
  /** The signed-in user's display name and account, once known. */
  private meNames: string[] = [];
  /** The earliest WIQL time of the sync under way (queries of one sync may run at different times). */
  private syncStartedAt: string | undefined;
  /** When the cached lists were last asked for again (reconcile); undefined until then in this session. */
  private reconciledAt: number | undefined;
  private readonly loading = new Map<WorkItemFilter, Promise<void>>();
  private readonly idLoading = new Map<WorkItemFilter, Promise<void>>();
  private readonly pageListeners = new Map<WorkItemFilter, Set<(ids: readonly number[]) => void>>();
  private refreshing: Promise<{ readonly changed: number; readonly requests: number }> | undefined;
  private readonly kinds = new Map<string, WriteKind>();
  /** Large lists' ids by state or iteration ("filter|by"), asked again once the lists changed (`listsVersion`). */
  private readonly groups = new Map<string, { readonly version: number; readonly groups: Promise<IdGroup[]> }>();
  /** Moves on whenever a cached list or item may have changed: a load, a refresh that changed something, a write. */
  private listsVersion = 0;
  private connection$: { dispose(): void } | undefined;
  private wiki$: ProjectWiki | undefined;

  constructor(private readonly options: AzureBoardsTrackerOptions) {
    this.connection = options.connection;
    const e = options.connection.endpoint;
    this.cache = new BoardsCache(options.storageDir, options.cacheKey ?? azureBoardsCacheKey(e), options.log);
    this.now = options.now ?? (() => new Date());
  }

  /** The connection (wiki pages, pipelines and other Azure DevOps calls go through it, under the same policies). */
  get azure(): AzureConnection {
    return this.connection;
  }

  /** The project wiki over this connection: the one writer of its pages (agents, outbox, audit mirror). */
  get wiki(): ProjectWiki {
    return (this.wiki$ ??= new ProjectWiki(this.connection));
  }

  /** HTTP requests made so far (every one, discovery included). */
  get requests(): number {
    return this.connection.requests;
  }

  get cachePath(): string {
    return this.cache.path;
  }

  private get project(): string {
    return this.connection.endpoint.project;
  }

  private get webBase(): string {
    return `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.project)}`;
  }

  private ensureLoaded(): Promise<void> {
    this.loaded ??= this.cache.load();
    return this.loaded;
  }

  /** The project and its process (what a list's query needs), read once and shared like projectInfo. */
  private projectProcess(signal?: AbortSignal): Promise<ProjectProcess> {
    const current = (this.process ??= loadProjectProcess(this.connection));
    current.catch(() => {
      if (this.process === current) this.process = undefined;
    });
    return abortable(current, signal);
  }

  projectInfo(signal?: AbortSignal): Promise<ProjectInfo> {
    // Shared by every caller, so it runs without any one caller's signal: each stops waiting on its own.
    const current = (this.info ??= loadProjectInfo(this.connection, undefined, this.projectProcess()).then((info) => {
      this.meNames = [info.me.displayName, info.me.account].filter((n): n is string => n !== undefined);
      return info;
    }));
    current.catch(() => {
      if (this.info === current) this.info = undefined;
    });
    return abortable(current, signal);
  }

  async identity(signal?: AbortSignal): Promise<TrackerIdentity> {
    const label = `Azure Boards (${this.connection.endpoint.organizationUrl.replace(/\/+$/, '').split('/').pop() ?? ''}/${this.project})`;
    const info = await this.projectInfo(signal);
    return { kind: 'azureBoards', label, me: info.me.displayName };
  }

  /** The connection this tracker writes to, as the outbox records it with each change. */
  get home(): WriteHome {
    return this.options.home ?? azureHome(this.connection.endpoint, 'live');
  }

  /** Who is signed in (the account a change is recorded and sent as). */
  async account(signal?: AbortSignal): Promise<string | undefined> {
    const info = await this.projectInfo(signal);
    return info.me.account ?? info.me.displayName;
  }

  /**
   * The kinds of write sent to this project (the outbox asks for them when a change is due): the
   * work item adapters and the project wiki's pages. The list is fixed here, not added to at run
   * time, so a change queued before a restart finds its adapter after it, whatever has loaded.
   */
  writeKinds(): ReadonlyMap<string, WriteKind> {
    if (this.kinds.size === 0) {
      for (const kind of [...azureWriteKinds(this.writeHost()), this.wiki.writeKind(), wikiSectionKind(this.wiki), pullRequestWriteKind(new AzurePullRequests(this.connection))]) this.kinds.set(kind.kind, kind as WriteKind);
    }
    return this.kinds;
  }

  /** This tracker as a connection of the outbox: where it writes, as whom, and its adapters. */
  readonly writeConnection: WriteConnection = {
    home: async () => this.home,
    account: (signal) => this.account(signal),
    knownAccount: () => this.meNames.at(-1),
    kinds: async () => this.writeKinds(),
  };

  /** Lets the outbox send this tracker's changes, including those queued before it was made (the factory calls it). */
  connectOutbox(): void {
    this.connection$ ??= this.options.outbox.connect(this.writeConnection);
  }

  dispose(): void {
    this.connection$?.dispose();
    this.connection$ = undefined;
    this.listeners.clear();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.on(listener);
  }

  private fire(): void {
    this.listeners.fire();
  }

  // ---------------------------------------------------------------- reads

  async list(filter: WorkItemFilter, options: ListOptions = {}): Promise<WorkItemSnapshot> {
    throwIfAborted(options.signal);
    await this.ensureLoaded();
    if (!this.isComplete(filter)) await this.shared(this.loading, filter, () => this.loadFilter(filter), options.signal);
    return this.snapshot(filter);
  }

  /**
   * The ids the filter matches (every one: WIQL paged past its cap), from the cache or one WIQL
   * query a 20,000 ids, without reading the items: a view of a large list shows groups at once and
   * reads their items with `items` as they are opened.
   */
  async listIds(filter: WorkItemFilter, options: IdListOptions = {}): Promise<WorkItemIdSnapshot> {
    throwIfAborted(options.signal);
    await this.ensureLoaded();
    if (!this.cache.queries.has(filter)) {
      // Every caller waiting on the shared load hears its pages, not only the one that started it.
      const onPage = options.onPage;
      let listeners = this.pageListeners.get(filter);
      if (onPage) {
        if (!listeners) this.pageListeners.set(filter, (listeners = new Set()));
        listeners.add(onPage);
      }
      try {
        await this.shared(this.idLoading, filter, () => this.loadIds(filter), options.signal);
      } finally {
        if (onPage) listeners?.delete(onPage);
      }
    }
    const { syncedAt, stale } = this.snapshot(filter, false);
    return { ids: this.cache.queries.get(filter) ?? [], syncedAt, stale };
  }

  /**
   * Items by id for a view that shows a large list a part at a time: the cached ones as they are
   * (a refresh keeps them current), the others read in batches of 200 and cached. An id the
   * service does not know is a `notFound` error in the map.
   */
  async items(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, WorkItem | DevOpsError>> {
    await this.ensureLoaded();
    const out = new Map<number, WorkItem | DevOpsError>();
    const missing = ids.filter((id) => {
      const cached = this.cache.items.get(id);
      if (cached) out.set(id, cached);
      return cached === undefined;
    });
    if (missing.length === 0) return out;
    const fetched = await this.fetchItems(missing, signal);
    for (const item of fetched.items) {
      out.set(item.id, item);
      this.cache.items.set(item.id, item);
    }
    for (const [id, error] of fetched.invalid) out.set(id, error);
    for (const id of fetched.missing) out.set(id, new DevOpsError('notFound', `AB#${id} does not exist or was deleted.`, { status: 404 }));
    await this.cache.save();
    return out;
  }

  /**
   * One load per filter, whoever asks: the tree, the lenses and @devops may ask at once on
   * start-up, so it runs without the first caller's signal (the view aborting its previous load
   * would cancel it for everyone still waiting); each caller stops waiting on its own signal.
   */
  private async shared(running: Map<WorkItemFilter, Promise<void>>, filter: WorkItemFilter, load: () => Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    let loading = running.get(filter);
    if (!loading) {
      loading = load().finally(() => running.delete(filter));
      // Callers that all gave up leave no unhandled rejection; those waiting still get the error.
      loading.catch(() => undefined);
      running.set(filter, loading);
    }
    await abortable(loading, signal);
  }

  /** The filter's ids are known and every one of their items is cached. */
  private isComplete(filter: WorkItemFilter): boolean {
    const ids = this.cache.queries.get(filter);
    return ids !== undefined && ids.every((id) => this.cache.items.has(id));
  }

  /**
   * The filter's ids by state or iteration, for a list too large to read whole: one WIQL query
   * (paged past the cap) per state of the process, or per sprint of the team, each the list's own
   * query narrowed by that value; no item is read. The list's ids are the truth: an id a group's
   * query saw that the list does not hold is left out, and the ids no group took (a state outside
   * the process's, an iteration that is not the team's sprint) make the last group. Asked once
   * until the lists change (a refresh that changed something, a write).
   */
  async groupIds(filter: WorkItemFilter, by: IdGrouping, options: ListOptions = {}): Promise<readonly IdGroup[]> {
    const { ids } = await this.listIds(filter, options);
    const key = `${filter}|${by}`;
    let entry = this.groups.get(key);
    if (!entry || entry.version !== this.listsVersion) {
      const groups = this.queryGroups(filter, by, ids);
      const made = { version: this.listsVersion, groups };
      groups.catch(() => {
        if (this.groups.get(key) === made) this.groups.delete(key);
      });
      this.groups.set(key, (entry = made));
    }
    return abortable(entry.groups, options.signal);
  }

  private async queryGroups(filter: WorkItemFilter, by: IdGrouping, ids: readonly number[]): Promise<IdGroup[]> {
    const info = filter === 'assignedToMe' ? await this.projectInfo() : await this.projectProcess();
    const what = `grouping the list by ${by}`;
    let values: string[];
    if (by === 'state') {
      if (!info.template) throw new DevOpsError('unavailable', "The project's process is not one AI DevOps knows, so its states are not known: a list this large cannot be grouped by state. Group by hierarchy, or narrow the list with the filter.");
      const left = new Set((filter === 'currentIteration' ? this.removedStates(info) : this.closedStates(info)).map((s) => s.toLowerCase()));
      values = [...new Set(info.template.types.flatMap((t) => t.states.map((s) => s.name)))].filter((s) => !left.has(s.toLowerCase())).sort((a, b) => stateRank(a) - stateRank(b));
    } else {
      const { project, team } = this.connection.endpoint;
      const iterations = await this.connection.call('reading the team\'s iterations', async (api) => (await api.work()).getTeamIterations({ project, team }), { idempotent: true });
      const parsed = z.array(z.object({ path: z.string() }).loose()).safeParse(iterations ?? []);
      if (!parsed.success) throw badResponse("reading the team's iterations", parsed.error.issues[0]?.message ?? 'unexpected shape');
      values = parsed.data.map((i) => i.path);
      if (filter === 'currentIteration') values = values.filter((path) => path === this.cache.currentIterationPath);
    }
    const where = this.whereOf(filter, info);
    const field = by === 'state' ? '[System.State]' : '[System.IterationPath]';
    const found = await Promise.all(values.map((value) => this.wiqlAll(`${where} AND ${field} = ${quoteWiql(value)}`, what)));
    const listed = new Set(ids);
    const placed = new Set<number>();
    const out: IdGroup[] = [];
    values.forEach((value, i) => {
      const mine = (found[i] ?? []).filter((id) => listed.has(id) && !placed.has(id));
      for (const id of mine) placed.add(id);
      if (mine.length > 0) out.push({ key: value, label: value, ids: mine });
    });
    const rest = ids.filter((id) => !placed.has(id));
    if (rest.length > 0) out.push({ key: '', label: by === 'state' ? 'Other states' : "Not in the team's sprints", ids: rest });
    return out;
  }

  private async loadIds(filter: WorkItemFilter): Promise<void> {
    this.listsVersion++;
    this.syncStartedAt = undefined;
    const ids = await this.queryFilter(filter, undefined, (soFar) => {
      for (const listener of this.pageListeners.get(filter) ?? []) {
        try {
          listener(soFar);
        } catch (error) {
          this.options.log.warn(`A listener of a list's first pages failed: ${String(error)}`);
        }
      }
    });
    this.cache.queries.set(filter, ids);
    if (this.cache.syncedAt === undefined) {
      // First sync: the query's time is the watermark; items read later are newer than it.
      this.cache.syncedAt = this.takeSyncTime();
      this.cache.fetchedAt = this.now().getTime();
      this.reconciledAt = this.now().getTime();
    }
    await this.cache.save();
  }

  private async loadFilter(filter: WorkItemFilter): Promise<void> {
    if (!this.cache.queries.has(filter)) await this.shared(this.idLoading, filter, () => this.loadIds(filter), undefined);
    const ids = this.cache.queries.get(filter) ?? [];
    const wanted = ids.filter((id) => !this.cache.items.has(id));
    // Each id range goes into the cache as soon as its batches are in (collector); a read cut short
    // saves the ranges it finished.
    let fetched;
    try {
      fetched = await this.fetchItems(wanted, undefined, this.cache.collector(wanted));
    } catch (error) {
      await this.cache.save();
      throw error;
    }
    this.cache.queries.set(filter, ids.filter((id) => this.cache.items.has(id)));
    if (this.cache.syncedAt === undefined) this.cache.syncedAt = this.latestChange(fetched.items);
    // Written after the list is handed over (the files are the cache's, not the caller's; a cache
    // opened meanwhile waits for them, and a crash leaves the files of the last save, each whole).
    void this.cache.save();
  }

  /** Settles when the cache files hold everything read so far (a whole list's read writes them after it answers). */
  saved(): Promise<void> {
    return this.cache.settled;
  }

  private snapshot(filter: WorkItemFilter, withItems = true): WorkItemSnapshot {
    const ids = withItems ? (this.cache.queries.get(filter) ?? []) : [];
    const items = ids.map((id) => this.cache.items.get(id)).filter((i): i is WorkItem => i !== undefined);
    const fetchedAt = this.cache.fetchedAt;
    const stale = fetchedAt === undefined || this.now().getTime() - fetchedAt > this.options.cacheTtlSeconds * 1000;
    return { items, syncedAt: fetchedAt === undefined ? undefined : new Date(fetchedAt).toISOString(), stale };
  }

  async refresh(options: RefreshOptions = {}): Promise<{ readonly changed: number; readonly requests: number }> {
    // A refresh already under way answers a second caller (the timer and a click at once); a full
    // or reconciling one asked for meanwhile runs after it, so the two never write the cache at the same time.
    const running = this.refreshing;
    if (running && !options.full && options.reconcile !== true) return abortable(running, options.signal);
    const start = running ? running.catch(() => undefined).then(() => this.refreshOnce(options)) : this.refreshOnce(options);
    const run = start.finally(() => {
      if (this.refreshing === run) this.refreshing = undefined;
    });
    this.refreshing = run;
    return run;
  }

  private async refreshOnce(options: RefreshOptions): Promise<{ readonly changed: number; readonly requests: number }> {
    await this.ensureLoaded();
    const before = this.connection.requests;
    let changed: number;
    if (options.full || this.cache.syncedAt === undefined) {
      changed = await this.fullRefresh(options.signal);
      this.reconciledAt = this.now().getTime();
    } else {
      changed = await this.incrementalRefresh(options.signal);
      // Lists read from the disk cache are checked once in each session, then every RECONCILE_MS.
      if (options.reconcile === true || this.reconciledAt === undefined || this.now().getTime() - this.reconciledAt >= RECONCILE_MS) {
        changed += await this.reconcile(options.signal);
        this.reconciledAt = this.now().getTime();
      }
    }
    this.cache.fetchedAt = this.now().getTime();
    await this.cache.save();
    if (changed > 0) this.listsVersion++;
    if (changed > 0) this.fire();
    return { changed, requests: this.connection.requests - before };
  }

  /** The earliest query time of the sync just done, and forget it. */
  private takeSyncTime(): string | undefined {
    const t = this.syncStartedAt;
    this.syncStartedAt = undefined;
    return t;
  }

  private latestChange(items: Iterable<WorkItem>): string | undefined {
    let latest: number | undefined;
    for (const item of items) {
      const t = Date.parse(item.modifiedAt);
      if (latest === undefined || t > latest) latest = t;
    }
    return latest === undefined ? undefined : new Date(latest).toISOString();
  }

  private async fullRefresh(signal?: AbortSignal): Promise<number> {
    this.syncStartedAt = undefined;
    const filters = this.cache.queries.size ? [...this.cache.queries.keys()] : (['allOpen'] as WorkItemFilter[]);
    const results = new Map<WorkItemFilter, number[]>();
    // A list shown a part at a time (only some items ever read) stays so: its cached items are read again, not all.
    const complete = new Set(filters.filter((f) => !this.cache.queries.has(f) || this.isComplete(f)));
    for (const filter of filters) results.set(filter, await this.queryFilter(filter, signal));
    const wanted = new Set<number>();
    for (const [filter, ids] of results) for (const id of ids) if (complete.has(filter) || this.cache.items.has(id)) wanted.add(id);
    const fetched = await this.fetchItems([...wanted], signal);
    const previous = new Map(this.cache.items);
    this.cache.items.clear();
    for (const item of fetched.items) this.cache.items.set(item.id, item);
    this.cache.queries.clear();
    for (const [filter, ids] of results) this.cache.queries.set(filter, complete.has(filter) ? ids.filter((id) => this.cache.items.has(id)) : ids);
    this.cache.syncedAt = this.takeSyncTime() ?? this.latestChange(fetched.items);
    let changed = 0;
    for (const item of fetched.items) if (previous.get(item.id)?.rev !== item.rev) changed++;
    for (const id of previous.keys()) if (!this.cache.items.has(id)) changed++;
    return changed;
  }

  private async incrementalRefresh(signal?: AbortSignal): Promise<number> {
    const since = this.cache.syncedAt ?? new Date(0).toISOString();
    const what = 'asking Azure Boards what changed';
    this.syncStartedAt = undefined;
    // Paged like the lists: a bulk edit of more than 20,000 items is seen whole.
    const { ids, asOf } = await allIds(`[System.TeamProject] = @project AND [System.ChangedDate] > '${since}'`, what, (query) => this.wiqlWithTime(query, what, signal));
    this.syncStartedAt = undefined;
    if (ids.length === 0) {
      if (asOf !== undefined) this.cache.syncedAt = asOf;
      return 0;
    }
    // Who is signed in matters only to a cached "assigned to me" list; the others need the process alone.
    const info = this.cache.queries.has('assignedToMe') ? await this.projectInfo(signal) : await this.projectProcess(signal);
    const fetched = await this.fetchItems(ids, signal);
    let changed = 0;
    for (const item of fetched.items) {
      if (this.cache.items.get(item.id)?.rev === item.rev) continue;
      changed++;
      this.cache.items.set(item.id, item);
      this.updateMembership(item, info);
    }
    this.cache.syncedAt = asOf ?? this.latestChange([...fetched.items, ...this.cache.items.values()]);
    return changed;
  }

  /**
   * Asks each cached list again, ids only (one WIQL query a list), fetches the items new to the
   * cache, and drops from the cache the items no list holds any more: deleted ones (a changed-since
   * query never returns them), moved to another project, or left behind by a sprint boundary. A
   * dropped item that is asked for again (a TODO's lens) is fetched and found, or reported missing.
   * Returns how many items came, went or moved between lists.
   */
  private async reconcile(signal?: AbortSignal): Promise<number> {
    const results = new Map<WorkItemFilter, number[]>();
    for (const filter of this.cache.queries.keys()) results.set(filter, await this.queryFilter(filter, signal));
    if (results.size === 0) return 0;
    const listed = new Set([...results.values()].flat());
    // New items are read for lists that hold all theirs; a list shown a part at a time reads them when shown.
    const complete = new Set([...results.keys()].filter((f) => this.isComplete(f)));
    const wanted = new Set<number>();
    for (const [filter, ids] of results) if (complete.has(filter)) for (const id of ids) if (!this.cache.items.has(id)) wanted.add(id);
    const fetched = await this.fetchItems([...wanted], signal);
    for (const item of fetched.items) this.cache.items.set(item.id, item);
    const moved = new Set<number>();
    const held = new Set<number>();
    for (const [filter, ids] of results) {
      const before = new Set(this.cache.queries.get(filter) ?? []);
      const after = complete.has(filter) ? ids.filter((id) => this.cache.items.has(id)) : ids;
      const now = new Set(after);
      for (const id of before) if (!now.has(id)) moved.add(id);
      for (const id of after) if (!before.has(id)) moved.add(id);
      for (const id of before) held.add(id);
      this.cache.queries.set(filter, after);
    }
    for (const id of held) if (!listed.has(id)) this.cache.items.delete(id);
    return moved.size;
  }

  /** Keeps each cached filter's ids right for a changed item, without asking the service again. */
  private updateMembership(item: WorkItem, info: MembershipInfo): void {
    for (const [filter, ids] of this.cache.queries) {
      const belongs = this.matches(filter, item, info);
      // Lists are in id order (every query orders by id to page): found and kept so by binary search.
      const at = sortedIndex(ids, item.id);
      const held = ids[at] === item.id;
      if (belongs && !held) ids.splice(at, 0, item.id);
      if (!belongs && held) ids.splice(at, 1);
    }
  }

  private closedStates(info: Pick<ProjectInfo, 'template'> | undefined): string[] {
    const template = info?.template;
    if (!template) return FALLBACK_CLOSED;
    return [...new Set(template.types.flatMap((t) => t.states.filter((s) => s.category === 'Completed' || s.category === 'Removed').map((s) => s.name)))];
  }

  private removedStates(info: Pick<ProjectInfo, 'template'> | undefined): string[] {
    const template = info?.template;
    if (!template) return ['Removed'];
    return [...new Set(template.types.flatMap((t) => t.states.filter((s) => s.category === 'Removed').map((s) => s.name)))];
  }

  private matches(filter: WorkItemFilter, item: WorkItem, info: MembershipInfo): boolean {
    const open = !this.closedStates(info).some((s) => s.toLowerCase() === item.state.toLowerCase());
    switch (filter) {
      case 'allOpen':
        return open;
      case 'assignedToMe':
        return open && item.assignedTo !== undefined && info.me !== undefined && [info.me.displayName, info.me.account].includes(item.assignedTo);
      case 'currentIteration':
        return (
          this.cache.currentIterationPath !== undefined &&
          item.iterationPath === this.cache.currentIterationPath &&
          !this.removedStates(info).some((s) => s.toLowerCase() === item.state.toLowerCase())
        );
    }
  }

  private async queryFilter(filter: WorkItemFilter, signal?: AbortSignal, onPage?: (ids: readonly number[]) => void): Promise<number[]> {

    // "Assigned to me" reads who is signed in too: a later refresh keeps that list right with it.
    const info = filter === 'assignedToMe' ? await this.projectInfo(signal) : await this.projectProcess(signal);
    const where = this.whereOf(filter, info);
    switch (filter) {
      case 'allOpen':
        return this.wiqlAll(where, 'listing open work items', signal, onPage);
      case 'assignedToMe':
        return this.wiqlAll(where, 'listing your work items', signal, onPage);
      case 'currentIteration': {
        const [ids, path] = await Promise.all([this.wiqlAll(where, 'listing the current iteration', signal, onPage), this.currentIteration(signal)]);
        this.cache.currentIterationPath = path;
        return ids;
      }
    }
  }

  /** The WIQL condition of a list (without the id range its pages add). */
  private whereOf(filter: WorkItemFilter, info: Pick<ProjectInfo, 'template'>): string {
    const notClosed = `[System.State] NOT IN (${this.closedStates(info).map(quoteWiql).join(', ')})`;
    const project = '[System.TeamProject] = @project';
    switch (filter) {
      case 'allOpen':
        return `${project} AND ${notClosed}`;
      case 'assignedToMe':
        return `${project} AND [System.AssignedTo] = @Me AND ${notClosed}`;
      case 'currentIteration':
        return `${project} AND [System.IterationPath] = @CurrentIteration AND [System.State] NOT IN (${this.removedStates(info).map(quoteWiql).join(', ')})`;
    }
  }

  private async currentIteration(signal?: AbortSignal): Promise<string | undefined> {
    const { project, team } = this.connection.endpoint;
    const iterations = await this.connection.call('reading the current iteration', async (api) => (await api.work()).getTeamIterations({ project, team }, 'current'), { idempotent: true, signal });
    const parsed = z.array(z.object({ path: z.string() }).loose()).safeParse(iterations);
    return parsed.success ? parsed.data[0]?.path : undefined;
  }

  private async wiql(query: string, what: string, signal?: AbortSignal): Promise<number[]> {
    return (await this.wiqlWithTime(query, what, signal)).ids;
  }

  /** Every id matching `where`, paged past WIQL's 20,000-id cap (wiqlPaging.ts): no list is cut short. */
  private async wiqlAll(where: string, what: string, signal?: AbortSignal, onPage?: (ids: readonly number[]) => void): Promise<number[]> {
    return (await allIds(where, what, (query) => this.wiqlWithTime(query, what, signal), onPage)).ids;
  }

  /** Ids and the service's time of the query (`asOf`), which is the watermark of the next refresh. */
  private async wiqlWithTime(query: string, what: string, signal?: AbortSignal): Promise<{ ids: number[]; asOf: string | undefined }> {
    const { project, team } = this.connection.endpoint;
    const result = await this.connection.call(what, async (api) => (await api.wit()).queryByWiql({ query }, { project, team }, true, WIQL_PAGE), { idempotent: true, signal });
    const parsed = WiqlResultSchema.safeParse(result);
    if (!parsed.success || result === null) throw badResponse(what, parsed.success ? 'no result' : (parsed.error.issues[0]?.message ?? 'unexpected shape'));
    const asOf = parsed.data.asOf === undefined ? undefined : new Date(parsed.data.asOf);
    const time = asOf && !Number.isNaN(asOf.getTime()) ? asOf.toISOString() : undefined;
    if (this.syncStartedAt === undefined || (time !== undefined && Date.parse(time) < Date.parse(this.syncStartedAt))) this.syncStartedAt = time;
    return { ids: (parsed.data.workItems ?? []).map((w) => w.id), asOf: time };
  }

  /**
   * Items in batches of at most 200 ids, in parallel up to the connection's bulkhead. Missing ids
   * come back in `missing`. Each batch's answer is checked and mapped as it arrives (and handed to
   * `onBatch`) and then let go: a whole list's raw answers (several times the size of the items)
   * are never held at once.
   */
  private async fetchItems(
    ids: readonly number[],
    signal?: AbortSignal,
    onBatch?: (asked: readonly number[], items: readonly WorkItem[]) => void,
  ): Promise<{ items: WorkItem[]; missing: number[]; invalid: Map<number, DevOpsError> }> {
    const unique = [...new Set(ids)];
    const what = 'reading work items';
    const invalid = new Map<number, DevOpsError>();
    const seen = new Set<number>();
    const batches: WorkItem[][] = [];
    const reads: Promise<void>[] = [];
    for (let i = 0; i < unique.length; i += MAX_IDS_PER_REQUEST) {
      const chunk = unique.slice(i, i + MAX_IDS_PER_REQUEST);
      const slot = batches.push([]) - 1;
      const answer = this.connection.call(
        what,
        async (api) => {
          const result = await (await api.wit()).getWorkItemsBatch({ ids: chunk, $expand: WorkItemExpand.Relations, errorPolicy: WorkItemErrorPolicy.Omit }, this.project);
          // typed-rest-client reads a garbled body as null: a bad answer, retried like a dropped one.
          if (!Array.isArray(result)) throw new DevOpsError('unavailable', `Azure DevOps sent an answer that could not be read while ${what}.`);
          return result as unknown[];
        },
        { idempotent: true, signal },
      );
      reads.push(
        answer.then((result) => {
          const items = this.mapBatch(chunk, result, seen, invalid);
          batches[slot] = items;
          onBatch?.(chunk, items);
        }),
      );
    }
    await Promise.all(reads);
    // In the order of the ids asked (batch by batch), whatever order the answers came in.
    const items = batches.length === 1 ? batches[0]! : ([] as WorkItem[]).concat(...batches);
    return { items, missing: unique.filter((id) => !seen.has(id) && !invalid.has(id)), invalid };
  }

  /** One batch's answer as work items; an item that is not the expected shape is an error for its id. */
  private mapBatch(chunk: readonly number[], result: readonly unknown[], seen: Set<number>, invalid: Map<number, DevOpsError>): WorkItem[] {
    const items: WorkItem[] = [];
    const webBase = this.webBase;
    for (let index = 0; index < result.length; index++) {
      const raw = result[index];
      if (raw === null || raw === undefined) continue;
      const item = readWireItem(raw, webBase);
      if ('error' in item) {
        const id = chunk[index];
        if (id !== undefined) invalid.set(id, badResponse(`reading AB#${id}`, item.error));
        continue;
      }
      seen.add(item.id);
      items.push(item);
    }
    return items;
  }

  async get(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, WorkItem | DevOpsError>> {
    await this.ensureLoaded();
    const out = new Map<number, WorkItem | DevOpsError>();
    const fresh = !this.snapshot('allOpen').stale;
    const toFetch = ids.filter((id) => {
      const cached = fresh ? this.cache.items.get(id) : undefined;
      if (cached) out.set(id, cached);
      return cached === undefined;
    });
    if (toFetch.length === 0) return out;
    let fetched;
    try {
      fetched = await this.fetchItems(toFetch, signal);
    } catch (error) {
      if (isDevOpsError(error) && error.code === 'cancelled') throw error;
      const e = isDevOpsError(error) ? error : new DevOpsError('unavailable', `Reading work items failed: ${redactText(String(error))}`);
      for (const id of toFetch) out.set(id, this.cache.items.get(id) ?? e);
      return out;
    }
    for (const item of fetched.items) {
      out.set(item.id, item);
      this.cache.items.set(item.id, item);
    }
    for (const [id, error] of fetched.invalid) out.set(id, error);
    for (const id of fetched.missing) {
      out.set(id, new DevOpsError('notFound', `AB#${id} does not exist or was deleted.`, { status: 404 }));
      this.cache.items.delete(id);
    }
    await this.cache.save();
    return out;
  }

  private async fetchOne(id: number, signal?: AbortSignal): Promise<WorkItem | undefined> {
    const { items, invalid } = await this.fetchItems([id], signal);
    const error = invalid.get(id);
    if (error) throw error;
    return items[0];
  }

  // ---------------------------------------------------------------- process rules

  async childTypes(parent: WorkItem | undefined): Promise<readonly string[]> {
    const info = await this.projectInfo();
    if (!info.template) {
      const types = await this.connection.call('reading work item types', async (api) => (await api.wit()).getWorkItemTypes(this.project), { idempotent: true });
      const names = z.array(z.object({ name: z.string() }).loose()).safeParse(types);
      return names.success ? names.data.map((t) => t.name) : [];
    }
    if (!parent) return info.template.types.map((t) => t.name);
    return allowedChildTypes(info.template, parent.type, info.bugsBehavior ? { bugsBehavior: info.bugsBehavior } : {});
  }

  async allowedStates(item: WorkItem, signal?: AbortSignal): Promise<readonly StateChoice[]> {
    const info = await this.projectInfo(signal);
    const type = info.template ? findType(info.template, item.type) : undefined;
    if (!info.template || !type) {
      const states = await this.connection.call(`reading the states of ${item.type}`, async (api) => (await api.wit()).getWorkItemTypeStates(this.project, item.type), { idempotent: true, signal });
      const parsed = z.array(z.object({ name: z.string(), category: z.string().optional() }).loose()).safeParse(states);
      return parsed.success ? parsed.data.filter((s) => s.name !== item.state).map((s) => ({ state: s.name, ...(s.category ? { description: s.category } : {}) })) : [];
    }
    const out: StateChoice[] = [];
    for (const state of type.states) {
      if (state.name === item.state) continue;
      const target = lifecycleTarget(info, item, state.name);
      if (target === null) continue;
      out.push({ state: state.name, ...(target ? { lifecycle: target } : {}), description: state.category });
    }
    return out;
  }

  /** Every change of the item's State, oldest first, from its updates. */
  async stateHistory(item: WorkItem, signal?: AbortSignal): Promise<readonly StateChange[]> {
    return readStateHistory(this.connection, this.project, item, signal);
  }

  // ---------------------------------------------------------------- writes
  // Each write is described here and sent by the outbox's protocol through azureWrites.ts.

  async changeState(item: WorkItem, state: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    const info = await this.infoIfReachable(options.signal);
    // Asked against the item as the user sees it; sent against the item as it is then (azureWrites).
    const target = info ? statePatch(info, item, state, true).state : state;
    return this.submit(
      { kind: 'changeState', subject: `AB#${item.id}`, touches: [STATE_FIELD], changes: [{ field: STATE_FIELD, bases: [item.state], want: target }], payload: { id: item.id, state: target, from: item.state }, description: `${workItemKey(item)}: State → ${target}` },
      item,
      options,
    );
  }

  async assignToMe(item: WorkItem, options: WriteOptions = {}): Promise<WriteOutcome> {
    const info = await this.projectInfo(options.signal);
    const to = info.me.account ?? info.me.displayName;
    const me = info.me.displayName ?? info.me.account;
    if (!to || !me) throw new DevOpsError('notConfigured', 'Azure DevOps did not say who is signed in, so the item cannot be assigned to you. Sign in again.');
    return this.submit(
      { kind: 'assignToMe', subject: `AB#${item.id}`, touches: [ASSIGNEE_FIELD], changes: [{ field: ASSIGNEE_FIELD, bases: [this.assignee(item)], want: me }], payload: { id: item.id, to, me }, description: `${workItemKey(item)}: assign to me` },
      item,
      options,
    );
  }

  /** Moves the item into an iteration (sprint planning); the path is checked by the service. */
  async setIteration(item: WorkItem, path: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    if (path.trim() === '') throw new DevOpsError('invalidInput', 'The iteration path is empty.');
    return this.submit(
      { kind: 'setIteration', subject: `AB#${item.id}`, touches: [ITERATION_FIELD], changes: [{ field: ITERATION_FIELD, bases: [item.iterationPath ?? null], want: path }], payload: { id: item.id, path, from: item.iterationPath ?? null }, description: `${workItemKey(item)}: Iteration → ${path}` },
      item,
      options,
    );
  }

  async setBlocked(item: WorkItem, blocked: boolean, options: WriteOptions & { readonly seen?: boolean } = {}): Promise<WriteOutcome> {
    return this.submit(
      {
        kind: 'setBlocked',
        subject: `AB#${item.id}`,
        touches: [BLOCKED_FIELD],
        changes: [{ field: BLOCKED_FIELD, bases: [options.seen ?? isMarkedBlocked(item)], want: blocked }],
        payload: { id: item.id, blocked },
        description: `${workItemKey(item)}: ${blocked ? 'mark Blocked' : 'clear Blocked'}`,
      },
      item,
      options,
    );
  }

  async addComment(item: WorkItem, markdown: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    return this.commentOn(item.id, markdown, options, item);
  }

  /**
   * A comment on AB#id. `audit: false` is for the audit mirror: the comment is itself a copy of an
   * audit event and must not write another one. `checkFirst` looks for the client id among the
   * item's comments before posting (one more request), for callers that may repeat themselves.
   */
  async commentOn(id: number, markdown: string, options: WriteOptions & { readonly audit?: boolean; readonly checkFirst?: boolean } = {}, seen?: WorkItem): Promise<WriteOutcome> {
    if (markdown.trim() === '') throw new DevOpsError('invalidInput', 'The comment is empty.');
    const clientId = options.clientId ?? randomUUID();
    const html = `${toHtml(markdown)}${clientMarker(clientId)}`;
    return this.submit(
      { kind: 'addComment', subject: `AB#${id}`, touches: ['comments'], payload: { id, html, ...(options.audit === false ? { audit: false } : {}) }, description: `AB#${id}: comment` },
      seen ?? this.cache.items.get(id),
      { ...options, clientId },
      options.checkFirst === true || options.clientId !== undefined,
    );
  }

  async create(request: NewWorkItem, options: WriteOptions = {}): Promise<WriteOutcome> {
    if (request.title.trim() === '') throw new DevOpsError('invalidInput', 'A work item needs a title.');
    const info = await this.projectInfo(options.signal);
    if (info.template && !findType(info.template, request.type)) {
      throw new DevOpsError('invalidInput', `"${request.type}" is not a work item type of the ${info.template.name} process; its types are ${info.template.types.map((t) => t.name).join(', ')}.`);
    }
    if (request.parentId !== undefined && info.template) {
      const parent = (await this.get([request.parentId], options.signal)).get(request.parentId);
      if (parent === undefined || isDevOpsError(parent)) throw parent ?? new DevOpsError('notFound', `The parent AB#${request.parentId} was not found.`);
      const check = checkParentChild(info.template, parent.type, request.type, info.bugsBehavior ? { bugsBehavior: info.bugsBehavior } : {});
      if (!check.ok) throw new DevOpsError('refused', check.reason);
    }
    const clientId = options.clientId ?? randomUUID();
    const patch: JsonPatchOperation[] = [
      { op: Operation.Add, path: '/fields/System.Title', value: request.title.slice(0, 255) },
      { op: Operation.Add, path: '/fields/System.Description', value: `${toHtml(request.description)}${createdMarker(clientId)}` },
    ];
    if (request.tags?.length) patch.push({ op: Operation.Add, path: '/fields/System.Tags', value: request.tags.join('; ') });
    for (const [field, value] of Object.entries(request.fields ?? {})) {
      if (!/^(?!System\.)[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/.test(field)) throw new DevOpsError('invalidInput', `"${field}" is not a field a new work item can be given here.`);
      patch.push({ op: Operation.Add, path: `/fields/${field}`, value: typeof value === 'number' ? value : toHtml(value) });
    }
    const me = info.me.account ?? info.me.displayName;
    if (request.assignToMe && me) patch.push({ op: Operation.Add, path: '/fields/System.AssignedTo', value: me });
    if (request.parentId !== undefined) {
      patch.push({ op: Operation.Add, path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/_apis/wit/workItems/${request.parentId}` } });
    }
    return this.submit(
      { kind: 'create', subject: 'new', touches: [], payload: { type: request.type, title: request.title, patch: patch as unknown as OutboxJson[] }, description: `New ${request.type}: ${request.title}` },
      undefined,
      { ...options, clientId },
      options.clientId !== undefined,
    );
  }

  async linkBranch(item: WorkItem, branch: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    const name = branch.replace(/^refs\/heads\//, '');
    if (name === '' || /\s/.test(name)) throw new DevOpsError('invalidInput', `"${branch}" is not a branch name.`);
    const info = await this.projectInfo(options.signal);
    const repositoryId = await this.repository(options.signal);
    const url = `vstfs:///Git/Ref/${info.projectId}%2F${repositoryId}%2FGB${encodeURIComponent(name)}`;
    return this.submit({ kind: 'linkBranch', subject: `AB#${item.id}`, touches: [`link ${name}`], payload: { id: item.id, url, branch: name }, description: `${workItemKey(item)}: link branch ${name}` }, item, options);
  }

  private repository(signal?: AbortSignal): Promise<string> {
    const current = (this.repositoryId ??= (async () => {
      const repos = await this.connection.call('listing repositories', async (api) => (await api.git()).getRepositories(this.project), { idempotent: true, signal });
      const parsed = z.array(z.object({ id: z.string(), name: z.string() }).loose()).safeParse(repos);
      if (!parsed.success || parsed.data.length === 0) throw new DevOpsError('notFound', `The project "${this.project}" has no Git repository to link the branch to.`);
      const wanted = (this.options.repository ?? this.project).toLowerCase();
      return (parsed.data.find((r) => r.name.toLowerCase() === wanted) ?? parsed.data[0]!).id;
    })());
    current.catch(() => {
      if (this.repositoryId === current) this.repositoryId = undefined;
    });
    return current;
  }

  /** The project's info, or undefined while Azure DevOps cannot be reached (the change is then queued unchecked; the service decides). */
  private async infoIfReachable(signal?: AbortSignal): Promise<ProjectInfo | undefined> {
    try {
      return await this.projectInfo(signal);
    } catch (error) {
      if (isDevOpsError(error) && (error.transient || error.code === 'badResponse')) return undefined;
      throw error;
    }
  }

  /** Hands a described change to the outbox and reads its outcome in WorkTracker terms. */
  private async submit(
    write: Pick<RemoteWriteRequest, 'kind' | 'subject' | 'touches' | 'changes' | 'payload' | 'description'>,
    seen: WorkItem | undefined,
    options: WriteOptions,
    mayRepeat = options.clientId !== undefined,
  ): Promise<WriteOutcome> {
    const clientId = options.clientId ?? randomUUID();
    const account = await this.account(options.signal).catch(() => undefined);
    const outcome = await this.options.outbox.send(
      { ...write, target: withAccount(this.home, account), clientId, correlationId: options.correlationId ?? clientId, mayRepeat },
      { via: this.writeConnection, ...(options.signal ? { signal: options.signal } : {}) },
    );
    switch (outcome.kind) {
      case 'queued':
      case 'refused':
        return outcome;
      case 'conflict':
        return { kind: 'conflict', remote: (outcome.remote as WorkItem | undefined) ?? seen ?? assertItem(write.description), message: outcome.message, fields: outcome.fields };
      case 'applied':
        return { kind: 'applied', item: (outcome.result as WorkItem | undefined) ?? seen ?? assertItem(write.description) };
    }
  }

  /** What the write adapters need of this tracker (reads, the cache, the audit trail). */
  private writeHost(): AzureWriteHost {
    return {
      connection: this.connection,
      project: this.project,
      projectInfo: (signal) => this.projectInfo(signal),
      read: (id, signal) => this.fetchOne(id, signal),
      findCreated: (clientId, signal) => this.findCreated(clientId, signal),
      toItem: (wire) => toWorkItem(wire, this.webBase),
      assignee: (item) => this.assignee(item),
      applied: (kind, payload, item, correlationId) => this.afterWrite(kind, payload, item, correlationId),
    };
  }

  /** The assignee as the outbox compares it: the signed-in user's display name for "me", else as the item shows it. */
  private assignee(item: WorkItem): string | null {
    if (item.assignedTo === undefined) return null;
    return this.meNames.includes(item.assignedTo) ? (this.meNames[0] ?? item.assignedTo) : item.assignedTo;
  }

  private async findCreated(clientId: string, signal?: AbortSignal): Promise<WorkItem | undefined> {
    const ids = await this.wiql(`SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Description] CONTAINS 'ref ${clientId.replace(/'/g, "''")}'`, 'looking for a created work item', signal);
    if (ids.length === 0) return undefined;
    return this.fetchOne(ids[0]!, signal);
  }

  /** The service holds a change: the cache and the views move on, and the audit trail records it. */
  private async afterWrite(kind: AzureKind, payload: Record<string, OutboxJson>, item: WorkItem | undefined, correlationId: string | undefined): Promise<void> {
    if (item) {
      this.listsVersion++;
      this.cache.items.set(item.id, item);
      const info = await this.projectInfo().catch(() => undefined);
      if (info) this.updateMembership(item, info);
      await this.cache.save().catch((error: unknown) => this.options.log.warn(`Could not save the Azure Boards cache: ${String(error)}`));
      this.fire();
    }
    const audit = this.options.audit;
    if (!audit || payload.audit === false) return;
    const id = item?.id ?? (typeof payload.id === 'number' ? payload.id : undefined);
    const eventType = {
      changeState: AUDIT_EVENTS.workItemStateChanged,
      assignToMe: AUDIT_EVENTS.workItemUpdated,
      addComment: AUDIT_EVENTS.workItemCommented,
      create: AUDIT_EVENTS.workItemCreated,
      linkBranch: AUDIT_EVENTS.workItemUpdated,
      setIteration: AUDIT_EVENTS.workItemUpdated,
      setBlocked: AUDIT_EVENTS.workItemUpdated,
    }[kind];
    try {
      await audit.append({
        correlationId: correlationId ?? randomUUID(),
        eventType,
        service: 'azureBoards',
        workItemId: id ?? null,
        repository: this.project,
        oldState: kind === 'changeState' && typeof payload.from === 'string' ? payload.from : null,
        newState: kind === 'changeState' || kind === 'create' ? (item?.state ?? (typeof payload.state === 'string' ? payload.state : null)) : null,
        metadata: { change: kind, rev: item?.rev ?? null, ...(kind === 'linkBranch' ? { branch: payload.branch ?? null } : {}), ...(kind === 'assignToMe' ? { assignedTo: item?.assignedTo ?? null } : {}), ...(kind === 'setIteration' ? { iterationPath: payload.path ?? null } : {}), ...(kind === 'setBlocked' ? { blocked: payload.blocked ?? null } : {}) },
      });
    } catch (error) {
      this.options.log.warn(`Could not write the audit event for ${id === undefined ? 'a new item' : `AB#${id}`}: ${String(error)}`);
    }
  }
}

/** A WIQL string literal. */
const quoteWiql = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Where `id` is or would go in ascending `ids`. */
function sortedIndex(ids: readonly number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function assertItem(description: string): never {
  throw new DevOpsError('badResponse', `${description}: Azure DevOps did not send the item back.`);
}
