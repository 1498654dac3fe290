import { lines, text, type ScaffoldFile } from '../../output';
import { projectTitle, pythonPackage, type ScaffoldOptions } from '../../options';
import { entityNames, type EntitySpec } from '../../entities';
import { databaseName } from '../shared/databases';
import { memoryStore, mongoStore, repositories, storeKind } from './appPackage';
import { djangoModelField, drfSerializerField } from './fields';
import { conftest, crudTests } from './pythonTests';

/**
 * Django REST framework: a project package named after the project, an `api` app with models and
 * their first migration (SQL databases) or a document store behind plain serializers (MongoDB, none),
 * DRF's own OpenAPI schema at /openapi.json, JSON only.
 */

const orm = (o: ScaffoldOptions): boolean => storeKind(o) === 'sql';

function manage(pkg: string): ScaffoldFile {
  return {
    path: 'manage.py',
    executable: true,
    content: text(`
#!/usr/bin/env python3
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
`),
  };
}

function settings(o: ScaffoldOptions, pkg: string): ScaffoldFile {
  const databases = orm(o)
    ? text(`
def database_from_url(url: str) -> dict:
    """DATABASE_URL as Django's DATABASES entry: sqlite:///path, postgresql://... or mssql://..."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path = path if path.is_absolute() else BASE_DIR / path
        path.parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    parts = urlsplit(url)
    engines = {
        "postgres": "django.db.backends.postgresql",
        "postgresql": "django.db.backends.postgresql",
        "mssql": "mssql",
    }
    if parts.scheme not in engines:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with sqlite:///, postgresql:// or mssql://, not {parts.scheme}://"
        )
    config = {
        "ENGINE": engines[parts.scheme],
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
    }
    if parts.scheme == "mssql":
        config["OPTIONS"] = {"driver": "ODBC Driver 18 for SQL Server", "extra_params": "TrustServerCertificate=yes"}
    return config


# Without DATABASE_URL the project keeps its data in a SQLite file under data/.
DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL") or "sqlite:///data/db.sqlite3")}`)
    : storeKind(o) === 'mongo'
      ? text(`
# Django's own ORM is not used: the API keeps its documents in MongoDB (api/store.py).
DATABASES = {}
DATABASE_URL = os.environ.get("DATABASE_URL") or "mongodb://localhost:27017/${databaseName(o.name)}"`)
      : text(`
# No database was chosen: the API keeps its data in memory (api/store.py).
DATABASES = {}`);
  return {
    path: `${pkg}/settings.py`,
    content: text(lines(
      '"""Settings come from the environment, so one image runs anywhere and no secret is written in the code."""',
      'import os',
      'import secrets',
      'from pathlib import Path',
      orm(o) ? 'from urllib.parse import unquote, urlsplit\n\nfrom django.core.exceptions import ImproperlyConfigured' : undefined,
      '',
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      '',
      '# Set DJANGO_SECRET_KEY in production. Without it each process makes its own random key, so nothing signed',
      '# survives a restart, but no key is ever written in the code.',
      'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)',
      'DEBUG = os.environ.get("DJANGO_DEBUG") == "1"',
      'ALLOWED_HOSTS = [',
      '    host.strip() for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if host.strip()',
      ']',
      '',
      'INSTALLED_APPS = ["rest_framework", "api.apps.ApiConfig"]',
      'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]',
      `ROOT_URLCONF = "${pkg}.urls"`,
      `WSGI_APPLICATION = "${pkg}.wsgi.application"`,
      'TEMPLATES = []',
      '',
      orm(o) ? '' : undefined,
      databases,
      '',
      'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"',
      'USE_TZ = True',
      'TIME_ZONE = "UTC"',
      'APPEND_SLASH = False',
      '',
      '# A JSON API with no sign-in yet: add authentication classes before exposing it.',
      'REST_FRAMEWORK = {',
      '    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],',
      '    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],',
      '    "DEFAULT_AUTHENTICATION_CLASSES": [],',
      '    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],',
      '    "UNAUTHENTICATED_USER": None,',
      '}',
    )),
  };
}

