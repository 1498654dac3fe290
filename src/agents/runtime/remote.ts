import { type OutboxJson } from '../../core/boards/outbox';
import { type RemoteChange } from './plan';

/**
 * How a plan's remote changes are carried out. Each kind (`workItem.comment`, `git.push`,
 * `pullRequest.create`, ...) has one executor; agents name the kind and the data, the runtime
 * finds the executor, runs it after approval and audits the outcome. Executors that write to a
 * tracker go through the outbox, so a change that cannot be sent now is queued, not lost.
 */
/**
 * What an applied change did to a work item, kept in the columns of its `remote.applied` audit
 * event (a later run reads them to undo it exactly: a rollback returns items to `oldState`).
 */
export interface AppliedRecord {
  readonly workItemId: number;
  /** The item's project (Azure Boards) or `owner/repo` (GitHub). */
  readonly repository?: string;
  readonly oldState: string;
  readonly newState: string;
}

export type RemoteOutcome =
  /** Done; `result` feeds changes that depend on this one (e.g. the id of a created work item). */
  | { readonly kind: 'applied'; readonly detail: string; readonly url?: string; readonly result?: OutboxJson; readonly record?: AppliedRecord }
  /** Waiting in the outbox; it will be sent, exactly once, when the service is back. */
  | { readonly kind: 'queued'; readonly detail: string }
  /** Someone else changed the same thing: nothing was overwritten; the user decides. */
  | { readonly kind: 'conflict'; readonly detail: string }
  /** The service or a rule said no (and why); nothing was changed. */
  | { readonly kind: 'refused'; readonly detail: string };

export interface RemoteExecutionContext {
  readonly runId: string;
  readonly workspaceRoot: string;
  readonly signal: AbortSignal;
  /** Results of the changes this one depends on, by change id. */
  readonly results: ReadonlyMap<string, OutboxJson | undefined>;
  /** Says how a long change is going (a deployment run's job and step), in the run's progress. */
  readonly progress?: (message: string) => void;
}

export interface RemoteExecutor {
  readonly kind: string;
  execute(change: RemoteChange, context: RemoteExecutionContext): Promise<RemoteOutcome>;
}

export class RemoteExecutors {
  private readonly byKind = new Map<string, RemoteExecutor>();

  constructor(executors: readonly RemoteExecutor[] = []) {
    for (const e of executors) this.add(e);
  }

  add(executor: RemoteExecutor): this {
    this.byKind.set(executor.kind, executor);
    return this;
  }

  get(kind: string): RemoteExecutor | undefined {
    return this.byKind.get(kind);
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }
}
