import * as vscode from 'vscode';
import { groupByStatus, type StatusGroup } from '../../core/boards/projectBoard';
import { type PartialProjectBoard, type ProjectBoard, type ProjectTracker, type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { type ModelState, type ViewSummary } from './azureBoardsModel';

export type GitHubTracker = WorkTracker & ProjectTracker;
export type ProjectModelState = ModelState | 'noProject';

/** Up to this many items a board is read whole and shown open; a larger one a group and a page at a time. */
export const LARGE_BOARD = 2_000;

/**
 * The GitHub Projects view's data: the chosen project's board (Status options in order, items),
 * kept on screen while a refresh runs; errors leave the last board in place.
 */
export class GitHubProjectsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: ProjectBoard | PartialProjectBoard | undefined;
  private trackerSub: { dispose(): void } | undefined;
  private subscribedTo: GitHubTracker | undefined;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  state: ProjectModelState = 'loading';
  error: DevOpsError | undefined;

  constructor(
    private readonly tracker: () => GitHubTracker | undefined,
    private readonly projectNumber: () => number | undefined,
    private readonly log: Logger,
  ) {}

  get board(): ProjectBoard | undefined {
    return this.current;
  }

  /** Every item of the board is read (a board read a page at a time may not be). */
  get complete(): boolean {
    const b = this.current;
    return b === undefined || !('complete' in b) || b.complete;
  }

  /** The project's item count as GitHub reported it, when only a part is read. */
  get totalCount(): number | undefined {
    const b = this.current;
    return b && 'totalCount' in b ? b.totalCount : b?.items.length;
  }

  /** Shown a group and a page at a time: more than LARGE_BOARD items, or not all read. */
  get large(): boolean {
    return !this.complete || (this.current?.items.length ?? 0) > LARGE_BOARD;
  }

  /**
   * Reads pages until the group `status` holds `want` items (or the project ends): what opening a
   * group, or a page of one, asks. Resolves with the error when the reading failed (the view shows
   * it in the group; it does not refresh the whole view for it, which would ask again at once).
   */
  async readGroup(status: string | undefined, want: number): Promise<DevOpsError | undefined> {
    const tracker = this.tracker();
    const number = this.projectNumber();
    if (!tracker?.readGroup || number === undefined || this.complete) return undefined;
    try {
      const board = await tracker.readGroup(number, status, want);
      if (this.projectNumber() !== number) return undefined;
      const grew = board.items.length !== this.current?.items.length;
      this.current = board;
      // Group counts and pages change with what was read.
      if (grew) this.changed.fire();
      return undefined;
    } catch (error) {
      const e = isDevOpsError(error) ? error : new DevOpsError('unavailable', error instanceof Error ? error.message : String(error));
      this.log.warn(`GitHub Projects: reading more items: ${e.code}: ${e.message}`);
      return e;
    }
  }

  get isRefreshing(): boolean {
    return this.running !== undefined;
  }

  private grouped: { board: ProjectBoard; groups: StatusGroup[] } | undefined;

  /** Grouped once per board read (a large board's tree asks for its groups at every page row). */
  groups(): StatusGroup[] {
    const board = this.current;
    if (!board) return [];
    if (this.grouped?.board !== board) this.grouped = { board, groups: groupByStatus(board) };
    return this.grouped.groups;
  }

  private subscribe(tracker: GitHubTracker | undefined): void {
    if (tracker === this.subscribedTo) return;
    this.trackerSub?.dispose();
    this.subscribedTo = tracker;
    this.trackerSub = tracker?.onDidChange(() => void this.load({ refresh: false }));
  }

  async load(options: { refresh: boolean; report?: (work: Promise<void>) => void }): Promise<void> {
    const tracker = this.tracker();
    this.subscribe(tracker);
    const number = this.projectNumber();
    if (!tracker || number === undefined) {
      this.current = undefined;
      this.error = undefined;
      this.state = tracker ? 'noProject' : 'notConnected';
      this.changed.fire();
      return;
    }
    if (this.current && this.current.project.number !== number) this.current = undefined;
    if (!this.current) {
      this.state = 'loading';
      this.changed.fire();
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const work = (async () => {
      this.changed.fire();
      try {
        // A board read a page at a time shows its first page (or the disk cache) at once.
        // A refresh (the Refresh button, the background refresh at the cache's time-to-live) reads
        // the board again; a plain load shows the cache while it is fresh.
        const board = tracker.openBoard
          ? await tracker.openBoard(number, { signal: controller.signal, ...(options.refresh ? { refresh: true } : {}) })
          : await tracker.board(number, { signal: controller.signal, ...(options.refresh ? { full: false } : {}) });
        if (controller.signal.aborted) return;
        this.current = board;
        this.state = 'loaded';
        this.error = undefined;
        // A board of up to LARGE_BOARD items is then read whole, as before, and shown open.
        if (!this.complete && (this.totalCount ?? Number.POSITIVE_INFINITY) <= LARGE_BOARD) await this.readGroup(undefined, Number.MAX_SAFE_INTEGER);
      } catch (error) {
        if (controller.signal.aborted) return;
        const e = isDevOpsError(error) ? error : new DevOpsError('unavailable', error instanceof Error ? error.message : String(error));
        if (e.code === 'cancelled') return;
        this.log.warn(`GitHub Projects: ${e.code}: ${e.message}`);
        this.error = e;
        this.state = this.current ? 'loaded' : 'error';
      }
    })().finally(() => {
      if (this.running === work) this.running = undefined;
      this.changed.fire();
    });
    this.running = work;
    options.report?.(work);
    await work;
  }

  summary(): ViewSummary {
    const groups = this.groups();
    return {
      state: this.state === 'noProject' ? 'notConnected' : this.state,
      items: this.current?.items.length ?? 0,
      topLevel: groups.map((g) => `${g.label} (${g.items.length})`),
      rows: (this.current?.items ?? []).map((i) => ({ key: i.number === undefined ? i.itemId : `${i.repository ?? ''}#${i.number}`, title: i.title, state: i.status ?? 'No Status', ...(i.assignees.length ? { assignedTo: i.assignees.join(', ') } : {}) })),
      ...(this.error ? { error: this.error.message } : {}),
      ...(this.current?.syncedAt ? { syncedAt: this.current.syncedAt } : {}),
    };
  }

  dispose(): void {
    this.controller?.abort();
    this.trackerSub?.dispose();
    this.changed.dispose();
  }
}