function projectUrls(o: ScaffoldOptions, pkg: string): ScaffoldFile {
  return {
    path: `${pkg}/urls.py`,
    content: text(lines(
      'from django.urls import include, path',
      o.openapi ? 'from rest_framework.renderers import JSONOpenAPIRenderer\nfrom rest_framework.schemas import get_schema_view' : undefined,
      '',
      'from api.views import health',
      '',
      'urlpatterns = [',
      '    path("health", health, name="health"),',
      '    path("api/", include("api.urls")),',
      o.openapi
        ? lines(
            '    path(',
            '        "openapi.json",',
            `        get_schema_view(title=${JSON.stringify(projectTitle(o.name))}, version="0.1.0", renderer_classes=[JSONOpenAPIRenderer]),`,
            '        name="openapi-schema",',
            '    ),',
          )
        : undefined,
      ']',
    )),
  };
}

function serverEntryPoints(pkg: string): ScaffoldFile[] {
  const entry = (kind: 'wsgi' | 'asgi'): ScaffoldFile => ({
    path: `${pkg}/${kind}.py`,
    content: text(`
import os

from django.core.${kind} import get_${kind}_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "${pkg}.settings")
application = get_${kind}_application()
`),
  });
  return [{ path: `${pkg}/__init__.py`, content: '' }, entry('wsgi'), entry('asgi')];
}

function apps(): ScaffoldFile {
  return {
    path: 'api/apps.py',
    content: text(`
from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
`),
  };
}

function models(entities: readonly EntitySpec[]): ScaffoldFile {
  return {
    path: 'api/models.py',
    content: text(lines(
      'from django.db import models',
      ...entities.map((e) =>
        lines(
          '',
          '',
          `class ${entityNames(e.name).pascal}(models.Model):`,
          ...e.fields.map((f) => `    ${f.name} = ${djangoModelField(f)}`),
          '',
          '    class Meta:',
          '        ordering = ["id"]',
        ),
      ),
    )),
  };
}

/** The first migration, exactly as makemigrations writes it for the models (a generated test checks they agree). */
function initialMigration(entities: readonly EntitySpec[]): ScaffoldFile {
  const create = (e: EntitySpec): string =>
    lines(
      '        migrations.CreateModel(',
      `            name="${entityNames(e.name).pascal}",`,
      '            fields=[',
      '                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),',
      ...e.fields.map((f) => `                ("${f.name}", ${djangoModelField(f)}),`),
      '            ],',
      '            options={"ordering": ["id"]},',
      '        ),',
    );
  return {
    path: 'api/migrations/0001_initial.py',
    content: text(lines(
      'from django.db import migrations, models',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    initial = True',
      '    dependencies = []',
      '    operations = [',
      ...entities.map(create),
      '    ]',
    )),
  };
}

function serializers(o: ScaffoldOptions): ScaffoldFile {
  const body = o.entities.map((e) => {
    const n = entityNames(e.name);
    if (orm(o)) {
      return lines('', '', `class ${n.pascal}Serializer(serializers.ModelSerializer):`, '    class Meta:', `        model = ${n.pascal}`, `        fields = ["id", ${e.fields.map((f) => JSON.stringify(f.name)).join(', ')}]`);
    }
    const id = storeKind(o) === 'mongo' ? 'CharField' : 'IntegerField';
    return lines('', '', `class ${n.pascal}Serializer(serializers.Serializer):`, `    id = serializers.${id}(read_only=True)`, ...e.fields.map((f) => `    ${drfSerializerField(f)}`));
  });
  return {
    path: 'api/serializers.py',
    content: text(lines(
      'from rest_framework import serializers',
      orm(o) ? `\nfrom api.models import ${o.entities.map((e) => entityNames(e.name).pascal).join(', ')}` : undefined,
      ...body,
    )),
  };
}

