import { lines, text, type ScaffoldFile } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { entityNames, type EntitySpec } from '../../entities';
import { idPythonType, repositoryArgument, storeKind } from './appPackage';
import { conftest, crudTests } from './pythonTests';

/** FastAPI: an app factory, one router per entity, and FastAPI's own OpenAPI at /openapi.json and /docs. */

function main(o: ScaffoldOptions): ScaffoldFile {
  const routers = o.entities.map((e) => entityNames(e.name).snakePlural);
  const memory = storeKind(o) === 'memory';
  return {
    path: 'app/main.py',
    content: text(lines(
      '"""The application factory: uvicorn app.main:create_app --factory."""',
      'from typing import Optional',
      '',
      'from fastapi import FastAPI',
      '',
      memory ? undefined : 'from app.config import database_url',
      'from app.database import Store',
      `from app.routers import health${routers.map((r) => `, ${r}`).join('')}`,
      '',
      '',
      'def create_app(store: Optional[Store] = None) -> FastAPI:',
      '    if store is None:',
      memory ? '        store = Store()' : '        store = Store(database_url())',
      '        store.create_schema()',
      o.openapi
        ? `    app = FastAPI(title=${JSON.stringify(projectTitle(o.name))}, version="0.1.0")`
        : `    app = FastAPI(title=${JSON.stringify(projectTitle(o.name))}, version="0.1.0", openapi_url=None, docs_url=None, redoc_url=None)`,
      '    app.state.store = store',
      '    app.include_router(health.router)',
      ...routers.map((r) => `    app.include_router(${r}.router)`),
      '    return app',
    )),
  };
}

function dependencies(): ScaffoldFile {
  return {
    path: 'app/dependencies.py',
    content: text(`
from fastapi import Request


def get_store(request: Request):
    return request.app.state.store
`),
  };
}

function healthRouter(): ScaffoldFile {
  return {
    path: 'app/routers/health.py',
    content: text(`
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from app.dependencies import get_store

router = APIRouter(tags=["Health"])


@router.get("/health")
def health(store=Depends(get_store)):
    """Liveness and readiness: 503 when the database does not answer (the container health check calls this)."""
    try:
        store.ping()
    except Exception:
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return {"status": "ok"}
`),
  };
}

function entityRouter(o: ScaffoldOptions, entity: EntitySpec): ScaffoldFile {
  const n = entityNames(entity.name);
  const id = idPythonType(o);
  const repo = repositoryArgument(o, entity);
  const param = `${n.snake}_id`;
  return {
    path: `app/routers/${n.snakePlural}.py`,
    content: text(lines(
      'from typing import List',
      '',
      'from fastapi import APIRouter, Depends, HTTPException, Query, Response',
      '',
      'from app.dependencies import get_store',
      repo.importLine,
      `from app.schemas import ${n.snake.toUpperCase()}_REQUIRED, ${n.pascal}, ${n.pascal}Create, ${n.pascal}Update, null_required, to_dict`,
      '',
      `router = APIRouter(prefix="/api/${n.kebabPlural}", tags=["${n.pascalPlural}"])`,
      '',
      '',
      'def repository(store=Depends(get_store)):',
      `    return store.repository(${repo.argument})`,
      '',
      '',
      'def not_found() -> HTTPException:',
      `    return HTTPException(status_code=404, detail="${n.label} not found")`,
      '',
      '',
      `@router.get("", response_model=List[${n.pascal}])`,
      `def list_${n.snakePlural}(offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=100), repo=Depends(repository)):`,
      '    return repo.list(offset, limit)',
      '',
      '',
      `@router.post("", response_model=${n.pascal}, status_code=201)`,
      `def create_${n.snake}(body: ${n.pascal}Create, repo=Depends(repository)):`,
      '    return repo.create(to_dict(body))',
      '',
      '',
      `@router.get("/{${param}}", response_model=${n.pascal})`,
      `def get_${n.snake}(${param}: ${id}, repo=Depends(repository)):`,
      `    found = repo.get(${param})`,
      '    if found is None:',
      '        raise not_found()',
      '    return found',
      '',
      '',
      `@router.patch("/{${param}}", response_model=${n.pascal})`,
      `def update_${n.snake}(${param}: ${id}, body: ${n.pascal}Update, repo=Depends(repository)):`,
      '    changes = to_dict(body, exclude_unset=True)',
      `    nulls = null_required(changes, ${n.snake.toUpperCase()}_REQUIRED)`,
      '    if nulls:',
      '        detail = [{"loc": ["body", name], "msg": "may not be null", "type": "value_error"} for name in nulls]',
      '        raise HTTPException(status_code=422, detail=detail)',
      `    updated = repo.update(${param}, changes)`,
      '    if updated is None:',
      '        raise not_found()',
      '    return updated',
      '',
      '',
      `@router.delete("/{${param}}", status_code=204, response_class=Response)`,
      `def delete_${n.snake}(${param}: ${id}, repo=Depends(repository)):`,
      `    if not repo.delete(${param}):`,
      '        raise not_found()',
      '    return Response(status_code=204)',
    )),
  };
}

export function renderFastapiApp(o: ScaffoldOptions): ScaffoldFile[] {
  const files: ScaffoldFile[] = [
    main(o),
    dependencies(),
    { path: 'app/routers/__init__.py', content: '' },
    healthRouter(),
    ...o.entities.map((e) => entityRouter(o, e)),
  ];
  if (o.tests) {
    files.push(conftest(o, { thirdParty: ['from fastapi.testclient import TestClient'], local: ['from app.main import create_app'], client: ['def client(store):', '    with TestClient(create_app(store)) as test_client:', '        yield test_client'] }), { path: 'tests/__init__.py', content: '' });
    files.push(...crudTests(o, { framework: 'fastapi', invalidStatus: 422 }));
  }
  return files;
}
