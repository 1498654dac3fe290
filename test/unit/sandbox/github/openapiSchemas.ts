import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import { createRequire } from 'node:module';

/*
 * Response schemas from @octokit/openapi's api.github.com description (OpenAPI 3.0.3). OpenAPI 3.0
 * schema objects are JSON Schema draft 4/5 plus `nullable`, `discriminator` and annotations, so
 * they are checked with ajv-draft-04 (ajv 8's draft-04 mode): annotations dropped, `nullable` as
 * ajv implements it, and, where GitHub marks an enum nullable without listing null
 * (state_reason, conclusion, ...), null added to the enum, as GitHub means it and answers it.
 * Formats: date-time and uri are checked; int32/int64 and the rest are not JSON Schema formats.
 */
const SPEC_ID = 'https://api.github.com/openapi.json';

interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, unknown> };
}

const ANNOTATIONS = new Set(['example', 'examples', 'description', 'title', 'externalDocs', 'xml', 'deprecated', 'readOnly', 'writeOnly', 'discriminator']);

/**
 * A schema object ready for ajv: local refs made absolute, annotations dropped (examples hold
 * objects with `id` keys that draft-04 would read as schema ids; ajv cannot use discriminator
 * mappings, and oneOf checks the same thing), null added to nullable enums.
 */
function prepare(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepare);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (ANNOTATIONS.has(k) || k.startsWith('x-')) continue;
    if (k === '$ref' && typeof v === 'string') out[k] = v.startsWith('#/') ? `${SPEC_ID}${v}` : v;
    else if (k === 'properties' || k === 'patternProperties' || k === 'definitions' || k === 'schemas') {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, sub]) => [name, prepare(sub)]));
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = prepare(v);
    else out[k] = v;
  }
  if (out['nullable'] === true && Array.isArray(out['enum']) && !out['enum'].includes(null)) out['enum'] = [...out['enum'], null];
  if (out['nullable'] === true && out['type'] === undefined) {
    // `nullable` beside allOf/anyOf without a type: ajv wants a type, so say "null or the rest".
    delete out['nullable'];
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

let ajv: Ajv | undefined;
// @octokit/openapi ships no types; its one export is { schemas: { [name]: description } }.
const { schemas } = createRequire(__filename)('@octokit/openapi') as { schemas: Record<string, Spec> };
const spec = schemas['api.github.com']!;

function instance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  for (const unchecked of ['int32', 'int64', 'email', 'uri-template', 'date', 'binary', 'uuid', 'hostname', 'ipv4', 'ipv6', 'repo.nwo', 'ssh-key', 'ssh-key fingerprint', 'ipv4 | ipv6', 'ipv6 | ipv4', 'ip']) ajv.addFormat(unchecked, true);
  ajv.addSchema({ components: { schemas: Object.fromEntries(Object.entries(spec.components.schemas).map(([name, sub]) => [name, prepare(sub)])) } }, SPEC_ID);
  return ajv;
}

const compiled = new Map<string, ValidateFunction | null>();

/** The validator for one operation's response, or null when the description has no JSON body for it (204). */
export function responseValidator(path: string, method: string, status: number): ValidateFunction | null {
  const key = `${method} ${path} ${status}`;
  if (compiled.has(key)) return compiled.get(key)!;
  const op = spec.paths[path]?.[method];
  if (!op) throw new Error(`The description has no ${method.toUpperCase()} ${path}.`);
  const response = op.responses[String(status)];
  if (!response) throw new Error(`The description has no ${status} response for ${method.toUpperCase()} ${path}.`);
  const schema = response.content?.['application/json']?.schema;
  const validate = schema ? instance().compile(prepare(schema) as object) : null;
  compiled.set(key, validate);
  return validate;
}
