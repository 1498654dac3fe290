import { parseWorkItemArgument, referenceText } from '../../core/chat/workItemArgument';
import { BLOCKED_RECORD, blockedKey, blockedOf, LIFECYCLE_AGENT } from '../../core/lifecycle/attention';
import { type TrackerKind } from '../../core/workItem';
import { FileAgentRecords } from './agentRecords';
import { type RunResult } from './runAgent';

/** The run that follows an agent's run on a work item: the lifecycle agent's block or unblock. */
export interface LifecycleFollowUp {
  readonly agent: typeof LIFECYCLE_AGENT;
  readonly action: 'block' | 'unblock';
  readonly input: Record<string, string>;
}

/** The work item a run's input links it to (the scaffold's `workItem`, QA's `work-item`), as written. */
export function linkedWorkItem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const record = input as Record<string, unknown>;
  const value = record['workItem'] ?? record['work-item'];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * After an applied run of an agent linked to a work item: a failure (the plan could not be made or
 * applied) asks the lifecycle agent to mark the item Blocked; a success asks it to clear a mark an
 * earlier failure set (recorded under `.devops/lifecycle/`). Declined and cancelled runs are the
 * user's choice and move nothing; the lifecycle agent's own runs are not followed up.
 */
export async function lifecycleFollowUp(root: string | undefined, run: { readonly input: unknown; readonly mode?: 'plan' | 'apply' }, result: RunResult, defaultTracker: TrackerKind): Promise<LifecycleFollowUp | undefined> {
  if (!root || result.agent === LIFECYCLE_AGENT || (run.mode ?? 'apply') !== 'apply') return undefined;
  const text = linkedWorkItem(run.input);
  const reference = text ? parseWorkItemArgument(text, defaultTracker) : undefined;
  if (!reference) return undefined;
  const workItem = referenceText(reference);
  if (result.outcome === 'failed') {
    return { agent: LIFECYCLE_AGENT, action: 'block', input: { workItem, agent: result.agent, action: result.action, run: result.runId, reason: (result.error ?? 'the run failed').slice(0, 4000) } };
  }
  if (result.outcome !== 'succeeded') return undefined;
  const blocked = blockedOf(await new FileAgentRecords(root, LIFECYCLE_AGENT).read(BLOCKED_RECORD));
  if (!blocked[blockedKey(reference.tracker, reference.id)]) return undefined;
  return { agent: LIFECYCLE_AGENT, action: 'unblock', input: { workItem, agent: result.agent, action: result.action, run: result.runId } };
}
