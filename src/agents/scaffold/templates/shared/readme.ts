import { lines, text, type ScaffoldFile } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { entityNames } from '../../entities';
import { DATABASE_LABELS, databaseServer } from './databases';

/** The README a generated project starts with: how to run it, test it, and what it holds. */
export interface ReadmeSpec {
  readonly stack: string;
  /** Shell lines to install dependencies for development. */
  readonly install: readonly string[];
  /** Shell lines that start the development server. */
  readonly run: readonly string[];
  readonly url: string;
  readonly test: string;
  readonly lint?: string;
  /** What the tests use without DATABASE_URL and with it; the Python wording when absent. */
  readonly testNote?: string;
  /** Paths worth knowing, with a word each. */
  readonly layout: readonly (readonly [string, string])[];
  readonly extra?: readonly string[];
}

export function readme(o: ScaffoldOptions, spec: ReadmeSpec): ScaffoldFile {
  const server = databaseServer(o.database);
  const endpoints = o.entities.map((e) => `- \`/api/${entityNames(e.name).kebabPlural}\`: list (\`?offset=&limit=\`), create; \`/api/${entityNames(e.name).kebabPlural}/{id}\`: get, change (PATCH), delete`);
  return {
    path: 'README.md',
    content: text(lines(
      `# ${projectTitle(o.name)}`,
      '',
      `${spec.stack}${o.template === 'react' || o.template === 'vue' ? '' : `, with ${DATABASE_LABELS[o.database]}`}.`,
      '',
      '## Run it',
      '',
      '```sh',
      ...spec.install,
      server ? `docker compose up -d ${server.createDatabase ? 'db db-init' : 'db'}            # ${server.label} on localhost:${server.port}` : undefined,
      server ? `export DATABASE_URL=${server.url('localhost', o.name.replace(/-/g, '_'))}` : undefined,
      ...spec.run,
      '```',
      '',
      `Then open ${spec.url}.`,
      endpoints.length > 0 ? lines('', '## API', '', '- `/health`: 200 when the app and its database answer, 503 otherwise', ...endpoints, o.openapi ? '- `/openapi.json`: the OpenAPI description' : undefined) : undefined,
      o.tests
        ? lines(
            '',
            '## Test',
            '',
            '```sh',
            spec.test,
            '```',
            '',
            o.database === 'none' || o.template === 'react' || o.template === 'vue'
              ? undefined
              : spec.testNote !== undefined
                ? spec.testNote
                : o.database === 'mongodb'
                ? 'Without `DATABASE_URL` the tests use mongomock in memory; with it they use that server (each test in a database of its own, dropped afterwards).'
                : 'Without `DATABASE_URL` the tests use SQLite in a temporary folder; with it they run against that server. **They empty the tables there: point it at a database kept for tests.**',
          )
        : undefined,
      spec.lint ? lines('', '## Lint', '', '```sh', spec.lint, '```') : undefined,
      o.docker
        ? lines(
            '',
            '## Container',
            '',
            '```sh',
            'docker compose up --build',
            '```',
            '',
            'The image is built in two stages and runs as an unprivileged user; its HEALTHCHECK calls the app. Settings come from environment variables only: set real passwords and keys there, never in the files.',
          )
        : undefined,
      o.ci ? lines('', '## CI', '', `\`.github/workflows/ci.yml\` (GitHub Actions) and \`azure-pipelines.yml\` (Azure Pipelines) install, lint and test${server ? ` against ${server.label} in a service container` : ''}.`) : undefined,
      '',
      '## Layout',
      '',
      ...spec.layout.map(([path, what]) => `- \`${path}\`: ${what}`),
      ...(spec.extra ?? []).flatMap((e) => ['', e]),
    )),
  };
}
