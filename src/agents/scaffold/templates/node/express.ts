import { lines, text, type ScaffoldFile } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { STRING_MAX_LENGTH, entityNames, sampleValue, type EntitySpec, type FieldSpec } from '../../entities';
import { openApiDocument } from '../shared/openapi';
import { nodeStoreKind } from './expressData';

/** Express 5 in TypeScript: zod validation, one generic CRUD router, swagger-ui over the OpenAPI document, vitest + supertest. */

export const EXPRESS_PORT = 3000;

function zodField(field: FieldSpec, mode: 'create' | 'update'): string {
  const base =
    field.type === 'string' ? `z.string().min(1).max(${STRING_MAX_LENGTH})`
    : field.type === 'text' ? 'z.string()'
    : field.type === 'integer' ? 'z.number().int()'
    : field.type === 'number' ? 'z.number()'
    : 'z.boolean()';
  if (mode === 'create') return field.required ? base : `${base}.nullable().default(null)`;
  return field.required ? `${base}.optional()` : `${base}.nullable().optional()`;
}

function entityFile(e: EntitySpec): ScaffoldFile {
  const n = entityNames(e.name);
  return {
    path: `src/entities/${n.camel}.ts`,
    content: text(lines(
      "import { z } from 'zod';",
      "import type { Resource } from '../routes/crud.js';",
      '',
      `/** ${n.label}: what a client may send. Unknown fields are refused; optional fields are null when left out. */`,
      `export const ${n.camel}Create = z.strictObject({`,
      ...e.fields.map((f) => `  ${f.name}: ${zodField(f, 'create')},`),
      '});',
      '',
      '/** A PATCH body: any subset of the fields; a required field cannot be set to null. */',
      `export const ${n.camel}Update = z.strictObject({`,
      ...e.fields.map((f) => `  ${f.name}: ${zodField(f, 'update')},`),
      '});',
      '',
      `export type ${n.pascal}Create = z.infer<typeof ${n.camel}Create>;`,
      '',
      `export const ${n.camel}Resource: Resource = { table: '${n.snakePlural}', label: '${n.label}', create: ${n.camel}Create, update: ${n.camel}Update };`,
    )),
  };
}

function crudRouter(o: ScaffoldOptions): ScaffoldFile {
  const mongo = nodeStoreKind(o) === 'mongo';
  return {
    path: 'src/routes/crud.ts',
    content: text(lines(
      "import { type Response, Router } from 'express';",
      "import { z } from 'zod';",
      "import type { Id, Store } from '../db/store.js';",
      '',
      '/** One resource: its table (or collection) and the shapes a client may send. */',
      'export interface Resource {',
      '  readonly table: string;',
      '  readonly label: string;',
      '  readonly create: z.ZodType<Record<string, unknown>>;',
      '  readonly update: z.ZodType<Record<string, unknown>>;',
      '}',
      '',
      'const page = z.object({',
      '  offset: z.coerce.number().int().min(0).default(0),',
      '  limit: z.coerce.number().int().min(1).max(100).default(50),',
      '});',
      '',
      mongo
        ? "/** MongoDB ids are 24 hex digits; anything else is an id no document has. */\nconst parseId = (raw: string): Id | undefined => (/^[0-9a-f]{24}$/i.test(raw) ? raw.toLowerCase() : undefined);"
        : '/** Ids are positive integers; anything else is an id no row has. */\nconst parseId = (raw: string): Id | undefined => (/^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : undefined);',
      '',
      'function invalid(res: Response, error: z.ZodError): void {',
      "  res.status(400).json({ detail: error.issues.map((issue) => ({ loc: issue.path, msg: issue.message })) });",
      '}',
      '',
      '/** List (offset, limit), create, get, change (PATCH) and delete for one resource. */',
      'export function crudRouter(store: Store, resource: Resource): Router {',
      '  const router = Router();',
      '  const repository = () => store.repository(resource.table);',
      '  const notFound = (res: Response): void => {',
      '    res.status(404).json({ detail: `${resource.label} not found` });',
      '  };',
      '',
      "  router.get('/', async (req, res) => {",
      '    const query = page.safeParse(req.query);',
      '    if (!query.success) return invalid(res, query.error);',
      '    res.json(await repository().list(query.data.offset, query.data.limit));',
      '  });',
      '',
      "  router.post('/', async (req, res) => {",
      '    const body = resource.create.safeParse(req.body);',
      '    if (!body.success) return invalid(res, body.error);',
      '    res.status(201).json(await repository().create(body.data));',
      '  });',
      '',
      "  router.get('/:id', async (req, res) => {",
      '    const id = parseId(req.params.id);',
      '    const row = id === undefined ? undefined : await repository().get(id);',
      '    if (!row) return notFound(res);',
      '    res.json(row);',
      '  });',
      '',
      "  router.patch('/:id', async (req, res) => {",
      '    const id = parseId(req.params.id);',
      '    if (id === undefined) return notFound(res);',
      '    const body = resource.update.safeParse(req.body);',
      '    if (!body.success) return invalid(res, body.error);',
      '    const row = await repository().update(id, body.data);',
      '    if (!row) return notFound(res);',
      '    res.json(row);',
      '  });',
      '',
      "  router.delete('/:id', async (req, res) => {",
      '    const id = parseId(req.params.id);',
      '    if (id === undefined || !(await repository().remove(id))) return notFound(res);',
      '    res.status(204).end();',
      '  });',
      '',
      '  return router;',
      '}',
    )),
  };
}

