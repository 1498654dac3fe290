import { findReferences, type WorkItemReference } from '../todo/references';
import { type TrackerKind } from '../workItem';

/**
 * The work item a user names in `/workitem 123`, `AB#123`, `#45`, `owner/repo#45`, `GH-45` or a
 * work item URL. A bare number belongs to the default tracker. Undefined when there is none.
 */
export function parseWorkItemArgument(text: string, defaultTracker: TrackerKind): WorkItemReference | undefined {
  return workItemMentions(text, defaultTracker)[0];
}

/** Every work item named in free text (AB#n, #n, owner/repo#n, URLs), first mention first, no repeats. */
export function workItemMentions(text: string, defaultTracker: TrackerKind): WorkItemReference[] {
  const found = findReferences(text, { defaultTracker, patterns: [] }).map((f) => f.reference);
  const bare = /^\s*(\d{1,9})\s*$/.exec(text);
  if (found.length === 0 && bare) {
    const id = Number(bare[1]);
    if (id > 0) found.push(defaultTracker === 'azureBoards' ? { tracker: 'azureBoards', id } : { tracker: 'github', id });
  }
  const seen = new Set<string>();
  return found.filter((r) => {
    const key = `${r.tracker}:${r.id}:${r.tracker === 'github' ? `${r.owner ?? ''}/${r.repo ?? ''}` : ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `AB#7`, `owner/repo#45` or `#45`, as a work item is written in chat. */
export function referenceText(reference: WorkItemReference): string {
  if (reference.tracker === 'azureBoards') return `AB#${reference.id}`;
  return reference.owner && reference.repo ? `${reference.owner}/${reference.repo}#${reference.id}` : `#${reference.id}`;
}
