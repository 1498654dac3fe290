import { type OutboxJson } from '../../boards/outbox';
import { type TrackerKind } from '../../workItem';
import { type BacklogRow, type IterationInfo } from './backlog';
import { type DateRange, type Weekday } from './calendar';
import { type MemberCapacityInput } from './capacity';

/**
 * What sprint planning, velocity and the status report read from a tracker: the team's
 * iterations and working days, its backlog items and tasks, and each iteration's capacity and
 * team days off. Implemented for Azure Boards and GitHub Projects in src/providers/planning with
 * the real clients.
 */
export interface SprintSnapshot {
  readonly where: string;
  /** The estimate's name in this process (Story Points, Effort, Size). */
  readonly unit: string;
  readonly iterations: readonly IterationInfo[];
  readonly workingDays: readonly Weekday[];
  /** Backlog-level items and tasks of the project, open and completed (Removed left out). */
  readonly rows: readonly BacklogRow[];
  /** What the reader left out and the user should know. */
  readonly notes?: readonly string[];
}

/** The remote change that moves an item into an iteration (Azure Boards: its iteration path; GitHub: its Project item's iteration field). */
export interface SprintMove {
  readonly kind: 'workItem.iteration' | 'project.iteration';
  readonly payload: Readonly<Record<string, OutboxJson>>;
}

export interface IterationCapacity {
  /** Hours (Azure Boards), or the estimate unit per person (GitHub's aiDevops.github.capacity). */
  readonly measure?: 'hours' | 'estimate';
  readonly teamDaysOff: readonly DateRange[];
  /** Members with a capacity set; empty when nobody set one. */
  readonly members: readonly MemberCapacityInput[];
}

export interface PlannedMoment {
  readonly iteration: IterationInfo;
  readonly at: Date;
}

export interface SprintBoards {
  readonly tracker: TrackerKind;
  where(): string;
  snapshot(signal?: AbortSignal): Promise<SprintSnapshot>;
  capacity(iteration: IterationInfo, signal?: AbortSignal): Promise<IterationCapacity>;
  /**
   * Planned work (the velocity widget's "Planned"): per iteration id, the estimate of the
   * backlog-level items that were in the iteration at the given moment, read from the items'
   * history (Azure Boards: WIQL ASOF). Absent where the tracker keeps no history of iteration moves.
   */
  planned?(moments: readonly PlannedMoment[], signal?: AbortSignal): Promise<Map<string, number>>;
  /**
   * When each of these blocked items became blocked (ISO), from its history (Azure Boards: the
   * update that set the Blocked tag or field; GitHub: the `blocked` label's labeled event or the
   * Project item's Status change). Items whose history does not say are left out.
   */
  blockedSince?(rows: readonly BacklogRow[], signal?: AbortSignal): Promise<Map<number, string>>;
  /** How an item is written in text (AB#12). */
  reference(id: number): string;
  /** The change that moves an item of the last snapshot into the iteration. */
  move(id: number, iteration: IterationInfo): SprintMove;
}
