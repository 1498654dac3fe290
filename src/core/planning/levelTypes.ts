import { type ProcessTemplate } from '../process/templates';
import { type PlanLevel } from './planItem';

/**
 * What each plan level becomes in a project: the work item type its process names it, the field
 * its estimate goes in and whether acceptance criteria have a field of their own. Azure Boards'
 * system processes (their published field lists):
 *
 * | level   | Basic          | Agile                  | Scrum                         | CMMI                 |
 * | epic    | Epic (Effort)  | Epic (Effort)          | Epic (Effort)                 | Epic (Effort)        |
 * | feature | (none)         | Feature (Effort)       | Feature (Effort)              | Feature (Effort)     |
 * | story   | Issue (Effort) | User Story (Story Pts) | Product Backlog Item (Effort) | Requirement (Size)   |
 * | task    | Task (Remaining Work, hours; Agile and CMMI also Original Estimate)                   |
 *
 * Acceptance Criteria is a field of the User Story (Agile) and of the Product Backlog Item and
 * Feature (Scrum); elsewhere the criteria are written into the description.
 */
export interface LevelType {
  /** The work item type; undefined when the process has no such level (Basic has no features). */
  readonly type: string | undefined;
  /** Reference names of the fields the estimate is written to (the first is the one read back). */
  readonly estimateFields: readonly string[];
  /** The estimate field's display name, for the preview and reports. */
  readonly estimateName: string;
  /** Microsoft.VSTS.Common.AcceptanceCriteria where the type has it. */
  readonly acceptanceField: string | undefined;
}

export const ACCEPTANCE_FIELD = 'Microsoft.VSTS.Common.AcceptanceCriteria';
export const EFFORT = 'Microsoft.VSTS.Scheduling.Effort';
export const STORY_POINTS = 'Microsoft.VSTS.Scheduling.StoryPoints';
export const SIZE = 'Microsoft.VSTS.Scheduling.Size';
export const REMAINING_WORK = 'Microsoft.VSTS.Scheduling.RemainingWork';
export const ORIGINAL_ESTIMATE = 'Microsoft.VSTS.Scheduling.OriginalEstimate';

const lt = (type: string | undefined, estimateFields: readonly string[], estimateName: string, acceptanceField?: string): LevelType => ({ type, estimateFields, estimateName, acceptanceField });

export function azureLevelTypes(template: ProcessTemplate): Readonly<Record<PlanLevel, LevelType>> {
  const requirement = template.types.find((t) => t.level === 'requirement' && !t.isBug)?.name;
  const epic = lt('Epic', [EFFORT], 'Effort');
  switch (template.name) {
    case 'Basic':
      return { epic, feature: lt(undefined, [], 'Effort'), story: lt(requirement, [EFFORT], 'Effort'), task: lt('Task', [REMAINING_WORK], 'Remaining Work') };
    case 'Agile':
      return { epic, feature: lt('Feature', [EFFORT], 'Effort'), story: lt(requirement, [STORY_POINTS], 'Story Points', ACCEPTANCE_FIELD), task: lt('Task', [REMAINING_WORK, ORIGINAL_ESTIMATE], 'Remaining Work') };
    case 'Scrum':
      return { epic, feature: lt('Feature', [EFFORT], 'Effort', ACCEPTANCE_FIELD), story: lt(requirement, [EFFORT], 'Effort', ACCEPTANCE_FIELD), task: lt('Task', [REMAINING_WORK], 'Remaining Work') };
    case 'CMMI':
      return { epic, feature: lt('Feature', [EFFORT], 'Effort'), story: lt(requirement, [SIZE], 'Size'), task: lt('Task', [REMAINING_WORK, ORIGINAL_ESTIMATE], 'Remaining Work') };
  }
}
