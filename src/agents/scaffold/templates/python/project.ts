import { lines, text, type ScaffoldFile } from '../../output';
import type { ScaffoldOptions } from '../../options';
import { databaseName, databaseServer } from '../shared/databases';

/**
 * The files every Python template shares: dependencies, pytest and flake8 configuration, ignore
 * files and the Dockerfile. Version ranges start at what Debian 12 packages (so the projects run
 * on a machine with only python3-* packages) and reach the current releases pip installs.
 */

export type PythonFramework = 'fastapi' | 'flask' | 'django';

const FRAMEWORK_REQUIREMENTS: Readonly<Record<PythonFramework, readonly string[]>> = {
  fastapi: ['fastapi>=0.92,<1', 'pydantic>=1.10,<3', 'uvicorn>=0.17,<1'],
  flask: ['Flask>=2.2,<4', 'pydantic>=1.10,<3', 'gunicorn>=20.1,<24'],
  django: ['Django>=3.2,<6', 'djangorestframework>=3.14,<4', 'gunicorn>=20.1,<24'],
};

function databaseRequirements(o: ScaffoldOptions, framework: PythonFramework): string[] {
  const sql = o.database === 'postgres' || o.database === 'sqlserver' || o.database === 'sqlite';
  const reqs: string[] = [];
  if (sql && framework !== 'django') reqs.push('SQLAlchemy>=1.4.46,<3');
  if (o.database === 'postgres') reqs.push('psycopg2-binary>=2.9.5,<3');
  if (o.database === 'sqlserver') reqs.push(framework === 'django' ? 'mssql-django>=1.4,<2' : 'pymssql>=2.2.2,<3');
  if (o.database === 'mongodb') reqs.push('pymongo>=3.11,<5');
  return reqs;
}

export function requirements(o: ScaffoldOptions, framework: PythonFramework): ScaffoldFile[] {
  const runtime = [...FRAMEWORK_REQUIREMENTS[framework], ...databaseRequirements(o, framework)];
  if (framework === 'django' && o.openapi) runtime.push('uritemplate>=4.1,<5');
  const dev = ['-r requirements.txt'];
  if (o.tests) {
    dev.push('pytest>=7.2,<10');
    if (framework === 'fastapi') dev.push('httpx>=0.23,<1');
    if (framework === 'django') dev.push('pytest-django>=4.5,<5');
    if (o.database === 'mongodb') dev.push('mongomock>=4.1,<5');
  }
  if (o.lint) dev.push('flake8>=5,<8');
  return [
    { path: 'requirements.txt', content: text(runtime.join('\n')) },
    { path: 'requirements-dev.txt', content: text(dev.join('\n')) },
  ];
}

export function pyproject(o: ScaffoldOptions, framework: PythonFramework): ScaffoldFile {
  const pkg = databaseName(o.name);
  const pytest = o.tests
    ? lines(
        '',
        '[tool.pytest.ini_options]',
        'testpaths = ["tests"]',
        framework === 'django' ? `DJANGO_SETTINGS_MODULE = "${pkg}.settings"` : 'pythonpath = ["."]',
        'addopts = "-ra"',
      )
    : undefined;
  return {
    path: 'pyproject.toml',
    content: text(lines(
      '[project]',
      `name = "${o.name}"`,
      'version = "0.1.0"',
      'requires-python = ">=3.11"',
      'dynamic = ["dependencies"]',
      '',
      '[tool.setuptools.dynamic]',
      'dependencies = { file = ["requirements.txt"] }',
      pytest,
    )),
  };
}

export function flake8Config(): ScaffoldFile {
  return {
    path: '.flake8',
    content: text(`
[flake8]
max-line-length = 120
exclude = .git,__pycache__,.venv,venv,build,dist,data
per-file-ignores =
    */migrations/*.py: E501
`),
  };
}

export function ignoreFiles(): ScaffoldFile[] {
  const common = ['__pycache__/', '*.py[cod]', '.venv/', 'venv/', '.pytest_cache/', 'data/', '.env', '*.sqlite3', '*.db'];
  return [
    { path: '.gitignore', content: text(common.join('\n')) },
    { path: '.dockerignore', content: text([...common, '.git/', '.github/', 'tests/', 'azure-pipelines.yml', 'docker-compose.yml', 'Dockerfile'].join('\n')) },
  ];
}

export function envExample(o: ScaffoldOptions, extra: readonly string[] = []): ScaffoldFile {
  const server = databaseServer(o.database);
  const url =
    server ? server.url('localhost', databaseName(o.name))
    : o.database === 'sqlite' ? 'sqlite:///data/app.db'
    : undefined;
  const body = lines(
    '# Copy to .env or export these; nothing here is read unless your shell or compose sets it.',
    url ? `DATABASE_URL=${url}` : undefined,
    ...extra,
  );
  return { path: '.env.example', content: text(body) };
}

export interface PythonDockerSpec {
  readonly port: number;
  /** The server command, exec form. */
  readonly command: readonly string[];
  /** Extra lines for the runtime stage before USER (e.g. system libraries a driver needs). */
  readonly runtimeSetup?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Two stages: dependencies are built into a virtualenv in the first, and only the virtualenv and
 * the code reach the second, which runs as an unprivileged user that cannot change the code.
 */
export function pythonDockerfile(o: ScaffoldOptions, spec: PythonDockerSpec): ScaffoldFile {
  const sqlite = o.database === 'sqlite';
  const env = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PATH: '/opt/venv/bin:$PATH', ...(sqlite ? { DATABASE_URL: 'sqlite:////app/data/app.db' } : {}), ...(spec.env ?? {}) };
  const healthcheck = `["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:${spec.port}/health', timeout=4).status == 200 else 1)"]`;
  return {
    path: 'Dockerfile',
    content: text(lines(
      '# syntax=docker/dockerfile:1',
      'FROM python:3.12-slim-bookworm AS build',
      'ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1',
      'RUN python -m venv /opt/venv',
      'ENV PATH=/opt/venv/bin:$PATH',
      'COPY requirements.txt /tmp/requirements.txt',
      'RUN pip install -r /tmp/requirements.txt',
      '',
      'FROM python:3.12-slim-bookworm AS runtime',
      `ENV ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' \\\n    ')}`,
      spec.runtimeSetup,
      'RUN groupadd --system app && useradd --system --gid app --no-create-home --shell /usr/sbin/nologin app',
      'WORKDIR /app',
      'COPY --from=build /opt/venv /opt/venv',
      '# The code belongs to root: the app user can read it but not change it.',
      'COPY . .',
      sqlite ? 'RUN mkdir -p /app/data && chown app:app /app/data\nVOLUME ["/app/data"]' : undefined,
      'USER app',
      `EXPOSE ${spec.port}`,
      `HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ${healthcheck}`,
      `CMD [${spec.command.map((c) => JSON.stringify(c)).join(', ')}]`,
    )),
  };
}
