import { BLOCKED_LABEL } from '../process/githubStatus';
import { BLOCKED_TAG } from '../process/stateMapping';
import { hasTag } from '../process/tags';
import { type WorkItem } from '../workItem';

/**
 * Whether the item carries its tracker's Blocked mark as far as the WorkItem shows it: Azure
 * Boards' Blocked field (Yes) or Blocked tag, a GitHub issue's `blocked` label. A GitHub Project's
 * Status is not part of the issue (GitHubLifecycle reads it).
 */
export function isMarkedBlocked(item: Pick<WorkItem, 'tracker' | 'tags' | 'blocked'>): boolean {
  if (item.tracker === 'github') return hasTag(item.tags, BLOCKED_LABEL);
  return item.blocked === true || hasTag(item.tags, BLOCKED_TAG);
}
