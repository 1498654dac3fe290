import { z } from 'zod';

/** The trackers a work item can live in. */
export const TrackerKindSchema = z.enum(['azureBoards', 'github']);
export type TrackerKind = z.infer<typeof TrackerKindSchema>;

/**
 * A work item as the extension holds it, whatever tracker it came from. For GitHub, `id` is the
 * issue or pull request number and `repository` is `owner/repo`; a draft issue in a Project has
 * no number and is not a WorkItem (it is a project item only).
 */
export const WorkItemSchema = z.object({
  tracker: TrackerKindSchema,
  id: z.number().int().positive(),
  /** `owner/repo` for GitHub; the project name for Azure Boards. */
  repository: z.string().optional(),
  type: z.string().min(1),
  title: z.string(),
  description: z.string(),
  /** Azure Boards' Acceptance Criteria field (HTML), where the item type has one and it is filled. */
  acceptanceCriteria: z.string().optional(),
  state: z.string().min(1),
  assignedTo: z.string().optional(),
  areaPath: z.string().optional(),
  iterationPath: z.string().optional(),
  tags: z.array(z.string()),
  /**
   * Azure Boards: the item's Microsoft.VSTS.CMMI.Blocked field says Yes (CMMI's Requirement, Task
   * and Bug, Scrum's Task). Absent where the type has no such field or it is not Yes.
   */
  blocked: z.literal(true).optional(),
  parentId: z.number().int().positive().optional(),
  childIds: z.array(z.number().int().positive()),
  createdAt: z.iso.datetime({ offset: true }),
  modifiedAt: z.iso.datetime({ offset: true }),
  url: z.url(),
  /** Revision: Azure Boards' System.Rev; for GitHub, a counter derived from updated_at. */
  rev: z.number().int().nonnegative(),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;

/** How a work item is written in text: `AB#123` for Azure Boards, `owner/repo#45` for GitHub. */
export function workItemKey(item: Pick<WorkItem, 'tracker' | 'id' | 'repository'>): string {
  return item.tracker === 'azureBoards' ? `AB#${item.id}` : `${item.repository ?? ''}#${item.id}`;
}
