import { lines, text, type ScaffoldFile } from '../../output';
import type { ScaffoldOptions } from '../../options';
import { entityNames, type EntitySpec } from '../../entities';
import { databaseName } from '../shared/databases';
import { pydanticField, sqlalchemyColumn, sqlalchemyTypeNames } from './fields';

/**
 * The data layer FastAPI and Flask projects share (package `app`): settings, a Store per database
 * kind, SQLAlchemy models, pydantic schemas and repositories that return plain dicts, so routes
 * never depend on which database is behind them. The code runs on SQLAlchemy 1.4 and 2.x and on
 * pydantic 1.10 and 2.x.
 */

export type StoreKind = 'sql' | 'mongo' | 'memory';

export function storeKind(o: ScaffoldOptions): StoreKind {
  return o.database === 'mongodb' ? 'mongo' : o.database === 'none' ? 'memory' : 'sql';
}

/** The id type routes take: integers for SQL rows and the in-memory store, ObjectId strings for MongoDB. */
export const idPythonType = (o: ScaffoldOptions): 'int' | 'str' => (storeKind(o) === 'mongo' ? 'str' : 'int');

function config(o: ScaffoldOptions): ScaffoldFile {
  const kind = storeKind(o);
  const fallback = kind === 'mongo' ? `mongodb://localhost:27017/${databaseName(o.name)}` : 'sqlite:///data/app.db';
  return {
    path: 'app/config.py',
    content: text(`
"""Settings come from the environment, so one image runs anywhere and no secret is written in the code."""
import os

${kind === 'mongo' ? '# docker compose up db starts a server here.' : '# Without DATABASE_URL the app keeps its data in a SQLite file under data/.'}
DEFAULT_DATABASE_URL = "${fallback}"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
`),
  };
}

function sqlStore(): ScaffoldFile {
  return {
    path: 'app/database.py',
    content: text(`
"""The SQLAlchemy engine and sessions for DATABASE_URL, and the schema the models declare."""
import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import declarative_base, sessionmaker

Base = declarative_base()


def sqlalchemy_url(url: str) -> str:
    """Accepts the URL shapes hosting services and docker compose hand out."""
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://"):]
    if url.startswith("mssql://"):
        return "mssql+pymssql://" + url[len("mssql://"):]
    return url


class Store:
    """Owns the engine; repositories open a short session per operation."""

    def __init__(self, url: str):
        url = sqlalchemy_url(url)
        if url.startswith("sqlite"):
            path = make_url(url).database
            if path and path != ":memory:":
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            # Requests are served on worker threads; each operation uses its own session.
            self.engine = create_engine(url, connect_args={"check_same_thread": False})
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        from app import models  # noqa: F401  (registers the tables on Base)

        Base.metadata.create_all(self.engine)

    def drop_schema(self) -> None:
        Base.metadata.drop_all(self.engine)

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def repository(self, model):
        from app.repositories import SqlRepository

        return SqlRepository(self.sessions, model)

    def close(self) -> None:
        self.engine.dispose()
`),
  };
}

export function mongoStore(o: ScaffoldOptions, pkg = 'app', file = 'database.py'): ScaffoldFile {
  return {
    path: `${pkg}/${file}`,
    content: text(`
"""The MongoDB client for DATABASE_URL (mongodb://host:port/database)."""
from pymongo import MongoClient


class Store:
    def __init__(self, url: str, client=None, database_name=None):
        # A client may be passed in: the tests pass mongomock's when no server is configured.
        self.client = client if client is not None else MongoClient(url, serverSelectionTimeoutMS=5000)
        if database_name is None:
            self.database = self.client.get_default_database(default="${databaseName(o.name)}")
        else:
            self.database = self.client[database_name]

    def create_schema(self) -> None:
        """MongoDB creates collections on first write; nothing to do."""

    def drop_schema(self) -> None:
        self.client.drop_database(self.database.name)

    def ping(self) -> None:
        self.database.command("ping")

    def repository(self, collection_name: str):
        from ${pkg}.repositories import MongoRepository

        return MongoRepository(self.database[collection_name])

    def close(self) -> None:
        self.client.close()
`),
  };
}

