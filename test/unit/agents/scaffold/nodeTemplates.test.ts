import assert from 'node:assert/strict';
import { renderProject } from '../../../../src/agents/scaffold/templates';
import { DATABASES } from '../../../../src/agents/scaffold/options';
import { NPM_VERSIONS } from '../../../../src/agents/scaffold/templates/node/versions';
import { assertHardenedDockerfile, assertWellFormed, file, paths, yamlFile } from './helpers';

interface PackageJson { name: string; type: string; engines: { node: string }; scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> }
const pkg = (out: ReturnType<typeof renderProject>): PackageJson => JSON.parse(file(out, 'package.json')) as PackageJson;

describe('Express scaffold template', () => {
  for (const database of DATABASES) {
    it(`with ${database}: the project, its drivers and its store`, () => {
      const out = renderProject({ template: 'express', name: 'orders-api', database });
      assertWellFormed(out);
      const list = paths(out);
      for (const p of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts', '.oxlintrc.json', 'src/app.ts', 'src/server.ts', 'src/config.ts', 'src/routes/crud.ts', 'src/entities/item.ts', 'src/openapi.ts', 'src/db/store.ts', 'src/db/index.ts', 'test/store.ts', 'test/app.test.ts', 'test/items.test.ts', 'Dockerfile', 'docker-compose.yml', '.github/workflows/ci.yml', 'azure-pipelines.yml', 'README.md', '.env.example']) {
        assert.ok(list.includes(p), `${p} missing`);
      }
      const p = pkg(out);
      assert.equal(p.type, 'module');
      assert.deepEqual(Object.keys(p.scripts).sort(), ['build', 'dev', 'lint', 'start', 'test', 'typecheck']);
      const deps = Object.keys(p.dependencies);
      assert.equal(deps.includes('pg'), database === 'postgres');
      assert.equal(deps.includes('tedious') && deps.includes('tarn'), database === 'sqlserver');
      assert.equal(deps.includes('mongodb'), database === 'mongodb');
      assert.equal(deps.includes('kysely'), ['postgres', 'sqlserver', 'sqlite'].includes(database));
      assert.equal(list.includes('src/db/sql.ts'), ['postgres', 'sqlserver', 'sqlite'].includes(database));
      assert.equal(list.includes('src/db/nodeSqlite.ts'), ['postgres', 'sqlserver', 'sqlite'].includes(database), 'SQLite backs the tests of every SQL project');
      assert.equal(list.includes('src/db/mongo.ts'), database === 'mongodb');
      assert.equal(list.includes('src/db/memory.ts'), database === 'mongodb' || database === 'none');
      for (const [name, range] of Object.entries({ ...p.dependencies, ...p.devDependencies })) assert.equal(range, NPM_VERSIONS[name as keyof typeof NPM_VERSIONS], name);
      assert.deepEqual(out.installCommand, { file: 'npm', args: ['install'], display: 'npm install' });
      assert.deepEqual(out.testCommand, { file: 'npm', args: ['test'], display: 'npm test' });
      assertHardenedDockerfile(file(out, 'Dockerfile'));
      assert.match(file(out, 'Dockerfile'), /^USER node$/m);
    });
  }

  it('imports only the drivers it installs, and makes its tables in a first migration for each dialect', () => {
    const sql = file(renderProject({ template: 'express', name: 'orders-api', database: 'postgres' }), 'src/db/sql.ts');
    assert.match(sql, /import \{ Pool \} from 'pg';/);
    assert.doesNotMatch(sql, /tedious|mssql/);
    assert.match(sql, /'0001_create_tables'/);
    assert.match(sql, /if \(kind === 'postgres'\) return table\.addColumn\('id', 'serial'/);
    assert.match(sql, /if \(kind === 'sqlite'\) return table\.addColumn\('id', 'integer', \(column\) => column\.primaryKey\(\)\.autoIncrement\(\)\)/);
    assert.match(sql, /\.addColumn\('in_stock', 'boolean', \(column\) => column\.notNull\(\)\)/);
    const mssql = file(renderProject({ template: 'express', name: 'orders-api', database: 'sqlserver' }), 'src/db/sql.ts');
    assert.match(mssql, /outputAll\('inserted'\)/);
    assert.match(mssql, /\.offset\(offset\)\.fetch\(limit\)/);
    assert.match(mssql, /sql`nvarchar\(200\)`/);
    assert.doesNotMatch(mssql, /from 'pg'/);
  });

  it('validates bodies with zod: unknown fields refused, optional fields null, required ones never null', () => {
    const entity = file(renderProject({ template: 'express', name: 'orders-api' }), 'src/entities/item.ts');
    assert.match(entity, /export const itemCreate = z\.strictObject\(\{\n {2}name: z\.string\(\)\.min\(1\)\.max\(200\),\n {2}description: z\.string\(\)\.nullable\(\)\.default\(null\),\n {2}quantity: z\.number\(\)\.int\(\),/);
    assert.match(entity, /export const itemUpdate = z\.strictObject\(\{\n {2}name: z\.string\(\)\.min\(1\)\.max\(200\)\.optional\(\),\n {2}description: z\.string\(\)\.nullable\(\)\.optional\(\),/);
  });

  it('its README says what the Node tests use without a server (no Python mongomock), and how SQL Server gets its database', () => {
    const mongo = file(renderProject({ template: 'express', name: 'orders-api', database: 'mongodb' }), 'README.md');
    assert.doesNotMatch(mongo, /mongomock/);
    assert.match(mongo, /the tests keep documents in memory/);
    assert.match(file(renderProject({ template: 'express', name: 'orders-api', database: 'sqlserver' }), 'README.md'), /docker compose up -d db db-init/);
  });

  it('MongoDB ids are ObjectIds in routes, OpenAPI and the tests', () => {
    const out = renderProject({ template: 'express', name: 'orders-api', database: 'mongodb' });
    assert.match(file(out, 'src/routes/crud.ts'), /\^\[0-9a-f\]\{24\}\$/);
    assert.match(file(out, 'src/openapi.ts'), /"name": "id",\n\s+"in": "path",\n\s+"required": true,\n\s+"schema": \{\n\s+"type": "string"/);
    assert.match(file(out, 'test/items.test.ts'), /'000000000000000000000000', 'not-an-id'/);
  });

  it('CI installs from the lock file, lints, type-checks and tests against the database service', () => {
    const out = renderProject({ template: 'express', name: 'orders-api', database: 'postgres' });
    const job = (yamlFile(out, '.github/workflows/ci.yml') as { jobs: { test: { services: { db: { image: string } }; steps: { run?: string; with?: Record<string, unknown> }[] } } }).jobs.test;
    assert.match(job.services.db.image, /^postgres:/);
    const runs = job.steps.map((s) => s.run).filter(Boolean);
    assert.deepEqual(runs.slice(0, 3), ['npm ci', 'npm run lint', 'npm run typecheck && npm run build']);
    assert.match(runs[3] ?? '', /vitest run .*--reporter=junit/);
    assert.deepEqual(job.steps[1]?.with, { 'node-version': '24', cache: 'npm' });
  });

  it('options turn off tests, lint, CI, Docker and OpenAPI', () => {
    const out = renderProject({ template: 'express', name: 'orders-api', tests: false, lint: false, ci: false, docker: false, openapi: false });
    assertWellFormed(out);
    const list = paths(out);
    for (const p of ['test/items.test.ts', 'vitest.config.ts', '.oxlintrc.json', 'Dockerfile', '.github/workflows/ci.yml', 'src/openapi.ts', 'docker-compose.yml']) assert.ok(!list.includes(p), `${p} still there`);
    const p = pkg(out);
    assert.ok(!('swagger-ui-express' in p.dependencies) && !('vitest' in p.devDependencies) && !('oxlint' in p.devDependencies));
    assert.deepEqual(out.testCommand.args, ['run', 'build']);
    assert.doesNotMatch(file(out, 'src/app.ts'), /swagger|openapi/);
  });
});

describe('React and Vue scaffold templates', () => {
  for (const template of ['react', 'vue'] as const) {
    it(`${template}: create-vite's layout plus tests, lint, container and CI`, () => {
      const out = renderProject({ template, name: 'shop-ui' });
      assertWellFormed(out);
      const list = paths(out);
      const entry = template === 'react' ? 'src/main.tsx' : 'src/main.ts';
      for (const p of ['index.html', 'public/favicon.svg', entry, 'tsconfig.json', 'tsconfig.app.json', 'tsconfig.node.json', 'vite.config.ts', 'src/api.ts', '.oxlintrc.json', 'Dockerfile', 'nginx.conf', '.github/workflows/ci.yml', 'azure-pipelines.yml', 'README.md', '.gitignore']) {
        assert.ok(list.includes(p), `${p} missing`);
      }
      assert.ok(list.some((p) => /\.test\.tsx?$/.test(p)), 'no test');
      const p = pkg(out);
      assert.equal(p.scripts.build, template === 'react' ? 'tsc -b && vite build' : 'vue-tsc -b && vite build');
      assert.equal(p.scripts.test, 'vitest run');
      assert.ok('vitest' in p.devDependencies && 'jsdom' in p.devDependencies && 'vite' in p.devDependencies);
      assert.ok(template === 'react' ? 'react-dom' in p.dependencies : 'vue' in p.dependencies);
      assert.deepEqual((JSON.parse(file(out, 'tsconfig.json')) as { references: unknown[] }).references, [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }]);
      assert.match(file(out, 'index.html'), new RegExp(`<div id="${template === 'react' ? 'root' : 'app'}"></div>\\n    <script type="module" src="/${entry}"></script>`));
      assert.match(file(out, 'index.html'), /<title>Shop UI<\/title>/);
      assert.match(file(out, 'vite.config.ts'), /environment: 'jsdom'/);
      const dockerfile = file(out, 'Dockerfile');
      assertHardenedDockerfile(dockerfile);
      assert.match(dockerfile, /nginx-unprivileged/);
      assert.match(file(out, 'nginx.conf'), /listen 8080;/);
      const gh = yamlFile(out, '.github/workflows/ci.yml') as { jobs: { test: { services?: unknown } } };
      assert.equal(gh.jobs.test.services, undefined);
      assert.equal(out.notes.length, 1);
    });
  }

  it('refuses a database for a front end instead of ignoring it', () => {
    assert.throws(() => renderProject({ template: 'vue', name: 'shop-ui', database: 'mongodb' }), /vue is a front end/);
  });
});
