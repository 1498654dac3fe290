import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../src/core/errors';
import { DEFAULT_ENTITIES, entityNames } from '../../../../src/agents/scaffold/entities';
import { parseScaffoldOptions, projectTitle, pythonPackage } from '../../../../src/agents/scaffold/options';

function refusal(input: unknown): string {
  try {
    parseScaffoldOptions(input);
  } catch (error) {
    assert.ok(error instanceof DevOpsError, `expected a DevOpsError, got ${String(error)}`);
    assert.equal(error.code, 'invalidInput');
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

describe('scaffold options', () => {
  it('fills the defaults: every extra on, SQLite for a backend, the Item entity', () => {
    const o = parseScaffoldOptions({ template: 'fastapi', name: 'orders-api' });
    assert.deepEqual(o, { template: 'fastapi', name: 'orders-api', database: 'sqlite', openapi: true, tests: true, lint: true, ci: true, docker: true, entities: DEFAULT_ENTITIES });
  });

  it('gives a front end no database, no OpenAPI and no entities', () => {
    const o = parseScaffoldOptions({ template: 'react', name: 'shop-ui' });
    assert.equal(o.database, 'none');
    assert.equal(o.openapi, false);
    assert.deepEqual(o.entities, []);
  });

  it('keeps the choices it is given', () => {
    const o = parseScaffoldOptions({ template: 'django', name: 'crm', database: 'mongodb', openapi: false, tests: false, lint: false, ci: false, docker: false });
    assert.deepEqual([o.database, o.openapi, o.tests, o.lint, o.ci, o.docker], ['mongodb', false, false, false, false, false]);
  });

  it('refuses an unknown template, database or option, naming the field', () => {
    assert.match(refusal({ template: 'rails', name: 'x-api' }), /template:/);
    assert.match(refusal({ template: 'flask', name: 'x-api', database: 'oracle' }), /database:/);
    assert.match(refusal({ template: 'flask', name: 'x-api', kubernetes: true }), /kubernetes|Unrecognized/);
    assert.match(refusal({ template: 'flask', name: 'x-api', tests: 'yes' }), /tests:/);
    assert.match(refusal(null), /options/);
  });

  it('refuses a front end with a database or entities rather than ignoring them', () => {
    assert.match(refusal({ template: 'vue', name: 'shop-ui', database: 'postgres' }), /database: vue is a front end/);
    assert.match(refusal({ template: 'react', name: 'shop-ui', entities: DEFAULT_ENTITIES }), /entities: react is a front end/);
  });

  it('refuses names that could escape the folder, inject code or shadow a module', () => {
    for (const name of ['../etc', 'Orders', 'orders_api', 'a', 'orders--api', 'orders-', '-orders', 'x'.repeat(51), 'orders api', 'orders;rm', '$(id)', 'ordérs']) {
      assert.match(refusal({ template: 'fastapi', name }), /name:/, name);
    }
    assert.match(refusal({ template: 'flask', name: 'flask' }), /would shadow a module/);
    assert.match(refusal({ template: 'fastapi', name: 'tests' }), /would shadow a module/);
  });

  it('refuses entity and field names that are not identifiers, or are reserved in a generated language', () => {
    const entity = (name: string, field = 'title'): unknown => ({ template: 'fastapi', name: 'shop-api', entities: [{ name, fields: [{ name: field, type: 'string' }] }] });
    for (const bad of ['order', 'Order_Line', 'ORDER', '../Order', 'Order"); import os; ("', 'Base', 'Session']) assert.match(refusal(entity(bad)), /entities\.0\.name/, bad);
    for (const bad of ['id', 'class', 'order', 'delete', 'select', 'Title', 'title__x', '_title', 'title_', '1title', 'a"b', 'metadata']) {
      assert.match(refusal(entity('Order', bad)), /entities\.0\.fields\.0\.name/, bad);
    }
    assert.match(refusal(entity('Order', 'class')), /reserved word/);
  });

  it('refuses duplicate fields, clashing entities, unknown types and oversized lists', () => {
    const opts = (entities: unknown): unknown => ({ template: 'django', name: 'shop-api', entities });
    assert.match(refusal(opts([{ name: 'Order', fields: [{ name: 'total', type: 'number' }, { name: 'total', type: 'integer' }] }])), /appears twice/);
    assert.match(refusal(opts([{ name: 'Order', fields: [{ name: 'total', type: 'number' }] }, { name: 'Order', fields: [{ name: 'x', type: 'text' }] }])), /clashes with Order/);
    assert.match(refusal(opts([{ name: 'Order', fields: [{ name: 'at', type: 'datetime' }] }])), /type/);
    assert.match(refusal(opts([{ name: 'Order', fields: [] }])), /fields/);
    assert.match(refusal(opts(Array.from({ length: 11 }, (_, i) => ({ name: `E${'abcdefghijk'[i]}x`, fields: [{ name: 'x', type: 'text' }] })))), /entities/);
    assert.match(refusal(opts([{ name: 'Order', fields: Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, type: 'text' })) }])), /fields/);
  });

  it('spells entity and project names for every language', () => {
    assert.deepEqual(entityNames('OrderLine'), { pascal: 'OrderLine', camel: 'orderLine', snake: 'order_line', snakePlural: 'order_lines', camelPlural: 'orderLines', pascalPlural: 'OrderLines', kebabPlural: 'order-lines', label: 'Order line' });
    assert.equal(entityNames('Category').snakePlural, 'categories');
    assert.equal(entityNames('Box').kebabPlural, 'boxes');
    assert.equal(entityNames('Day').snakePlural, 'days');
    assert.equal(pythonPackage('orders-api'), 'orders_api');
    assert.equal(projectTitle('orders-api'), 'Orders API');
  });
});
