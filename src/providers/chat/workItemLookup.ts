import { type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError } from '../../core/errors';
import { type WorkItemReference } from '../../core/todo/references';
import { outsideConnection } from '../../core/todo/referenceScope';
import { referenceText } from '../../core/chat/workItemArgument';
import { type WorkItem } from '../../core/workItem';
import { type ChatTrackers } from './chatServices';

const TRACKER_NAME = { azureBoards: 'Azure Boards', github: 'GitHub' } as const;

/** The tracker a reference lives in, or an error that says how to connect it. */
export function trackerFor(reference: Pick<WorkItemReference, 'tracker'>, trackers: ChatTrackers): WorkTracker {
  const tracker = reference.tracker === 'azureBoards' ? trackers.azure() : trackers.github();
  if (!tracker) {
    throw new DevOpsError(
      'notConfigured',
      `${TRACKER_NAME[reference.tracker]} is not connected, so ${reference.tracker === 'azureBoards' ? 'AB#' : '#'}… items cannot be read. Sign in (AI DevOps: Sign In to Azure DevOps or GitHub…) or try the sandbox.`,
    );
  }
  return tracker;
}

/** One work item by reference, or a DevOpsError saying why not (not connected, not found, service error). */
export async function getWorkItem(reference: WorkItemReference, trackers: ChatTrackers, signal?: AbortSignal): Promise<WorkItem> {
  const tracker = trackerFor(reference, trackers);
  const elsewhere = outsideConnection(reference, trackers.scope?.(reference.tracker));
  if (elsewhere) throw new DevOpsError('notConfigured', elsewhere);
  const result = (await tracker.get([reference.id], signal)).get(reference.id);
  if (result === undefined) throw new DevOpsError('notFound', `${referenceText(reference)} was not found. Check the id (and that it is in the connected project).`);
  if (result instanceof Error) throw result;
  return result;
}

/** Several work items; those that cannot be read come back with the reason, so an answer can say so. */
export async function getWorkItems(references: readonly WorkItemReference[], trackers: ChatTrackers, signal?: AbortSignal): Promise<{ items: WorkItem[]; missing: string[] }> {
  const items: WorkItem[] = [];
  const missing: string[] = [];
  const results = await Promise.allSettled(references.map((r) => getWorkItem(r, trackers, signal)));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') items.push(r.value);
    else missing.push(`${referenceText(references[i]!)}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
  });
  return { items, missing };
}