export function memoryStore(pkg = 'app', file = 'database.py'): ScaffoldFile {
  return {
    path: `${pkg}/${file}`,
    content: text(`
"""No database was chosen: data lives in memory and is lost on restart. Swap in a real store later."""


class Store:
    def __init__(self):
        self._repositories = {}

    def create_schema(self) -> None:
        """Nothing to create."""

    def drop_schema(self) -> None:
        self._repositories.clear()

    def ping(self) -> None:
        """Memory always answers."""

    def repository(self, name: str):
        from ${pkg}.repositories import MemoryRepository

        return self._repositories.setdefault(name, MemoryRepository())

    def close(self) -> None:
        self._repositories.clear()
`),
  };
}

function models(entities: readonly EntitySpec[]): ScaffoldFile {
  const body = entities.map((e) => {
    const n = entityNames(e.name);
    return lines(
      '',
      '',
      `class ${n.pascal}(Base):`,
      `    __tablename__ = "${n.snakePlural}"`,
      '',
      '    id = Column(Integer, primary_key=True)',
      ...e.fields.map((f) => `    ${sqlalchemyColumn(f)}`),
    );
  });
  const types = [...new Set(['Column', 'Integer', ...sqlalchemyTypeNames(entities)])].sort();
  return {
    path: 'app/models.py',
    content: text(lines(
      '"""Tables. create_schema() creates them; add Alembic when the schema starts to change in production."""',
      `from sqlalchemy import ${types.join(', ')}`,
      '',
      'from app.database import Base',
      ...body,
    )),
  };
}

function schemas(o: ScaffoldOptions): ScaffoldFile {
  const id = idPythonType(o);
  const body = o.entities.map((e) => {
    const n = entityNames(e.name);
    const required = e.fields.filter((f) => f.required).map((f) => JSON.stringify(f.name));
    return lines(
      '',
      '',
      `class ${n.pascal}Create(BaseModel):`,
      ...e.fields.map((f) => `    ${pydanticField(f, 'create')}`),
      '',
      '',
      `class ${n.pascal}Update(BaseModel):`,
      ...e.fields.map((f) => `    ${pydanticField(f, 'update')}`),
      '',
      '',
      `class ${n.pascal}(${n.pascal}Create):`,
      `    id: ${id}`,
      '',
      '',
      `${n.snake.toUpperCase()}_REQUIRED = (${required.join(', ')}${required.length === 1 ? ',' : ''})`,
    );
  });
  return {
    path: 'app/schemas.py',
    content: text(lines(
      '"""Request and response shapes. Written for pydantic 1.10 and 2.x alike."""',
      'from typing import Optional  # noqa: F401',
      '',
      'from pydantic import VERSION, BaseModel, Field  # noqa: F401',
      '',
      'PYDANTIC_V2 = VERSION.startswith("2.")',
      '',
      '',
      'def to_dict(model: BaseModel, exclude_unset: bool = False) -> dict:',
      '    if PYDANTIC_V2:',
      '        return model.model_dump(exclude_unset=exclude_unset)',
      '    return model.dict(exclude_unset=exclude_unset)',
      '',
      '',
      'def null_required(changes: dict, required: tuple) -> list:',
      '    """Fields a partial update sets to null although the record needs a value."""',
      '    return [name for name in required if name in changes and changes[name] is None]',
      ...body,
    )),
  };
}

