import assert from 'node:assert/strict';
import { renderProject } from '../../../../src/agents/scaffold/templates';
import { DATABASES } from '../../../../src/agents/scaffold/options';
import { assertHardenedDockerfile, assertWellFormed, file, paths, yamlFile } from './helpers';

const PYTHON = ['fastapi', 'flask', 'django'] as const;
const SERVER_IMAGES = { postgres: /^postgres:/, sqlserver: /mssql\/server/, mongodb: /^mongo:/ } as const;

interface GhJob { services?: { db?: { image: string; env?: Record<string, string>; options: string } }; env?: Record<string, string>; steps: { run?: string; uses?: string }[] }
interface AzurePipeline { resources?: { containers: { image: string }[] }; services?: Record<string, string>; steps: { script?: string; env?: Record<string, string>; task?: string }[] }

describe('Python scaffold templates', () => {
  for (const template of PYTHON) {
    for (const database of DATABASES) {
      it(`${template} with ${database}: a complete, well-formed project`, () => {
        const out = renderProject({ template, name: 'orders-api', database });
        assertWellFormed(out);
        const list = paths(out);
        for (const p of ['README.md', 'requirements.txt', 'requirements-dev.txt', 'pyproject.toml', '.flake8', '.gitignore', '.dockerignore', '.env.example', 'Dockerfile', '.github/workflows/ci.yml', 'azure-pipelines.yml', 'tests/conftest.py', 'tests/test_health.py', 'tests/test_items.py', 'tests/test_openapi.py']) {
          assert.ok(list.includes(p), `${p} missing`);
        }
        if (template === 'django') {
          for (const p of ['manage.py', 'orders_api/settings.py', 'orders_api/urls.py', 'orders_api/wsgi.py', 'api/views.py', 'api/serializers.py', 'api/urls.py']) assert.ok(list.includes(p), p);
          assert.equal(out.files.find((f) => f.path === 'manage.py')?.executable, true);
          const sql = database !== 'mongodb' && database !== 'none';
          assert.equal(list.includes('api/migrations/0001_initial.py'), sql);
          assert.equal(list.includes('tests/test_migrations.py'), sql);
        } else {
          for (const p of ['app/main.py', 'app/database.py', 'app/schemas.py', 'app/repositories.py']) assert.ok(list.includes(p), p);
          assert.equal(list.includes('app/models.py'), database !== 'mongodb' && database !== 'none');
        }
        assert.deepEqual(out.testCommand, { file: 'pytest', args: [], display: 'pytest' });
        assert.equal(out.installCommand, undefined);
        assertHardenedDockerfile(file(out, 'Dockerfile'));
      });

      it(`${template} with ${database}: CI and compose run the real database as a service`, () => {
        const out = renderProject({ template, name: 'orders-api', database });
        const gh = yamlFile(out, '.github/workflows/ci.yml') as { jobs: { test: GhJob } };
        const az = yamlFile(out, 'azure-pipelines.yml') as unknown as AzurePipeline;
        const job = gh.jobs.test;
        assert.ok(job.steps.some((s) => s.run === 'flake8'));
        assert.ok(job.steps.some((s) => s.run?.startsWith('pytest')));
        assert.ok(az.steps.some((s) => s.script?.startsWith('pytest')));
        assert.ok(az.steps.some((s) => s.task === 'PublishTestResults@2'));
        if (database === 'postgres' || database === 'sqlserver' || database === 'mongodb') {
          assert.match(job.services?.db?.image ?? '', SERVER_IMAGES[database]);
          assert.match(job.services?.db?.options ?? '', /--health-cmd/);
          assert.match(job.env?.DATABASE_URL ?? '', database === 'postgres' ? /^postgresql:\/\/app:app@localhost:5432\/orders_api$/ : database === 'sqlserver' ? /^mssql:\/\/sa:.*@localhost:1433\/orders_api$/ : /^mongodb:\/\/localhost:27017\/orders_api$/);
          if (database === 'postgres') assert.equal(job.services?.db?.env?.POSTGRES_DB, 'orders_api', 'the database the URL names exists');
          assert.match(az.resources?.containers[0]?.image ?? '', SERVER_IMAGES[database]);
          assert.deepEqual(az.services, { db: 'db' });
          assert.equal(az.steps.find((s) => s.script?.startsWith('pytest'))?.env?.DATABASE_URL, job.env?.DATABASE_URL);
          if (database === 'sqlserver') {
            assert.ok(job.steps.some((s) => s.run?.includes('CREATE DATABASE [orders_api]')), 'SQL Server needs the database created');
            assert.ok(az.steps.some((s) => s.script?.includes('CREATE DATABASE [orders_api]')));
          }
          const compose = yamlFile(out, 'docker-compose.yml') as { services: Record<string, { image?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown> }> };
          assert.match(compose.services.db?.image ?? '', SERVER_IMAGES[database]);
          assert.match(compose.services.app?.environment?.DATABASE_URL ?? '', /@?db:\d+\/orders_api$/);
          assert.ok(compose.services.app?.depends_on);
        } else {
          assert.equal(job.services, undefined);
          assert.equal(az.resources, undefined);
          const compose = yamlFile(out, 'docker-compose.yml') as { services: Record<string, unknown> };
          assert.deepEqual(Object.keys(compose.services), ['app']);
        }
      });
    }

    it(`${template}: dependency ranges admit Debian 12's packages and current releases`, () => {
      const out = renderProject({ template, name: 'orders-api', database: 'postgres' });
      const reqs = `${file(out, 'requirements.txt')}${file(out, 'requirements-dev.txt')}`;
      const expected = { fastapi: ['fastapi>=0.92,<1', 'pydantic>=1.10,<3', 'httpx>=0.23,<1', 'SQLAlchemy>=1.4.46,<3'], flask: ['Flask>=2.2,<4', 'pydantic>=1.10,<3', 'SQLAlchemy>=1.4.46,<3'], django: ['Django>=3.2,<6', 'djangorestframework>=3.14,<4', 'pytest-django>=4.5,<5'] }[template];
      for (const line of [...expected, 'pytest>=7.2,<10', 'psycopg2-binary>=2.9.5,<3', 'flake8>=5,<8']) assert.ok(reqs.split('\n').includes(line), `${line} missing from\n${reqs}`);
      assert.ok(renderProject({ template, name: 'orders-api', database: 'mongodb' }).files.some((f) => f.path === 'requirements-dev.txt' && f.content.includes('mongomock>=4.1,<5')));
    });

    it(`${template}: options turn off tests, lint, CI, Docker and OpenAPI`, () => {
      const out = renderProject({ template, name: 'orders-api', database: 'sqlite', tests: false, lint: false, ci: false, docker: false, openapi: false });
      assertWellFormed(out);
      const list = paths(out);
      for (const p of ['Dockerfile', '.flake8', '.github/workflows/ci.yml', 'azure-pipelines.yml', 'docker-compose.yml', 'tests/conftest.py']) assert.ok(!list.includes(p), `${p} still there`);
      assert.doesNotMatch(file(out, 'requirements-dev.txt'), /pytest|flake8/);
      assert.equal(out.testCommand.file, 'python3');
      assert.ok(out.notes.some((n) => /Tests are off/.test(n)));
      if (template === 'fastapi') assert.match(file(out, 'app/main.py'), /openapi_url=None/);
      if (template === 'flask') assert.ok(!list.includes('app/openapi.json'));
      if (template === 'django') assert.doesNotMatch(file(out, 'orders_api/urls.py'), /openapi/);
    });

    it(`${template}: renders each requested entity into its data, route and test files`, () => {
      const entities = [
        { name: 'Customer', fields: [{ name: 'email', type: 'string' }] },
        { name: 'OrderLine', fields: [{ name: 'unit_price', type: 'number' }, { name: 'note', type: 'text', required: false }] },
      ];
      const out = renderProject({ template, name: 'shop-api', database: 'postgres', entities });
      const list = paths(out);
      assert.ok(list.includes('tests/test_customers.py') && list.includes('tests/test_order_lines.py'));
      assert.ok(!list.includes('tests/test_items.py'), 'the default entity is replaced, not added to');
      const all = out.files.map((f) => f.content).join('\n');
      assert.match(all, /\/api\/order-lines/);
      if (template === 'django') {
        assert.match(file(out, 'api/models.py'), /class OrderLine\(models\.Model\):\n {4}unit_price = models\.FloatField\(\)\n {4}note = models\.TextField\(blank=True, null=True\)/);
        assert.match(file(out, 'api/migrations/0001_initial.py'), /\("note", models\.TextField\(blank=True, null=True\)\)/);
      } else {
        assert.match(file(out, 'app/models.py'), /__tablename__ = "order_lines"/);
        assert.match(file(out, 'app/schemas.py'), /class OrderLineCreate\(BaseModel\):\n {4}unit_price: float\n {4}note: Optional\[str\] = None/);
        assert.ok(list.includes(template === 'fastapi' ? 'app/routers/order_lines.py' : 'app/routes/order_lines.py'));
      }
    });

    it(`${template}: renders the same files for the same options`, () => {
      assert.deepEqual(renderProject({ template, name: 'orders-api', database: 'mongodb' }), renderProject({ template, name: 'orders-api', database: 'mongodb' }));
    });
  }

  it('Flask serves an OpenAPI document that lists every route with the right id type', () => {
    const doc = JSON.parse(file(renderProject({ template: 'flask', name: 'orders-api', database: 'mongodb' }), 'app/openapi.json')) as { paths: Record<string, { parameters?: { schema: { type: string } }[] }> };
    assert.deepEqual(Object.keys(doc.paths), ['/health', '/api/items', '/api/items/{id}']);
    assert.equal(doc.paths['/api/items/{id}']?.parameters?.[0]?.schema.type, 'string');
  });

  it('a SQLite project keeps its data in a volume the unprivileged user owns', () => {
    const dockerfile = file(renderProject({ template: 'fastapi', name: 'orders-api', database: 'sqlite' }), 'Dockerfile');
    assert.match(dockerfile, /DATABASE_URL=sqlite:\/\/\/\/app\/data\/app\.db/);
    assert.match(dockerfile, /chown app:app \/app\/data/);
  });

  it('Django with SQL Server installs Microsoft\'s ODBC driver that mssql-django needs', () => {
    const out = renderProject({ template: 'django', name: 'orders-api', database: 'sqlserver' });
    assert.match(file(out, 'Dockerfile'), /msodbcsql18/);
    assert.match(file(out, 'requirements.txt'), /mssql-django/);
  });

  it('writes no secret of its own into settings: Django reads its key from the environment', () => {
    const settings = file(renderProject({ template: 'django', name: 'orders-api' }), 'orders_api/settings.py');
    assert.match(settings, /SECRET_KEY = os\.environ\.get\("DJANGO_SECRET_KEY"\) or secrets\.token_urlsafe\(50\)/);
    assert.match(settings, /DEBUG = os\.environ\.get\("DJANGO_DEBUG"\) == "1"/);
  });
});
