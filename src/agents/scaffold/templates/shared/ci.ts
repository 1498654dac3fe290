import { stringify } from 'yaml';
import type { ScaffoldFile } from '../../output';
import type { Database } from '../../options';
import { databaseName, databaseServer, type DatabaseServer } from './databases';

/**
 * The two pipelines every project gets: GitHub Actions and Azure Pipelines, each running the
 * project's lint and tests against the real database server as a service container. Built as
 * objects and written with the yaml library, so the files are valid YAML by construction.
 */
export interface CiSpec {
  readonly projectName: string;
  readonly database: Database;
  readonly toolchain: 'python' | 'node';
  /** Shell commands, in order. */
  readonly install: readonly string[];
  readonly lint?: string;
  readonly build?: string;
  readonly test: string;
  /** JUnit XML the test command writes, published by Azure Pipelines. */
  readonly junitFile?: string;
}

/**
 * Actions pinned to the commit of a release (a tag can be moved to other code; the hardening
 * review flags unpinned ones), with the release named in a comment for people and Dependabot.
 */
const ACTIONS = {
  checkout: { uses: 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1', release: 'v7.0.1' },
  setupPython: { uses: 'actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97', release: 'v7.0.0' },
  setupNode: { uses: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020', release: 'v7.0.0' },
} as const;

const PYTHON_VERSION = '3.12';
const NODE_VERSION = '24';

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

const shellJoin = (args: readonly string[]): string => args.map(shellQuote).join(' ');

/** Runs the server image's own client against the service on the host network (both CI systems have docker). */
function createDatabaseCommand(server: DatabaseServer, db: string): string | undefined {
  return server.createDatabase ? `docker run --rm --network host ${server.image} ${shellJoin(server.createDatabase(db))}` : undefined;
}

/** Waits for the service's port: Azure Pipelines starts service containers without waiting for them. */
const waitForPort = (server: DatabaseServer): string =>
  `timeout 120 bash -c 'until (echo > /dev/tcp/127.0.0.1/${server.port}) 2>/dev/null; do sleep 2; done'`;

function githubWorkflow(spec: CiSpec): string {
  const server = databaseServer(spec.database);
  const db = databaseName(spec.projectName);
  const steps: Record<string, unknown>[] = [{ uses: ACTIONS.checkout.uses, with: { 'persist-credentials': false } }];
  if (spec.toolchain === 'python') steps.push({ uses: ACTIONS.setupPython.uses, with: { 'python-version': PYTHON_VERSION, cache: 'pip' } });
  else steps.push({ uses: ACTIONS.setupNode.uses, with: { 'node-version': NODE_VERSION, cache: 'npm' } });
  steps.push({ name: 'Install dependencies', run: spec.install.join('\n') });
  const create = server ? createDatabaseCommand(server, db) : undefined;
  if (create) steps.push({ name: `Create the ${server?.label} database`, run: create });
  if (spec.lint) steps.push({ name: 'Lint', run: spec.lint });
  if (spec.build) steps.push({ name: 'Build', run: spec.build });
  steps.push({ name: server ? `Test against ${server.label}` : 'Test', run: spec.test });
  const job: Record<string, unknown> = { 'runs-on': 'ubuntu-latest', 'timeout-minutes': 20 };
  if (server) {
    job.services = {
      db: {
        image: server.image,
        ...(Object.keys(server.env(db)).length > 0 ? { env: server.env(db) } : {}),
        ports: [`${server.port}:${server.port}`],
        options: `--health-cmd ${shellQuote(server.healthcheck)} --health-interval 5s --health-timeout 5s --health-retries 30`,
      },
    };
    job.env = { DATABASE_URL: server.url('localhost', db) };
  }
  job.steps = steps;
  const workflow = {
    name: 'CI',
    on: { push: { branches: ['main'] }, pull_request: null },
    permissions: { contents: 'read' },
    jobs: { test: job },
  };
  const yaml = stringify(workflow, { lineWidth: 0, nullStr: '' });
  return Object.values(ACTIONS).reduce((out, action) => out.replace(`uses: ${action.uses}\n`, `uses: ${action.uses} # ${action.release}\n`), yaml);
}

function azurePipeline(spec: CiSpec): string {
  const server = databaseServer(spec.database);
  const db = databaseName(spec.projectName);
  const steps: Record<string, unknown>[] = [];
  if (spec.toolchain === 'python') steps.push({ task: 'UsePythonVersion@0', inputs: { versionSpec: PYTHON_VERSION }, displayName: `Python ${PYTHON_VERSION}` });
  else steps.push({ task: 'NodeTool@0', inputs: { versionSpec: `${NODE_VERSION}.x` }, displayName: `Node.js ${NODE_VERSION}` });
  steps.push({ script: spec.install.join('\n'), displayName: 'Install dependencies' });
  if (server) {
    steps.push({ script: waitForPort(server), displayName: `Wait for ${server.label}` });
    const create = createDatabaseCommand(server, db);
    if (create) steps.push({ script: create, displayName: `Create the ${server.label} database` });
  }
  if (spec.lint) steps.push({ script: spec.lint, displayName: 'Lint' });
  if (spec.build) steps.push({ script: spec.build, displayName: 'Build' });
  steps.push({ script: spec.test, displayName: server ? `Test against ${server.label}` : 'Test', ...(server ? { env: { DATABASE_URL: server.url('localhost', db) } } : {}) });
  if (spec.junitFile) {
    steps.push({ task: 'PublishTestResults@2', condition: 'succeededOrFailed()', inputs: { testResultsFormat: 'JUnit', testResultsFiles: spec.junitFile }, displayName: 'Publish test results' });
  }
  const pipeline: Record<string, unknown> = {
    trigger: { branches: { include: ['main'] } },
    pr: { branches: { include: ['main'] } },
    pool: { vmImage: 'ubuntu-latest' },
  };
  if (server) {
    pipeline.resources = {
      containers: [
        {
          container: 'db',
          image: server.image,
          ports: [`${server.port}:${server.port}`],
          ...(Object.keys(server.env(db)).length > 0 ? { env: server.env(db) } : {}),
        },
      ],
    };
    pipeline.services = { db: 'db' };
  }
  pipeline.steps = steps;
  return stringify(pipeline, { lineWidth: 0 });
}

export function ciFiles(spec: CiSpec): ScaffoldFile[] {
  return [
    { path: '.github/workflows/ci.yml', content: githubWorkflow(spec) },
    { path: 'azure-pipelines.yml', content: azurePipeline(spec) },
  ];
}
