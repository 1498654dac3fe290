import path from 'node:path';
import { isSensitiveKey } from '../../../core/redact';
import { type WorkspaceFiles } from '../../runtime/context';
import { type Fact } from '../../runtime/plan';

/**
 * What the platform agent reads once, before it generates or reviews anything: the stack, the
 * app's port and health endpoint, the environment variables the code reads, what deployment and
 * pipeline files exist and which databases are in use. Shown to the user as "what I found";
 * everything generated follows from it, so the same workspace always gives the same output.
 */
export type Stack = 'node' | 'python' | 'other';
export type PythonFramework = 'django' | 'flask' | 'fastapi';
export type NodeFramework = 'express' | 'fastify' | 'koa' | 'nest' | 'next' | 'hapi';

export interface EnvVar {
  readonly name: string;
  readonly secret: boolean;
  readonly source: string;
}

export interface WorkspaceFacts {
  /** A slug for resource, image and chart names. */
  readonly name: string;
  readonly stack: Stack;
  readonly frameworks: readonly string[];
  readonly port: number;
  readonly portSource: string;
  readonly healthPath: string;
  readonly healthSource: string | undefined;
  readonly envVars: readonly EnvVar[];
  readonly databases: readonly string[];
  readonly dockerfiles: readonly string[];
  readonly composeFiles: readonly string[];
  readonly kubernetes: readonly string[];
  readonly terraform: readonly string[];
  readonly githubWorkflows: readonly string[];
  readonly azurePipelines: readonly string[];
  /** Metrics libraries already in the app. */
  readonly metrics: readonly string[];
  /** The app's entry module (app.js, server.ts, app/main.py, <project>/urls.py) when one is found. */
  readonly entry: string | undefined;
  readonly testFramework: string | undefined;
  /** Every file listed (workspace-relative), for the generators' "does it exist" questions. */
  readonly files: ReadonlySet<string>;
}

const SOURCE_GLOBS = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.py'];
const CONFIG_GLOBS = ['package.json', 'requirements*.txt', 'pyproject.toml', 'manage.py', 'Pipfile', '**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/docker-compose*.yml', '**/docker-compose*.yaml', '**/compose.yml', '**/compose.yaml', '**/*.yml', '**/*.yaml', '**/*.tf'];
const MAX_SOURCES = 400;

const NODE_DEPENDENCY: Readonly<Record<string, string>> = { express: 'express', fastify: 'fastify', koa: 'koa', '@hapi/hapi': 'hapi', next: 'next', '@nestjs/core': 'nest' };
const DATABASE_PACKAGES: Readonly<Record<string, string>> = {
  pg: 'PostgreSQL', 'psycopg2': 'PostgreSQL', 'psycopg2-binary': 'PostgreSQL', psycopg: 'PostgreSQL', 'asyncpg': 'PostgreSQL',
  mysql2: 'MySQL', mysql: 'MySQL', pymysql: 'MySQL', mysqlclient: 'MySQL',
  mongodb: 'MongoDB', mongoose: 'MongoDB', pymongo: 'MongoDB', motor: 'MongoDB',
  mssql: 'SQL Server', tedious: 'SQL Server', pymssql: 'SQL Server', pyodbc: 'SQL Server', 'mssql-django': 'SQL Server',
  redis: 'Redis', ioredis: 'Redis',
  sqlite3: 'SQLite', 'better-sqlite3': 'SQLite',
};
const METRICS_PACKAGES: Readonly<Record<string, string>> = { 'prom-client': 'prom-client', 'prometheus-client': 'prometheus-client', prometheus_client: 'prometheus-client', 'django-prometheus': 'django-prometheus', '@opentelemetry/sdk-node': 'OpenTelemetry', '@opentelemetry/sdk-trace': 'OpenTelemetry', '@opentelemetry/sdk-trace-node': 'OpenTelemetry', 'opentelemetry-sdk': 'OpenTelemetry' };