export function repositories(kind: StoreKind, pkg = 'app'): ScaffoldFile {
  const sql = `
from sqlalchemy import select


class SqlRepository:
    def __init__(self, sessions, model):
        self.sessions = sessions
        self.model = model
        self.fields = [column.name for column in model.__table__.columns]

    def _to_dict(self, row) -> dict:
        return {name: getattr(row, name) for name in self.fields}

    def list(self, offset: int, limit: int) -> list:
        with self.sessions() as session:
            query = select(self.model).order_by(self.model.id).offset(offset).limit(limit)
            return [self._to_dict(row) for row in session.execute(query).scalars()]

    def get(self, record_id: int):
        with self.sessions() as session:
            row = session.get(self.model, record_id)
            return None if row is None else self._to_dict(row)

    def create(self, data: dict) -> dict:
        with self.sessions() as session:
            row = self.model(**data)
            session.add(row)
            session.commit()
            return self._to_dict(row)

    def update(self, record_id: int, changes: dict):
        with self.sessions() as session:
            row = session.get(self.model, record_id)
            if row is None:
                return None
            for name, value in changes.items():
                setattr(row, name, value)
            session.commit()
            return self._to_dict(row)

    def delete(self, record_id: int) -> bool:
        with self.sessions() as session:
            row = session.get(self.model, record_id)
            if row is None:
                return False
            session.delete(row)
            session.commit()
            return True
`;
  const mongo = `
from bson import ObjectId
from pymongo import ReturnDocument


def _object_id(record_id: str):
    return ObjectId(record_id) if ObjectId.is_valid(record_id) else None


def _to_dict(document) -> dict:
    document = dict(document)
    document["id"] = str(document.pop("_id"))
    return document


class MongoRepository:
    def __init__(self, collection):
        self.collection = collection

    def list(self, offset: int, limit: int) -> list:
        cursor = self.collection.find().sort("_id", 1).skip(offset).limit(limit)
        return [_to_dict(document) for document in cursor]

    def get(self, record_id: str):
        oid = _object_id(record_id)
        document = None if oid is None else self.collection.find_one({"_id": oid})
        return None if document is None else _to_dict(document)

    def create(self, data: dict) -> dict:
        document = dict(data)
        result = self.collection.insert_one(document)
        return _to_dict({**data, "_id": result.inserted_id})

    def update(self, record_id: str, changes: dict):
        oid = _object_id(record_id)
        if oid is None:
            return None
        if not changes:
            return self.get(record_id)
        document = self.collection.find_one_and_update(
            {"_id": oid}, {"$set": changes}, return_document=ReturnDocument.AFTER
        )
        return None if document is None else _to_dict(document)

    def delete(self, record_id: str) -> bool:
        oid = _object_id(record_id)
        return oid is not None and self.collection.delete_one({"_id": oid}).deleted_count == 1
`;
  const memory = `
import threading


class MemoryRepository:
    def __init__(self):
        self._records = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def list(self, offset: int, limit: int) -> list:
        with self._lock:
            return [dict(record) for _, record in sorted(self._records.items())][offset:offset + limit]

    def get(self, record_id: int):
        with self._lock:
            record = self._records.get(record_id)
            return None if record is None else dict(record)

    def create(self, data: dict) -> dict:
        with self._lock:
            record = {**data, "id": self._next_id}
            self._records[self._next_id] = record
            self._next_id += 1
            return dict(record)

    def update(self, record_id: int, changes: dict):
        with self._lock:
            record = self._records.get(record_id)
            if record is None:
                return None
            record.update(changes)
            return dict(record)

    def delete(self, record_id: int) -> bool:
        with self._lock:
            return self._records.pop(record_id, None) is not None
`;
  const code = kind === 'sql' ? sql : kind === 'mongo' ? mongo : memory;
  return { path: `${pkg}/repositories.py`, content: text(`"""Create, read, update and delete, returning plain dicts whatever the store."""${code}`) };
}

export function appPackage(o: ScaffoldOptions): ScaffoldFile[] {
  const kind = storeKind(o);
  const files: ScaffoldFile[] = [{ path: 'app/__init__.py', content: '' }];
  if (kind !== 'memory') files.push(config(o));
  files.push(kind === 'sql' ? sqlStore() : kind === 'mongo' ? mongoStore(o) : memoryStore());
  if (kind === 'sql') files.push(models(o.entities));
  files.push(schemas(o), repositories(kind));
  return files;
}

/** What a route passes to store.repository(): the model class for SQL, the collection name otherwise. */
export function repositoryArgument(o: ScaffoldOptions, entity: EntitySpec): { readonly importLine?: string; readonly argument: string } {
  const n = entityNames(entity.name);
  if (storeKind(o) === 'sql') return { importLine: `from app.models import ${n.pascal} as ${n.pascal}Model`, argument: `${n.pascal}Model` };
  return { argument: JSON.stringify(n.snakePlural) };
}
