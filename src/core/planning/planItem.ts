import { z } from 'zod';

/**
 * A decomposed epic as data: the epic, its features, their stories and the stories' tasks. The
 * levels are the tracker-neutral backlog levels; which work item type each becomes (Feature, User
 * Story, Product Backlog Item, Requirement, Issue, a GitHub issue type) is decided by levelTypes.ts
 * for the project's process. The same tree is what the Markdown epic parses into, what the model's
 * answer is turned into, what the editable preview shows and what the plan creates.
 */
export const PLAN_LEVELS = ['epic', 'feature', 'story', 'task'] as const;
export const PlanLevelSchema = z.enum(PLAN_LEVELS);
export type PlanLevel = z.infer<typeof PlanLevelSchema>;

/** The most a title may hold (Azure Boards' System.Title; GitHub takes more, but both must fit). */
export const MAX_TITLE = 255;
/** Estimates above this are typing mistakes, not estimates (story points, effort, hours alike). */
export const MAX_ESTIMATE = 10_000;

export interface PlanItem {
  readonly level: PlanLevel;
  readonly title: string;
  /** Story points / effort / size for epics, features and stories; hours for tasks. */
  readonly estimate?: number;
  readonly acceptanceCriteria: readonly string[];
  /** Markdown. */
  readonly description: string;
  /** The work item (Azure Boards id, GitHub issue number) when it exists already: kept, never created again. */
  readonly existingId?: number;
  readonly children: readonly PlanItem[];
}

export const PlanItemSchema: z.ZodType<PlanItem> = z.lazy(() =>
  z
    .object({
      level: PlanLevelSchema,
      title: z.string().trim().min(1, 'a title').max(MAX_TITLE, `at most ${MAX_TITLE} characters`),
      estimate: z.number().nonnegative().max(MAX_ESTIMATE).optional(),
      acceptanceCriteria: z.array(z.string().trim().min(1).max(2000)).max(50),
      description: z.string().max(32_000),
      existingId: z.number().int().positive().optional(),
      children: z.array(PlanItemSchema),
    })
    .strict(),
);

/** The level below (a story's children are tasks); undefined below tasks. */
export function childLevel(level: PlanLevel): PlanLevel | undefined {
  return PLAN_LEVELS[PLAN_LEVELS.indexOf(level) + 1];
}

export function walkPlan(root: PlanItem, visit: (item: PlanItem, path: readonly number[], parent: PlanItem | undefined) => void): void {
  const go = (item: PlanItem, path: readonly number[], parent: PlanItem | undefined): void => {
    visit(item, path, parent);
    item.children.forEach((child, i) => go(child, [...path, i], item));
  };
  go(root, [], undefined);
}

export function countPlan(root: PlanItem): { readonly total: number; readonly existing: number; readonly byLevel: Readonly<Record<PlanLevel, number>> } {
  const byLevel: Record<PlanLevel, number> = { epic: 0, feature: 0, story: 0, task: 0 };
  let total = 0;
  let existing = 0;
  walkPlan(root, (item) => {
    total++;
    byLevel[item.level]++;
    if (item.existingId !== undefined) existing++;
  });
  return { total, existing, byLevel };
}

/**
 * Checks that each child sits exactly one level below its parent; the first problem as a sentence
 * naming the item, or undefined. (A plan from a file, the preview or a model can put a story
 * straight under an epic; such a plan is refused before anything is shown as ready.)
 */
export function levelProblem(root: PlanItem): string | undefined {
  let problem: string | undefined;
  walkPlan(root, (item, _path, parent) => {
    if (problem || !parent) return;
    const expected = childLevel(parent.level);
    if (item.level !== expected) {
      problem = expected
        ? `"${item.title}" is a ${item.level} under the ${parent.level} "${parent.title}"; only a ${expected} can be there.`
        : `"${item.title}" is under the task "${parent.title}"; tasks have no children.`;
    }
  });
  return problem;
}

/** Titles compare without case, spacing or trailing punctuation: "Pay by card." is "pay by card". */
export const normalizeTitle = (title: string): string =>
  title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.:;!?,]+$/u, '')
    .trim();
