import { lines, text, type ScaffoldFile } from '../../output';
import type { ScaffoldOptions } from '../../options';
import { STRING_MAX_LENGTH, entityNames, type FieldSpec } from '../../entities';

/**
 * The Express project's data layer: one Store interface and the implementation for the chosen
 * database. SQL goes through Kysely (PostgreSQL with pg, SQL Server with tedious, SQLite with Node's
 * built-in node:sqlite), with the tables created by a first Kysely migration; MongoDB through the
 * official driver; no database through memory. Only the drivers the project installs are imported.
 */

export type NodeStoreKind = 'sql' | 'mongo' | 'memory';
export type SqlKind = 'postgres' | 'mssql' | 'sqlite';

export const nodeStoreKind = (o: ScaffoldOptions): NodeStoreKind => (o.database === 'mongodb' ? 'mongo' : o.database === 'none' ? 'memory' : 'sql');

/** SQLite always (the tests use it without a server), plus the project's server. */
export function sqlKinds(o: ScaffoldOptions): SqlKind[] {
  return o.database === 'postgres' ? ['postgres', 'sqlite'] : o.database === 'sqlserver' ? ['mssql', 'sqlite'] : ['sqlite'];
}

function storeInterface(o: ScaffoldOptions): ScaffoldFile {
  const id = nodeStoreKind(o) === 'mongo' ? 'string' : 'number';
  return {
    path: 'src/db/store.ts',
    content: text(`
/** What the routes need from a database, whichever one is behind it. Rows are plain JSON objects. */
export type Id = ${id};
export type Row = { id: Id } & Record<string, unknown>;
export type Data = Record<string, unknown>;

export interface Repository {
  list(offset: number, limit: number): Promise<Row[]>;
  get(id: Id): Promise<Row | undefined>;
  create(data: Data): Promise<Row>;
  update(id: Id, changes: Data): Promise<Row | undefined>;
  remove(id: Id): Promise<boolean>;
}

export interface Store {
  repository(table: string): Repository;
  /** Throws when the database does not answer (GET /health says 503). */
  ping(): Promise<void>;
  /** Brings the schema up to date (runs pending migrations). */
  migrate(): Promise<void>;
  /** Removes every table or collection this app made (the tests' clean slate). */
  drop(): Promise<void>;
  close(): Promise<void>;
}
`),
  };
}

function memoryStore(o: ScaffoldOptions): ScaffoldFile {
  const mongo = nodeStoreKind(o) === 'mongo';
  return {
    path: 'src/db/memory.ts',
    content: text(lines(
      mongo
        ? "/** Documents in memory with MongoDB-shaped ids: what the tests use when DATABASE_URL names no server. */\nimport { ObjectId } from 'mongodb';"
        : '/** No database was chosen: rows live in memory and are lost on restart. Swap in a real store later. */',
      "import type { Data, Id, Repository, Row, Store } from './store.js';",
      '',
      'class MemoryRepository implements Repository {',
      '  private readonly rows = new Map<Id, Row>();',
      mongo ? undefined : '  private nextId = 1;',
      '',
      '  async list(offset: number, limit: number): Promise<Row[]> {',
      '    return [...this.rows.values()].slice(offset, offset + limit).map((row) => ({ ...row }));',
      '  }',
      '',
      '  async get(id: Id): Promise<Row | undefined> {',
      '    const row = this.rows.get(id);',
      '    return row && { ...row };',
      '  }',
      '',
      '  async create(data: Data): Promise<Row> {',
      mongo ? '    const row: Row = { ...data, id: new ObjectId().toHexString() };' : '    const row: Row = { ...data, id: this.nextId++ };',
      '    this.rows.set(row.id, row);',
      '    return { ...row };',
      '  }',
      '',
      '  async update(id: Id, changes: Data): Promise<Row | undefined> {',
      '    const row = this.rows.get(id);',
      '    if (!row) return undefined;',
      '    Object.assign(row, changes);',
      '    return { ...row };',
      '  }',
      '',
      '  async remove(id: Id): Promise<boolean> {',
      '    return this.rows.delete(id);',
      '  }',
      '}',
      '',
      'export class MemoryStore implements Store {',
      '  private readonly repositories = new Map<string, MemoryRepository>();',
      '',
      '  repository(table: string): Repository {',
      '    let repository = this.repositories.get(table);',
      '    if (!repository) {',
      '      repository = new MemoryRepository();',
      '      this.repositories.set(table, repository);',
      '    }',
      '    return repository;',
      '  }',
      '',
      '  async ping(): Promise<void> {}',
      '  async migrate(): Promise<void> {}',
      '  async drop(): Promise<void> {',
      '    this.repositories.clear();',
      '  }',
      '  async close(): Promise<void> {',
      '    this.repositories.clear();',
      '  }',
      '}',
    )),
  };
}

