import { lines, text, type ScaffoldFile } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { entityNames, type EntitySpec } from '../../entities';
import { openApiDocument } from '../shared/openapi';
import { idPythonType, repositoryArgument, storeKind } from './appPackage';
import { conftest, crudTests } from './pythonTests';

/** Flask: an app factory, one blueprint per entity, pydantic validation, JSON errors, and the OpenAPI document at /openapi.json. */

function main(o: ScaffoldOptions): ScaffoldFile {
  const blueprints = o.entities.map((e) => entityNames(e.name).snakePlural);
  const memory = storeKind(o) === 'memory';
  return {
    path: 'app/main.py',
    content: text(lines(
      '"""The application factory: gunicorn "app.main:create_app()"."""',
      'from typing import Optional',
      '',
      'from flask import Flask, jsonify',
      'from werkzeug.exceptions import HTTPException',
      '',
      memory ? undefined : 'from app.config import database_url',
      'from app.database import Store',
      `from app.routes import health${o.openapi ? ', openapi' : ''}${blueprints.map((b) => `, ${b}`).join('')}`,
      '',
      '',
      'def http_error(error: HTTPException):',
      '    """Errors answer in JSON like the rest of the API, never as an HTML page."""',
      '    return jsonify({"detail": error.description}), error.code',
      '',
      '',
      'def create_app(store: Optional[Store] = None) -> Flask:',
      '    if store is None:',
      memory ? '        store = Store()' : '        store = Store(database_url())',
      '        store.create_schema()',
      '    app = Flask(__name__)',
      `    app.config["TITLE"] = ${JSON.stringify(projectTitle(o.name))}`,
      '    app.extensions["store"] = store',
      '    app.register_error_handler(HTTPException, http_error)',
      '    app.register_blueprint(health.blueprint)',
      o.openapi ? '    app.register_blueprint(openapi.blueprint)' : undefined,
      ...blueprints.map((b) => `    app.register_blueprint(${b}.blueprint)`),
      '    return app',
    )),
  };
}

function common(): ScaffoldFile {
  return {
    path: 'app/routes/common.py',
    content: text(`
"""What every resource blueprint needs: the store, the JSON body, paging and validation errors."""
import json

from flask import abort, current_app, jsonify, request
from pydantic import ValidationError


class InvalidRequest(Exception):
    def __init__(self, detail):
        super().__init__(str(detail))
        self.detail = detail


def store():
    return current_app.extensions["store"]


def json_object() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidRequest("The body must be a JSON object.")
    return body


def validated(schema, body: dict):
    try:
        return schema(**body)
    except ValidationError as error:
        raise InvalidRequest(json.loads(error.json()))


def page() -> tuple:
    offset = request.args.get("offset", 0, type=int)
    limit = request.args.get("limit", 50, type=int)
    if offset < 0 or not 1 <= limit <= 100:
        raise InvalidRequest("offset must be 0 or more and limit between 1 and 100.")
    return offset, limit


def bad_request(error: InvalidRequest):
    return jsonify({"detail": error.detail}), 400


def found_or_404(record, label: str):
    if record is None:
        abort(404, description=f"{label} not found")
    return record
`),
  };
}

function health(): ScaffoldFile {
  return {
    path: 'app/routes/health.py',
    content: text(`
from flask import Blueprint, jsonify

from app.routes.common import store

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
def health():
    """Liveness and readiness: 503 when the database does not answer (the container health check calls this)."""
    try:
        store().ping()
    except Exception:
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"})
`),
  };
}

function openapiRoute(): ScaffoldFile {
  return {
    path: 'app/routes/openapi.py',
    content: text(`
"""The OpenAPI description of this API (app/openapi.json; keep it in step when you change a route)."""
import json
from pathlib import Path

from flask import Blueprint, jsonify

blueprint = Blueprint("openapi", __name__)
DOCUMENT = json.loads((Path(__file__).resolve().parent.parent / "openapi.json").read_text(encoding="utf-8"))


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(DOCUMENT)
`),
  };
}

function entityRoutes(o: ScaffoldOptions, e: EntitySpec): ScaffoldFile {
  const n = entityNames(e.name);
  const repo = repositoryArgument(o, e);
  const conv = idPythonType(o) === 'int' ? 'int:' : '';
  const param = `${n.snake}_id`;
  const req = `${n.snake.toUpperCase()}_REQUIRED`;
  return {
    path: `app/routes/${n.snakePlural}.py`,
    content: text(lines(
      'from flask import Blueprint, abort, jsonify',
      '',
      repo.importLine,
      'from app.routes.common import InvalidRequest, bad_request, found_or_404, json_object, page, store, validated',
      `from app.schemas import ${req}, ${n.pascal}Create, ${n.pascal}Update, null_required, to_dict`,
      '',
      `blueprint = Blueprint("${n.snakePlural}", __name__, url_prefix="/api/${n.kebabPlural}")`,
      'blueprint.register_error_handler(InvalidRequest, bad_request)',
      `LABEL = "${n.label}"`,
      '',
      '',
      'def repository():',
      `    return store().repository(${repo.argument})`,
      '',
      '',
      '@blueprint.get("")',
      `def list_${n.snakePlural}():`,
      '    offset, limit = page()',
      '    return jsonify(repository().list(offset, limit))',
      '',
      '',
      '@blueprint.post("")',
      `def create_${n.snake}():`,
      `    body = validated(${n.pascal}Create, json_object())`,
      '    return jsonify(repository().create(to_dict(body))), 201',
      '',
      '',
      `@blueprint.get("/<${conv}${param}>")`,
      `def get_${n.snake}(${param}):`,
      `    return jsonify(found_or_404(repository().get(${param}), LABEL))`,
      '',
      '',
      `@blueprint.patch("/<${conv}${param}>")`,
      `def update_${n.snake}(${param}):`,
      `    changes = to_dict(validated(${n.pascal}Update, json_object()), exclude_unset=True)`,
      `    nulls = null_required(changes, ${req})`,
      '    if nulls:',
      '        raise InvalidRequest([{"loc": [name], "msg": "may not be null", "type": "value_error"} for name in nulls])',
      `    return jsonify(found_or_404(repository().update(${param}, changes), LABEL))`,
      '',
      '',
      `@blueprint.delete("/<${conv}${param}>")`,
      `def delete_${n.snake}(${param}):`,
      `    if not repository().delete(${param}):`,
      '        abort(404, description=f"{LABEL} not found")',
      '    return "", 204',
    )),
  };
}

export function renderFlaskApp(o: ScaffoldOptions): ScaffoldFile[] {
  const files: ScaffoldFile[] = [main(o), { path: 'app/routes/__init__.py', content: '' }, common(), health(), ...o.entities.map((e) => entityRoutes(o, e))];
  if (o.openapi) {
    const doc = openApiDocument({ title: projectTitle(o.name), entities: o.entities, idType: idPythonType(o) === 'int' ? 'integer' : 'string', basePath: '/api', invalidStatus: 400 });
    files.push(openapiRoute(), { path: 'app/openapi.json', content: `${JSON.stringify(doc, null, 2)}\n` });
  }
  if (o.tests) files.push(conftest(o, { thirdParty: [], local: ['from app.main import create_app'], client: ['def client(store):', '    app = create_app(store)', '    app.config["TESTING"] = True', '    return app.test_client()'] }), { path: 'tests/__init__.py', content: '' }, ...crudTests(o, { framework: 'flask', invalidStatus: 400 }));
  return files;
}
