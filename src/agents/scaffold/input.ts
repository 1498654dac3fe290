import { z } from 'zod';
import { EntitySpecSchema } from './entities';
import { DATABASES, TEMPLATES } from './options';

/** The scaffold agent's input, and the helpers the chat needs without loading the templates. */
export const OPTIONAL_PARTS = ['openapi', 'tests', 'lint', 'ci', 'docker'] as const;

export const ScaffoldInputSchema = z
  .object({
    template: z.enum(TEMPLATES),
    /** A slug; default: the target folder's name. */
    name: z.string().optional(),
    database: z.enum(DATABASES).optional(),
    /** Parts to leave out, as a list or comma-separated (CLI: --without docker,ci). */
    without: z.union([z.array(z.enum(OPTIONAL_PARTS)), z.string()]).optional(),
    entities: z.array(EntitySpecSchema).optional(),
    /** The entities were written by a model: they are kept only if the generated project's own tests pass with them. */
    entitiesFromModel: z.boolean().optional(),
    /** Workspace-relative folder for the project; default the workspace folder itself. */
    folder: z.string().max(200).optional(),
    /** After writing, install and run the generated project's own tests. */
    verify: z.boolean().optional(),
    /** A work item to link the project to (AB#12, #12, owner/repo#12 or its URL): branch, commit, pull request, wiki page or comment. */
    workItem: z.string().min(1).max(500).optional(),
  })
  .strict();
export type ScaffoldInput = z.infer<typeof ScaffoldInputSchema>;

/** A folder or workspace name as a project slug: `Orders API` becomes `orders-api`. */
export function slugFor(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : 'my-project';
}

