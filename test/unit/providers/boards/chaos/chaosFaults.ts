import { type FaultSetting } from '../../../../../src/core/settings';
import { GRAPHQL_ROUTE } from '../../../../../src/sandbox/github/http/auth';
import { type SandboxServer } from '../../../../../src/sandbox/http/server';

/**
 * The faults of the chaos run: every kind the sandbox injects, on the routes the trackers read and
 * write, one request at a time, and a tally of the ones requests actually ran into.
 */
export const FAULT_KINDS = ['503', '429', 'drop', 'truncate', 'malformed', 'stall', 'latency'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the trackers read: item batches, queries, comment lists, single items, the signed-in user. */
export const READ_ROUTES = [
  'wit.workItemsBatch',
  'wit.wiql',
  'wit.comments.list',
  'wit.workItems.get',
  'issues.get',
  'issues.listForRepo',
  'issues.listComments',
  'users.getAuthenticated',
] as const;

/** What they write: updates, comments, creates (GraphQL carries both the board reads and the Status mutation). */
export const WRITE_ROUTES = ['wit.workItems.update', 'wit.comments.add', 'wit.workItems.create', 'issues.update', 'issues.createComment', 'issues.create', GRAPHQL_ROUTE] as const;

export function faultFor(kind: FaultKind, route: string, next: () => number): FaultSetting {
  switch (kind) {
    case '503':
      return { route, kind: 'status', status: 503, times: 1 };
    case '429':
      // Retry-After in (fractions of) seconds: the clients wait it out, scaled as each is tuned.
      return { route, kind: 'status', status: 429, retryAfterSeconds: 0.1, times: 1 };
    case 'latency':
      return { route, kind: 'latency', latencyMs: 20 + Math.floor(next() * 120), times: 1 };
    default:
      return { route, kind, times: 1 };
  }
}

const kindOf = (fault: FaultSetting): FaultKind => (fault.kind === 'status' ? (fault.status === 429 ? '429' : '503') : (fault.kind as FaultKind));

/** Counts the faults requests met, by kind and by read or write route. */
export class FaultTally {
  readonly counts = new Map<string, number>();

  /** Wraps the server's injector so every fault a request takes is counted. */
  watch(server: SandboxServer): void {
    const injector = server.faults;
    const take = injector.take.bind(injector);
    injector.take = (route, service) => {
      const hit = take(route, service);
      for (const fault of hit) this.add(`${(READ_ROUTES as readonly string[]).includes(route) ? 'read' : 'write'} ${kindOf(fault)}`);
      return hit;
    };
  }

  private add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  /** `{ '503': 'r4 w3', ... }` for the figures table. */
  byKind(): Record<FaultKind, { read: number; write: number }> {
    const out = {} as Record<FaultKind, { read: number; write: number }>;
    for (const kind of FAULT_KINDS) out[kind] = { read: this.counts.get(`read ${kind}`) ?? 0, write: this.counts.get(`write ${kind}`) ?? 0 };
    return out;
  }
}
