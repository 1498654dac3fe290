import { type RunOutcome } from '../../../core/audit';
import { type Columns, restoreColumns, usedPart } from './eventColumns';

export const OUTCOMES: readonly RunOutcome[] = ['running', 'succeeded', 'failed', 'cancelled'];

/**
 * One row per correlation id (an action or an agent run): how many events, the first and last,
 * the agent and how its run ended, and a list of the groups from the one with the newest event to
 * the oldest, kept in order as events arrive (a group moves to the front when it gets one).
 */
export class GroupTable {
  count = new Uint32Array(0);
  first = new Int32Array(0);
  last = new Int32Array(0);
  /** The service id of the group's first event from an agent service, or -1 (not an agent run). */
  agent = new Int32Array(0);
  /** Index into OUTCOMES, from the last run.completed/failed/cancelled. */
  outcome = new Uint8Array(0);
  /** Events other than run.started and the run's end. */
  steps = new Uint32Array(0);
  /** Neighbours in the recency list (-1 at the ends). */
  newer = new Int32Array(0);
  older = new Int32Array(0);
  newest = -1;
  size = 0;

  grow(capacity: number): void {
    if (capacity <= this.count.length) return;
    const n = Math.max(capacity, Math.ceil(this.count.length * 1.5), 256);
    const more = <T extends { set(a: T): void }>(old: T, make: (k: number) => T): T => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.count = more(this.count, (k) => new Uint32Array(k));
    this.first = more(this.first, (k) => new Int32Array(k));
    this.last = more(this.last, (k) => new Int32Array(k));
    this.agent = more(this.agent, (k) => new Int32Array(k));
    this.outcome = more(this.outcome, (k) => new Uint8Array(k));
    this.steps = more(this.steps, (k) => new Uint32Array(k));
    this.newer = more(this.newer, (k) => new Int32Array(k));
    this.older = more(this.older, (k) => new Int32Array(k));
  }

  /**
   * Adds event `event` (the newest so far) to group `g`. `agentService`: the event's service id if
   * that service is an agent, else -1; `kind`: 0 run.started, 1..3 a run's end (OUTCOMES index), -1 other.
   * Returns the previous last event of the group (-1 for a new group), to link it to this one.
   */
  add(g: number, event: number, agentService: number, kind: number): number {
    let previous = -1;
    if (g >= this.size) {
      this.grow(g + 1);
      for (let k = this.size; k <= g; k++) {
        this.count[k] = 0;
        this.first[k] = -1;
        this.last[k] = -1;
        this.agent[k] = -1;
        this.outcome[k] = 0;
        this.steps[k] = 0;
        this.newer[k] = -1;
        this.older[k] = -1;
      }
      this.size = g + 1;
    }
    if (this.count[g] === 0) this.first[g] = event;
    else {
      previous = this.last[g]!;
      this.unlink(g);
    }
    this.count[g]!++;
    this.last[g] = event;
    if (this.agent[g] === -1 && agentService >= 0) this.agent[g] = agentService;
    if (kind > 0) this.outcome[g] = kind;
    else if (kind < 0) this.steps[g]!++;
    this.older[g] = this.newest;
    this.newer[g] = -1;
    if (this.newest >= 0) this.newer[this.newest] = g;
    this.newest = g;
    return previous;
  }

  private unlink(g: number): void {
    const n = this.newer[g]!;
    const o = this.older[g]!;
    if (n >= 0) this.older[n] = o;
    else this.newest = o;
    if (o >= 0) this.newer[o] = n;
  }

  static readonly SAVED = ['count', 'first', 'last', 'agent', 'outcome', 'steps', 'newer', 'older'] as const;

  save(): Columns {
    return usedPart(this, GroupTable.SAVED, this.size);
  }

  /** Takes saved rows back; false when they do not fit together. */
  restore(saved: Columns, size: number, newest: number): boolean {
    if (!restoreColumns(this, GroupTable.SAVED, saved, size) || newest < -1 || newest >= size) return false;
    this.size = size;
    this.newest = newest;
    return true;
  }

  /** The group after `g` going back in time (-1 at the end); the newest when `g` is -1. */
  olderThan(g: number): number {
    return g < 0 ? this.newest : this.older[g]!;
  }
}
