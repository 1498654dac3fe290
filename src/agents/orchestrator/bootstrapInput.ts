import { z } from 'zod';
import { AzureDevOpsName, PROCESS_TEMPLATES } from '../../core/bootstrap/projectSetup';
import { TrackerKindSchema } from '../../core/workItem';

const Name = AzureDevOpsName;
const list = (item: z.ZodString) => z.preprocess((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v), z.array(item).max(50));

export const BootstrapInputSchema = z
  .object({
    /** Azure DevOps (azureBoards) or GitHub (github); default: the workItems.defaultTracker setting. */
    tracker: TrackerKindSchema.optional(),
    /** The project to create or complete, in the connected organization (default: the project the settings name); on GitHub the Project's title (default: the repository's name). */
    project: Name.optional(),
    /** The process of a new project (an existing project keeps its own). */
    process: z.preprocess((v) => (typeof v === 'string' ? PROCESS_TEMPLATES.find((p) => p.toLowerCase() === v.toLowerCase()) ?? v : v), z.enum(PROCESS_TEMPLATES)).default('Agile'),
    description: z.string().max(4000).optional(),
    /** Area paths under the project's root area. */
    areas: list(Name).default([]),
    /** How many sprints to add, how long each is, and the first one's start (default: next Monday). */
    sprints: z.coerce.number().int().min(0).max(26).default(6),
    sprintDays: z.coerce.number().int().min(5).max(35).default(14),
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
    minimumReviewers: z.coerce.number().int().min(1).max(10).default(2),
    /** The pipeline build validation runs (a name or id); the one built from azure-pipelines.yml when not given. */
    pipeline: z.string().min(1).max(200).optional(),
  })
  .strict();
export type BootstrapInput = z.infer<typeof BootstrapInputSchema>;

export const BOOTSTRAP_OPTIONS = {
  tracker: { type: 'string', description: 'azureBoards or github (default: the workItems.defaultTracker setting).' },
  project: { type: 'string', description: 'The project to create or complete (default: the configured project); on GitHub the Project\'s title (default: the repository name).' },
  process: { type: 'string', description: 'The process of a new project: Basic, Agile (default), Scrum or CMMI.' },
  description: { type: 'string', description: 'The new project\'s description.' },
  areas: { type: 'string', description: 'Area paths to add, comma-separated (e.g. "Web,API").' },
  sprints: { type: 'string', description: 'How many sprints to add (default 6).' },
  sprintDays: { type: 'string', description: 'Days in a sprint (default 14).' },
  start: { type: 'string', description: 'The first sprint\'s start, YYYY-MM-DD (default: next Monday).' },
  minimumReviewers: { type: 'string', description: 'Approvals main needs (default 2).' },
  pipeline: { type: 'string', description: 'The pipeline build validation runs (name or id).' },
} as const;
