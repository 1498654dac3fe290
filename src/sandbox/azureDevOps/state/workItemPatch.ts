import { z } from 'zod';
import { AdoHttpError, badRequest } from '../http/errors';
import { fieldByName, type FieldDef } from './fields';
import { type JsonValue, JsonValueSchema, type Relation } from './model';

/** One JSON Patch operation as the work item endpoints take it (RFC 6902, `copy`/`move` refused as the service does). */
const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
export const PatchOperationSchema = z.object({
  // A name, or azure-devops-node-api's Operation enum (Add=0, Remove=1, Replace=2, Move=3, Copy=4, Test=5).
  op: z.union([z.enum(OPS), z.number().int().min(0).max(5).transform((n) => OPS[n] as (typeof OPS)[number])]),
  path: z.string(),
  from: z.string().nullish(),
  value: JsonValueSchema.optional(),
});
export type PatchOperation = z.infer<typeof PatchOperationSchema>;

export const PatchDocumentSchema = z.array(PatchOperationSchema);

/** The editable parts of a work item a patch works on. */
export interface Draft {
  rev: number;
  fields: Record<string, JsonValue>;
  relations: Relation[];
}

const RelationValueSchema = z.object({
  rel: z.string(),
  url: z.string(),
  attributes: z.record(z.string(), JsonValueSchema).nullish(),
});

export interface PatchEffects {
  readonly added: Relation[];
  readonly removed: Relation[];
  readonly touchedFields: Set<string>;
}

function patchFailed(message: string): AdoHttpError {
  return badRequest('PatchOperationFailedException', message);
}

function fieldOf(path: string): FieldDef {
  const name = decodeURIComponent(path.slice('/fields/'.length));
  const field = fieldByName(name);
  if (!field) throw badRequest('WorkItemFieldInvalidException', `TF51535: Cannot find field ${name}.`);
  return field;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function testFailed(path: string, actual: unknown, expected: unknown): AdoHttpError {
  return new AdoHttpError(
    412,
    'TestPatchOperationFailedException',
    `VS403351: Test Operation for path ${path} failed, value ${String(actual ?? '')} was not equal to test value ${String(expected ?? '')}.`,
  );
}

/**
 * Applies the operations to a draft, in order, as the service does: a failed `test` stops
 * everything (412), and nothing is kept from a patch that fails part way (the caller works on
 * a copy).
 */
export function applyPatch(draft: Draft, operations: readonly PatchOperation[], options: { readonly bypassRules: boolean }): PatchEffects {
  const effects: PatchEffects = { added: [], removed: [], touchedFields: new Set() };
  for (const operation of operations) {
    const { op, path } = operation;
    if (op === 'copy' || op === 'move') throw patchFailed(`The '${op}' operation is not supported for work items. Use add, replace, remove or test.`);
    if (path === '/rev' || path === '/id') {
      if (op !== 'test') throw patchFailed(`The path ${path} can only be tested, not changed.`);
      if (path === '/rev' && !sameValue(draft.rev, operation.value)) throw testFailed(path, draft.rev, operation.value);
      continue;
    }
    if (path.startsWith('/fields/')) {
      const field = fieldOf(path);
      const name = field.referenceName;
      if (op === 'test') {
        if (!sameValue(draft.fields[name], operation.value)) throw testFailed(path, draft.fields[name], operation.value);
        continue;
      }
      const bypassable = ['System.CreatedDate', 'System.CreatedBy', 'System.ChangedDate', 'System.ChangedBy'].includes(name);
      if (field.readOnly && !(options.bypassRules && bypassable)) {
        throw badRequest('RuleValidationException', `TF401320: Rule Error for field ${field.name}. Error code: ReadOnly. The field '${field.name}' is read-only.`, {
          FieldReferenceName: name,
          FieldStatusFlags: 'readOnly, invalidValue',
          ErrorMessage: `The field '${field.name}' is read-only.`,
        });
      }
      if (op === 'remove') delete draft.fields[name];
      else if (operation.value === undefined) throw patchFailed(`The ${op} operation for ${path} needs a value.`);
      else draft.fields[name] = operation.value;
      effects.touchedFields.add(name);
      continue;
    }
    if (path === '/relations/-' && op === 'add') {
      const value = RelationValueSchema.safeParse(operation.value);
      if (!value.success) throw patchFailed('A relation needs rel and url (and optional attributes).');
      const relation: Relation = { rel: value.data.rel, url: value.data.url, attributes: value.data.attributes ?? {} };
      draft.relations.push(relation);
      effects.added.push(relation);
      continue;
    }
    const indexed = /^\/relations\/(\d+)(\/attributes\/(\w+))?$/.exec(path);
    if (indexed) {
      const index = Number(indexed[1]);
      const relation = draft.relations[index];
      if (!relation) throw patchFailed(`There is no relation at index ${index} (the work item has ${draft.relations.length}).`);
      const attribute = indexed[3];
      if (attribute) {
        if (op === 'remove') delete relation.attributes[attribute];
        else if (op === 'test') {
          if (!sameValue(relation.attributes[attribute], operation.value)) throw testFailed(path, relation.attributes[attribute], operation.value);
        } else relation.attributes[attribute] = operation.value ?? null;
        continue;
      }
      if (op === 'remove') {
        draft.relations.splice(index, 1);
        effects.removed.push(relation);
        continue;
      }
      throw patchFailed(`Only remove is supported on ${path}; add new relations with /relations/-.`);
    }
    throw patchFailed(`The path ${path} is not valid for a work item. Use /fields/{referenceName}, /relations/- or /rev.`);
  }
  return effects;
}
