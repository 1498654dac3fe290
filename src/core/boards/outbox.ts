import { z } from 'zod';
import { type DevOpsErrorCode } from '../errors';
import { TrackerKindSchema } from '../workItem';
import { type OutboxView } from './workTracker';
import { type WriteHome, type WriteTarget, WriteTargetSchema } from './writeTarget';

/**
 * The one protocol every remote write goes through (Azure Boards, GitHub, the audit mirror, the
 * agents' plans), implemented in src/providers/boards/outbox. A caller describes the change (where
 * it goes, what it changes, a client id) and gets one of four outcomes:
 *
 * - `applied`: the service holds it (sent now, or found already made);
 * - `queued`: it could not be sent now, or it is not known whether it was (a lost or garbled
 *   answer); it waits, durably, and is checked and sent exactly once when the service answers;
 * - `conflict`: a field it changes was changed by someone else since the caller saw it (fields are
 *   compared, not revisions); nothing was written;
 * - `refused`: the service said no, and why; nothing will be sent unless the user asks again.
 *
 * "Unknown" is never an outcome: the outbox finds out. Each service supplies, per kind of write, a
 * small adapter (WriteKind): how to read what the service holds of the change and how to send it.
 * The outbox does the rest the same way for every service: the attempt, the check for a change
 * already made, the replay with backoff (reads that fail during replay are retried like any
 * transient failure), the order of changes to the same item, and what the user is told.
 */

/** A JSON value the outbox can persist (payloads are written to disk as is). */
export type OutboxJson = string | number | boolean | null | readonly OutboxJson[] | { readonly [key: string]: OutboxJson };

export const OutboxJsonSchema: z.ZodType<OutboxJson> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(OutboxJsonSchema), z.record(z.string(), OutboxJsonSchema)]),
);

/**
 * One field a write sets. `bases`: the values that let the change go ahead (what the user saw, then
 * what the user's own earlier changes to the field set); finding anything else there is a conflict.
 */
