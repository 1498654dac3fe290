import { DevOpsError } from '../../core/errors';
import { type PlanningBoards } from '../../core/planning/planningBoards';
import { type TrackerKind } from '../../core/workItem';
import { type AgentContext } from '../runtime/context';

export const TRACKER_NAMES: Readonly<Record<TrackerKind, string>> = { azureBoards: 'Azure Boards', github: 'GitHub' };

/** The planning reads of a tracker, or a clear error when it is not connected. */
export async function planningFor(ctx: AgentContext, kind: TrackerKind): Promise<PlanningBoards> {
  const boards = await ctx.trackers.planning?.(kind);
  if (!boards) {
    throw new DevOpsError(
      'notConfigured',
      kind === 'azureBoards'
        ? 'Azure Boards is not connected: set aiDevops.azureDevOps.organizationUrl and project (or try the sandbox), sign in, and run the planner again.'
        : 'GitHub is not connected: set aiDevops.github.owner and repo (or try the sandbox), sign in, and run the planner again.',
    );
  }
  return boards;
}
