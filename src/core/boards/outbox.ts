import { z } from 'zod';
import { type DevOpsError } from '../errors';
import { TrackerKindSchema } from '../workItem';
import { type OutboxView } from './workTracker';

/**
 * The durable outbox trackers put a remote change in when it cannot be sent now (offline, 5xx,
 * 429, time-out). The implementation (src/providers/boards/outbox) keeps the entries in the
 * extension's storage directory and replays them later, in order, through the replayer the
 * tracker registered for its kind.
 *
 * Exactly once: the outbox calls a replayer at least once per entry (a window can stop between
 * sending and recording the answer), so the replayer must recognise a change it already made
 * from `clientId` (a comment carries it, a state change compares the remote state, a create looks
 * for the client id in the item) and answer `applied` without sending again.
 */

/** A JSON value the outbox can persist (payloads are written to disk as is). */
export type OutboxJson = string | number | boolean | null | readonly OutboxJson[] | { readonly [key: string]: OutboxJson };

export const OutboxJsonSchema: z.ZodType<OutboxJson> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(OutboxJsonSchema), z.record(z.string(), OutboxJsonSchema)]),
);

export const OutboxEntryStateSchema = z.enum(['pending', 'conflict', 'failed']);
export type OutboxEntryState = z.infer<typeof OutboxEntryStateSchema>;

export const OutboxEntrySchema = z.object({
  /** The outbox's own id (shown to the user, passed to discard). */
  id: z.string().min(1),
  /** Idempotency key the replayer uses to recognise a change it already made. */
  clientId: z.string().min(1),
  tracker: TrackerKindSchema,
  /** What to do, in the tracker's own terms: `changeState`, `addComment`, `create`, `linkBranch`, ... */
  kind: z.string().min(1),
  payload: OutboxJsonSchema,
  /**
   * What the change applies to (`azureBoards:123`, `github:owner/repo#4`). Entries of one target are
   * replayed in order and a conflict holds back the later ones of that target only.
   */
  target: z.string().min(1).optional(),
  /** One line for the status bar and the pending list: `AB#123: State → Active`. */
  description: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  /** ISO time before which the entry is not retried (backoff after a transient failure). */
  notBefore: z.iso.datetime({ offset: true }).optional(),
  state: OutboxEntryStateSchema,
});
export type OutboxEntry = z.infer<typeof OutboxEntrySchema>;

export interface OutboxEnqueueRequest {
  readonly tracker: OutboxEntry['tracker'];
  readonly kind: string;
  readonly clientId: string;
  readonly payload: OutboxJson;
  readonly target?: string;
  readonly description: string;
  /** Why it was not sent now (the first lastError, e.g. "Azure DevOps is unavailable (503)"). */
  readonly reason?: string;
}

/** What a replayer answers for one entry. */
export type ReplayResult =
  /** Sent now, or found already applied (the client id was seen): the entry is removed. */
  | { readonly kind: 'applied'; readonly alreadyApplied?: boolean }
  /** Someone else changed the item: kept and shown to the user, never overwritten. */
  | { readonly kind: 'conflict'; readonly message: string }
  /** Still cannot be sent (offline, 5xx, 429): kept, retried later after `retryAfterMs` at least. */
  | { readonly kind: 'retry'; readonly error: DevOpsError }
  /** Will never succeed (item deleted, rule refused, no permission): kept as failed for the user. */
  | { readonly kind: 'failed'; readonly message: string };

/** Sends a tracker's queued changes; registered by the tracker that enqueued them. */
export interface OutboxReplayer {
  readonly tracker: OutboxEntry['tracker'];
  replay(entry: OutboxEntry, signal?: AbortSignal): Promise<ReplayResult>;
}

/** What trackers use; the view side (status bar, pending list) uses OutboxView. */
export interface Outbox extends OutboxView {
  /** Durably records a change; resolves once it is on disk. An entry with a known clientId is not added twice. */
  enqueue(request: OutboxEnqueueRequest): Promise<OutboxEntry>;
  /** Entries of one tracker (or all), oldest first, as last read from disk. */
  entries(tracker?: OutboxEntry['tracker']): readonly OutboxEntry[];
  /** The replayer for a tracker's entries; a later registration for the same tracker replaces it. */
  registerReplayer(replayer: OutboxReplayer): { dispose(): void };
}
