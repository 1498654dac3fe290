import * as vscode from 'vscode';
import { type BoardNode, type GroupBy, groupItems, myOpenCount } from '../../core/boards/boardTree';
import { groupRanges, holdsRange, idRanges, LARGE_LIST, pageItems, type RangeNode } from '../../core/boards/idRanges';
import { type ViewPreferences } from '../../core/boards/viewPreferences';
import { type CachedWorkTracker, hasCachedLists, isPagedTracker, type PagedWorkTracker, type WorkItemSnapshot, type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { startupTimeline } from '../../core/startupTimeline';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { BOARDS_FIRST_ROWS } from '../../host/startupTimings';

export type ModelState = 'notConnected' | 'loading' | 'loaded' | 'error';

/** A summary of what a view shows, returned by the refresh commands (tests and automation read it). */
export interface ViewSummary {
  readonly state: ModelState;
  readonly items: number;
  /** Labels of the top-level rows. */
  readonly topLevel: readonly string[];
  /** Every loaded item (or project card) with the state or Status it shows. */
  readonly rows: readonly { readonly key: string; readonly title: string; readonly state: string; readonly assignedTo?: string }[];
  readonly error?: string;
  readonly syncedAt?: string;
}

/** A large list: its ids (all of them) and the rows they make; items are read a page at a time. */
interface LargeList {
  readonly ids: readonly number[];
  readonly ranges: readonly RangeNode[];
  /** Open items assigned to the signed-in user, from their own list's ids (the items are not all read). */
  mine: number;
  /** The ids of the first query pages while the rest are still asked for (the count is a lower bound). */
  readonly partial: boolean;
  /** Its rows by state or iteration (a query per group, no item read), once asked for; or why they could not be made. */
  grouped?: { readonly by: GroupBy; readonly nodes: readonly RangeNode[]; readonly error?: string };
}

/**
 * The Azure Boards view's data: the cached items for the chosen filter, shown at once, refreshed
 * from the service in the background. A failed refresh keeps the cached items and reports the
 * error in the tree; a failed first load shows only the error with its fix.
 *
 * A list of more than LARGE_LIST items is not read whole: its ids come first (one WIQL query per
 * 20,000), the tree shows them by id range, and a range's items are read (one batch of 200) when
 * it is opened; `items` then holds the items of the ranges opened.
 */
export class AzureBoardsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private snapshot: WorkItemSnapshot | undefined;
  private large: LargeList | undefined;
  /** The items of the pages opened in a large list, by page key. */
  private readonly pages = new Map<string, readonly WorkItem[]>();
  private me: string | undefined;
  private trackerSub: { dispose(): void } | undefined;
  private subscribedTo: WorkTracker | undefined;
  private loadController: AbortController | undefined;
  private refreshing: Promise<void> | undefined;
  state: ModelState = 'loading';
  error: DevOpsError | undefined;

  constructor(
    private readonly tracker: () => WorkTracker | undefined,
    private readonly preferences: () => ViewPreferences,
    private readonly log: Logger,
  ) {}

  get items(): readonly WorkItem[] {
    if (this.large) return [...this.pages.values()].flat();
    return this.snapshot?.items ?? [];
  }

  /** How many items the list holds (a large list's items are not all read). */
  get total(): number {
    return this.large?.ids.length ?? this.items.length;
  }

  /** The list is shown by id range (too large to read whole). */
  get byIdRange(): boolean {
    return this.large !== undefined;
  }

  /** The rows show the first pages of a list still being counted: `total` is a lower bound. */
  get counting(): boolean {
    return this.large?.partial === true;
  }

  get syncedAt(): string | undefined {
    return this.snapshot?.syncedAt;
  }

  get currentUser(): string | undefined {
    return this.me;
  }

  get isRefreshing(): boolean {
    return this.refreshing !== undefined;
  }

  nodes(): (BoardNode | RangeNode)[] {
    const by = this.preferences().groupBy;
    if (this.large) {
      if (by === 'hierarchy' || this.large.partial) return [...this.large.ranges];
      // Grouped from the ids alone (a query per state or sprint); by id range until the groups are known.
      const grouped = this.large.grouped;
      if (grouped?.by === by) return [...grouped.nodes];
      void this.groupLarge(this.large, by);
      return [...this.large.ranges];
    }
    return groupItems(this.items, by);
  }

  /** The grouping a large list is shown with (its groups known), or why it could not be grouped. */
  get largeGrouping(): { readonly by: GroupBy; readonly error?: string } | undefined {
    const grouped = this.large?.grouped;
    return grouped && grouped.by === this.preferences().groupBy ? { by: grouped.by, ...(grouped.error ? { error: grouped.error } : {}) } : undefined;
  }

  private grouping: { readonly large: LargeList; readonly by: GroupBy; readonly done: Promise<void> } | undefined;

  /** Asks the tracker for the large list's groups and shows them (once per list and grouping); an error leaves the id ranges with the reason. */
  private groupLarge(large: LargeList, by: GroupBy): Promise<void> {
    if (large.grouped?.by === by) return Promise.resolve();
    if (this.grouping?.large === large && this.grouping.by === by) return this.grouping.done;
    const done = this.askGroups(large, by);
    this.grouping = { large, by, done };
    return done;
  }

  private async askGroups(large: LargeList, by: GroupBy): Promise<void> {
    const tracker = this.tracker();
    if (by === 'hierarchy' || !tracker || !isPagedTracker(tracker) || !tracker.groupIds) return;
    const filter = this.preferences().filter;
    try {
      const groups = await tracker.groupIds(filter, by);
      large.grouped = { by, nodes: groupRanges(by, groups) };
    } catch (error) {
      const message = isDevOpsError(error) || error instanceof Error ? error.message : String(error);
      this.log.warn(`Azure Boards: the list could not be grouped by ${by}: ${message}`);
      large.grouped = { by, nodes: large.ranges, error: message };
    } finally {
      if (this.grouping?.large === large && this.grouping.by === by) this.grouping = undefined;
    }
    if (this.large === large && this.preferences().groupBy === by) this.changed.fire();
  }

  badgeCount(): number {
    return this.large ? this.large.mine : myOpenCount(this.items, this.me);
  }

  /**
   * The rows under a page of a large list: its items (read when first opened, one batch; then from
   * the tracker's cache) as a hierarchy within the page. An item that failed is left out, and the
   * failure thrown when no item could be read.
   */
  async pageRows(page: RangeNode): Promise<BoardNode[]> {
    const tracker = this.tracker();
    if (!tracker || !isPagedTracker(tracker)) return [];
    const { items, failure } = pageItems(page, await tracker.items(page.ids));
    if (failure) throw failure;
    if (this.large && (holdsRange(this.large.ranges, page) || holdsRange(this.large.grouped?.nodes ?? [], page))) this.pages.set(page.key, items);
    return groupItems(items, 'hierarchy');
  }

  /** Settles once the tree shows something other than "loading": rows (from the disk cache or the tracker), an error, or "not connected". */
  whenShown(): Promise<void> {
    if (this.state !== 'loading') return Promise.resolve();
    return new Promise((resolve) => {
      const sub = this.onDidChange(() => {
        if (this.state === 'loading') return;
        sub.dispose();
        resolve();
      });
    });
  }

  find(id: number): WorkItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  private subscribe(tracker: WorkTracker | undefined): void {
    if (tracker === this.subscribedTo) return;
    this.trackerSub?.dispose();
    this.subscribedTo = tracker;
    // The tracker fires after a refresh, a write or an outbox replay changed its cache: re-read it.
    this.trackerSub = tracker?.onDidChange(() => void this.load({ refresh: false }));
  }

  /**
   * Shows what the cache holds for the filter; then, when `refresh` is true or the cache is stale,
   * asks the service for changes (with `report` showing progress on the view).
   */
  async load(options: { refresh: boolean; full?: boolean; reconcile?: boolean; report?: (work: Promise<void>) => void }): Promise<void> {
    const tracker = this.tracker();
    this.subscribe(tracker);
    if (!tracker) {
      this.snapshot = undefined;
      this.state = 'notConnected';
      this.error = undefined;
      this.changed.fire();
      return;
    }
    this.loadController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    if (this.snapshot === undefined && this.state !== 'error') {
      this.state = 'loading';
      this.changed.fire();
    }
    try {
      const filter = this.preferences().filter;
      // Nothing on screen yet (start-up): what the disk cache held, before the tracker's code loads
      // and the sandbox or the service answers (loading that code holds the extension host up, so
      // it starts only once these rows are shown). The list below replaces them.
      if (this.snapshot === undefined && hasCachedLists(tracker)) await this.showCached((f, max) => tracker.cached(f, max), filter, controller.signal);
      if (controller.signal.aborted) return;
      // Asked on every load: a sign-in as someone else changes "me" (the provider caches the answer).
      // It needs the service; the cached items do not wait for it (they are on screen at once).
      const identity = tracker.identity(controller.signal).then(
        (id) => {
          if (controller.signal.aborted || id.me === this.me) return;
          this.me = id.me;
          this.changed.fire();
        },
        () => undefined,
      );
      const snapshot = await this.read(tracker, filter, controller.signal);
      if (controller.signal.aborted) return;
      this.snapshot = snapshot;
      this.state = 'loaded';
      this.error = undefined;
      this.changed.fire();
      if (this.total) noteFirstRows(this.total, this.large !== undefined);
      // A large list grouped by state or iteration: its rows by id range are on screen; the groups follow.
      const by = this.preferences().groupBy;
      if (this.large && by !== 'hierarchy') await this.groupLarge(this.large, by);
      await identity;
      if (options.refresh || snapshot.stale) {
        const work = this.refreshFrom(tracker, filter, { full: options.full ?? false, reconcile: options.reconcile ?? false });
        options.report?.(work);
        await work;
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      this.fail(error);
    }
  }

  /**
   * Start-up, before the features and the trackers are loaded: the rows the disk cache holds for
   * the filter (read by `cached`, which needs no tracker), so the tree shows them at once; the
   * first load() from the tracker replaces them in place (same rows, same ids). True when rows
   * are shown; false when nothing usable was cached or something is already shown.
   */
  async preload(cached: CachedWorkTracker['cached']): Promise<boolean> {
    if (this.snapshot !== undefined || this.state !== 'loading') return false;
    // Aborted when anything else is shown meanwhile (a load from the tracker, an error, "not connected").
    const controller = new AbortController();
    const sub = this.onDidChange(() => this.state !== 'loading' && controller.abort());
    try {
      return await this.showCached(cached, this.preferences().filter, controller.signal);
    } finally {
      sub.dispose();
    }
  }

  /** The rows the disk cache held for the filter, shown while nothing else is: whole when small, by id range when large. */
  private async showCached(cached: CachedWorkTracker['cached'], filter: ViewPreferences['filter'], signal: AbortSignal): Promise<boolean> {
    const early = await cached(filter, LARGE_LIST).catch((error: unknown) => {
      this.log.debug(`Azure Boards: the disk cache could not be read ahead of the tracker: ${String(error)}`);
      return undefined;
    });
    if (!early || signal.aborted || this.snapshot !== undefined) return false;
    if (early.ids.length > LARGE_LIST) {
      this.large = { ids: early.ids, ranges: idRanges(early.ids), mine: 0, partial: false };
      this.pages.clear();
      this.snapshot = { items: [], syncedAt: early.syncedAt, stale: early.stale };
    } else if (early.items) {
      this.large = undefined;
      this.snapshot = { items: early.items, syncedAt: early.syncedAt, stale: early.stale };
    } else {
      return false;
    }
    this.state = 'loaded';
    this.changed.fire();
    noteFirstRows(this.total, this.large !== undefined, 'from the disk cache, before the service answered');
    return true;
  }

  /**
   * The list as the view shows it: whole when it is small (or the tracker cannot give ids first);
   * past LARGE_LIST items only its ids, the rows by id range, and the items of the pages opened
   * read again when the tree asks for them (from the cache, which a refresh keeps current).
   */
  private async read(tracker: WorkTracker, filter: ViewPreferences['filter'], signal: AbortSignal | undefined): Promise<WorkItemSnapshot> {
    const options = signal ? { signal } : {};
    if (isPagedTracker(tracker)) {
      // A list of more than one query page (20,000 ids) shows its first pages while the rest come.
      const onPage = (ids: readonly number[]): void => this.firstPages(ids, signal);
      const list = await tracker.listIds(filter, { ...options, onPage });
      if (list.ids.length > LARGE_LIST) {
        const mine = filter === 'assignedToMe' ? list.ids.length : (this.large?.mine ?? 0);
        this.large = { ids: list.ids, ranges: idRanges(list.ids), mine, partial: false };
        this.pages.clear();
        if (filter !== 'assignedToMe') void this.countMine(tracker, signal);
        return { items: [], syncedAt: list.syncedAt, stale: list.stale };
      }
    }
    const snapshot = await tracker.list(filter, options);
    this.large = undefined;
    this.pages.clear();
    return snapshot;
  }

  /** Rows for the ids of a large list's first query pages, shown at once; the whole list replaces them. */
  private firstPages(ids: readonly number[], signal: AbortSignal | undefined): void {
    if (signal?.aborted || ids.length <= LARGE_LIST) return;
    this.large = { ids, ranges: idRanges(ids), mine: this.large?.mine ?? 0, partial: true };
    this.snapshot = { items: [], syncedAt: this.snapshot?.syncedAt, stale: false };
    this.state = 'loaded';
    this.changed.fire();
    noteFirstRows(ids.length, true);
  }

  /** The badge of a large list: the open items assigned to the user, by their own list's ids. */
  private async countMine(tracker: PagedWorkTracker, signal: AbortSignal | undefined): Promise<void> {
    try {
      const mine = await tracker.listIds('assignedToMe', signal ? { signal } : {});
      if (!this.large || this.large.mine === mine.ids.length) return;
      this.large.mine = mine.ids.length;
      this.changed.fire();
    } catch (error) {
      this.log.debug(`Azure Boards: the count of your items is not known: ${String(error)}`);
    }
  }

  private refreshFrom(tracker: WorkTracker, filter: ViewPreferences['filter'], depth: { full: boolean; reconcile: boolean }): Promise<void> {
    // One refresh at a time; a second request while one runs waits for it.
    this.refreshing ??= (async () => {
      this.changed.fire();
      try {
        const result = await tracker.refresh(depth);
        this.log.debug(`Azure Boards refresh: ${result.changed} changed in ${result.requests} request(s).`);
        const snapshot = await this.read(tracker, filter, undefined);
        if (this.tracker() !== tracker || this.preferences().filter !== filter) return;
        this.snapshot = snapshot;
        this.state = 'loaded';
        this.error = undefined;
      } catch (error) {
        this.fail(error);
      }
    })().finally(() => {
      this.refreshing = undefined;
      this.changed.fire();
    });
    return this.refreshing;
  }

  private fail(error: unknown): void {
    const e = isDevOpsError(error) ? error : new DevOpsError('unavailable', error instanceof Error ? error.message : String(error));
    if (e.code === 'cancelled') return;
    this.log.warn(`Azure Boards: ${e.code}: ${e.message}`);
    this.error = e;
    // Cached items stay on screen; the error row says the refresh failed.
    this.state = this.snapshot ? 'loaded' : 'error';
    this.changed.fire();
  }

  summary(labelOf: (node: BoardNode | RangeNode) => string): ViewSummary {
    return {
      state: this.state,
      items: this.total,
      topLevel: this.nodes().map(labelOf),
      rows: this.items.map((i) => ({ key: workItemKey(i), title: i.title, state: i.state, ...(i.assignedTo ? { assignedTo: i.assignedTo } : {}) })),
      ...(this.error ? { error: this.error.message } : {}),
      ...(this.syncedAt ? { syncedAt: this.syncedAt } : {}),
    };
  }

  dispose(): void {
    this.loadController?.abort();
    this.trackerSub?.dispose();
    this.changed.dispose();
  }
}

/** The first time the tree has work items to show: on the start-up timeline, counted from the bundle's first line. */
function noteFirstRows(items: number, byIdRange: boolean, from?: string): void {
  const timeline = startupTimeline();
  if (timeline.get(BOARDS_FIRST_ROWS)) return;
  // The first list from the service reads the items in batches; one from the disk cache reads none.
  const asked = ['reading work items', 'listing open work items', 'listing your work items', 'listing the current iteration'];
  const fetched = asked.some((what) => timeline.get(`Azure DevOps: ${what}`) !== undefined);
  timeline.record(BOARDS_FIRST_ROWS, timeline.origin, `${items} items${byIdRange ? ' by id range' : ''}, ${from ?? (fetched ? 'fetched from the service' : 'from the cache')}`);
}
