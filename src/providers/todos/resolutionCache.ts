import { isDevOpsError, DevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { referenceKey, type WorkItemReference } from '../../core/todo/references';
import { type Resolution, type WorkItemResolver } from '../../core/todo/workItemResolver';

/**
 * What the lenses, hovers, diagnostics and the view know about the work items TODOs name. Asking
 * is cheap and synchronous (`want` + `get`): unknown references are collected for a moment and
 * resolved in one call, so typing in a file or opening ten files costs one request, not one per
 * lens. Answers stay until the tracker says something changed or the user refreshes.
 */
export class ResolutionCache {
  private readonly known = new Map<string, Resolution>();
  private readonly queued = new Map<string, WorkItemReference>();
  private readonly inFlight = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private epoch = 0;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly resolver: WorkItemResolver,
    private readonly log: Logger,
    private readonly delayMs = 30,
  ) {
    this.subscription = resolver.onDidChange(() => this.clear());
  }

  get(reference: WorkItemReference): Resolution | undefined {
    return this.known.get(referenceKey(reference));
  }

  /** Every answer so far, keyed by referenceKey. */
  snapshot(): ReadonlyMap<string, Resolution> {
    return this.known;
  }

  /** Asks for the references not known or on their way yet. */
  want(references: Iterable<WorkItemReference>): void {
    for (const reference of references) {
      const key = referenceKey(reference);
      if (!this.known.has(key) && !this.inFlight.has(key)) this.queued.set(key, reference);
    }
    if (this.queued.size > 0 && this.timer === undefined) this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Forgets every answer (a refresh, a sign-in): the next `want` asks again. */
  clear(): void {
    this.epoch++;
    this.known.clear();
    this.inFlight.clear();
    this.fire();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Resolves whatever is queued now; resolves when the answers are in. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued.size === 0) return;
    const batch = [...this.queued.values()];
    this.queued.clear();
    const epoch = this.epoch;
    for (const r of batch) this.inFlight.add(referenceKey(r));
    let answers: ReadonlyMap<string, Resolution>;
    try {
      answers = await this.resolver.resolve(batch);
    } catch (error) {
      const devOps = isDevOpsError(error) ? error : new DevOpsError('unavailable', `Could not look up work items: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      this.log.warn(`TODO lenses: resolving ${batch.length} work item(s) failed: ${devOps.message}`);
      answers = new Map(batch.map((r) => [referenceKey(r), { kind: 'error', error: devOps } as const]));
    }
    if (epoch !== this.epoch) return;
    for (const r of batch) {
      const key = referenceKey(r);
      this.inFlight.delete(key);
      this.known.set(key, answers.get(key) ?? { kind: 'error', error: new DevOpsError('badResponse', `The tracker gave no answer for ${key}.`) });
    }
    this.fire();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.subscription.dispose();
    this.listeners.clear();
  }

  private fire(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.log.error(`TODO resolution listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
