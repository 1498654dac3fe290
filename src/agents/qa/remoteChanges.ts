import { type AgentContext } from '../runtime/context';
import { type RemoteChange } from '../runtime/plan';
import { type QaRun } from './runQa';

export interface RemoteOptions {
  readonly bugs: boolean;
  readonly comment: boolean;
  readonly publish: boolean;
  readonly workItem?: number;
}

/** Bugs, Test Plans runs and comments for a QA run (filled in by the tracker-facing part of the agent). */
export async function qaRemoteChanges(_ctx: AgentContext, _run: QaRun, options: RemoteOptions, notes: string[]): Promise<RemoteChange[]> {
  if (options.bugs || options.comment || options.publish) notes.push('Bugs, comments and Test Plans runs are not planned by this build.');
  return [];
}
