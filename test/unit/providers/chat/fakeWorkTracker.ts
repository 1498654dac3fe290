import {
  type NewWorkItem,
  type OutboxEntrySummary,
  type OutboxView,
  type StateChoice,
  type TrackerIdentity,
  type WorkItemFilter,
  type WorkItemSnapshot,
  type WorkTracker,
  type WriteOptions,
  type WriteOutcome,
} from '../../../../src/core/boards/workTracker';
import { DevOpsError } from '../../../../src/core/errors';
import { type TrackerKind, type WorkItem } from '../../../../src/core/workItem';

/** A work item as the Azure Boards provider returns it, with what a test does not care about filled in. */
export function workItem(fields: Partial<WorkItem> & Pick<WorkItem, 'id' | 'title'>): WorkItem {
  const tracker: TrackerKind = fields.tracker ?? 'azureBoards';
  return {
    tracker,
    type: 'Task',
    description: '',
    state: 'New',
    tags: [],
    childIds: [],
    createdAt: '2026-11-20T10:00:00Z',
    modifiedAt: '2026-11-28T10:00:00Z',
    url: tracker === 'azureBoards' ? `https://dev.azure.com/contoso/Contoso%20Web/_workitems/edit/${fields.id}` : `https://github.com/contoso/web/issues/${fields.id}`,
    rev: 1,
    ...fields,
  };
}

/** The state moves a Scrum-like Task allows, for allowedStates. */
const MOVES: Readonly<Record<string, readonly StateChoice[]>> = {
  New: [{ state: 'Active', lifecycle: 'In Progress' }, { state: 'Removed' }],
  Active: [{ state: 'Resolved', lifecycle: 'Code Review' }, { state: 'Closed', lifecycle: 'Done' }, { state: 'New', lifecycle: 'New' }],
  Resolved: [{ state: 'Closed', lifecycle: 'Done' }, { state: 'Active', lifecycle: 'In Progress' }],
};

/**
 * An in-memory WorkTracker: the interface the boards providers implement, with the behaviours the
 * chat answers rely on (filters, 404s as DevOpsError entries, conflicts, queued writes, faults).
 */
export class FakeWorkTracker implements WorkTracker {
  readonly items = new Map<number, WorkItem>();
  readonly writes: { op: string; id?: number; value?: string; options?: WriteOptions }[] = [];
  /** Thrown by the next call of any method. */
  failNext: Error | undefined;
  /** Writes come back queued (the outbox kept them) instead of applied. */
  queueWrites = false;
  /** The next write comes back as a conflict. */
  conflictNext = false;
  sprint = 'Contoso Web\\Sprint 2';
  private nextId = 100;

  constructor(
    readonly kind: TrackerKind = 'azureBoards',
    readonly me = 'Ana Developer',
    items: readonly WorkItem[] = [],
  ) {
    for (const i of items) this.items.set(i.id, i);
  }

  private fault(): void {
    const e = this.failNext;
    this.failNext = undefined;
    if (e) throw e;
  }

  async identity(): Promise<TrackerIdentity> {
    this.fault();
    return { kind: this.kind, label: this.kind === 'azureBoards' ? 'Azure Boards (sandbox-org/Contoso Web)' : 'GitHub (contoso/web)', me: this.me };
  }

  async list(filter: WorkItemFilter): Promise<WorkItemSnapshot> {
    this.fault();
    const all = [...this.items.values()];
    const items = filter === 'assignedToMe' ? all.filter((i) => i.assignedTo === this.me) : filter === 'currentIteration' ? all.filter((i) => i.iterationPath === this.sprint) : all.filter((i) => !/closed|done|removed/i.test(i.state));
    return { items, syncedAt: '2026-11-29T08:00:00Z', stale: false };
  }

  async refresh(): Promise<{ changed: number; requests: number }> {
    return { changed: 0, requests: 1 };
  }

  async get(ids: readonly number[]): Promise<ReadonlyMap<number, WorkItem | DevOpsError>> {
    this.fault();
    return new Map(ids.map((id) => [id, this.items.get(id) ?? new DevOpsError('notFound', `Work item ${id} does not exist or you cannot see it.`)]));
  }

  async childTypes(parent: WorkItem | undefined): Promise<readonly string[]> {
    if (!parent) return ['Epic'];
    return ({ Epic: ['Feature'], Feature: ['Product Backlog Item', 'Bug'], 'Product Backlog Item': ['Task'], Bug: ['Task'] } as Record<string, string[]>)[parent.type] ?? [];
  }