function app(o: ScaffoldOptions): ScaffoldFile {
  const names = o.entities.map((e) => entityNames(e.name));
  return {
    path: 'src/app.ts',
    content: text(lines(
      "import express, { type ErrorRequestHandler, type Express } from 'express';",
      o.openapi ? "import swaggerUi from 'swagger-ui-express';" : undefined,
      "import type { Store } from './db/store.js';",
      ...names.map((n) => `import { ${n.camel}Resource } from './entities/${n.camel}.js';`),
      o.openapi ? "import { openApiDocument } from './openapi.js';" : undefined,
      "import { crudRouter } from './routes/crud.js';",
      '',
      '/** JSON errors; a body that is not JSON is the client\'s mistake, anything else is logged and hidden. */',
      'const errors: ErrorRequestHandler = (error: unknown, _req, res, _next) => {',
      "  if (typeof error === 'object' && error !== null && 'type' in error && error.type === 'entity.parse.failed') {",
      "    res.status(400).json({ detail: 'The body is not valid JSON.' });",
      '    return;',
      '  }',
      '  console.error(error);',
      "  res.status(500).json({ detail: 'Internal server error' });",
      '};',
      '',
      'export function createApp(store: Store): Express {',
      '  const app = express();',
      "  app.disable('x-powered-by');",
      "  app.use(express.json({ limit: '100kb' }));",
      '',
      "  app.get('/health', async (_req, res) => {",
      '    try {',
      '      await store.ping();',
      "      res.json({ status: 'ok' });",
      '    } catch {',
      "      res.status(503).json({ status: 'unavailable' });",
      '    }',
      '  });',
      ...names.map((n) => `  app.use('/api/${n.kebabPlural}', crudRouter(store, ${n.camel}Resource));`),
      o.openapi
        ? lines(
            "  app.get('/openapi.json', (_req, res) => {",
            '    res.json(openApiDocument);',
            '  });',
            "  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApiDocument));",
          )
        : undefined,
      '',
      '  app.use((_req, res) => {',
      "    res.status(404).json({ detail: 'Not found' });",
      '  });',
      '  app.use(errors);',
      '  return app;',
      '}',
    )),
  };
}

function server(o: ScaffoldOptions): ScaffoldFile {
  const memory = nodeStoreKind(o) === 'memory';
  return {
    path: 'src/server.ts',
    content: text(lines(
      "import { createApp } from './app.js';",
      "import { config } from './config.js';",
      "import { openStore } from './db/index.js';",
      '',
      memory ? 'const store = openStore();' : 'const store = openStore(config.databaseUrl);',
      'await store.migrate();',
      'const server = createApp(store).listen(config.port, () => {',
      '  console.log(`Listening on http://localhost:${config.port}`);',
      '});',
      '',
      '// docker stop sends SIGTERM: finish the requests under way, then close the database.',
      'const shutdown = (): void => {',
      '  server.close(() => void store.close());',
      '};',
      "process.once('SIGTERM', shutdown);",
      "process.once('SIGINT', shutdown);",
    )),
  };
}

