import stableStringify from 'fast-json-stable-stringify';
import { type FieldChange, type FieldConflict, type OutboxEntry, type OutboxJson, type RemoteWriteRequest } from './outbox';
import { type WriteHome } from './writeTarget';

/**
 * The outbox's decisions that need no I/O: whether a change is made, to be sent or in conflict
 * (fields compared, not revisions), how a change composes with the user's earlier ones to the same
 * field, and which waiting change may go next.
 */

const sameJson = (a: OutboxJson | null | undefined, b: OutboxJson | null | undefined): boolean => stableStringify(a ?? null) === stableStringify(b ?? null);

export type FieldVerdict = { readonly kind: 'made' } | { readonly kind: 'send' } | { readonly kind: 'conflict'; readonly fields: readonly FieldConflict[] };

/**
 * Every field already holds what was asked: made. A field holds one of its bases (what the user
 * saw, or what the user's own earlier change set): send. A field holds anything else: someone else
 * changed it since the user saw it; a conflict, unless the user chose to overwrite.
 */
export function checkFields(changes: readonly FieldChange[], values: Readonly<Record<string, OutboxJson | null>>, overwrite: boolean): FieldVerdict {
  const conflicts: FieldConflict[] = [];
  let toSend = false;
  for (const change of changes) {
    const now = values[change.field] ?? null;
    if (sameJson(now, change.want)) continue;
    toSend = true;
    if (overwrite || change.bases.some((base) => sameJson(base, now))) continue;
    conflicts.push({ field: change.field, theirs: now, seen: change.bases[0] ?? null, yours: change.want });
  }
  if (conflicts.length > 0) return { kind: 'conflict', fields: conflicts };
  return toSend ? { kind: 'send' } : { kind: 'made' };
}

/** One key per connection (case-insensitive, as the services compare names). */
export function homeKey(home: WriteHome): string {
  const parts = home.service === 'azureBoards' ? [home.service, home.organization, home.project] : [home.service, home.host, home.owner, home.repo];
  return parts.map((p) => p.toLowerCase()).join('|');
}

type Ordered = Pick<OutboxEntry, 'target' | 'subject' | 'touches'>;

/** The keys a change holds while it waits: later changes touching the same thing of the same item wait behind it. */
function touchKeys(entry: Ordered): string[] {
  if (!entry.target) return [];
  const home = homeKey(entry.target);
  return entry.touches.map((t) => `${home}|${entry.subject}|${t}`);
}

/**
 * Whether a waiting change holds later changes to the same thing: a pending one does (order is
 * kept); one that waits for the user does when it sets fields (a later change to the field builds
 * on the user's choice), not when it is a comment or a link, which nothing later depends on.
 */
const holds = (entry: Pick<OutboxEntry, 'state' | 'changes'>): boolean => entry.state === 'pending' || entry.changes.length > 0;

/** Whether `request` must wait behind a change still in the outbox (it touches the same field, or the comments, of the same item). */
export function waitsBehind(entries: readonly OutboxEntry[], request: Pick<RemoteWriteRequest, 'target' | 'subject' | 'touches'>): OutboxEntry | undefined {
  const wanted = new Set(touchKeys({ target: request.target, subject: request.subject, touches: [...request.touches] }));
  if (wanted.size === 0) return undefined;
  return entries.find((e) => holds(e) && touchKeys(e).some((k) => wanted.has(k)));
}

/**
 * The bases of a new change: what the caller saw, then what the user's earlier changes to the same
 * field set, those still waiting in the outbox and those this window made lately (`recent`). So a
 * second queued change (New → Active, then → Resolved while offline) composes with the first
 * instead of conflicting with it.
 */
export function composeBases(
  request: Pick<RemoteWriteRequest, 'target' | 'subject' | 'changes'>,
  entries: readonly OutboxEntry[],
  recent: (field: string) => readonly OutboxJson[],
): FieldChange[] {
  const home = homeKey(request.target);
  const earlier = entries.filter((e) => e.target !== undefined && homeKey(e.target) === home && e.subject === request.subject);
  return (request.changes ?? []).map((change) => {
    const bases = [...change.bases];
    const add = (value: OutboxJson | null): void => {
      if (!bases.some((b) => sameJson(b, value))) bases.push(value);
    };
    for (const e of earlier) for (const c of e.changes) if (c.field === change.field) add(c.want);
    for (const value of recent(change.field)) add(value);
    return { ...change, bases };
  });
}

export interface DueOptions {
  readonly now: number;
  readonly respectBackoff: boolean;
  /** Connections to leave alone for the rest of this pass (down, or not this window's). */
  readonly skipHomes: ReadonlySet<string>;
  /** Entries already tried in this pass. */
  readonly tried: ReadonlySet<string>;
}

/**
 * The oldest change that may go now: pending, recorded with a connection, not backing off, and not
 * behind a waiting change that touches the same thing of the same item (a change in conflict or
 * refused holds only the later changes to the same field, never the rest of the item).
 */
export function nextDue(entries: readonly OutboxEntry[], options: DueOptions): OutboxEntry | undefined {
  const held = new Set<string>();
  for (const entry of entries) {
    const keys = touchKeys(entry);
    const hold = (): void => {
      if (holds(entry)) keys.forEach((k) => held.add(k));
    };
    if (keys.some((k) => held.has(k))) {
      hold();
      continue;
    }
    const blocked =
      entry.state !== 'pending' ||
      entry.target === undefined ||
      options.skipHomes.has(homeKey(entry.target)) ||
      options.tried.has(entry.id) ||
      (options.respectBackoff && entry.notBefore !== undefined && Date.parse(entry.notBefore) > options.now);
    if (blocked) {
      hold();
      continue;
    }
    return entry;
  }
  return undefined;
}

/** The changes that will go as soon as their backoff ends: pending, with a connection, and held by nothing (the timer waits for the first of them). */
export function unheld(entries: readonly OutboxEntry[]): OutboxEntry[] {
  const held = new Set<string>();
  const out: OutboxEntry[] = [];
  for (const entry of entries) {
    const keys = touchKeys(entry);
    const blocked = keys.some((k) => held.has(k));
    if (holds(entry)) keys.forEach((k) => held.add(k));
    if (!blocked && entry.state === 'pending' && entry.target !== undefined) out.push(entry);
  }
  return out;
}
