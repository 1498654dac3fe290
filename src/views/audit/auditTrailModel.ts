import * as vscode from 'vscode';
import { agentRuns, type AgentRun, type AuditGroup, groupByCorrelation } from '../../core/audit';
import { type Logger } from '../../core/host';
import { type FileAuditSink, readPage, type StoredEvent } from '../../providers/audit';

/** How many of the newest events the views hold; older ones stay in the files (Open Audit Log File). */
export const VIEW_LIMIT = 2000;
const REFRESH_DELAY_MS = 150;

export type TrailState = 'noWorkspace' | 'loading' | 'empty' | 'loaded' | 'error';

/**
 * The newest events of the workspace's trail, for the Audit Trail and Agent Runs views. Reloads
 * when the sink appends and when the files change on disk (another window, a git checkout, an edit).
 */
export class AuditTrailModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private stored: StoredEvent[] = [];
  private byHash = new Map<string, StoredEvent>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  state: TrailState;
  error: string | undefined;

  constructor(
    readonly sink: FileAuditSink,
    private readonly log: Logger,
  ) {
    this.state = sink.directory ? 'loading' : 'noWorkspace';
    const sub = sink.onDidAppend(() => this.scheduleRefresh());
    this.disposables.push({ dispose: () => sub.dispose() });
    if (sink.directory) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(sink.directory), '*.jsonl'));
      this.disposables.push(watcher, watcher.onDidChange(() => this.scheduleRefresh()), watcher.onDidCreate(() => this.scheduleRefresh()), watcher.onDidDelete(() => this.scheduleRefresh()));
    }
  }

  get events(): readonly StoredEvent[] {
    return this.stored;
  }

  /** Where an event sits on disk (file and 1-based line), by its hash. */
  locate(hash: string): StoredEvent | undefined {
    return this.byHash.get(hash);
  }

  get groups(): AuditGroup[] {
    return groupByCorrelation(this.stored.map((s) => s.event));
  }

  get runs(): AgentRun[] {
    return agentRuns(this.stored.map((s) => s.event));
  }

  get truncated(): boolean {
    return this.stored.length >= VIEW_LIMIT;
  }

  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, REFRESH_DELAY_MS);
  }

  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const dir = this.sink.directory;
    if (!dir) {
      this.state = 'noWorkspace';
    } else {
      try {
        const page = await readPage(dir, VIEW_LIMIT);
        this.stored = [...page.events];
        this.byHash = new Map(this.stored.map((s) => [s.event.hash, s]));
        this.state = this.stored.length ? 'loaded' : 'empty';
        this.error = undefined;
      } catch (e) {
        this.state = 'error';
        this.error = e instanceof Error ? e.message : String(e);
        this.log.warn(`Audit trail could not be read: ${this.error}`);
      }
    }
    await vscode.commands.executeCommand('setContext', 'aiDevops.audit.empty', this.state !== 'loaded');
    this.changed.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }
}