const ENV_PATTERNS: readonly RegExp[] = [
  /process\.env\.([A-Z_][A-Z0-9_]*)/g,
  /process\.env\[['"]([A-Z_][A-Z0-9_]*)['"]\]/g,
  /os\.environ\[['"]([A-Z_][A-Z0-9_]*)['"]\]/g,
  /os\.environ\.get\(\s*['"]([A-Z_][A-Z0-9_]*)['"]/g,
  /os\.getenv\(\s*['"]([A-Z_][A-Z0-9_]*)['"]/g,
  /\benv(?:\.(?:str|int|bool|list|url|db))?\(\s*['"]([A-Z_][A-Z0-9_]*)['"]/g,
];
const HEALTH_PATH = /['"`](\/(?:api\/)?(?:health|healthz|healthcheck|ready|readyz|livez|status))\/?['"`]|path\(\s*['"]((?:api\/)?(?:health|healthz|healthcheck))\/?['"]/;

export async function readWorkspaceFacts(files: WorkspaceFiles, signal?: AbortSignal): Promise<WorkspaceFacts> {
  const listed = await files.list([...CONFIG_GLOBS, ...SOURCE_GLOBS], { max: 20_000 });
  const all = new Set(listed.paths);
  const read = async (p: string): Promise<string | undefined> => (all.has(p) ? (await files.read(p).catch(() => undefined))?.text : undefined);

  const pkg = parseJson(await read('package.json'));
  const deps = { ...(pkg?.dependencies ?? {}), ...(pkg?.devDependencies ?? {}) } as Record<string, unknown>;
  const requirementsText = (await Promise.all(listed.paths.filter((p) => /^requirements[^/]*\.txt$/.test(p) || p === 'pyproject.toml' || p === 'Pipfile').map(read))).join('\n').toLowerCase();
  const pythonDeps = new Set([...requirementsText.matchAll(/^\s*["']?([a-z0-9_.-]+)/gm)].map((m) => m[1]!.replace(/_/g, '-')));
  const hasPython = all.has('manage.py') || pythonDeps.size > 0 || listed.paths.some((p) => p.endsWith('.py'));
  const stack: Stack = pkg ? 'node' : hasPython ? 'python' : 'other';

  const frameworks: string[] = [];
  if (stack === 'node') for (const [dep, fw] of Object.entries(NODE_DEPENDENCY)) if (dep in deps) frameworks.push(fw);
  if (stack === 'python') for (const fw of ['django', 'flask', 'fastapi'] as const) if (pythonDeps.has(fw) || (fw === 'django' && all.has('manage.py'))) frameworks.push(fw);
  const databases = new Set<string>();
  const metrics = new Set<string>();
  for (const dep of [...Object.keys(deps), ...pythonDeps]) {
    if (DATABASE_PACKAGES[dep]) databases.add(DATABASE_PACKAGES[dep]);
    if (METRICS_PACKAGES[dep]) metrics.add(METRICS_PACKAGES[dep]);
  }

  const sources = listed.paths.filter((p) => SOURCE_GLOBS.some((g) => p.endsWith(g.slice(4))) && !/(^|\/)(test|tests|__tests__|migrations)\//.test(p) && !/\.(test|spec)\.[jt]s$/.test(p)).slice(0, MAX_SOURCES);
  const env = new Map<string, EnvVar>();
  let healthPath: string | undefined;
  let healthSource: string | undefined;
  let codePort: { port: number; source: string } | undefined;
  let entry: string | undefined;
  for (const source of sources) {
    if (signal?.aborted) break;
    const text = await read(source);
    if (!text) continue;
    for (const pattern of ENV_PATTERNS) {
      for (const m of text.matchAll(pattern)) if (!env.has(m[1]!)) env.set(m[1]!, { name: m[1]!, secret: isSensitiveKey(m[1]!) || /DATABASE_URL|CONNECTION|DSN$/.test(m[1]!), source });
    }
    const health = HEALTH_PATH.exec(text);
    if (health && !healthPath) {
      healthPath = `/${(health[1] ?? health[2]!).replace(/^\//, '')}`;
      if (health[2]) healthPath = `/${health[2]}/`;
      healthSource = source;
    }
    const port = /process\.env\.PORT\s*(?:\|\||\?\?)\s*['"]?(\d{2,5})|\.listen\(\s*(\d{2,5})\b|port\s*=\s*int\(os\.(?:environ\.get|getenv)\(\s*['"]PORT['"]\s*,\s*['"]?(\d{2,5})/.exec(text);
    if (port && !codePort) codePort = { port: Number(port[1] ?? port[2] ?? port[3]), source };
    if (!entry && (/\.listen\(|createServer\(/.test(text) || /\b(FastAPI|Flask)\(/.test(text))) entry = source;
  }
  if (!entry && frameworks.includes('django')) entry = listed.paths.find((p) => p.endsWith('/urls.py') && !p.includes('/apps/'));

  const dockerfiles = listed.paths.filter((p) => /(^|\/)(Dockerfile(\.[\w.-]+)?|[\w.-]+\.[Dd]ockerfile)$/.test(p));
  let dockerPort: { port: number; source: string } | undefined;
  for (const d of dockerfiles) {
    const expose = /^\s*EXPOSE\s+(\d{2,5})/m.exec((await read(d)) ?? '');
    if (expose) {
      dockerPort = { port: Number(expose[1]), source: d };
      break;
    }
  }
  const frameworkPort = frameworks.includes('django') || frameworks.includes('fastapi') ? 8000 : frameworks.includes('flask') ? 5000 : stack === 'node' ? 3000 : 8080;
  const chosen = dockerPort ?? codePort ?? { port: frameworkPort, source: `the ${frameworks[0] ?? stack} default` };

  const yaml = listed.paths.filter((p) => /\.ya?ml$/.test(p));
  const githubWorkflows = yaml.filter((p) => p.startsWith('.github/workflows/'));
  const composeFiles = yaml.filter((p) => /(^|\/)(docker-)?compose[^/]*\.ya?ml$/.test(p));
  const azurePipelines = yaml.filter((p) => /(^|\/)azure-pipelines[^/]*\.ya?ml$/.test(p));
  const kubernetes: string[] = [];
  for (const p of yaml.filter((y) => !githubWorkflows.includes(y) && !composeFiles.includes(y) && !azurePipelines.includes(y))) {
    const text = (await read(p)) ?? '';
    if (/^apiVersion:/m.test(text) && /^kind:/m.test(text)) kubernetes.push(p);
  }
  const testFramework = stack === 'node' ? ['vitest', 'jest', 'mocha'].find((t) => t in deps) ?? (/node --test/.test(String((pkg?.scripts as Record<string, unknown> | undefined)?.test ?? '')) ? 'node:test' : undefined) : pythonDeps.has('pytest') ? 'pytest' : undefined;

  return {
    name: slug(typeof pkg?.name === 'string' ? pkg.name.replace(/^@[^/]+\//, '') : (/^\s*name\s*=\s*"([^"]+)"/m.exec(requirementsText)?.[1] ?? path.basename(files.root))),
    stack,
    frameworks,
    port: chosen.port,
    portSource: chosen.source,
    healthPath: healthPath ?? '/health',
    healthSource,
    envVars: [...env.values()].filter((e) => e.name !== 'PORT' && e.name !== 'NODE_ENV').sort((a, b) => a.name.localeCompare(b.name)),
    databases: [...databases].sort(),
    dockerfiles,
    composeFiles,
    kubernetes,
    terraform: listed.paths.filter((p) => p.endsWith('.tf')),
    githubWorkflows,
    azurePipelines,
    metrics: [...metrics].sort(),
    entry,
    testFramework,
    files: all,
  };
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Lower-case letters, digits and single hyphens, 2 to 40 characters (a Kubernetes and Azure-friendly name). */
export function slug(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return /^[a-z]/.test(s) && s.length >= 2 ? s : `app-${s || 'service'}`.slice(0, 40);
}

const list = (items: readonly string[], none = 'none'): string => (items.length ? items.join(', ') : none);

/** "What I found", for the plan. */
export function factsOf(f: WorkspaceFacts): Fact[] {
  return [
    { label: 'Stack', value: `${f.stack}${f.frameworks.length ? ` (${f.frameworks.join(', ')})` : ''}` },
    { label: 'Port', value: String(f.port), source: f.portSource },
    { label: 'Health endpoint', value: f.healthSource ? f.healthPath : `${f.healthPath} (none found in the code; assumed)`, ...(f.healthSource ? { source: f.healthSource } : {}) },
    { label: 'Environment variables the code reads', value: list(f.envVars.map((e) => `${e.name}${e.secret ? ' (secret)' : ''}`)) },
    { label: 'Databases', value: list(f.databases) },
    { label: 'Dockerfiles', value: list(f.dockerfiles) },
    { label: 'Compose files', value: list(f.composeFiles) },
    { label: 'Kubernetes manifests', value: list(f.kubernetes) },
    { label: 'Terraform', value: list(f.terraform) },
    { label: 'Pipelines', value: list([...f.githubWorkflows.map((w) => `GitHub Actions ${w}`), ...f.azurePipelines.map((p) => `Azure Pipelines ${p}`)]) },
    { label: 'Metrics in the app', value: list(f.metrics) },
    ...(f.testFramework ? [{ label: 'Test framework', value: f.testFramework }] : []),
  ];
}
