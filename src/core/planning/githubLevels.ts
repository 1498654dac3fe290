import { type PlanLevel } from './planItem';

/**
 * GitHub's side of a plan's levels: the issue type each level takes where the organization has
 * issue types (GitHub's defaults are Task, Bug and Feature; organizations add Epic and others), and
 * the label a level gets where there is no type for it.
 */
const TYPE_NAMES: Readonly<Record<PlanLevel, readonly string[]>> = {
  epic: ['Epic', 'Initiative'],
  feature: ['Feature'],
  story: ['User Story', 'Story'],
  task: ['Task'],
};

export const GITHUB_LEVEL_LABELS: Readonly<Record<PlanLevel, string>> = { epic: 'epic', feature: 'feature', story: 'story', task: 'task' };

/** The organization's issue type for a level (its own spelling), or undefined. */
export function githubIssueTypeFor(level: PlanLevel, available: readonly string[]): string | undefined {
  for (const wanted of TYPE_NAMES[level]) {
    const found = available.find((t) => t.toLowerCase() === wanted.toLowerCase());
    if (found) return found;
  }
  return undefined;
}

/** The repository's Project a plan's issues are added to, with its number field for estimates. */
export interface GitHubPlanProject {
  readonly number: number;
  readonly title: string;
  /** The number field estimates go in (Estimate, Story Points, ...); undefined when the Project has none. */
  readonly estimateField?: string;
}
