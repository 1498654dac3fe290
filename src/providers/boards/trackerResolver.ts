import { type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError, throwIfAborted } from '../../core/errors';
import { type Logger } from '../../core/host';
import { redactText } from '../../core/redact';
import { referenceKey, type WorkItemReference } from '../../core/todo/references';
import { outsideConnection } from '../../core/todo/referenceScope';
import { type CreateWorkItemRequest, isClosedState, type Resolution, type TrackerChoice, type WorkItemResolver } from '../../core/todo/workItemResolver';
import { type TrackerKind, type WorkItem } from '../../core/workItem';

/** One configured tracker: how to get it (made on first use) and where it points. */
export interface ResolverTracker {
  readonly tracker: () => Promise<WorkTracker>;
  /** Azure Boards: the organization the tracker reads (a URL naming another one is not looked up). */
  readonly organization?: string;
  /** Azure Boards: the project the tracker reads (a reference naming another project is not looked up). */
  readonly project?: string;
  /** GitHub: `owner/repo` of the tracker (a reference to another repository is not looked up). */
  readonly repository?: string;
  /** The work item type new items from TODOs get (Azure Boards: 'Task'; GitHub ignores it). */
  readonly newItemType?: string;
}

export interface TrackerResolverOptions {
  readonly azureBoards?: ResolverTracker;
  readonly github?: ResolverTracker;
  readonly log: Logger;
}

const NAMES: Record<TrackerKind, string> = { azureBoards: 'Azure Boards', github: 'GitHub' };
const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The TODO feature's WorkItemResolver over the configured trackers (Azure Boards, GitHub, or
 * both). References are grouped per tracker and asked for in one `get` each, which Azure Boards
 * answers 200 ids a request and both answer from their cache while it is fresh.
 */
export class TrackerResolver implements WorkItemResolver {
  private readonly listeners = new Set<() => void>();
  private readonly subscribed = new Set<WorkTracker>();

  constructor(private readonly options: TrackerResolverOptions) {}

  async resolve(references: readonly WorkItemReference[], signal?: AbortSignal): Promise<ReadonlyMap<string, Resolution>> {
    const out = new Map<string, Resolution>();
    const byTracker = new Map<TrackerKind, WorkItemReference[]>();
    for (const reference of references) {
      const key = referenceKey(reference);
      if (out.has(key)) continue;
      const elsewhere = this.elsewhere(reference);
      if (elsewhere) {
        out.set(key, { kind: 'error', error: elsewhere });
        continue;
      }
      const list = byTracker.get(reference.tracker) ?? [];
      list.push(reference);
      byTracker.set(reference.tracker, list);
    }
    await Promise.all(
      [...byTracker].map(async ([kind, refs]) => {
        let tracker: WorkTracker;
        try {
          tracker = await this.tracker(kind);
        } catch (error) {
          if (isDevOpsError(error) && error.code === 'cancelled') throw error;
          const e = asDevOpsError(error, kind);
          for (const r of refs) out.set(referenceKey(r), { kind: 'error', error: e });
          return;
        }
        const ids = [...new Set(refs.map((r) => r.id))];
        let found: ReadonlyMap<number, WorkItem | DevOpsError>;
        try {
          found = await tracker.get(ids, signal);
        } catch (error) {
          if (signal?.aborted || (isDevOpsError(error) && error.code === 'cancelled')) throw new DevOpsError('cancelled', 'Cancelled.');
          const e = asDevOpsError(error, kind);
          for (const r of refs) out.set(referenceKey(r), { kind: 'error', error: e });
          return;
        }
        for (const r of refs) out.set(referenceKey(r), toResolution(kind, found.get(r.id)));
      }),
    );
    throwIfAborted(signal);
    return out;
  }

  async create(request: CreateWorkItemRequest, signal?: AbortSignal): Promise<WorkItemReference> {
    const config = this.config(request.tracker);
    const tracker = await this.tracker(request.tracker);
    const outcome = await tracker.create(
      { type: config?.newItemType ?? (request.tracker === 'azureBoards' ? 'Task' : 'Issue'), title: request.title, description: request.description },
      { clientId: request.clientRequestId, ...(signal ? { signal } : {}), correlationId: request.clientRequestId },
    );
    if (outcome.kind === 'applied') return this.referenceTo(request.tracker, outcome.item);
    if (outcome.kind === 'queued') {
      // No id yet: the outbox creates it later, and the batch finds it by title when it resumes.
      throw new DevOpsError('unavailable', `${NAMES[request.tracker]} cannot be reached now (${outcome.reason}); "${request.title}" is queued and will be created when it is back. Run the batch again then to link it.`);
    }
    throw new DevOpsError(outcome.kind === 'refused' ? outcome.code : 'conflict', outcome.message);
  }