function config(o: ScaffoldOptions): ScaffoldFile {
  const kind = nodeStoreKind(o);
  return {
    path: 'src/config.ts',
    content: text(lines(
      '/** Settings come from the environment, so one image runs anywhere and no secret is written in the code. */',
      '',
      'function port(): number {',
      "  const raw = process.env.PORT ?? '3000';",
      '  const value = Number(raw);',
      '  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`PORT must be a port number (1-65535), not "${raw}".`);',
      '  return value;',
      '}',
      '',
      kind === 'sql' ? "// Without DATABASE_URL the app keeps its data in a SQLite file under data/.\nconst DEFAULT_DATABASE_URL = 'sqlite:///data/app.db';" : undefined,
      kind === 'mongo' ? `// docker compose up db starts a server here.\nconst DEFAULT_DATABASE_URL = 'mongodb://localhost:27017/${o.name.replace(/-/g, '_')}';` : undefined,
      kind === 'memory' ? undefined : '',
      'export const config = {',
      '  port: port(),',
      kind === 'memory' ? undefined : "  databaseUrl: process.env.DATABASE_URL || DEFAULT_DATABASE_URL,",
      '};',
    )),
  };
}

function openapi(o: ScaffoldOptions): ScaffoldFile {
  const doc = openApiDocument({ title: projectTitle(o.name), entities: o.entities, idType: nodeStoreKind(o) === 'mongo' ? 'string' : 'integer', basePath: '/api', invalidStatus: 400 });
  return {
    path: 'src/openapi.ts',
    content: text(`/** The OpenAPI description of this API, served at /openapi.json and /docs. Keep it in step when you change a route. */\nexport const openApiDocument = ${JSON.stringify(doc, null, 2)};`),
  };
}

function tsLiteral(value: string | number | boolean): string {
  return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(value);
}

function sample(e: EntitySpec, variant: 'create' | 'update'): string {
  return `{ ${e.fields.map((f) => `${f.name}: ${tsLiteral(sampleValue(f, variant))}`).join(', ')} }`;
}

function testStore(o: ScaffoldOptions): ScaffoldFile {
  const kind = nodeStoreKind(o);
  const body =
    kind === 'sql'
      ? [
          "import { SqlStore } from '../src/db/sql.js';",
          "import type { Store } from '../src/db/store.js';",
          '',
          '/** The server DATABASE_URL names (its tables dropped and made again), or SQLite in memory. */',
          'export async function testStore(): Promise<Store> {',
          "  const store = new SqlStore(process.env.DATABASE_URL || 'sqlite::memory:');",
          '  await store.drop();',
          '  await store.migrate();',
          '  return store;',
          '}',
        ]
      : kind === 'mongo'
        ? [
            "import { randomUUID } from 'node:crypto';",
            "import { MemoryStore } from '../src/db/memory.js';",
            "import { MongoStore } from '../src/db/mongo.js';",
            "import type { Store } from '../src/db/store.js';",
            '',
            '/** A database of its own on the server DATABASE_URL names (dropped afterwards), or documents in memory. */',
            'export async function testStore(): Promise<Store> {',
            '  const url = process.env.DATABASE_URL;',
            "  return url ? new MongoStore(url, `test_${randomUUID().replace(/-/g, '').slice(0, 12)}`) : new MemoryStore();",
            '}',
          ]
        : ["import { MemoryStore } from '../src/db/memory.js';", "import type { Store } from '../src/db/store.js';", '', 'export async function testStore(): Promise<Store> {', '  return new MemoryStore();', '}'];
  return { path: 'test/store.ts', content: text(lines(...body)) };
}

