import * as vscode from 'vscode';
import { type BoardNode, groupItems, myOpenCount } from '../../core/boards/boardTree';
import { type ViewPreferences } from '../../core/boards/viewPreferences';
import { type WorkItemSnapshot, type WorkTracker } from '../../core/boards/workTracker';
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

/**
 * The Azure Boards view's data: the cached items for the chosen filter, shown at once, refreshed
 * from the service in the background. A failed refresh keeps the cached items and reports the
 * error in the tree; a failed first load shows only the error with its fix.
 */
export class AzureBoardsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private snapshot: WorkItemSnapshot | undefined;
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
    return this.snapshot?.items ?? [];
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

  nodes(): BoardNode[] {
    return groupItems(this.items, this.preferences().groupBy);
  }

  badgeCount(): number {
    return myOpenCount(this.items, this.me);
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
      const snapshot = await tracker.list(filter, { signal: controller.signal });
      if (controller.signal.aborted) return;
      this.snapshot = snapshot;
      this.state = 'loaded';
      this.error = undefined;
      this.changed.fire();
      if (snapshot.items.length) noteFirstRows(snapshot.items.length);
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

  private refreshFrom(tracker: WorkTracker, filter: ViewPreferences['filter'], depth: { full: boolean; reconcile: boolean }): Promise<void> {
    // One refresh at a time; a second request while one runs waits for it.
    this.refreshing ??= (async () => {
      this.changed.fire();
      try {
        const result = await tracker.refresh(depth);
        this.log.debug(`Azure Boards refresh: ${result.changed} changed in ${result.requests} request(s).`);
        const snapshot = await tracker.list(filter);
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

  summary(labelOf: (node: BoardNode) => string): ViewSummary {
    return {
      state: this.state,
      items: this.items.length,
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
function noteFirstRows(items: number): void {
  const timeline = startupTimeline();
  if (timeline.get(BOARDS_FIRST_ROWS)) return;
  // The first list from the service reads the items in batches; one from the disk cache reads none.
  const fetched = timeline.get('Azure DevOps: reading work items') !== undefined;
  timeline.record(BOARDS_FIRST_ROWS, timeline.origin, `${items} items, ${fetched ? 'fetched from the service' : 'from the cache'}`);
}