  async findOpenByTitle(kind: TrackerKind, title: string, signal?: AbortSignal): Promise<WorkItemReference | undefined> {
    const tracker = await this.tracker(kind);
    let snapshot = await tracker.list('allOpen', signal ? { signal } : {});
    if (snapshot.stale) {
      await tracker.refresh(signal ? { signal } : {});
      snapshot = await tracker.list('allOpen', signal ? { signal } : {});
    }
    const wanted = norm(title);
    const match = snapshot.items.find((i) => norm(i.title) === wanted && !isClosedState(i.state));
    return match ? this.referenceTo(kind, match) : undefined;
  }

  async trackers(): Promise<readonly TrackerChoice[]> {
    const kinds = (['azureBoards', 'github'] as const).filter((k) => this.config(k) !== undefined);
    return Promise.all(
      kinds.map(async (kind): Promise<TrackerChoice> => {
        try {
          const identity = await (await this.tracker(kind)).identity();
          return { tracker: kind, label: identity.label, available: true };
        } catch (error) {
          return { tracker: kind, label: NAMES[kind], available: false, reason: asDevOpsError(error, kind).message };
        }
      }),
    );
  }

  onDidChange(listener: () => void): { dispose(): void } {
    // Trackers are subscribed to when first used, so listening does not make (or connect) them.
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private config(kind: TrackerKind): ResolverTracker | undefined {
    return kind === 'azureBoards' ? this.options.azureBoards : this.options.github;
  }

  private async tracker(kind: TrackerKind): Promise<WorkTracker> {
    const config = this.config(kind);
    if (!config) throw new DevOpsError('notConfigured', `${NAMES[kind]} is not connected. Sign in (AI DevOps: Sign In) or try the sandbox to see work item titles and states here.`);
    const tracker = await config.tracker();
    if (!this.subscribed.has(tracker)) {
      this.subscribed.add(tracker);
      tracker.onDidChange(() => {
        for (const l of [...this.listeners]) l();
      });
    }
    return tracker;
  }

  /** A reference to an organization, project or repository the tracker does not read. */
  private elsewhere(reference: WorkItemReference): DevOpsError | undefined {
    const config = this.config(reference.tracker);
    if (!config) return undefined;
    const why = outsideConnection(reference, { ...(config.organization !== undefined ? { organization: config.organization } : {}), ...(config.project ? { project: config.project } : {}), ...(config.repository ? { repository: config.repository } : {}) });
    return why ? new DevOpsError('notConfigured', why) : undefined;
  }

  private referenceTo(kind: TrackerKind, item: WorkItem): WorkItemReference {
    if (kind === 'azureBoards') return { tracker: 'azureBoards', id: item.id };
    const [owner, repo] = (item.repository ?? this.options.github?.repository ?? '').split('/');
    return owner && repo ? { tracker: 'github', id: item.id, owner, repo } : { tracker: 'github', id: item.id };
  }
}

function toResolution(kind: TrackerKind, value: WorkItem | DevOpsError | undefined): Resolution {
  if (value === undefined) return { kind: 'notFound' };
  if (!isDevOpsError(value)) return { kind: 'found', item: value };
  // Azure Boards answers 404 alike for a deleted item and for an id that never was (a typo): saying
  // "not found" is true of both, while "deleted" would flag a typo as a stale TODO.
  if (value.code === 'notFound') return { kind: 'notFound' };
  return { kind: 'error', error: value };
}

function asDevOpsError(error: unknown, kind: TrackerKind): DevOpsError {
  if (isDevOpsError(error)) return error;
  return new DevOpsError('unavailable', `${NAMES[kind]} failed: ${redactText(error instanceof Error ? error.message : String(error))}`);
}

export function createTrackerResolver(options: TrackerResolverOptions): TrackerResolver {
  return new TrackerResolver(options);
}
