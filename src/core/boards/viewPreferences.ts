import { z } from 'zod';
import { type GroupBy } from './boardTree';
import { type WorkItemFilter } from './workTracker';

/**
 * The boards views' choices, remembered per workspace (VS Code's workspaceState). Stored data may
 * come from an older version or be edited by hand, so it is parsed and bad values fall back.
 */
export const ViewPreferencesSchema = z.object({
  filter: z.enum(['assignedToMe', 'currentIteration', 'allOpen']).catch('allOpen'),
  groupBy: z.enum(['hierarchy', 'iteration', 'state']).catch('hierarchy'),
  /** The GitHub Project picked in the view; the setting aiDevops.github.projectNumber when unset. */
  githubProject: z.number().int().positive().optional().catch(undefined),
});

export type ViewPreferences = { filter: WorkItemFilter; groupBy: GroupBy; githubProject?: number | undefined };

export const PREFERENCES_KEY = 'aiDevops.boards.preferences';

export function parsePreferences(raw: unknown): ViewPreferences {
  const parsed = ViewPreferencesSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : { filter: 'allOpen', groupBy: 'hierarchy' };
}