export const FieldChangeSchema = z.object({
  field: z.string().min(1),
  bases: z.array(OutboxJsonSchema.nullable()),
  want: OutboxJsonSchema,
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

/** A field someone else changed: what the service holds, what the user saw, what the user asked for. */
export const FieldConflictSchema = z.object({
  field: z.string(),
  theirs: OutboxJsonSchema.nullable(),
  seen: OutboxJsonSchema.nullable(),
  yours: OutboxJsonSchema,
});
export type FieldConflict = z.infer<typeof FieldConflictSchema>;

/** `pending`: will be sent. `conflict` and `refused` wait for the user's choice. */
export const OutboxEntryStateSchema = z.enum(['pending', 'conflict', 'refused']);
export type OutboxEntryState = z.infer<typeof OutboxEntryStateSchema>;

const EntryShape = z.object({
  /** The outbox's own id (shown to the user, passed to discard). */
  id: z.string().min(1),
  /** Idempotency key: how a change already made is recognised (a comment or a new item carries it). */
  clientId: z.string().min(1),
  tracker: TrackerKindSchema,
  /** The connection and account it was asked for on; undefined for entries an earlier version queued without one (never sent). */
  target: WriteTargetSchema.optional(),
  /** What it changes within the target: `AB#12`, `#4`, `project 1 item …`, `new`. */
  subject: z.string().min(1),
  /** What of the subject it touches (`System.State`, `comments`, …): a later change touching the same waits for it. */
  touches: z.array(z.string()),
  changes: z.array(FieldChangeSchema),
  /** The adapter's kind (`changeState`, `addComment`, `create`, `auditWikiPage`, …) and its data. */
  kind: z.string().min(1),
  payload: OutboxJsonSchema,
  /** One line for the status bar and the pending list: `AB#123: State → Active`. */
  description: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  /** ISO time before which the entry is not retried (backoff after a transient failure). */
  notBefore: z.iso.datetime({ offset: true }).optional(),
  state: OutboxEntryStateSchema,
  /** The fields in conflict when the state is `conflict`. */
  conflict: z.array(FieldConflictSchema).optional(),
  /** The item's web page, for "Open in Browser" on a conflict or refusal. */
  url: z.string().optional(),
  /** The user chose "Overwrite with Mine": the fields are set whatever they hold now. */
  overwrite: z.boolean().optional(),
  /** The caller's client id may have been used before (a resumed batch): look before the first send. */
  mayRepeat: z.boolean().optional(),
  correlationId: z.string().optional(),
});

/**
 * An entry on disk. Entries written before the protocol (a `target` string such as
 * `azureBoards:12`, state `failed`) still read: they keep their text and wait, unsent, for the
 * user to discard them, since they do not say which organization or repository they were for.
 */
export const OutboxEntrySchema = z.preprocess((raw) => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const e = raw as Record<string, unknown>;
  if (typeof e.target === 'object' && e.subject !== undefined) return raw;
  const { target, ...rest } = e;
  return {
    ...rest,
    subject: typeof target === 'string' && target !== '' ? target : (rest.subject ?? 'unknown'),
    touches: rest.touches ?? [],
    changes: rest.changes ?? [],
    state: rest.state === 'failed' ? 'refused' : rest.state,
  };
}, EntryShape);
export type OutboxEntry = z.infer<typeof EntryShape>;

/** What a caller asks for. */
export interface RemoteWriteRequest {
  readonly target: WriteTarget;
  readonly kind: string;
  readonly subject: string;
  readonly touches: readonly string[];
  /** Field writes: each field, the value the caller saw (`bases: [seen]`) and the value to set. */
  readonly changes?: readonly FieldChange[];
  readonly payload: OutboxJson;
  readonly description: string;
  readonly clientId: string;
  readonly correlationId?: string;
  readonly mayRepeat?: boolean;
  /** Set the fields whatever they hold now (the user chose "Overwrite with Mine" after a conflict). */
  readonly overwrite?: boolean;
}

export type RemoteWriteOutcome =
  /** `result`: what the adapter answered (the item as the service has it now), when it says. */
  | { readonly kind: 'applied'; readonly result: unknown; readonly alreadyApplied: boolean }
  | { readonly kind: 'queued'; readonly outboxId: string; readonly reason: string }
  /** `remote`: the item as the service has it now (the adapter's read). */
  | { readonly kind: 'conflict'; readonly fields: readonly FieldConflict[]; readonly remote: unknown; readonly message: string }
  | { readonly kind: 'refused'; readonly code: DevOpsErrorCode; readonly message: string };

/** What an adapter is told about the attempt. */
export interface WriteContext {
  readonly clientId: string;
  readonly correlationId: string | undefined;
  readonly signal: AbortSignal | undefined;
  /** The first attempt of a write never tried before: nothing of it can be on the service yet. */
  readonly fresh: boolean;
  /** When the write was first asked for: a look-up for a change already made starts a little before. */
  readonly since: string;
  /** A look-up for a caller-given client id that may have been used days ago. */
  readonly mayRepeat: boolean;
}

/** What the service holds of a write, as its adapter read it. */
export interface Observation {
  /** Comments, new items, links: the change is there already (found by its client id). */
  readonly made?: boolean;
  /** Field writes: the values of the changed fields now, in the request's terms. */
  readonly values?: Readonly<Record<string, OutboxJson | null>>;
  /** The item as the service has it (the conflict's copy; the result when `made`). */
  readonly result?: unknown;
  /** Its web page, for the user's "Open in Browser". */
  readonly url?: string;
}

/**
 * One kind of write of one service. `observe` only reads (it is called before a replay, after a
 * lost answer, and before a first send of a field write); `send` writes once, and may trust the
 * observation it is given to guard the write (Azure Boards: a `test` of the revision just read;
 * when it fails, throw DevOpsError `conflict` and the outbox reads again and decides again).
 */
export interface WriteKind<P = unknown> {
  readonly kind: string;
  readonly payload: z.ZodType<P>;
  observe(payload: P, context: WriteContext): Promise<Observation>;
  send(payload: P, observed: Observation | undefined, context: WriteContext): Promise<unknown>;
  /** The service holds the change (sent now, or found made): caches, change events, audit. */
  applied?(payload: P, result: unknown, context: WriteContext): Promise<void>;
}

/** A connection the outbox can send to: a tracker's, loaded only when a change for it is due. */
export interface WriteConnection {
  /** What it is connected to now; undefined when not configured. */
  home(): Promise<WriteHome | undefined>;
  /** Who is signed in on it (a read, cached by the connection). */
  account(signal?: AbortSignal): Promise<string | undefined>;
  /** Who is signed in, if already known: no request, nothing loaded (the pending list uses it). */
  knownAccount(): string | undefined;
  /** Its kinds of write, by kind (loads the tracker). */
  kinds(): Promise<ReadonlyMap<string, WriteKind>>;
}

/** The end of a change the outbox sent in the background (a replay), for the user to be told at once. */
export interface SettledWrite {
  readonly id: string;
  readonly clientId: string;
  readonly correlationId: string | undefined;
  readonly tracker: OutboxEntry['tracker'];
  readonly description: string;
  readonly where: string;
  readonly outcome: 'applied' | 'conflict' | 'refused';
  readonly message: string;
  readonly fields: readonly FieldConflict[];
  readonly url: string | undefined;
}

/** What a user may do with a change that waits for them. */
export type OutboxChoice = 'overwrite' | 'retry';

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly via?: WriteConnection;
}

/** What trackers and agents use; the views use OutboxView. */
export interface Outbox extends OutboxView {
  /**
   * Sends a change now; queues it when that cannot be done or be known. See the module comment.
   * `via`: the caller's own connection (a tracker's), whose adapters make the first attempt; it
   * must be connected to the request's target. Without it, the registered connection for the
   * target is used. Replays always use the registered ones.
   */
  send(request: RemoteWriteRequest, options?: SendOptions): Promise<RemoteWriteOutcome>;
  /** A connection whose changes the outbox may send (registered once; loads nothing until needed). */
  connect(connection: WriteConnection): { dispose(): void };
  /** Entries as last read from disk, oldest first. */
  entries(): readonly OutboxEntry[];
}
