import { DevOpsError } from '../../core/errors';
import { referenceKey, type WorkItemReference } from '../../core/todo/references';
import { type Resolution, type TrackerChoice, type WorkItemResolver } from '../../core/todo/workItemResolver';
import { type TrackerKind } from '../../core/workItem';

const NAMES: Record<TrackerKind, string> = { azureBoards: 'Azure Boards', github: 'GitHub' };

/**
 * The resolver used while no tracker is connected: every answer says so honestly (the lens reads
 * `AB#123 · not connected — Sign in`), and creating an item fails with an actionable error.
 */
export class NotConnectedResolver implements WorkItemResolver {
  async resolve(references: readonly WorkItemReference[]): Promise<ReadonlyMap<string, Resolution>> {
    const out = new Map<string, Resolution>();
    for (const reference of references) out.set(referenceKey(reference), { kind: 'error', error: notConnected(reference.tracker) });
    return out;
  }

  async create(request: { tracker: TrackerKind }): Promise<WorkItemReference> {
    throw notConnected(request.tracker);
  }

  async findOpenByTitle(): Promise<WorkItemReference | undefined> {
    return undefined;
  }

  async trackers(): Promise<readonly TrackerChoice[]> {
    return (['azureBoards', 'github'] as const).map((tracker) => ({ tracker, label: NAMES[tracker], available: false, reason: `${NAMES[tracker]} is not connected. Run "AI DevOps: Sign In" first.` }));
  }

  onDidChange(): { dispose(): void } {
    return { dispose: () => undefined };
  }
}

function notConnected(tracker: TrackerKind): DevOpsError {
  return new DevOpsError('notConfigured', `${NAMES[tracker]} is not connected. Sign in (AI DevOps: Sign In) or try the sandbox to see work item titles and states here.`);
}