function mongoStore(): ScaffoldFile {
  return {
    path: 'src/db/mongo.ts',
    content: text(`
import { type Collection, type Db, type Document, MongoClient, ObjectId, type WithId } from 'mongodb';
import type { Data, Id, Repository, Row, Store } from './store.js';

function toRow(document: WithId<Document>): Row {
  const { _id, ...rest } = document;
  return { ...rest, id: _id.toHexString() };
}

class MongoRepository implements Repository {
  constructor(private readonly collection: Collection) {}

  async list(offset: number, limit: number): Promise<Row[]> {
    const documents = await this.collection.find().sort({ _id: 1 }).skip(offset).limit(limit).toArray();
    return documents.map(toRow);
  }

  async get(id: Id): Promise<Row | undefined> {
    const document = await this.collection.findOne({ _id: new ObjectId(id) });
    return document ? toRow(document) : undefined;
  }

  async create(data: Data): Promise<Row> {
    const result = await this.collection.insertOne({ ...data });
    return { ...data, id: result.insertedId.toHexString() };
  }

  async update(id: Id, changes: Data): Promise<Row | undefined> {
    if (Object.keys(changes).length === 0) return this.get(id);
    const document = await this.collection.findOneAndUpdate({ _id: new ObjectId(id) }, { $set: changes }, { returnDocument: 'after' });
    return document ? toRow(document) : undefined;
  }

  async remove(id: Id): Promise<boolean> {
    const result = await this.collection.deleteOne({ _id: new ObjectId(id) });
    return result.deletedCount === 1;
  }
}

/** DATABASE_URL is mongodb://host:port/database; the tests pass a database name of their own. */
export class MongoStore implements Store {
  private readonly client: MongoClient;
  private readonly db: Db;

  constructor(url: string, databaseName?: string) {
    this.client = new MongoClient(url, { serverSelectionTimeoutMS: 5000 });
    this.db = this.client.db(databaseName);
  }

  repository(table: string): Repository {
    return new MongoRepository(this.db.collection(table));
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  /** MongoDB makes collections on first write. */
  async migrate(): Promise<void> {}

  async drop(): Promise<void> {
    await this.db.dropDatabase();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
`),
  };
}

function sqliteDialect(): ScaffoldFile {
  return {
    path: 'src/db/nodeSqlite.ts',
    content: text(`
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { SqliteDialect } from 'kysely';

/**
 * Kysely's SQLite dialect on Node's built-in node:sqlite, so SQLite needs no native package build.
 * node:sqlite takes numbers, strings, bigints, bytes and null: booleans are stored as 1 and 0.
 */
export function nodeSqliteDialect(path: string): SqliteDialect {
  const db = new DatabaseSync(path);
  const values = (parameters: readonly unknown[]): SQLInputValue[] =>
    parameters.map((p) => (typeof p === 'boolean' ? Number(p) : (p as SQLInputValue)));
  return new SqliteDialect({
    database: {
      close: () => db.close(),
      prepare: (sql: string) => {
        const statement = db.prepare(sql);
        return {
          reader: statement.columns().length > 0,
          all: (parameters: readonly unknown[]) => statement.all(...values(parameters)),
          run: (parameters: readonly unknown[]) => {
            const result = statement.run(...values(parameters));
            return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
          },
          iterate: (parameters: readonly unknown[]) => statement.iterate(...values(parameters)),
        };
      },
    },
  });
}
`),
  };
}

