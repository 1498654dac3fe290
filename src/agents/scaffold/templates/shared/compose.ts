import { stringify } from 'yaml';
import type { ScaffoldFile } from '../../output';
import type { Database } from '../../options';
import { databaseName, databaseServer } from './databases';

export interface ComposeSpec {
  readonly projectName: string;
  readonly database: Database;
  /** Include the application's own service (built from the Dockerfile). */
  readonly app: boolean;
  readonly appPort: number;
  /** Extra environment for the app container. */
  readonly appEnv?: Readonly<Record<string, string>>;
  /** A path inside the app container that holds the SQLite file, kept in a volume. */
  readonly sqliteDataPath?: string;
}

/**
 * docker-compose.yml: the database server for local development (and the app beside it when the
 * project has a Dockerfile). Nothing at all when there is neither.
 */
export function composeFile(spec: ComposeSpec): ScaffoldFile | undefined {
  const server = databaseServer(spec.database);
  if (!server && !spec.app) return undefined;
  const db = databaseName(spec.projectName);
  const services: Record<string, unknown> = {};
  const volumes: Record<string, null> = {};
  if (spec.app) {
    const environment: Record<string, string> = { ...(spec.appEnv ?? {}) };
    if (server) environment.DATABASE_URL = server.url('db', db);
    const app: Record<string, unknown> = { build: '.', ports: [`${spec.appPort}:${spec.appPort}`] };
    if (Object.keys(environment).length > 0) app.environment = environment;
    if (server) app.depends_on = { [server.createDatabase ? 'db-init' : 'db']: { condition: server.createDatabase ? 'service_completed_successfully' : 'service_healthy' } };
    if (spec.sqliteDataPath) {
      app.volumes = [`app-data:${spec.sqliteDataPath}`];
      volumes['app-data'] = null;
    }
    app.restart = 'unless-stopped';
    services.app = app;
  }
  if (server) {
    services.db = {
      image: server.image,
      ...(Object.keys(server.env(db)).length > 0 ? { environment: server.env(db) } : {}),
      ports: [`${server.port}:${server.port}`],
      volumes: [`db-data:${server.dataPath}`],
      healthcheck: { test: ['CMD-SHELL', server.healthcheck], interval: '5s', timeout: '5s', retries: 30 },
    };
    volumes['db-data'] = null;
    if (server.createDatabase) {
      // SQL Server images create no database of their own: a one-shot container creates it once the server answers.
      services['db-init'] = {
        image: server.image,
        depends_on: { db: { condition: 'service_healthy' } },
        entrypoint: server.createDatabase(db).map((arg) => arg.replace('localhost', 'db')),
        restart: 'no',
      };
    }
  }
  const doc: Record<string, unknown> = { services };
  if (Object.keys(volumes).length > 0) doc.volumes = volumes;
  return { path: 'docker-compose.yml', content: stringify(doc, { lineWidth: 0, nullStr: '' }) };
}