function views(o: ScaffoldOptions): ScaffoldFile {
  const names = o.entities.map((e) => entityNames(e.name));
  const ping = orm(o)
    ? ['    with connection.cursor() as cursor:', '        cursor.execute("SELECT 1")']
    : ['    get_store().ping()'];
  const viewsets = o.entities.map((e) => {
    const n = entityNames(e.name);
    if (orm(o)) {
      return lines(
        '',
        '',
        `class ${n.pascal}ViewSet(viewsets.ModelViewSet):`,
        `    queryset = ${n.pascal}.objects.all()`,
        `    serializer_class = ${n.pascal}Serializer`,
        '    http_method_names = ["get", "post", "patch", "delete", "head", "options"]',
        '',
        '    def list(self, request):',
        '        offset, limit = page_bounds(request)',
        '        return Response(self.get_serializer(self.get_queryset()[offset:offset + limit], many=True).data)',
      );
    }
    return lines(
      '',
      '',
      `class ${n.pascal}ViewSet(viewsets.GenericViewSet):`,
      `    serializer_class = ${n.pascal}Serializer`,
      `    collection = "${n.snakePlural}"`,
      `    label = "${n.label}"`,
      '',
      '    def repository(self):',
      '        return get_store().repository(self.collection)',
      '',
      '    def found(self, record):',
      '        if record is None:',
      '            raise NotFound(f"{self.label} not found")',
      '        return record',
      '',
      '    def list(self, request):',
      '        offset, limit = page_bounds(request)',
      '        return Response(self.repository().list(offset, limit))',
      '',
      '    def create(self, request):',
      '        serializer = self.get_serializer(data=request.data)',
      '        serializer.is_valid(raise_exception=True)',
      '        return Response(self.repository().create(dict(serializer.validated_data)), status=status.HTTP_201_CREATED)',
      '',
      '    def retrieve(self, request, pk=None):',
      '        return Response(self.found(self.repository().get(record_id(pk))))',
      '',
      '    def partial_update(self, request, pk=None):',
      '        serializer = self.get_serializer(data=request.data, partial=True)',
      '        serializer.is_valid(raise_exception=True)',
      '        return Response(self.found(self.repository().update(record_id(pk), dict(serializer.validated_data))))',
      '',
      '    def destroy(self, request, pk=None):',
      '        if not self.repository().delete(record_id(pk)):',
      '            raise NotFound(f"{self.label} not found")',
      '        return Response(status=status.HTTP_204_NO_CONTENT)',
    );
  });
  const recordId = storeKind(o) === 'mongo'
    ? ['def record_id(pk):', '    """MongoDB ids are strings; the repository answers None for one that is not an ObjectId."""', '    return str(pk)']
    : ['def record_id(pk):', '    """The in-memory store numbers records; anything else is an id no record has."""', '    return int(pk) if str(pk).isdigit() else -1'];
  return {
    path: 'api/views.py',
    content: text(lines(
      orm(o) ? 'from django.db import connection' : undefined,
      'from django.http import JsonResponse',
      `from rest_framework import ${orm(o) ? '' : 'status, '}viewsets`,
      `from rest_framework.exceptions import ${orm(o) ? '' : 'NotFound, '}ValidationError`,
      'from rest_framework.response import Response',
      '',
      orm(o) ? `from api.models import ${names.map((n) => n.pascal).join(', ')}` : 'from api.store import get_store',
      `from api.serializers import ${names.map((n) => `${n.pascal}Serializer`).join(', ')}`,
      '',
      '',
      'def ping():',
      ...ping,
      '',
      '',
      'def health(request):',
      '    """Liveness and readiness: 503 when the database does not answer (the container health check calls this)."""',
      '    try:',
      '        ping()',
      '    except Exception:',
      '        return JsonResponse({"status": "unavailable"}, status=503)',
      '    return JsonResponse({"status": "ok"})',
      '',
      '',
      'def page_bounds(request) -> tuple:',
      '    try:',
      '        offset = int(request.query_params.get("offset", 0))',
      '        limit = int(request.query_params.get("limit", 50))',
      '    except ValueError:',
      '        raise ValidationError({"detail": "offset and limit must be integers."})',
      '    if offset < 0 or not 1 <= limit <= 100:',
      '        raise ValidationError({"detail": "offset must be 0 or more and limit between 1 and 100."})',
      '    return offset, limit',
      ...(orm(o) ? [] : ['', '', ...recordId]),
      ...viewsets,
    )),
  };
}

