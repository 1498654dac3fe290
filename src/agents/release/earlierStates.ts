import { type StateChange, type WorkTracker } from '../../core/boards/workTracker';
import { type AuditTrailReader, type TrailEvent } from '../../core/security/repositoryControls';
import { type WorkItem } from '../../core/workItem';

/** How many audit events since the release a rollback reads at most, looking for the release's moves. */
const TRAIL_LIMIT = 100_000;

/** Why a promote moves an item (its plan step's summary ends with it); the rollback finds the move by it. */
export const reachedWhy = (tag: string, environment: string): string => `${tag} reached ${environment}`;

/** Why a rollback moves an item back. */
export const rolledBackWhy = (from: string, to: string, reason: string): string => `rolled back from ${from} to ${to}: ${reason}`;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The moves the release agent made of one item for a release, as its audit trail records them. */
interface RecordedMoves {
  /** The state before the release's first move. */
  readonly before: string;
  /** Where the release's last move (a promotion or a rollback) left it. */
  readonly after: string;
}

/** Where a rolled-back item goes, or why it stays. */
export type EarlierState =
  | { readonly kind: 'move'; readonly state: string; readonly source: 'audit' | 'history' }
  | { readonly kind: 'stay'; readonly note: string };

const itemKey = (repository: string | null | undefined, id: number): string => `${repository ?? ''}#${id}`;

/**
 * The release's own work item moves since it was cut, from the audit trail: the runtime records
 * each applied `workItem.state` step with the state it left and the state it set (a promotion's
 * step says "<tag> reached <environment>", a rollback's "rolled back from <tag> to …").
 */
export async function releaseMoves(trail: AuditTrailReader | undefined, tag: string, since: Date, now: Date, signal: AbortSignal): Promise<{ readonly moves: ReadonlyMap<string, RecordedMoves>; readonly notes: string[] }> {
  const notes: string[] = [];
  const moves = new Map<string, RecordedMoves>();
  if (!trail) return { moves, notes: ['The audit trail cannot be read here, so earlier states come from the trackers\' history alone.'] };
  const promoted = new RegExp(`: ${escape(tag)} reached [^:]+$`);
  const rolledBack = new RegExp(`: rolled back from ${escape(tag)} to `);
  let events: readonly TrailEvent[];
  try {
    const read = await trail.events({ from: since, to: new Date(now.getTime() + 60_000), limit: TRAIL_LIMIT }, signal);
    events = read.events;
    if (read.truncated) notes.push(`The audit trail holds more than ${TRAIL_LIMIT.toLocaleString('en-US')} events since ${tag}; only the first were read for the release's moves.`);
  } catch (error) {
    if (signal.aborted) throw error;
    return { moves, notes: [`The audit trail could not be read (${error instanceof Error ? error.message : String(error)}), so earlier states come from the trackers' history alone.`] };
  }
  for (const e of events) {
    if (e.service !== 'release' || e.eventType !== 'remote.applied' || e.workItemId === null || e.oldState === null || e.newState === null) continue;
    const isPromote = promoted.test(e.summary);
    if (!isPromote && !rolledBack.test(e.summary)) continue;
    const key = itemKey(e.repository, e.workItemId);
    const seen = moves.get(key);
    if (!seen && !isPromote) continue;
    moves.set(key, { before: seen?.before ?? e.oldState, after: e.newState });
  }
  return { moves, notes };
}

/**
 * The state a rolled-back item returns to. Exact when the audit trail recorded the release's moves
 * of it (the state before the first one); otherwise, where the tracker serves its history (Azure
 * Boards), the state before its first change after the release was cut. Someone else's move
 * since the release moved it is a conflict: the item stays, and the note says who and where.
 * Without either record the earlier state is unknown: a note, never a guess.
 */
export async function earlierState(item: WorkItem, label: string, tracker: WorkTracker, recorded: RecordedMoves | undefined, release: { readonly tag: string; readonly at: Date | undefined }, signal: AbortSignal): Promise<EarlierState> {
  if (recorded) {
    if (item.state === recorded.before) return { kind: 'stay', note: `${label} is already ${item.state}, the state it had before ${release.tag} moved it.` };
    if (item.state !== recorded.after) return { kind: 'stay', note: `${label} was not moved back: ${release.tag} moved it to ${recorded.after}, and it has been moved to ${item.state} since (conflict: someone else changed it meanwhile). It was ${recorded.before} before the release; move it yourself if that still holds.` };
    return { kind: 'move', state: recorded.before, source: 'audit' };
  }
  if (!tracker.stateHistory) {
    return { kind: 'stay', note: `${label} stays ${item.state}: its earlier state is unknown (the audit trail has no record of ${release.tag} moving it, and GitHub serves no state history that can be read here).` };
  }
  if (!release.at) return { kind: 'stay', note: `${label} stays ${item.state}: ${release.tag} has no commits of its own to date it by, so its moves cannot be told apart in the item's history.` };
  let history: readonly StateChange[];
  try {
    history = await tracker.stateHistory(item, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: 'stay', note: `${label} stays ${item.state}: its history could not be read (${error instanceof Error ? error.message : String(error)}).` };
  }
  const since = history.filter((c) => Date.parse(c.at) > release.at!.getTime());
  const first = since[0];
  if (!first) return { kind: 'stay', note: `${label} stays ${item.state}: its state has not changed since ${release.tag} was cut.` };
  if (first.from === undefined) return { kind: 'stay', note: `${label} stays ${item.state}: it was created after ${release.tag} was cut, so it had no earlier state.` };
  const other = since.find((c) => c.by !== first.by);
  if (other) return { kind: 'stay', note: `${label} was not moved back: ${other.by ?? 'someone'} moved it to ${other.to} on ${other.at.slice(0, 10)}, after the release moved it to ${first.to} (conflict). It was ${first.from} before the release; move it yourself if that still holds.` };
  if (item.state === first.from) return { kind: 'stay', note: `${label} is already ${item.state}, the state it had before ${release.tag}.` };
  return { kind: 'move', state: first.from, source: 'history' };
}

export { itemKey as releaseItemKey };
