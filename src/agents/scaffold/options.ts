import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { DEFAULT_ENTITIES, EntitySpecSchema, entityNames, type EntitySpec } from './entities';

export const BACKEND_TEMPLATES = ['fastapi', 'flask', 'django', 'express'] as const;
export const FRONTEND_TEMPLATES = ['react', 'vue'] as const;
export const TEMPLATES = [...BACKEND_TEMPLATES, ...FRONTEND_TEMPLATES] as const;
export const DATABASES = ['postgres', 'sqlserver', 'mongodb', 'sqlite', 'none'] as const;

export type Template = (typeof TEMPLATES)[number];
export type BackendTemplate = (typeof BACKEND_TEMPLATES)[number];
export type Database = (typeof DATABASES)[number];

export const isBackend = (t: Template): t is BackendTemplate => (BACKEND_TEMPLATES as readonly string[]).includes(t);

/** The default database of a backend when none is chosen. */
export const DEFAULT_DATABASE: Database = 'sqlite';

/**
 * The project name becomes a folder, a Python package, an npm package name and a container image
 * name, so it is a lower-case slug: letters, digits and single hyphens.
 */
const NameSchema = z
  .string()
  .min(2, 'the project name needs at least 2 characters')
  .max(50, 'the project name is at most 50 characters')
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'the project name is a slug: lower-case letters, digits and single hyphens, starting with a letter (e.g. orders-api)')
  .refine((n) => !['test', 'tests', 'app', 'api', 'src', 'node-modules', 'django', 'flask', 'fastapi', 'express', 'react', 'vue', 'manage'].includes(n), {
    error: (issue) => `"${String(issue.input)}" would shadow a module the project imports; choose another name (e.g. ${String(issue.input)}-service)`,
  });

export const ScaffoldOptionsSchema = z
  .object({
    template: z.enum(TEMPLATES),
    name: NameSchema,
    /** Backends only; a front end with a database is refused rather than silently ignored. */
    database: z.enum(DATABASES).optional(),
    openapi: z.boolean().default(true),
    tests: z.boolean().default(true),
    lint: z.boolean().default(true),
    ci: z.boolean().default(true),
    docker: z.boolean().default(true),
    entities: z.array(EntitySpecSchema).min(1).max(10).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (!isBackend(o.template)) {
      if (o.database !== undefined && o.database !== 'none') ctx.addIssue({ code: 'custom', path: ['database'], message: `${o.template} is a front end and has no database; leave "database" out or pick a backend template` });
      if (o.entities !== undefined) ctx.addIssue({ code: 'custom', path: ['entities'], message: `${o.template} is a front end; entities are generated into backend templates only` });
    }
    const seen = new Map<string, string>();
    for (const [i, entity] of (o.entities ?? []).entries()) {
      const key = entityNames(entity.name).snakePlural;
      const clash = seen.get(key) ?? seen.get(entityNames(entity.name).snake);
      if (clash !== undefined) ctx.addIssue({ code: 'custom', path: ['entities', i, 'name'], message: `${entity.name} clashes with ${clash} (same table or route name)` });
      seen.set(key, entity.name);
      seen.set(entityNames(entity.name).snake, entity.name);
    }
  });

export type ScaffoldOptionsInput = z.input<typeof ScaffoldOptionsSchema>;

/** Options after validation and defaults: what every template reads. */
export interface ScaffoldOptions {
  readonly template: Template;
  readonly name: string;
  readonly database: Database;
  readonly openapi: boolean;
  readonly tests: boolean;
  readonly lint: boolean;
  readonly ci: boolean;
  readonly docker: boolean;
  readonly entities: readonly EntitySpec[];
}

/** Validates options from a person, a quick pick or a model; a bad value is an error naming the field and what it takes. */
export function parseScaffoldOptions(input: unknown): ScaffoldOptions {
  const parsed = ScaffoldOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'options'}: ${issue.message}`);
    throw new DevOpsError('invalidInput', `The scaffold options are not valid: ${problems.join('; ')}.`);
  }
  const o = parsed.data;
  const backend = isBackend(o.template);
  return {
    template: o.template,
    name: o.name,
    database: backend ? (o.database ?? DEFAULT_DATABASE) : 'none',
    openapi: backend ? o.openapi : false,
    tests: o.tests,
    lint: o.lint,
    ci: o.ci,
    docker: o.docker,
    entities: backend ? (o.entities ?? DEFAULT_ENTITIES) : [],
  };
}

/** The Python package (and Django project) name for a slug: orders-api becomes orders_api. */
export const pythonPackage = (name: string): string => name.replace(/-/g, '_');

/** Human title for READMEs and page titles: orders-api becomes Orders API. */
export function projectTitle(name: string): string {
  return name
    .split('-')
    .map((w) => (['api', 'ui', 'db', 'id'].includes(w) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}
