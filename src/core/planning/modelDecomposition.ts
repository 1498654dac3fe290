import { z } from 'zod';
import { type ChatMessage } from '../ai/messages';
import { MAX_ESTIMATE, MAX_TITLE, type PlanItem } from './planItem';

/**
 * Free text has no sections to go by, so a model decomposes it. Its answer must fit this schema
 * (checked with zod; the runtime's completeJson asks once more with the problem named, then gives
 * up with a clear error), and nothing of it is created before the user has seen and edited the
 * preview. The counts are capped so a runaway answer cannot turn into a thousand work items.
 */
const Title = z.string().trim().min(1).max(MAX_TITLE);
const Criteria = z.array(z.string().trim().min(1).max(500)).max(12);
const Points = z.number().nonnegative().max(100);

export const ModelTaskSchema = z.object({ title: Title, hours: z.number().nonnegative().max(200).nullable() }).strict();
export const ModelStorySchema = z
  .object({ title: Title, description: z.string().max(4000), acceptanceCriteria: Criteria, points: Points.nullable(), tasks: z.array(ModelTaskSchema).max(15) })
  .strict();
export const ModelFeatureSchema = z.object({ title: Title, description: z.string().max(4000), acceptanceCriteria: Criteria, stories: z.array(ModelStorySchema).min(1).max(20) }).strict();
export const ModelPlanSchema = z.object({ epic: z.object({ title: Title, description: z.string().max(8000) }).strict(), features: z.array(ModelFeatureSchema).min(1).max(15) }).strict();
export type ModelPlan = z.infer<typeof ModelPlanSchema>;

export interface DecompositionNaming {
  /** How the project names its levels: `Feature`, `User Story`, `Task` (or the plain words on GitHub). */
  readonly feature: string;
  readonly story: string;
  readonly task: string;
  /** `story points`, `effort`, `size`. */
  readonly estimate: string;
}

export function decompositionMessages(text: string, naming: DecompositionNaming, epicTitle: string | undefined): ChatMessage[] {
  return [
    {
      role: 'system',
      content: [
        'You are a product manager breaking an epic into work for a software team.',
        `Answer with JSON: {"epic": {"title", "description"}, "features": [{"title", "description", "acceptanceCriteria": [..], "stories": [{"title", "description", "acceptanceCriteria": [..], "points", "tasks": [{"title", "hours"}]}]}]}.`,
        `features are ${naming.feature}s (2 to 8), stories are ${naming.story}s (1 to 8 per feature, each small enough for one sprint, written from the user's point of view), tasks are ${naming.task}s (the engineering steps of a story, 0 to 6).`,
        `points: the ${naming.estimate} of a story on a 1, 2, 3, 5, 8, 13 scale, or null when the text gives too little to judge; hours: a task's estimate in hours, or null.`,
        'acceptanceCriteria: short, testable statements, 1 to 5 per story.',
        'Use only what the text says or clearly implies; do not invent integrations, people or dates.',
        epicTitle ? `Keep the epic's title: ${JSON.stringify(epicTitle)}.` : 'Give the epic a short title.',
      ].join('\n'),
    },
    { role: 'user', content: text },
  ];
}

/** The model's answer as a plan tree (the same shape a Markdown epic parses into). */
export function planFromModel(answer: ModelPlan, existingEpicId?: number): PlanItem {
  const clamp = (n: number | null): number | undefined => (n === null ? undefined : Math.min(n, MAX_ESTIMATE));
  return {
    level: 'epic',
    title: answer.epic.title,
    acceptanceCriteria: [],
    description: answer.epic.description,
    ...(existingEpicId !== undefined ? { existingId: existingEpicId } : {}),
    children: answer.features.map((f) => ({
      level: 'feature' as const,
      title: f.title,
      acceptanceCriteria: f.acceptanceCriteria,
      description: f.description,
      children: f.stories.map((s) => ({
        level: 'story' as const,
        title: s.title,
        ...(s.points !== null ? { estimate: clamp(s.points) } : {}),
        acceptanceCriteria: s.acceptanceCriteria,
        description: s.description,
        children: s.tasks.map((t) => ({ level: 'task' as const, title: t.title, ...(t.hours !== null ? { estimate: clamp(t.hours) } : {}), acceptanceCriteria: [], description: '', children: [] })),
      })),
    })),
  };
}
