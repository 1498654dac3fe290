import { z } from 'zod';

/**
 * The extension's own lifecycle of a piece of work, the same whatever tracker or process holds it:
 * New > Ready > In Progress > Code Review > Testing > Staging > Production > Done, with Blocked
 * reachable from any working state and left back to Ready.
 */
export const FLOW = ['New', 'Ready', 'In Progress', 'Code Review', 'Testing', 'Staging', 'Production', 'Done'] as const;
export const LifecycleStateSchema = z.enum([...FLOW, 'Blocked']);
export type LifecycleState = z.infer<typeof LifecycleStateSchema>;
export const LIFECYCLE_STATES: readonly LifecycleState[] = LifecycleStateSchema.options;

/** States in which work is under way and can be held up. New (not yet accepted) and the released states are not. */
export const WORKING_STATES: readonly LifecycleState[] = ['Ready', 'In Progress', 'Code Review', 'Testing', 'Staging'];

/** Moving back from a review, test or release stage sends the work back to In Progress (rework). */
const REWORK_FROM: readonly LifecycleState[] = ['Code Review', 'Testing', 'Staging', 'Production'];

export type MoveKind = 'none' | 'forward' | 'back' | 'block' | 'unblock' | 'reopen';

export type LifecycleMove =
  | { readonly allowed: true; readonly kind: MoveKind }
  | { readonly allowed: false; readonly reason: string; readonly allowedTargets: readonly LifecycleState[] };

export interface MoveOptions {
  /** Allow a forward move past intermediate states (e.g. In Progress straight to Done). */
  readonly allowSkip?: boolean;
}

const index = (s: LifecycleState): number => (FLOW as readonly string[]).indexOf(s);

function kindOf(from: LifecycleState, to: LifecycleState, options: MoveOptions): MoveKind | undefined {
  if (from === to) return 'none';
  if (to === 'Blocked') return WORKING_STATES.includes(from) ? 'block' : undefined;
  if (from === 'Blocked') return to === 'Ready' ? 'unblock' : undefined;
  const f = index(from);
  const t = index(to);
  if (t === f + 1) return 'forward';
  if (t > f + 1) return options.allowSkip && from !== 'Done' ? 'forward' : undefined;
  if (from === 'Done') return to === 'In Progress' ? 'reopen' : undefined;
  if (to === 'In Progress' && REWORK_FROM.includes(from)) return 'back';
  if ((from === 'In Progress' && to === 'Ready') || (from === 'Ready' && to === 'New')) return 'back';
  return undefined;
}

/** Every state `from` may move to (itself excluded). */
export function allowedTargets(from: LifecycleState, options: MoveOptions = {}): LifecycleState[] {
  return LIFECYCLE_STATES.filter((to) => to !== from && kindOf(from, to, options) !== undefined);
}

export function checkLifecycleMove(from: LifecycleState, to: LifecycleState, options: MoveOptions = {}): LifecycleMove {
  const kind = kindOf(from, to, options);
  if (kind) return { allowed: true, kind };
  const targets = allowedTargets(from, options);
  const next = `From ${from} it can move to ${targets.join(', ') || 'nothing'}.`;
  let why: string;
  if (to === 'Blocked') why = `Only work in a working state (${WORKING_STATES.join(', ')}) can be blocked; this item is ${from}.`;
  else if (from === 'Blocked') why = `A blocked item goes back to Ready when it is unblocked, not straight to ${to}.`;
  else if (index(to) > index(from)) {
    const skipped = FLOW.slice(index(from) + 1, index(to));
    why = from === 'Done' ? `The item is Done; reopen it (move it to In Progress) first.` : `${from} to ${to} skips ${skipped.join(', ')}; move one stage at a time, or allow skipping.`;
  } else why = `${from} cannot go back to ${to}: rework goes back to In Progress, and only In Progress returns to Ready and Ready to New.`;
  return { allowed: false, reason: `${why} ${next}`, allowedTargets: targets };
}