function entityTests(o: ScaffoldOptions, e: EntitySpec): ScaffoldFile {
  const n = entityNames(e.name);
  const unknown = nodeStoreKind(o) === 'mongo' ? "['000000000000000000000000', 'not-an-id']" : "['999999', 'abc']";
  const required = e.fields.filter((f) => f.required);
  const firstString = e.fields.find((f) => f.type === 'string');
  const one = e.fields[0]?.name ?? '';
  return {
    path: `test/${n.camelPlural}.test.ts`,
    content: text(lines(
      "import type { Express } from 'express';",
      "import request from 'supertest';",
      "import { afterEach, beforeEach, describe, expect, it } from 'vitest';",
      "import { createApp } from '../src/app.js';",
      "import type { Store } from '../src/db/store.js';",
      "import { testStore } from './store.js';",
      '',
      `const URL = '/api/${n.kebabPlural}';`,
      `const NEW = ${sample(e, 'create')};`,
      `const CHANGES = ${sample(e, 'update')};`,
      '',
      'let store: Store;',
      'let app: Express;',
      '',
      'beforeEach(async () => {',
      '  store = await testStore();',
      '  app = createApp(store);',
      '});',
      '',
      'afterEach(async () => {',
      '  await store.drop();',
      '  await store.close();',
      '});',
      '',
      'async function create(): Promise<Record<string, unknown>> {',
      '  const response = await request(app).post(URL).send(NEW).expect(201);',
      '  return response.body as Record<string, unknown>;',
      '}',
      '',
      `describe('${n.kebabPlural}', () => {`,
      "  it('creates one and reads it back', async () => {",
      '    const created = await create();',
      '    expect(created).toMatchObject(NEW);',
      '    expect(created.id).toBeTruthy();',
      '    const fetched = await request(app).get(`${URL}/${created.id}`).expect(200);',
      '    expect(fetched.body).toEqual(created);',
      '  });',
      '',
      "  it('lists in order and by page', async () => {",
      '    const ids = [(await create()).id, (await create()).id, (await create()).id];',
      '    const all = await request(app).get(URL).expect(200);',
      '    expect(all.body.map((row: { id: unknown }) => row.id)).toEqual(ids);',
      "    const page = await request(app).get(URL).query({ offset: 1, limit: 1 }).expect(200);",
      '    expect(page.body.map((row: { id: unknown }) => row.id)).toEqual([ids[1]]);',
      '  });',
      '',
      "  it('refuses a bad page', async () => {",
      '    await request(app).get(URL).query({ limit: 0 }).expect(400);',
      '    await request(app).get(URL).query({ offset: -1 }).expect(400);',
      '  });',
      '',
      "  it('changes every field', async () => {",
      '    const created = await create();',
      '    const updated = await request(app).patch(`${URL}/${created.id}`).send(CHANGES).expect(200);',
      '    expect(updated.body).toEqual({ ...CHANGES, id: created.id });',
      '    expect((await request(app).get(`${URL}/${created.id}`)).body).toEqual({ ...CHANGES, id: created.id });',
      '  });',
      '',
      "  it('changes one field and keeps the others', async () => {",
      '    const created = await create();',
      `    const updated = await request(app).patch(\`\${URL}/\${created.id}\`).send({ ${one}: CHANGES.${one} }).expect(200);`,
      `    expect(updated.body).toEqual({ ...created, ${one}: CHANGES.${one} });`,
      '  });',
      '',
      "  it('deletes', async () => {",
      '    const created = await create();',
      '    await request(app).delete(`${URL}/${created.id}`).expect(204);',
      '    await request(app).get(`${URL}/${created.id}`).expect(404);',
      '    await request(app).delete(`${URL}/${created.id}`).expect(404);',
      '  });',
      '',
      "  it('answers 404 for an id nothing has', async () => {",
      `    for (const id of ${unknown}) {`,
      '      await request(app).get(`${URL}/${id}`).expect(404);',
      '      await request(app).patch(`${URL}/${id}`).send(CHANGES).expect(404);',
      '      await request(app).delete(`${URL}/${id}`).expect(404);',
      '    }',
      '  });',
      '',
      "  it('refuses unknown fields and a body that is not JSON', async () => {",
      "    await request(app).post(URL).send({ ...NEW, unexpected: 1 }).expect(400);",
      "    await request(app).post(URL).set('Content-Type', 'application/json').send('{\"oops\":').expect(400);",
      '    expect((await request(app).get(URL)).body).toEqual([]);',
      '  });',
      required.length > 0
        ? lines(
            '',
            "  it('refuses a new record without its required fields', async () => {",
            '    await request(app).post(URL).send({}).expect(400);',
            '    expect((await request(app).get(URL)).body).toEqual([]);',
            '  });',
            '',
            "  it('refuses to clear a required field', async () => {",
            '    const created = await create();',
            `    await request(app).patch(\`\${URL}/\${created.id}\`).send({ ${required[0]?.name}: null }).expect(400);`,
            '    expect((await request(app).get(`${URL}/${created.id}`)).body).toEqual(created);',
            '  });',
          )
        : undefined,
      firstString
        ? lines(
            '',
            `  it('refuses a ${firstString.name} longer than ${STRING_MAX_LENGTH} characters', async () => {`,
            `    await request(app).post(URL).send({ ...NEW, ${firstString.name}: 'x'.repeat(${STRING_MAX_LENGTH + 1}) }).expect(400);`,
            '  });',
          )
        : undefined,
      '});',
    )),
  };
}

