import { STRING_MAX_LENGTH, entityNames, type EntitySpec, type FieldSpec } from '../../entities';

/**
 * The OpenAPI 3.0 description of the generated CRUD API, for the templates whose framework does
 * not derive one from the code (Flask serves it as JSON, Express through swagger-ui). Built from
 * the same entity specs as the routes, so the two cannot drift.
 */
export interface OpenApiSpec {
  readonly title: string;
  readonly entities: readonly EntitySpec[];
  /** SQL rows have integer ids, MongoDB documents string ObjectIds. */
  readonly idType: 'integer' | 'string';
  readonly basePath: string;
  /** The status a body that does not validate gets. */
  readonly invalidStatus: number;
}

function fieldSchema(field: FieldSpec, forUpdate: boolean): Record<string, unknown> {
  const base: Record<string, unknown> =
    field.type === 'string' ? { type: 'string', minLength: 1, maxLength: STRING_MAX_LENGTH }
    : field.type === 'text' ? { type: 'string' }
    : field.type === 'integer' ? { type: 'integer' }
    : field.type === 'number' ? { type: 'number' }
    : { type: 'boolean' };
  return !field.required || forUpdate ? { ...base, nullable: !field.required } : base;
}

export function openApiDocument(spec: OpenApiSpec): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {
    '/health': { get: { summary: 'Liveness and database check', operationId: 'health', responses: { '200': { description: 'Healthy' }, '503': { description: 'The database does not answer' } } } },
  };
  for (const entity of spec.entities) {
    const n = entityNames(entity.name);
    const props = (forUpdate: boolean): Record<string, unknown> => Object.fromEntries(entity.fields.map((f) => [f.name, fieldSchema(f, forUpdate)]));
    const required = entity.fields.filter((f) => f.required).map((f) => f.name);
    schemas[`${n.pascal}Create`] = { type: 'object', properties: props(false), ...(required.length > 0 ? { required } : {}), additionalProperties: false };
    schemas[`${n.pascal}Update`] = { type: 'object', properties: props(true), additionalProperties: false };
    schemas[n.pascal] = { type: 'object', properties: { id: { type: spec.idType }, ...props(false) }, required: ['id', ...required] };
    const ref = (name: string): Record<string, unknown> => ({ $ref: `#/components/schemas/${name}` });
    const json = (schema: Record<string, unknown>): Record<string, unknown> => ({ content: { 'application/json': { schema } } });
    const idParam = { name: 'id', in: 'path', required: true, schema: { type: spec.idType } };
    const notFound = { description: `No ${n.label.toLowerCase()} has that id` };
    const invalid = { description: 'The body is not valid; the errors name each field' };
    paths[`${spec.basePath}/${n.kebabPlural}`] = {
      get: {
        summary: `List ${n.label.toLowerCase()}s`, operationId: `list${n.pascalPlural}`, tags: [n.pascalPlural],
        parameters: [
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
        ],
        responses: { '200': { description: 'A page of results', ...json({ type: 'array', items: ref(n.pascal) }) } },
      },
      post: {
        summary: `Create a ${n.label.toLowerCase()}`, operationId: `create${n.pascal}`, tags: [n.pascalPlural],
        requestBody: { required: true, ...json(ref(`${n.pascal}Create`)) },
        responses: { '201': { description: 'Created', ...json(ref(n.pascal)) }, [String(spec.invalidStatus)]: invalid },
      },
    };
    paths[`${spec.basePath}/${n.kebabPlural}/{id}`] = {
      parameters: [idParam],
      get: { summary: `Get a ${n.label.toLowerCase()}`, operationId: `get${n.pascal}`, tags: [n.pascalPlural], responses: { '200': { description: 'Found', ...json(ref(n.pascal)) }, '404': notFound } },
      patch: {
        summary: `Change a ${n.label.toLowerCase()}`, operationId: `update${n.pascal}`, tags: [n.pascalPlural],
        requestBody: { required: true, ...json(ref(`${n.pascal}Update`)) },
        responses: { '200': { description: 'Changed', ...json(ref(n.pascal)) }, '404': notFound, [String(spec.invalidStatus)]: invalid },
      },
      delete: { summary: `Delete a ${n.label.toLowerCase()}`, operationId: `delete${n.pascal}`, tags: [n.pascalPlural], responses: { '204': { description: 'Deleted' }, '404': notFound } },
    };
  }
  return { openapi: '3.0.3', info: { title: spec.title, version: '0.1.0' }, paths, components: { schemas } };
}