const COLUMN_TYPES: Readonly<Record<SqlKind, Readonly<Record<FieldSpec['type'], string>>>> = {
  postgres: { string: `'varchar(${STRING_MAX_LENGTH})'`, text: "'text'", integer: "'integer'", number: "'double precision'", boolean: "'boolean'" },
  mssql: { string: `sql\`nvarchar(${STRING_MAX_LENGTH})\``, text: 'sql`nvarchar(max)`', integer: "'integer'", number: 'sql`float`', boolean: 'sql`bit`' },
  sqlite: { string: `'varchar(${STRING_MAX_LENGTH})'`, text: "'text'", integer: "'integer'", number: "'real'", boolean: "'integer'" },
};

const ID_COLUMNS: Readonly<Record<SqlKind, string>> = {
  postgres: ".addColumn('id', 'serial', (column) => column.primaryKey())",
  mssql: ".addColumn('id', 'integer', (column) => column.primaryKey().identity())",
  sqlite: ".addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement())",
};

const DIALECTS: Readonly<Record<SqlKind, { readonly imports: readonly string[]; readonly scheme: string; readonly make: string }>> = {
  postgres: {
    imports: ["import { Pool } from 'pg';", "import { PostgresDialect } from 'kysely';"],
    scheme: "url.startsWith('postgres://') || url.startsWith('postgresql://')",
    make: "{ kind: 'postgres', dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 10 }) }) }",
  },
  mssql: {
    imports: ["import * as tarn from 'tarn';", "import * as tedious from 'tedious';", "import { MssqlDialect } from 'kysely';"],
    scheme: "url.startsWith('mssql://') || url.startsWith('sqlserver://')",
    make: "{ kind: 'mssql', dialect: mssqlDialect(url) }",
  },
  sqlite: {
    imports: ["import { nodeSqliteDialect } from './nodeSqlite.js';"],
    scheme: "url.startsWith('sqlite:')",
    make: "{ kind: 'sqlite', dialect: nodeSqliteDialect(sqlitePath(url)) }",
  },
};

