import { command, type ScaffoldFile, type ScaffoldOutput } from '../../output';
import { pythonPackage, type ScaffoldOptions } from '../../options';
import { ciFiles } from '../shared/ci';
import { composeFile } from '../shared/compose';
import { DATABASE_LABELS } from '../shared/databases';
import { readme } from '../shared/readme';
import { appPackage } from './appPackage';
import { renderDjangoApp } from './django';
import { renderFastapiApp } from './fastapi';
import { renderFlaskApp } from './flask';
import { envExample, flake8Config, ignoreFiles, pyproject, pythonDockerfile, requirements, type PythonFramework } from './project';

const PORT = 8000;

/** Microsoft's ODBC driver, which mssql-django needs, from Microsoft's Debian repository. */
const MSODBC_SETUP = [
  'RUN apt-get update \\',
  ' && apt-get install -y --no-install-recommends curl gnupg ca-certificates \\',
  ' && curl -fsSL https://packages.microsoft.com/keys/microsoft.asc | gpg --dearmor -o /usr/share/keyrings/microsoft-prod.gpg \\',
  ' && curl -fsSL https://packages.microsoft.com/config/debian/12/prod.list -o /etc/apt/sources.list.d/mssql-release.list \\',
  ' && apt-get update && ACCEPT_EULA=Y apt-get install -y --no-install-recommends msodbcsql18 \\',
  ' && apt-get purge -y curl gnupg && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*',
].join('\n');

const SERVER_COMMAND: Readonly<Record<PythonFramework, (o: ScaffoldOptions) => readonly string[]>> = {
  fastapi: () => ['uvicorn', 'app.main:create_app', '--factory', '--host', '0.0.0.0', '--port', String(PORT)],
  flask: () => ['gunicorn', '--bind', `0.0.0.0:${PORT}`, '--workers', '2', 'app.main:create_app()'],
  django: (o) =>
    o.database === 'mongodb' || o.database === 'none'
      ? ['gunicorn', '--bind', `0.0.0.0:${PORT}`, '--workers', '2', `${pythonPackage(o.name)}.wsgi:application`]
      : ['sh', '-c', `python manage.py migrate --noinput && exec gunicorn --bind 0.0.0.0:${PORT} --workers 2 ${pythonPackage(o.name)}.wsgi:application`],
};

const STACK: Readonly<Record<PythonFramework, string>> = {
  fastapi: 'A FastAPI service',
  flask: 'A Flask service',
  django: 'A Django REST framework service',
};

const DEV_SERVER: Readonly<Record<PythonFramework, (o: ScaffoldOptions) => readonly string[]>> = {
  fastapi: () => ['uvicorn app.main:create_app --factory --reload'],
  flask: () => ['flask --app "app.main:create_app()" run --port 8000 --debug'],
  django: (o) => [...(o.database === 'mongodb' || o.database === 'none' ? [] : ['python manage.py migrate']), 'python manage.py runserver'],
};

function layout(framework: PythonFramework, o: ScaffoldOptions): readonly (readonly [string, string])[] {
  const pkg = pythonPackage(o.name);
  const common: [string, string][] = [
    ['requirements.txt', 'what the app needs; `requirements-dev.txt` adds the test and lint tools'],
    ['.env.example', 'the environment variables it reads'],
  ];
  if (framework === 'django') {
    return [
      [`${pkg}/settings.py`, 'settings from the environment (DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DJANGO_DEBUG)'],
      ['api/', 'the REST API: serializers, views, URLs' + (o.database === 'mongodb' || o.database === 'none' ? ', and the document store' : ', models and migrations')],
      ...(o.tests ? [['tests/', 'pytest with pytest-django'] as [string, string]] : []),
      ...common,
    ];
  }
  return [
    ['app/main.py', 'the application factory'],
    [framework === 'fastapi' ? 'app/routers/' : 'app/routes/', 'one module per resource, and /health'],
    ['app/schemas.py', 'request and response shapes (pydantic)'],
    ['app/repositories.py', 'create, read, update, delete against the store in `app/database.py`'],
    ...(o.tests ? [['tests/', 'pytest'] as [string, string]] : []),
    ...common,
  ];
}

export function renderPython(framework: PythonFramework, o: ScaffoldOptions): ScaffoldOutput {
  const files: ScaffoldFile[] = [];
  files.push(...(framework === 'django' ? renderDjangoApp(o) : [...appPackage(o), ...(framework === 'fastapi' ? renderFastapiApp(o) : renderFlaskApp(o))]));
  files.push(...requirements(o, framework), pyproject(o, framework), ...ignoreFiles(), envExample(o, framework === 'django' ? ['DJANGO_SECRET_KEY=', 'DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1'] : []));
  if (o.lint) files.push(flake8Config());
  if (o.docker) {
    files.push(pythonDockerfile(o, {
      port: PORT,
      command: SERVER_COMMAND[framework](o),
      ...(framework === 'django' && o.database === 'sqlserver' ? { runtimeSetup: MSODBC_SETUP } : {}),
      ...(framework === 'django' ? { env: { DJANGO_ALLOWED_HOSTS: 'localhost,127.0.0.1' } } : {}),
    }));
  }
  const compose = composeFile({ projectName: o.name, database: o.database, app: o.docker, appPort: PORT, ...(o.database === 'sqlite' ? { sqliteDataPath: '/app/data' } : {}) });
  if (compose) files.push(compose);
  const testLine = o.tests ? 'pytest' : framework === 'django' ? 'python manage.py check' : 'python -m compileall -q app';
  if (o.ci) {
    files.push(...ciFiles({
      projectName: o.name,
      database: o.database,
      toolchain: 'python',
      install: ['python -m pip install --upgrade pip', 'pip install -r requirements-dev.txt'],
      ...(o.lint ? { lint: 'flake8' } : {}),
      test: o.tests ? 'pytest --junitxml=test-results/junit.xml' : testLine,
      ...(o.tests ? { junitFile: 'test-results/junit.xml' } : {}),
    }));
  }
  files.push(readme(o, {
    stack: STACK[framework],
    install: ['python3 -m venv .venv && . .venv/bin/activate', 'pip install -r requirements-dev.txt'],
    run: DEV_SERVER[framework](o),
    url: framework === 'fastapi' && o.openapi ? `http://127.0.0.1:${PORT}/docs` : `http://127.0.0.1:${PORT}/health`,
    test: testLine,
    ...(o.lint ? { lint: 'flake8' } : {}),
    layout: layout(framework, o),
  }));
  const notes: string[] = [`${STACK[framework]} with ${DATABASE_LABELS[o.database]}.`];
  if (o.tests && o.database !== 'none' && o.database !== 'sqlite') {
    notes.push(`The tests run without a server (${o.database === 'mongodb' ? 'mongomock' : 'SQLite'}) unless DATABASE_URL names one; CI runs them against ${DATABASE_LABELS[o.database]} in a service container.`);
  }
  if (!o.tests) notes.push(`Tests are off: the check command (${testLine}) only proves the code ${framework === 'django' ? 'passes Django\'s system checks' : 'compiles'}.`);
  const test = o.tests ? command('pytest') : framework === 'django' ? command('python3', ['manage.py', 'check']) : command('python3', ['-m', 'compileall', '-q', 'app']);
  return { files, testCommand: test, notes };
}
