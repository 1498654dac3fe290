import path from 'node:path';
import * as vscode from 'vscode';
import { type AgentRun, agentRuns } from '../../core/audit';
import { type AuditQuery } from '../../core/chat/auditQuery';
import { type Logger } from '../../core/host';
import {
  AuditIndex,
  auditStateDir,
  type FileAuditSink,
  type GroupSummary,
  recentRuns,
  searchTrail,
  StaleIndexError,
  type StoredEvent,
  type TrailSearch,
  TrailVerifier,
  VerifiedHeadStore,
} from '../../providers/audit';

/** Groups and runs shown per page; "Show More" adds a page. */
export const PAGE = 200;
/** Events listed under one group; a larger group says how many more are in the log. */
export const GROUP_EVENTS = 500;
/** Appends come in bursts (an agent's steps): the views catch up once the burst pauses this long. */
const REFRESH_DELAY_MS = 60;
const SAVE_DELAY_MS = 15_000;

export type TrailState = 'noWorkspace' | 'loading' | 'empty' | 'loaded' | 'error';

/**
 * The workspace's trail for the Audit Trail and Agent Runs views and @devops, answered from the
 * trail's index (providers/audit/trailIndex): pages of groups and runs come from the index, only
 * the events on screen are read from disk. Catches up when the sink appends (the Agent Runs view
 * shows a run's steps as they are written) and when the files change on disk (another window, a
 * git checkout, an edit). The index and the verified head live in the extension's storage.
 */
