import { DevOpsError } from '../../../../src/core/errors';
import { referenceKey, type WorkItemReference } from '../../../../src/core/todo/references';
import { type CreateWorkItemRequest, type Resolution, type TrackerChoice, type WorkItemResolver } from '../../../../src/core/todo/workItemResolver';
import { type TrackerKind, type WorkItem } from '../../../../src/core/workItem';

/** Builds a work item with sensible defaults; tests override what they check. */
export function workItem(overrides: Partial<WorkItem> & Pick<WorkItem, 'id'>): WorkItem {
  return {
    tracker: 'azureBoards',
    type: 'Task',
    title: `Item ${overrides.id}`,
    description: '',
    state: 'Active',
    tags: [],
    childIds: [],
    createdAt: '2025-01-01T00:00:00Z',
    modifiedAt: '2025-01-02T00:00:00Z',
    url: `https://dev.azure.com/contoso/web/_workitems/edit/${overrides.id}`,
    rev: 1,
    ...overrides,
  };
}

/**
 * An in-memory tracker for tests: items by key, deleted keys, scripted failures, and a record of
 * every call, so a test can assert what was asked and how often.
 */
export class FakeWorkItemResolver implements WorkItemResolver {
  readonly items = new Map<string, WorkItem>();
  readonly deleted = new Set<string>();
  readonly calls: { method: string; args: unknown }[] = [];
  /** Errors to throw from create, one per call, in order (undefined = succeed). */
  createFailures: (DevOpsError | undefined)[] = [];
  /** An error every resolution carries (e.g. notConfigured). */
  resolveError: DevOpsError | undefined;
  /** Runs after an item is created and before create returns (simulate a crash mid-batch). */
  afterCreate: ((reference: WorkItemReference) => void) | undefined;
  private nextId = 1000;
  private readonly listeners = new Set<() => void>();

  add(item: WorkItem): this {
    const [owner, repo] = (item.repository ?? '').split('/');
    const reference: WorkItemReference = item.tracker === 'azureBoards' ? { tracker: 'azureBoards', id: item.id } : { tracker: 'github', id: item.id, ...(owner && repo ? { owner, repo } : {}) };
    this.items.set(referenceKey(reference), item);
    return this;
  }

  async resolve(references: readonly WorkItemReference[], signal?: AbortSignal): Promise<ReadonlyMap<string, Resolution>> {
    this.calls.push({ method: 'resolve', args: references.map(referenceKey) });
    if (signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
    const out = new Map<string, Resolution>();
    for (const reference of references) {
      const key = referenceKey(reference);
      if (this.resolveError) out.set(key, { kind: 'error', error: this.resolveError });
      else if (this.deleted.has(key)) out.set(key, { kind: 'deleted' });
      else {
        const item = this.items.get(key);
        out.set(key, item ? { kind: 'found', item } : { kind: 'notFound' });
      }
    }
    return out;
  }

  async create(request: CreateWorkItemRequest, signal?: AbortSignal): Promise<WorkItemReference> {
    this.calls.push({ method: 'create', args: request });
    if (signal?.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
    const failure = this.createFailures.shift();
    if (failure) throw failure;
    const id = this.nextId++;
    const reference: WorkItemReference = request.tracker === 'azureBoards' ? { tracker: 'azureBoards', id } : { tracker: 'github', id, owner: 'contoso', repo: 'web' };
    this.items.set(referenceKey(reference), workItem({ id, tracker: request.tracker, title: request.title, description: request.description, state: 'New', ...(request.tracker === 'github' ? { repository: 'contoso/web' } : {}) }));
    this.afterCreate?.(reference);
    return reference;
  }

  async findOpenByTitle(tracker: TrackerKind, title: string): Promise<WorkItemReference | undefined> {
    this.calls.push({ method: 'findOpenByTitle', args: { tracker, title } });
    for (const [key, item] of this.items) {
      if (item.tracker !== tracker || item.title !== title || ['Done', 'Closed', 'Removed'].includes(item.state)) continue;
      if (this.deleted.has(key)) continue;
      return tracker === 'azureBoards' ? { tracker, id: item.id } : { tracker, id: item.id, owner: 'contoso', repo: 'web' };
    }
    return undefined;
  }

  async trackers(): Promise<readonly TrackerChoice[]> {
    return [
      { tracker: 'azureBoards', label: 'Azure Boards (contoso/web)', available: true },
      { tracker: 'github', label: 'GitHub (contoso/web)', available: true },
    ];
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fireChange(): void {
    for (const l of this.listeners) l();
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }
}
