import { BACKEND_TEMPLATES, DATABASES, type ScaffoldOptionsInput } from '../../src/agents/scaffold/options';

/** One generated project the stage renders and tests. */
export interface Variant {
  /** template/what, e.g. fastapi/postgres. */
  readonly id: string;
  readonly options: ScaffoldOptionsInput;
  /** Run the tests against the stage's own PostgreSQL (DATABASE_URL set) instead of SQLite. */
  readonly realPostgres?: boolean;
}

const PYTHON = ['fastapi', 'flask', 'django'] as const;

/** Two entities of other shapes than the default Item: a name in two words, optional fields first, no string field. */
export const EXTRA_ENTITIES = [
  { name: 'Customer', fields: [{ name: 'email', type: 'string' }, { name: 'vip', type: 'boolean', required: false }] },
  { name: 'OrderLine', fields: [{ name: 'note', type: 'text', required: false }, { name: 'unit_price', type: 'number' }, { name: 'count', type: 'integer' }] },
] as const;

export function variants(): Variant[] {
  const list: Variant[] = [];
  for (const template of BACKEND_TEMPLATES.filter((t): t is (typeof PYTHON)[number] => (PYTHON as readonly string[]).includes(t))) {
    list.push({ id: `${template}/default`, options: { template, name: 'orders-api' } });
    for (const database of DATABASES.filter((d) => d !== 'sqlite')) list.push({ id: `${template}/${database}`, options: { template, name: 'orders-api', database } });
    list.push({ id: `${template}/postgres (real server)`, options: { template, name: 'orders-api', database: 'postgres' }, realPostgres: true });
    list.push({ id: `${template}/entities, no OpenAPI, MongoDB`, options: { template, name: 'shop-backend', database: 'mongodb', openapi: false, entities: EXTRA_ENTITIES.map((e) => ({ ...e, fields: e.fields.map((f) => ({ ...f })) })) } });
    list.push({ id: `${template}/entities, SQLite`, options: { template, name: 'shop-backend', database: 'sqlite', entities: EXTRA_ENTITIES.map((e) => ({ ...e, fields: e.fields.map((f) => ({ ...f })) })) } });
  }
  return list;
}