function appTests(o: ScaffoldOptions): ScaffoldFile {
  const first = o.entities[0] ? entityNames(o.entities[0].name) : undefined;
  return {
    path: 'test/app.test.ts',
    content: text(lines(
      "import request from 'supertest';",
      "import { afterEach, beforeEach, describe, expect, it } from 'vitest';",
      "import { createApp } from '../src/app.js';",
      "import type { Store } from '../src/db/store.js';",
      "import { testStore } from './store.js';",
      '',
      'let store: Store;',
      'beforeEach(async () => {',
      '  store = await testStore();',
      '});',
      'afterEach(async () => {',
      '  await store.drop();',
      '  await store.close();',
      '});',
      '',
      "describe('the app', () => {",
      "  it('answers the health check', async () => {",
      "    const response = await request(createApp(store)).get('/health').expect(200);",
      "    expect(response.body).toEqual({ status: 'ok' });",
      '  });',
      '',
      "  it('says 503 when the database does not answer', async () => {",
      '    const down: Store = {',
      '      repository: (table) => store.repository(table),',
      "      ping: () => Promise.reject(new Error('connection refused')),",
      '      migrate: () => store.migrate(),',
      '      drop: () => store.drop(),',
      '      close: () => store.close(),',
      '    };',
      "    const response = await request(createApp(down)).get('/health').expect(503);",
      "    expect(response.body).toEqual({ status: 'unavailable' });",
      '  });',
      '',
      "  it('answers JSON 404 for an unknown route', async () => {",
      "    const response = await request(createApp(store)).get('/nowhere').expect(404);",
      "    expect(response.body).toEqual({ detail: 'Not found' });",
      '  });',
      '',
      o.openapi
        ? lines(
            "  it('describes the API in OpenAPI and serves the docs page', async () => {",
            "    const response = await request(createApp(store)).get('/openapi.json').expect(200);",
            `    expect(Object.keys(response.body.paths)).toContain('/api/${first?.kebabPlural}');`,
            "    const docs = await request(createApp(store)).get('/docs/').expect(200);",
            "    expect(docs.text).toContain('swagger-ui');",
            '  });',
          )
        : lines("  it('has no OpenAPI route (turned off)', async () => {", "    await request(createApp(store)).get('/openapi.json').expect(404);", '  });'),
      '});',
    )),
  };
}

export function expressAppFiles(o: ScaffoldOptions): ScaffoldFile[] {
  const files: ScaffoldFile[] = [app(o), server(o), config(o), crudRouter(o), ...o.entities.map(entityFile)];
  if (o.openapi) files.push(openapi(o));
  if (o.tests) files.push(testStore(o), appTests(o), ...o.entities.map((e) => entityTests(o, e)));
  return files;
}
