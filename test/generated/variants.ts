import { BACKEND_TEMPLATES, DATABASES, FRONTEND_TEMPLATES, type ScaffoldOptionsInput } from '../../src/agents/scaffold/options';

/** One generated project the stage renders and tests. */
export interface Variant {
  /** template/what, e.g. fastapi/postgres. */
  readonly id: string;
  readonly options: ScaffoldOptionsInput;
  /** Run the tests against the stage's own PostgreSQL (DATABASE_URL set) instead of SQLite. */
  readonly realPostgres?: boolean;
}


/** Two entities of other shapes than the default Item: a name in two words, optional fields first, no string field. */
export const EXTRA_ENTITIES = [
  { name: 'Customer', fields: [{ name: 'email', type: 'string' }, { name: 'vip', type: 'boolean', required: false }] },
  { name: 'OrderLine', fields: [{ name: 'note', type: 'text', required: false }, { name: 'unit_price', type: 'number' }, { name: 'count', type: 'integer' }] },
] as const;

const entities = (): ScaffoldOptionsInput['entities'] => EXTRA_ENTITIES.map((e) => ({ ...e, fields: e.fields.map((f) => ({ ...f })) }));

/**
 * Each backend with its defaults (SQLite) and with every other database; PostgreSQL against the
 * stage's real server too; other entities with OpenAPI off. The Python backends also run their
 * PostgreSQL variant on SQLite (no server), which costs a second; Express's variants each install
 * their packages, so its PostgreSQL variant runs against the real server only.
 */
export function variants(): Variant[] {
  const list: Variant[] = [];
  for (const template of BACKEND_TEMPLATES) {
    const python = template !== 'express';
    list.push({ id: `${template}/default`, options: { template, name: 'orders-api' } });
    for (const database of DATABASES.filter((d) => d !== 'sqlite' && (python || d !== 'postgres'))) list.push({ id: `${template}/${database}`, options: { template, name: 'orders-api', database } });
    list.push({ id: `${template}/postgres (real server)`, options: { template, name: 'orders-api', database: 'postgres' }, realPostgres: true });
    if (python) list.push({ id: `${template}/entities, no OpenAPI, MongoDB`, options: { template, name: 'shop-backend', database: 'mongodb', openapi: false, entities: entities() } });
    list.push({ id: `${template}/entities, ${python ? '' : 'no OpenAPI, '}SQLite`, options: { template, name: 'shop-backend', database: 'sqlite', ...(python ? {} : { openapi: false }), entities: entities() } });
  }
  for (const template of FRONTEND_TEMPLATES) list.push({ id: `${template}/default`, options: { template, name: 'shop-ui' } });
  return list;
}
