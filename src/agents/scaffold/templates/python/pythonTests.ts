import { lines, text, type ScaffoldFile } from '../../output';
import type { ScaffoldOptions } from '../../options';
import { entityNames, type EntitySpec } from '../../entities';
import { pythonSample } from './fields';
import { storeKind } from './appPackage';

/**
 * pytest suites for the generated CRUD API, written once for the three Python test clients (FastAPI's
 * TestClient, Flask's test client, DRF's APIClient), which differ only in how a JSON body is sent and read.
 */
export interface PythonTestDialect {
  readonly framework: 'fastapi' | 'flask' | 'django';
  /** FastAPI answers 422 to a body that does not validate; Flask and DRF answer 400. */
  readonly invalidStatus: number;
  /** Extra decorator line for tests that touch the database (pytest-django's marker). */
  readonly dbMarker?: string;
}

function client(d: PythonTestDialect) {
  const json = (r: string): string => (d.framework === 'flask' ? `${r}.get_json()` : `${r}.json()`);
  const send = (method: 'post' | 'patch', url: string, body: string): string =>
    d.framework === 'django' ? `client.${method}(${url}, ${body}, format="json")` : `client.${method}(${url}, json=${body})`;
  return { json, send };
}

function entityTests(o: ScaffoldOptions, e: EntitySpec, d: PythonTestDialect): ScaffoldFile {
  const n = entityNames(e.name);
  const { json, send } = client(d);
  const mongo = storeKind(o) === 'mongo';
  const unknownIds = mongo ? '["000000000000000000000000", "not-an-id"]' : '[999999]';
  const required = e.fields.filter((f) => f.required);
  const firstString = e.fields.find((f) => f.type === 'string');
  const marker = d.dbMarker ? [d.dbMarker] : [];
  const test = (name: string, ...body: string[]): string => lines('', '', ...marker, `def ${name}(client):`, ...body.map((b) => `    ${b}`));
  const one = e.fields[0];
  return {
    path: `tests/test_${n.snakePlural}.py`,
    content: text(lines(
      `URL = "/api/${n.kebabPlural}"`,
      `NEW = ${pythonSample(e, 'create', '')}`,
      `CHANGES = ${pythonSample(e, 'update', '')}`,
      '',
      '',
      'def create(client) -> dict:',
      `    response = ${send('post', 'URL', 'NEW')}`,
      '    assert response.status_code == 201, response.content',
      `    return ${json('response')}`,
      test(
        `test_create_then_get_${n.snake}`,
        'created = create(client)',
        'assert created["id"]',
        'for key, value in NEW.items():',
        '    assert created[key] == value',
        'fetched = client.get(f"{URL}/{created[\'id\']}")',
        'assert fetched.status_code == 200',
        `assert ${json('fetched')} == created`,
      ),
      test(
        `test_list_${n.snakePlural}_in_order_and_by_page`,
        'ids = [create(client)["id"] for _ in range(3)]',
        'listed = client.get(URL)',
        'assert listed.status_code == 200',
        `assert [row["id"] for row in ${json('listed')}] == ids`,
        'page = client.get(f"{URL}?offset=1&limit=1")',
        `assert [row["id"] for row in ${json('page')}] == [ids[1]]`,
      ),
      test(
        `test_list_${n.snakePlural}_refuses_a_bad_limit`,
        `assert client.get(f"{URL}?limit=0").status_code == ${d.invalidStatus}`,
        `assert client.get(f"{URL}?offset=-1").status_code == ${d.invalidStatus}`,
      ),
      test(
        `test_update_${n.snake}`,
        'created = create(client)',
        `updated = ${send('patch', 'f"{URL}/{created[\'id\']}"', 'CHANGES')}`,
        'assert updated.status_code == 200',
        `assert ${json('updated')} == {**CHANGES, "id": created["id"]}`,
        `assert ${json('client.get(f"{URL}/{created[\'id\']}")')} == {**CHANGES, "id": created["id"]}`,
      ),
      test(
        `test_partial_update_keeps_other_fields_of_${n.snake}`,
        'created = create(client)',
        `response = ${send('patch', 'f"{URL}/{created[\'id\']}"', `{"${one?.name}": CHANGES["${one?.name}"]}`)}`,
        'assert response.status_code == 200',
        `assert ${json('response')} == {**created, "${one?.name}": CHANGES["${one?.name}"]}`,
      ),
      test(
        `test_delete_${n.snake}`,
        'created = create(client)',
        'assert client.delete(f"{URL}/{created[\'id\']}").status_code == 204',
        'assert client.get(f"{URL}/{created[\'id\']}").status_code == 404',
        'assert client.delete(f"{URL}/{created[\'id\']}").status_code == 404',
      ),
      test(
        `test_unknown_${n.snake}_is_404`,
        `for unknown in ${unknownIds}:`,
        '    assert client.get(f"{URL}/{unknown}").status_code == 404',
        `    assert ${send('patch', 'f"{URL}/{unknown}"', 'CHANGES')}.status_code == 404`,
        '    assert client.delete(f"{URL}/{unknown}").status_code == 404',
      ),
      required.length > 0 &&
        test(
          `test_${n.snake}_without_required_fields_is_refused`,
          `response = ${send('post', 'URL', '{}')}`,
          `assert response.status_code == ${d.invalidStatus}`,
          `assert ${json('client.get(URL)')} == []`,
        ),
      required.length > 0 &&
        test(
          `test_${n.snake}_required_field_cannot_be_cleared`,
          'created = create(client)',
          `response = ${send('patch', 'f"{URL}/{created[\'id\']}"', `{"${required[0]?.name}": None}`)}`,
          `assert response.status_code == ${d.invalidStatus}`,
          `assert ${json('client.get(f"{URL}/{created[\'id\']}")')} == created`,
        ),
      firstString !== undefined &&
        test(
          `test_${n.snake}_${firstString.name}_too_long_is_refused`,
          `response = ${send('post', 'URL', `{**NEW, "${firstString.name}": "x" * 201}`)}`,
          `assert response.status_code == ${d.invalidStatus}`,
        ),
    )),
  };
}