export class AuditTrailModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private index: AuditIndex | undefined;
  private opening: Promise<AuditIndex> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  /** A refresh asked for while one runs: it starts when that one ends. */
  private next: Promise<void> | undefined;
  /** Events read for expanded groups, by group id, valid while the group's count is the same. */
  private readonly cache = new Map<number, { count: number; events: StoredEvent[] }>();
  private groupPages = 1;
  private runPages = 1;
  readonly verifier: TrailVerifier | undefined;
  private readonly stateDir: string | undefined;
  state: TrailState;
  error: string | undefined;
  /** Bytes read of bytes to read while the index is being built, for the view's note. */
  indexing: { done: number; total: number } | undefined;

  constructor(
    readonly sink: FileAuditSink,
    private readonly log: Logger,
    storageDir: string | undefined,
    workspaceRoot: string | undefined,
  ) {
    this.state = sink.directory ? 'loading' : 'noWorkspace';
    this.stateDir = storageDir && workspaceRoot ? auditStateDir(storageDir, workspaceRoot) : undefined;
    this.verifier = sink.directory && this.stateDir ? new TrailVerifier(sink.directory, new VerifiedHeadStore(path.join(this.stateDir, 'verified-head.json'))) : undefined;
    const sub = sink.onDidAppend(() => this.scheduleRefresh());
    this.disposables.push({ dispose: () => sub.dispose() });
    if (sink.directory) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(sink.directory), '*.jsonl'));
      this.disposables.push(watcher, watcher.onDidChange(() => this.scheduleRefresh()), watcher.onDidCreate(() => this.scheduleRefresh()), watcher.onDidDelete(() => this.scheduleRefresh()));
    }
  }

  get eventCount(): number {
    return this.index?.eventCount ?? 0;
  }

  /** Services that wrote events (for "the security agent" in a question). */
  services(): readonly string[] {
    return this.index?.services() ?? [];
  }

  /** The newest groups, a page at a time. */
  groups(): { readonly groups: GroupSummary[]; readonly more: boolean } {
    return this.page(false, this.groupPages);
  }

  /**
   * The newest agent runs, a page at a time, each with its events (read from disk in one batch for
   * the runs not read yet: a running run is read again as it grows, the others come from memory).
   */
  async runs(): Promise<{ readonly runs: { summary: GroupSummary; run: AgentRun; stored: StoredEvent[] }[]; readonly more: boolean }> {
    const { groups, more } = this.page(true, this.runPages);
    const events = await this.readGroups(groups);
    const runs = groups.flatMap((summary) => {
      const stored = events.get(summary.id) ?? [];
      const run = agentRuns(stored.map((s) => s.event))[0];
      return run ? [{ summary, run, stored }] : [];
    });
    return { runs, more };
  }

  showMore(what: 'groups' | 'runs'): void {
    if (what === 'groups') this.groupPages++;
    else this.runPages++;
    this.changed.fire();
  }

  /** A group's events, oldest first (the newest GROUP_EVENTS of a larger group). */
  async groupEvents(group: GroupSummary): Promise<StoredEvent[]> {
    return (await this.readGroups([group])).get(group.id) ?? [];
  }

  /** The events of `groups`, by group id: from memory, or read in one batch for those missing or out of date. */
  private async readGroups(groups: readonly GroupSummary[]): Promise<Map<number, StoredEvent[]>> {
    const index = this.index;
    const found = new Map<number, StoredEvent[]>();
    if (!index) return found;
    const stale: GroupSummary[] = [];
    for (const g of groups) {
      const hit = this.cache.get(g.id);
      if (hit?.count === g.count) found.set(g.id, hit.events);
      else stale.push(g);
    }
    if (stale.length) {
      const rows = stale.map((g) => index.groupRows(g.id).slice(-GROUP_EVENTS));
      const read = await this.read((i) => i.readEvents(rows.flat()));
      let at = 0;
      stale.forEach((g, k) => {
        const events = read.slice(at, at + rows[k]!.length);
        at += rows[k]!.length;
        found.set(g.id, events);
        this.cache.delete(g.id);
        this.cache.set(g.id, { count: g.count, events });
      });
      // Keep the cache to a few pages (at least what was just asked for): the oldest entries go first.
      while (this.cache.size > Math.max(3 * PAGE, 2 * groups.length)) this.cache.delete(this.cache.keys().next().value!);
    }
    return found;
  }

  /** The newest agent runs with their events: for @devops /status. */
  recentRuns(limit: number): Promise<AgentRun[]> {
    return this.index ? this.read((i) => recentRuns(i, limit)) : Promise.resolve([]);
  }

  /** A chat question's filters over the whole trail. */
  search(query: AuditQuery, limit: number): Promise<TrailSearch> {
    return this.index ? this.read((i) => searchTrail(i, query, limit)) : Promise.resolve({ total: 0, groups: 0, events: [] });
  }

  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  /** Brings the index up to the files on disk; asked while a refresh runs, it resolves after one that starts later. */
  refresh(): Promise<void> {
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
      return this.loading;
    }
    this.next ??= this.loading.then(() => {
      this.next = undefined;
      return this.refresh();
    });
    return this.next;
  }

  /** Saves the index for the next window: called on deactivate. */
  async close(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.index?.save().catch((e: unknown) => this.log.warn(`Audit index: could not be saved: ${e instanceof Error ? e.message : String(e)}`));
  }

  private page(runsOnly: boolean, pages: number): { groups: GroupSummary[]; more: boolean } {
    const index = this.index;
    if (!index) return { groups: [], more: false };
    const ids = index.newestGroups(pages * PAGE, -1, runsOnly);
    const last = ids[ids.length - 1];
    return { groups: ids.map((id) => index.summary(id)), more: last !== undefined && ids.length === pages * PAGE && index.hasOlder(last, runsOnly) };
  }

  /** Runs a read; a file changed behind the index's back is read again, and the read retried once. */
  private async read<T>(f: (index: AuditIndex) => Promise<T>): Promise<T> {
    try {
      return await f(this.index!);
    } catch (e) {
      if (!(e instanceof StaleIndexError)) throw e;
      this.index!.invalidate(e.file);
      this.cache.clear();
      await this.refresh();
      return f(this.index!);
    }
  }

  private openIndex(dir: string): Promise<AuditIndex> {
    this.opening ??= AuditIndex.open(dir, this.stateDir ? path.join(this.stateDir, 'index.bin') : undefined);
    return this.opening;
  }

  private async load(): Promise<void> {
    const dir = this.sink.directory;
    if (!dir) {
      this.state = 'noWorkspace';
    } else {
      try {
        const index = (this.index ??= await this.openIndex(dir));
        let lastFire = 0;
        const report = await index.refresh({
          onProgress: (done, total) => {
            // A first build of a large trail: the view says how far it is, a few times a second.
            if (total < 32 * 1024 * 1024 || Date.now() - lastFire < 250) return;
            lastFire = Date.now();
            this.indexing = { done, total };
            this.changed.fire();
          },
        });
        this.indexing = undefined;
        if (report.rebuiltFrom !== undefined) {
          this.cache.clear();
          this.log.info(`Audit index: ${report.rebuiltFrom} changed since it was indexed; read it and the files after it again.`);
        }
        if (report.changed) this.scheduleSave();
        this.state = index.eventCount ? 'loaded' : 'empty';
        this.error = undefined;
      } catch (e) {
        this.indexing = undefined;
        this.state = 'error';
        this.error = e instanceof Error ? e.message : String(e);
        this.log.warn(`Audit trail could not be read: ${this.error}`);
      }
    }
    await vscode.commands.executeCommand('setContext', 'aiDevops.audit.empty', this.state !== 'loaded');
    this.changed.fire();
  }

  private scheduleSave(): void {
    if (this.saveTimer || !this.stateDir) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.index?.save().catch((e: unknown) => this.log.warn(`Audit index: could not be saved: ${e instanceof Error ? e.message : String(e)}`));
    }, SAVE_DELAY_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.disposables.forEach((d) => d.dispose());
  }
}