  async allowedStates(item: WorkItem): Promise<readonly StateChoice[]> {
    this.fault();
    return MOVES[item.state] ?? [];
  }

  private write(item: WorkItem, op: string, change: (i: WorkItem) => WorkItem, options: WriteOptions | undefined, value?: string): WriteOutcome {
    this.fault();
    this.writes.push({ op, id: item.id, value, options });
    if (this.conflictNext) {
      this.conflictNext = false;
      const remote = { ...item, state: 'Resolved', rev: item.rev + 1 };
      this.items.set(item.id, remote);
      return { kind: 'conflict', remote, message: 'the item changed since you read it (revision 2)', fields: [{ field: 'State', theirs: 'Resolved', seen: item.state, yours: value ?? '' }] };
    }
    if (this.queueWrites) return { kind: 'queued', outboxId: `outbox-${this.writes.length}`, reason: 'Azure DevOps answered 503' };
    const next = { ...change(item), rev: item.rev + 1 };
    this.items.set(item.id, next);
    return { kind: 'applied', item: next };
  }

  async changeState(item: WorkItem, state: string, options?: WriteOptions): Promise<WriteOutcome> {
    return this.write(item, 'changeState', (i) => ({ ...i, state }), options, state);
  }

  async assignToMe(item: WorkItem, options?: WriteOptions): Promise<WriteOutcome> {
    return this.write(item, 'assignToMe', (i) => ({ ...i, assignedTo: this.me }), options);
  }

  async addComment(item: WorkItem, markdown: string, options?: WriteOptions): Promise<WriteOutcome> {
    return this.write(item, 'addComment', (i) => i, options, markdown);
  }

  async create(draft: NewWorkItem, options?: WriteOptions): Promise<WriteOutcome> {
    this.fault();
    this.writes.push({ op: 'create', value: draft.title, options });
    if (this.queueWrites) return { kind: 'queued', outboxId: `outbox-${this.writes.length}`, reason: 'offline' };
    const item = workItem({ id: this.nextId++, title: draft.title, type: draft.type, description: draft.description, ...(draft.parentId ? { parentId: draft.parentId } : {}), tracker: this.kind });
    this.items.set(item.id, item);
    return { kind: 'applied', item };
  }

  async linkBranch(item: WorkItem, branch: string, options?: WriteOptions): Promise<WriteOutcome> {
    return this.write(item, 'linkBranch', (i) => i, options, branch);
  }

  onDidChange(): { dispose(): void } {
    return { dispose: () => undefined };
  }
}

export class FakeOutbox implements OutboxView {
  constructor(readonly entries: OutboxEntrySummary[] = []) {}
  pending(): readonly OutboxEntrySummary[] {
    return this.entries;
  }
  async flush(): Promise<number> {
    return 0;
  }
  async discard(): Promise<void> {}
  async resolve(): Promise<void> {}
  onDidChange(): { dispose(): void } {
    return { dispose: () => undefined };
  }
  onDidSettle(): { dispose(): void } {
    return { dispose: () => undefined };
  }
}

/** The sandbox's Contoso Web items the tests use (ids as the stand-in's demo numbers them). */
export function demoItems(): WorkItem[] {
  const sprint = 'Contoso Web\\Sprint 2';
  return [
    workItem({ id: 1, type: 'Epic', title: 'Customer self-service portal', state: 'Active', childIds: [2] }),
    workItem({ id: 2, type: 'Feature', title: 'Password reset', state: 'Active', parentId: 1, childIds: [3] }),
    workItem({ id: 3, type: 'Product Backlog Item', title: 'Reset password by email', state: 'Committed', parentId: 2, childIds: [7, 8], iterationPath: sprint, assignedTo: 'Ana Developer' }),
    workItem({ id: 7, type: 'Task', title: 'Email the reset link', state: 'Active', parentId: 3, iterationPath: sprint, assignedTo: 'Ana Developer', description: '<p>Send the <b>reset link</b> by email &amp; expire it after 1 hour.</p>' }),
    workItem({ id: 8, type: 'Task', title: 'Reset form validation', state: 'New', parentId: 3, iterationPath: sprint, assignedTo: 'Ben Tester' }),
    workItem({ id: 5, type: 'Task', title: 'Old spike', state: 'Closed', assignedTo: 'Ana Developer', iterationPath: 'Contoso Web\\Sprint 1' }),
  ];
}
