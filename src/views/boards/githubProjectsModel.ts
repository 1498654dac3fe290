import * as vscode from 'vscode';
import { groupByStatus, type StatusGroup } from '../../core/boards/projectBoard';
import { type ProjectBoard, type ProjectTracker, type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { type ModelState, type ViewSummary } from './azureBoardsModel';

export type GitHubTracker = WorkTracker & ProjectTracker;
export type ProjectModelState = ModelState | 'noProject';

/**
 * The GitHub Projects view's data: the chosen project's board (Status options in order, items),
 * kept on screen while a refresh runs; errors leave the last board in place.
 */
export class GitHubProjectsModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: ProjectBoard | undefined;
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

  get isRefreshing(): boolean {
    return this.running !== undefined;
  }

  groups(): StatusGroup[] {
    return this.current ? groupByStatus(this.current) : [];
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
        const board = await tracker.board(number, { signal: controller.signal, ...(options.refresh ? { full: false } : {}) });
        if (controller.signal.aborted) return;
        this.current = board;
        this.state = 'loaded';
        this.error = undefined;
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
