import type { Database } from '../../options';

/**
 * One database server as the generated project meets it: in docker-compose, as a CI service
 * container, and in DATABASE_URL. Every template reads its settings from DATABASE_URL, so the
 * same URL shapes appear in each README, compose file and pipeline.
 */
export interface DatabaseServer {
  readonly kind: Exclude<Database, 'sqlite' | 'none'>;
  readonly label: string;
  readonly image: string;
  readonly port: number;
  /** Container environment for a server holding `database` (the throwaway development and CI credentials). */
  env(database: string): Readonly<Record<string, string>>;
  /** Where the server keeps its data, for a named volume. */
  readonly dataPath: string;
  /** Health check run by the container's shell (compose CMD-SHELL, `docker --health-cmd`). */
  readonly healthcheck: string;
  /** DATABASE_URL for a host name (localhost from the host or CI, `db` inside compose). */
  url(host: string, database: string): string;
  /** A statement that creates the database when the image does not (SQL Server). */
  readonly createDatabase?: (database: string) => readonly string[];
}

/** Development and CI only: the README says to set real secrets through the environment. */
const SQLSERVER_PASSWORD = 'Dev_Only_Passw0rd';

const SERVERS: Readonly<Record<DatabaseServer['kind'], DatabaseServer>> = {
  postgres: {
    kind: 'postgres',
    label: 'PostgreSQL',
    image: 'postgres:17-alpine',
    port: 5432,
    env: (db) => ({ POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: db }),
    dataPath: '/var/lib/postgresql/data',
    healthcheck: 'pg_isready -U app',
    url: (host, db) => `postgresql://app:app@${host}:5432/${db}`,
  },
  sqlserver: {
    kind: 'sqlserver',
    label: 'SQL Server',
    image: 'mcr.microsoft.com/mssql/server:2022-latest',
    port: 1433,
    env: () => ({ ACCEPT_EULA: 'Y', MSSQL_SA_PASSWORD: SQLSERVER_PASSWORD }),
    dataPath: '/var/opt/mssql',
    healthcheck: `/opt/mssql-tools18/bin/sqlcmd -C -S localhost -U sa -P ${SQLSERVER_PASSWORD} -Q 'SELECT 1'`,
    url: (host, db) => `mssql://sa:${SQLSERVER_PASSWORD}@${host}:1433/${db}`,
    createDatabase: (db) => ['/opt/mssql-tools18/bin/sqlcmd', '-C', '-S', 'localhost', '-U', 'sa', '-P', SQLSERVER_PASSWORD, '-Q', `IF DB_ID('${db}') IS NULL CREATE DATABASE [${db}]`],
  },
  mongodb: {
    kind: 'mongodb',
    label: 'MongoDB',
    image: 'mongo:8',
    port: 27017,
    env: () => ({}),
    dataPath: '/data/db',
    healthcheck: "mongosh --quiet --eval 'db.runCommand({ping:1}).ok'",
    url: (host, db) => `mongodb://${host}:27017/${db}`,
  },
};

export function databaseServer(database: Database): DatabaseServer | undefined {
  return database === 'sqlite' || database === 'none' ? undefined : SERVERS[database];
}

export const DATABASE_LABELS: Readonly<Record<Database, string>> = {
  postgres: 'PostgreSQL',
  sqlserver: 'SQL Server',
  mongodb: 'MongoDB',
  sqlite: 'SQLite',
  none: 'no database (an in-memory store)',
};

/** The project's database name: the slug with underscores (a valid identifier on every server). */
export const databaseName = (projectName: string): string => projectName.replace(/-/g, '_');