function apiUrls(o: ScaffoldOptions): ScaffoldFile {
  const names = o.entities.map((e) => entityNames(e.name));
  return {
    path: 'api/urls.py',
    content: text(lines(
      'from rest_framework.routers import SimpleRouter',
      '',
      `from api.views import ${names.map((n) => `${n.pascal}ViewSet`).join(', ')}`,
      '',
      'router = SimpleRouter(trailing_slash=False)',
      ...names.map((n) => `router.register("${n.kebabPlural}", ${n.pascal}ViewSet, basename="${n.snake}")`),
      'urlpatterns = router.urls',
    )),
  };
}

function documentStore(o: ScaffoldOptions): ScaffoldFile[] {
  const mongo = storeKind(o) === 'mongo';
  const store = mongo ? mongoStore(o, 'api', 'stores.py') : memoryStore('api', 'stores.py');
  return [
    store,
    repositories(storeKind(o), 'api'),
    {
      path: 'api/store.py',
      content: text(`
"""The one store the views use, made on first use; tests put their own in place with set_store()."""
${mongo ? 'from django.conf import settings\n\n' : ''}from api.stores import Store

_store = None


def get_store() -> Store:
    global _store
    if _store is None:
        _store = ${mongo ? 'Store(settings.DATABASE_URL)' : 'Store()'}
    return _store


def set_store(store) -> None:
    global _store
    _store = store
`),
    },
  ];
}

function djangoConftest(o: ScaffoldOptions): ScaffoldFile {
  if (orm(o)) {
    return {
      path: 'tests/conftest.py',
      content: text(`
import pytest
from rest_framework.test import APIClient


@pytest.fixture()
def client(db):
    # pytest-django creates a test database: SQLite in memory, or test_<name> on the server DATABASE_URL names.
    return APIClient()
`),
    };
  }
  return conftest(o, {
    thirdParty: ['from rest_framework.test import APIClient'],
    local: ['from api.store import set_store'],
    storeModule: 'api.stores',
    client: ['def client(store):', '    set_store(store)', '    yield APIClient()', '    set_store(None)'],
  });
}

function migrationTest(): ScaffoldFile {
  return {
    path: 'tests/test_migrations.py',
    content: text(`
import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    # Fails when a model changed without a migration: run python manage.py makemigrations.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
`),
  };
}

export function renderDjangoApp(o: ScaffoldOptions): ScaffoldFile[] {
  const pkg = pythonPackage(o.name);
  const files: ScaffoldFile[] = [
    manage(pkg),
    settings(o, pkg),
    projectUrls(o, pkg),
    ...serverEntryPoints(pkg),
    { path: 'api/__init__.py', content: '' },
    apps(),
    serializers(o),
    views(o),
    apiUrls(o),
  ];
  if (orm(o)) files.push(models(o.entities), { path: 'api/migrations/__init__.py', content: '' }, initialMigration(o.entities));
  else files.push(...documentStore(o));
  if (o.tests) {
    files.push(djangoConftest(o), { path: 'tests/__init__.py', content: '' }, ...crudTests(o, { framework: 'django', invalidStatus: 400 }));
    if (orm(o)) files.push(migrationTest());
  }
  return files;
}
