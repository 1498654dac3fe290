import { z } from 'zod';

/**
 * Entities a model or a person asks for ("an orders API with customer and total"). Every name ends up
 * in file names, identifiers, SQL and URLs of five languages, so names are held to strict patterns and
 * words those languages reserve are refused: no input can inject code or escape the project folder.
 */

export const FIELD_TYPES = ['string', 'text', 'integer', 'number', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Words that are keywords or reserved names in Python, TypeScript, SQL, Django or SQLAlchemy models. */
const RESERVED_FIELD_NAMES = new Set([
  'id', 'pk', 'objects', 'metadata', 'registry', 'query', 'meta',
  // Python
  'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'false',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'none', 'nonlocal', 'not', 'or', 'pass',
  'raise', 'return', 'true', 'try', 'while', 'with', 'yield', 'self', 'type', 'list', 'dict', 'str', 'int', 'float', 'bool',
  // JavaScript / TypeScript
  'case', 'catch', 'const', 'debugger', 'default', 'delete', 'do', 'enum', 'export', 'extends', 'function', 'instanceof',
  'let', 'new', 'null', 'super', 'switch', 'this', 'throw', 'typeof', 'var', 'void', 'constructor', 'prototype',
  // SQL
  'all', 'by', 'check', 'column', 'create', 'desc', 'asc', 'distinct', 'drop', 'group', 'having', 'index', 'insert', 'into',
  'join', 'key', 'limit', 'offset', 'order', 'primary', 'references', 'select', 'table', 'to', 'union', 'unique',
  'update', 'user', 'values', 'where', 'end', 'begin', 'session', 'when', 'then',
]);

const RESERVED_ENTITY_NAMES = new Set(['Base', 'Model', 'Health', 'Settings', 'Config', 'Repository', 'Router', 'App', 'Object', 'Error', 'Date', 'Field', 'Session', 'Serializer', 'Api']);

export const FieldSpecSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, 'a field name is snake_case: lower-case letters, digits and single underscores, starting with a letter')
      .max(40)
      .refine((n) => !RESERVED_FIELD_NAMES.has(n), { error: (issue) => `"${String(issue.input)}" is a reserved word in one of the generated languages; choose another field name` }),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(true),
  })
  .strict();

export const EntitySpecSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Z][a-z0-9]+([A-Z][a-z0-9]+)*$/, 'an entity name is PascalCase, e.g. Order or OrderLine')
      .max(40)
      .refine((n) => !RESERVED_ENTITY_NAMES.has(n), { error: (issue) => `"${String(issue.input)}" clashes with a name the templates use; choose another entity name` }),
    fields: z.array(FieldSpecSchema).min(1).max(20),
  })
  .strict()
  .superRefine((entity, ctx) => {
    const seen = new Set<string>();
    for (const [i, field] of entity.fields.entries()) {
      if (seen.has(field.name)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `field "${field.name}" appears twice in ${entity.name}` });
      seen.add(field.name);
    }
  });

export type FieldSpec = z.output<typeof FieldSpecSchema>;
export type EntitySpec = z.output<typeof EntitySpecSchema>;

/** The entity every backend gets when none is asked for: one field of each type. */
export const DEFAULT_ENTITIES: readonly EntitySpec[] = [
  {
    name: 'Item',
    fields: [
      { name: 'name', type: 'string', required: true },
      { name: 'description', type: 'text', required: false },
      { name: 'quantity', type: 'integer', required: true },
      { name: 'price', type: 'number', required: false },
      { name: 'in_stock', type: 'boolean', required: true },
    ],
  },
];

/** Longest value a `string` field takes; `text` has no limit. */
export const STRING_MAX_LENGTH = 200;

/** The names one entity is spelled with in the generated code. */
export interface EntityNames {
  /** OrderLine */
  readonly pascal: string;
  /** orderLine */
  readonly camel: string;
  /** order_line */
  readonly snake: string;
  /** order_lines: tables, collections, Python modules */
  readonly snakePlural: string;
  /** orderLines: TypeScript variables */
  readonly camelPlural: string;
  /** OrderLines */
  readonly pascalPlural: string;
  /** order-lines: URL segments */
  readonly kebabPlural: string;
  /** Order line: prose */
  readonly label: string;
}

function pluralWord(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function entityNames(name: string): EntityNames {
  const words = name.match(/[A-Z][a-z0-9]*/g) ?? [name];
  const lower = words.map((w) => w.toLowerCase());
  const pluralLower = [...lower.slice(0, -1), pluralWord(lower[lower.length - 1] ?? '')];
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
  return {
    pascal: name,
    camel: lower.map((w, i) => (i === 0 ? w : cap(w))).join(''),
    snake: lower.join('_'),
    snakePlural: pluralLower.join('_'),
    camelPlural: pluralLower.map((w, i) => (i === 0 ? w : cap(w))).join(''),
    pascalPlural: pluralLower.map(cap).join(''),
    kebabPlural: pluralLower.join('-'),
    label: cap(lower.join(' ')),
  };
}

/** camelCase of a snake_case field name, for TypeScript properties. */
export function camelField(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** A value of the field's type that tests create with, and a different one they update to. */
export function sampleValue(field: FieldSpec, variant: 'create' | 'update'): string | number | boolean {
  const create = variant === 'create';
  switch (field.type) {
    case 'string':
      return create ? `Sample ${field.name.replace(/_/g, ' ')}` : `Updated ${field.name.replace(/_/g, ' ')}`;
    case 'text':
      return create ? `A longer text for ${field.name.replace(/_/g, ' ')}.` : `Changed text for ${field.name.replace(/_/g, ' ')}.`;
    case 'integer':
      return create ? 3 : 7;
    case 'number':
      return create ? 9.5 : 12.25;
    case 'boolean':
      return create;
  }
}