function sqlStore(o: ScaffoldOptions): ScaffoldFile[] {
  const kinds = sqlKinds(o);
  const has = (k: SqlKind): boolean => kinds.includes(k);
  const migration = lines(
    `const migrationsFor = (kind: SqlKind): Record<string, Migration> => ({`,
    `  '0001_create_tables': {`,
    `    async up(db: Kysely<any>) {`,
    ...o.entities.map((e) => {
      const n = entityNames(e.name);
      return lines(
        `      await db.schema`,
        `        .createTable('${n.snakePlural}')`,
        `        .$call((table) => {`,
        ...kinds.map((k) => `          if (kind === '${k}') return table${ID_COLUMNS[k]}${e.fields.map((f) => `\n            .addColumn('${f.name}', ${COLUMN_TYPES[k][f.type]}${f.required ? ', (column) => column.notNull()' : ''})`).join('')};`),
        `          throw new Error(\`No table definition for \${kind}\`);`,
        `        })`,
        `        .execute();`,
      );
    }),
    `    },`,
    `    async down(db: Kysely<any>) {`,
    ...o.entities.map((e) => `      await db.schema.dropTable('${entityNames(e.name).snakePlural}').ifExists().execute();`),
    `    },`,
    `  },`,
    `});`,
  );
  const booleans = lines(
    '/** Boolean columns per table: SQLite hands them back as 1 and 0. */',
    'const BOOLEAN_COLUMNS: Record<string, readonly string[]> = {',
    ...o.entities.map((e) => `  ${entityNames(e.name).snakePlural}: [${e.fields.filter((f) => f.type === 'boolean').map((f) => `'${f.name}'`).join(', ')}],`),
    '};',
  );
  const returning = (verb: string): string =>
    has('mssql') ? `this.kind === 'mssql' ? await ${verb}.outputAll('inserted').executeTakeFirst() : await ${verb}.returningAll().executeTakeFirst()` : `await ${verb}.returningAll().executeTakeFirst()`;
  const store = lines(
    '/**',
    ' * SQL through Kysely. The tables are made by the migrations below (Kysely records the ones it ran',
    ' * in kysely_migration); add a migration for every change to a table.',
    ' */',
    "import { Kysely, type Dialect, sql } from 'kysely';",
    "import { type Migration, Migrator } from 'kysely/migration';",
    ...kinds.flatMap((k) => DIALECTS[k].imports).sort(),
    "import type { Data, Id, Repository, Row, Store } from './store.js';",
    '',
    `export type SqlKind = ${kinds.map((k) => `'${k}'`).join(' | ')};`,
    '',
    '/** sqlite:///relative/path, sqlite:////absolute/path or sqlite::memory: */',
    'function sqlitePath(url: string): string {',
    "  if (url === 'sqlite::memory:') return ':memory:';",
    "  if (url.startsWith('sqlite:///')) return url.slice('sqlite:///'.length);",
    "  throw new Error('A SQLite DATABASE_URL is sqlite:///path/to/file.db or sqlite::memory:');",
    '}',
    has('mssql')
      ? lines(
          '',
          '/** mssql://user:password@host:port/database */',
          'function mssqlDialect(url: string): Dialect {',
          '  const parsed = new URL(url);',
          '  return new MssqlDialect({',
          '    tarn: { ...tarn, options: { min: 0, max: 10 } },',
          '    tedious: {',
          '      ...tedious,',
          '      connectionFactory: () =>',
          '        new tedious.Connection({',
          '          server: parsed.hostname,',
          '          authentication: { type: \'default\', options: { userName: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } },',
          '          options: { port: Number(parsed.port || 1433), database: decodeURIComponent(parsed.pathname.slice(1)), trustServerCertificate: true },',
          '        }),',
          '    },',
          '  });',
          '}',
        )
      : undefined,
    '',
    'function dialectFor(url: string): { kind: SqlKind; dialect: Dialect } {',
    ...kinds.map((k) => `  if (${DIALECTS[k].scheme}) return ${DIALECTS[k].make};`),
    `  throw new Error(\`DATABASE_URL must start with ${kinds.map((k) => (k === 'postgres' ? 'postgresql://' : k === 'mssql' ? 'mssql://' : 'sqlite:')).join(', ')}\`);`,
    '}',
    '',
    booleans,
    '',
    '// Tables are picked at run time by name, so Kysely is untyped here (Kysely<any>); the routes validate every row they write.',
    migration,
    '',
    'class SqlRepository implements Repository {',
    '  constructor(',
    '    private readonly db: Kysely<any>,',
    has('mssql') ? '    private readonly kind: SqlKind,' : undefined,
    '    private readonly table: string,',
    '  ) {}',
    '',
    '  private toRow(row: Record<string, unknown> | undefined): Row | undefined {',
    '    if (!row) return undefined;',
    '    const out: Record<string, unknown> = { ...row };',
    '    for (const column of BOOLEAN_COLUMNS[this.table] ?? []) if (out[column] !== null && out[column] !== undefined) out[column] = Boolean(out[column]);',
    '    return out as Row;',
    '  }',
    '',
    '  async list(offset: number, limit: number): Promise<Row[]> {',
    "    const query = this.db.selectFrom(this.table).selectAll().orderBy('id');",
    has('mssql')
      ? "    const rows = this.kind === 'mssql' ? await query.offset(offset).fetch(limit).execute() : await query.limit(limit).offset(offset).execute();"
      : '    const rows = await query.limit(limit).offset(offset).execute();',
    '    return rows.map((row) => this.toRow(row) as Row);',
    '  }',
    '',
    '  async get(id: Id): Promise<Row | undefined> {',
    "    return this.toRow(await this.db.selectFrom(this.table).selectAll().where('id', '=', id).executeTakeFirst());",
    '  }',
    '',
    '  async create(data: Data): Promise<Row> {',
    '    const insert = this.db.insertInto(this.table).values(data);',
    `    const row = this.toRow(${returning('insert')});`,
    "    if (!row) throw new Error(`The database returned no row for the new ${this.table} record.`);",
    '    return row;',
    '  }',
    '',
    '  async update(id: Id, changes: Data): Promise<Row | undefined> {',
    '    if (Object.keys(changes).length === 0) return this.get(id);',
    "    const update = this.db.updateTable(this.table).set(changes).where('id', '=', id);",
    `    return this.toRow(${returning('update')});`,
    '  }',
    '',
    '  async remove(id: Id): Promise<boolean> {',
    "    const result = await this.db.deleteFrom(this.table).where('id', '=', id).executeTakeFirst();",
    '    return result.numDeletedRows > 0n;',
    '  }',
    '}',
    '',
    'export class SqlStore implements Store {',
    '  private readonly db: Kysely<any>;',
    '  private readonly kind: SqlKind;',
    '',
    '  constructor(url: string) {',
    '    const { kind, dialect } = dialectFor(url);',
    '    this.kind = kind;',
    '    this.db = new Kysely({ dialect });',
    '  }',
    '',
    '  repository(table: string): Repository {',
    has('mssql') ? '    return new SqlRepository(this.db, this.kind, table);' : '    return new SqlRepository(this.db, table);',
    '  }',
    '',
    '  async ping(): Promise<void> {',
    '    await sql`select 1`.execute(this.db);',
    '  }',
    '',
    '  async migrate(): Promise<void> {',
    '    const migrations = migrationsFor(this.kind);',
    '    const migrator = new Migrator({ db: this.db, provider: { getMigrations: async () => migrations } });',
    '    const { error } = await migrator.migrateToLatest();',
    '    if (error) throw error;',
    '  }',
    '',
    '  async drop(): Promise<void> {',
    "    for (const table of [...Object.keys(BOOLEAN_COLUMNS), 'kysely_migration', 'kysely_migration_lock']) {",
    '      await this.db.schema.dropTable(table).ifExists().execute();',
    '    }',
    '  }',
    '',
    '  async close(): Promise<void> {',
    '    await this.db.destroy();',
    '  }',
    '}',
  );
  return [{ path: 'src/db/sql.ts', content: text(store) }, ...(has('sqlite') ? [sqliteDialect()] : [])];
}

function openStore(o: ScaffoldOptions): ScaffoldFile {
  const kind = nodeStoreKind(o);
  const body =
    kind === 'sql' ? ["import { SqlStore } from './sql.js';", "import type { Store } from './store.js';", '', 'export function openStore(url: string): Store {', '  return new SqlStore(url);', '}']
    : kind === 'mongo' ? ["import { MongoStore } from './mongo.js';", "import type { Store } from './store.js';", '', 'export function openStore(url: string): Store {', '  return new MongoStore(url);', '}']
    : ["import { MemoryStore } from './memory.js';", "import type { Store } from './store.js';", '', 'export function openStore(): Store {', '  return new MemoryStore();', '}'];
  return { path: 'src/db/index.ts', content: text(lines(...body)) };
}

export function expressDataFiles(o: ScaffoldOptions): ScaffoldFile[] {
  const kind = nodeStoreKind(o);
  const files = [storeInterface(o), openStore(o)];
  if (kind === 'sql') files.push(...sqlStore(o));
  if (kind === 'mongo') files.push(mongoStore(), memoryStore(o));
  if (kind === 'memory') files.push(memoryStore(o));
  return files;
}