export function crudTests(o: ScaffoldOptions, d: PythonTestDialect): ScaffoldFile[] {
  const marker = d.dbMarker ? [d.dbMarker] : [];
  const health = {
    path: 'tests/test_health.py',
    content: text(lines(
      ...(d.dbMarker ? ['import pytest', '', ''] : []),
      ...marker,
      'def test_health_answers_ok(client):',
      '    response = client.get("/health")',
      '    assert response.status_code == 200',
      `    assert ${client(d).json('response')} == {"status": "ok"}`,
    )),
  };
  const first = o.entities[0] ? entityNames(o.entities[0].name) : undefined;
  const openapi = {
    path: 'tests/test_openapi.py',
    content: text(
      o.openapi
        ? lines(
            ...(d.dbMarker ? ['import pytest', '', ''] : []),
            ...marker,
            'def test_openapi_describes_the_api(client):',
            '    response = client.get("/openapi.json")',
            '    assert response.status_code == 200',
            `    paths = ${client(d).json('response')}["paths"]`,
            `    assert "/api/${first?.kebabPlural}" in paths`,
          )
        : lines('def test_openapi_is_off(client):', '    assert client.get("/openapi.json").status_code == 404'),
    ),
  };
  const withImport = (f: ScaffoldFile): ScaffoldFile => (d.dbMarker ? { ...f, content: `import pytest\n\n${f.content}` } : f);
  return [health, openapi, ...o.entities.map((e) => withImport(entityTests(o, e, d)))];
}

/**
 * The store the tests use: the server DATABASE_URL names (emptied afterwards) or, without one, a
 * SQLite file in pytest's temporary folder, mongomock, or memory. Returned in parts so a conftest
 * keeps its imports in the usual order (standard library, third party, the project).
 */
export interface StoreFixture {
  readonly stdlib: readonly string[];
  readonly local: string;
  readonly fixture: string;
}

export function storeFixture(o: ScaffoldOptions, storeModule = 'app.database'): StoreFixture {
  const local = `from ${storeModule} import Store`;
  switch (storeKind(o)) {
    case 'sql':
      return {
        stdlib: ['import os'],
        local,
        fixture: text(`
@pytest.fixture()
def store(tmp_path):
    # DATABASE_URL set (CI's service container): the tests create and then drop the tables there.
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'test.db'}"
    store = Store(url)
    store.drop_schema()
    store.create_schema()
    yield store
    store.drop_schema()
    store.close()`),
      };
    case 'mongo':
      return {
        stdlib: ['import os', 'import uuid'],
        local,
        fixture: text(`
@pytest.fixture()
def store():
    url = os.environ.get("DATABASE_URL")
    # A database of its own per test, dropped afterwards: the real server when DATABASE_URL names one, else mongomock.
    name = f"test_{uuid.uuid4().hex[:12]}"
    if url:
        store = Store(url, database_name=name)
    else:
        import mongomock

        store = Store("mongodb://localhost", client=mongomock.MongoClient(), database_name=name)
    yield store
    store.drop_schema()
    store.close()`),
      };
    case 'memory':
      return {
        stdlib: [],
        local,
        fixture: text(`
@pytest.fixture()
def store():
    return Store()`),
      };
  }
}

/** conftest.py: the store fixture and a `client` fixture built on it. */
export function conftest(o: ScaffoldOptions, parts: { readonly thirdParty: readonly string[]; readonly local: readonly string[]; readonly storeModule?: string; readonly client: readonly string[] }): ScaffoldFile {
  const store = storeFixture(o, parts.storeModule);
  return {
    path: 'tests/conftest.py',
    content: text(lines(
      ...(store.stdlib.length > 0 ? [...store.stdlib, ''] : []),
      'import pytest',
      ...parts.thirdParty,
      '',
      ...[...parts.local, store.local].sort(),
      '',
      '',
      store.fixture.trimEnd(),
      '',
      '',
      '@pytest.fixture()',
      ...parts.client,
    )),
  };
}
