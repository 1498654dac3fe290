import { type TrackerKind } from '../workItem';
import { type ExistingItem } from './existing';
import { type PlanTarget } from './planChanges';
import { type SprintBoards } from './sprint/sprintBoards';

/**
 * What the planner reads from a tracker beyond the WorkTracker's lists: the process (or GitHub's
 * issue types and Project), an item with everything under it, and what an earlier run of a plan
 * made. Implemented in src/providers/planning for Azure Boards and GitHub with the real clients.
 */
export interface EpicSourceItem {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  /** Markdown (Azure Boards' HTML turned into Markdown headings, lists and paragraphs). */
  readonly description: string;
  readonly state: string;
  readonly url: string;
}

export interface PlanningBoards {
  readonly tracker: TrackerKind;
  /** Where plans go, as the user reads it: the project's name, or owner/repo. */
  where(): string;
  /** The process and naming the plan is made for. */
  target(signal?: AbortSignal): Promise<PlanTarget>;
  /** The item (an epic, an issue), or a DevOpsError('notFound'). */
  item(id: number, signal?: AbortSignal): Promise<EpicSourceItem>;
  /** The item and everything under it by parent links (sub-issues on GitHub). */
  tree(id: number, signal?: AbortSignal): Promise<ExistingItem>;
  /** Items an earlier run of the plan `key` created, by their plan reference. */
  madeBy(key: string, signal?: AbortSignal): Promise<ReadonlyMap<string, number>>;
  /** aiDevops.planning.blockedDays: days an item may stay blocked before the status report calls it a risk. */
  readonly blockedDays?: number;
  /** Iterations, capacity and the backlog for sprint planning and reports; undefined where the tracker has none yet. */
  sprints?(): SprintBoards;
}
