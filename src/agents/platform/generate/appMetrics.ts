import path from 'node:path';
import { type AgentContext } from '../../runtime/context';
import { type FileEdit, type PlannedCommand } from '../../runtime/plan';
import { type WorkspaceFacts } from '../facts/workspaceFacts';
import { METRICS } from './observability';
import { requireFirst, TRACEABLE_TEST_FRAMEWORKS, TRACING_DEPENDENCIES, tracingModule, tracingTest } from './nodeTracing';

/**
 * The app's own metrics: request count and latency by method, route and status at /metrics, with
 * the library its stack uses (prom-client for Express, prometheus-client for FastAPI, Flask and
 * Django), wired into the code where the app is created, plus a test in the app's own test suite.
 * Every change to an existing file is a small insertion the user sees as a diff; when the place
 * to insert is not found, nothing is changed and the note says what to add by hand.
 */
export interface Wiring {
  readonly edits: FileEdit[];
  readonly commands: PlannedCommand[];
  readonly notes: string[];
}

const none = (note: string): Wiring => ({ edits: [], commands: [], notes: [note] });

export async function appMetricsWiring(ctx: AgentContext, facts: WorkspaceFacts): Promise<Wiring> {
  if (facts.metrics.length > 0) return none(`The app already uses ${facts.metrics.join(', ')}; its code was left alone. The alert rules and dashboard expect ${METRICS.requests} and ${METRICS.duration}.`);
  if (facts.stack === 'node' && facts.frameworks.includes('express')) return express(ctx, facts);
  if (facts.stack === 'python' && facts.frameworks.includes('django')) return withPythonTracingNote(await django(ctx, facts));
  if (facts.stack === 'python' && (facts.frameworks.includes('fastapi') || facts.frameworks.includes('flask'))) return withPythonTracingNote(await asgiOrWsgi(ctx, facts, facts.frameworks.includes('fastapi') ? 'fastapi' : 'flask'));
  return none(`/metrics was not added to the app: automatic wiring covers Express, FastAPI, Flask and Django (found: ${facts.stack}${facts.frameworks.length ? ` with ${facts.frameworks.join(', ')}` : ''}). Export ${METRICS.requests} and ${METRICS.duration} at /metrics for the rules and dashboard to work.`);
}

/**
 * Python gets metrics only: OpenTelemetry's Python SDK is not packaged for Debian and PyPI is out of
 * reach where this project is built and tested, so no test could show a span (README, Limits).
 */
const withPythonTracingNote = (w: Wiring): Wiring => ({
  ...w,
  notes: [...w.notes, 'OpenTelemetry tracing is not generated for Python apps in this version; the collector (observability/otel-collector.yaml) already receives OTLP on 4317 (gRPC) and 4318 (HTTP) for the opentelemetry-instrumentation packages of your framework.'],
});

/** Inserts `text` after the line that ends at or after `index`. */
function insertAfterLine(source: string, index: number, text: string): string {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? `${source}\n${text}` : `${source.slice(0, nl + 1)}${text}${source.slice(nl + 1)}`;
}

/** After the last top-of-file import line (or at the start). */
function addImport(source: string, line: string, isImport: RegExp): string {
  let last = -1;
  for (const m of source.matchAll(new RegExp(isImport.source, 'gm'))) last = m.index;
  return last === -1 ? `${line}\n${source}` : insertAfterLine(source, last, `${line}\n`);
}

const modify = (pathName: string, content: string, sha256: string, why: string): FileEdit => ({ path: pathName, action: 'modify', content, baseSha256: sha256, why });
const create = (pathName: string, content: string, why: string): FileEdit => ({ path: pathName, action: 'create', content, why });

async function addRequirement(ctx: AgentContext, edits: FileEdit[]): Promise<string | undefined> {
  const req = await ctx.files.read('requirements.txt');
  if (!req) return 'Add prometheus-client to your dependencies.';
  if (!/^prometheus[-_]client\b/im.test(req.text)) edits.push(modify('requirements.txt', `${req.text.replace(/\n?$/, '\n')}prometheus-client>=0.16,<1\n`, req.sha256, 'the metrics library'));
  return undefined;
}

const PY_HEADER = `"""Prometheus metrics: request count and latency by method, route and status, served at /metrics."""
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry()
REQUESTS = Counter("http_requests", "HTTP requests", ["method", "route", "status"], registry=REGISTRY)
DURATION = Histogram("http_request_duration_seconds", "HTTP request duration in seconds", ["method", "route"], registry=REGISTRY)


def record(method, route, status, started):
    DURATION.labels(method, route).observe(time.perf_counter() - started)
    REQUESTS.labels(method, route, str(status)).inc()
`;

const PY_FASTAPI = `${PY_HEADER}

def setup_metrics(app):
    from starlette.requests import Request
    from starlette.responses import Response

    @app.middleware("http")
    async def count_requests(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", None) or "unmatched"
        record(request.method, route, response.status_code, started)
        return response

    @app.get("/metrics", include_in_schema=False)
    def metrics():
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
`;

const PY_FLASK = `${PY_HEADER}

def setup_metrics(app):
    from flask import Response, g, request

    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count_request(response):
        route = request.url_rule.rule if request.url_rule else "unmatched"
        record(request.method, route, response.status_code, g.get("metrics_started", time.perf_counter()))
        return response

    @app.route("/metrics", endpoint="prometheus_metrics")
    def metrics():
        return Response(generate_latest(REGISTRY), mimetype=CONTENT_TYPE_LATEST)
`;

const PY_DJANGO = `${PY_HEADER}

class PrometheusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = "/" + match.route if match is not None and match.route else "unmatched"
        record(request.method, route, response.status_code, started)
        return response


def metrics_view(request):
    from django.http import HttpResponse

    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
`;

/** The Python module path of a file (app/main.py -> app.main). */
const modulePath = (file: string): string => file.replace(/\.py$/, '').split('/').join('.');

async function asgiOrWsgi(ctx: AgentContext, facts: WorkspaceFacts, framework: 'fastapi' | 'flask'): Promise<Wiring> {
  const ctor = framework === 'fastapi' ? 'FastAPI' : 'Flask';
  const entry = facts.entry ? await ctx.files.read(facts.entry) : undefined;
  const created = entry ? new RegExp(`^([ \\t]*)(\\w+)\\s*=\\s*${ctor}\\(.*\\)\\s*$`, 'm').exec(entry.text) : null;
  if (!facts.entry || !entry || !created) return none(`/metrics was not added: no single-line "app = ${ctor}(...)" was found${facts.entry ? ` in ${facts.entry}` : ''}. Call setup_metrics(app) from a metrics module yourself.`);
  const dir = path.posix.dirname(facts.entry);
  const metricsFile = dir === '.' ? 'metrics.py' : `${dir}/metrics.py`;
  if (facts.files.has(metricsFile)) return none(`/metrics was not added: ${metricsFile} already exists.`);
  const [, indent, name] = created as unknown as [string, string, string];
  let text = insertAfterLine(entry.text, created.index, `${indent}setup_metrics(${name})\n`);
  text = addImport(text, `from ${modulePath(metricsFile)} import setup_metrics`, /^(?:from|import) \S+.*$/);
  const edits: FileEdit[] = [create(metricsFile, framework === 'fastapi' ? PY_FASTAPI : PY_FLASK, 'request metrics and the /metrics endpoint'), modify(facts.entry, text, entry.sha256, 'serve /metrics and count requests')];
  const missing = await addRequirement(ctx, edits);
  // Created inside a function (an app factory such as create_app): the test calls that function.
  const factory = indent.length > 0 ? [...entry.text.slice(0, created.index).matchAll(/^def (\w+)\(/gm)].pop()?.[1] : undefined;
  const appExpr = indent.length > 0 ? (factory ? `${factory}()` : undefined) : name;
  const notes = missing ? [missing] : [];
  if (appExpr && facts.testFramework === 'pytest') {
    const importName = indent.length > 0 ? factory! : name;
    edits.push(create('tests/test_metrics.py', pythonTest(framework, modulePath(facts.entry), importName, appExpr), 'the /metrics endpoint, tested in the app\'s own suite'));
  } else notes.push('No test was added for /metrics: the app is not created at module level or by a factory, or the project does not use pytest.');
  return { edits, commands: [], notes };
}

function pythonTest(framework: 'fastapi' | 'flask', module: string, importName: string, appExpr: string): string {
  const client = framework === 'fastapi' ? `TestClient(${appExpr})` : `${appExpr}.test_client()`;
  return [
    '"""/metrics counts requests by route and status (added by the platform agent)."""',
    ...(framework === 'fastapi' ? ['from fastapi.testclient import TestClient', ''] : []),
    `from ${module} import ${importName}`,
    '',
    '',
    'def test_metrics_counts_requests():',
    `    client = ${client}`,
    '    client.get("/no-such-route")',
    '    response = client.get("/metrics")',
    '    assert response.status_code == 200',
    `    body = response.${framework === 'fastapi' ? 'text' : 'get_data(as_text=True)'}`,
    `    assert "${METRICS.requests}" in body`,
    `    assert "${METRICS.duration}_bucket" in body`,
    '    assert \'status="404"\' in body',
    '',
  ].join('\n');
}

/** Inserts `item` as the first element of the list assigned to `name` (one-line or multi-line list). */
function prependToList(source: string, name: string, item: string): string | undefined {
  const m = new RegExp(`^${name}\\s*=\\s*\\[`, 'm').exec(source);
  if (!m) return undefined;
  const at = m.index + m[0].length;
  const rest = source.slice(at, source.indexOf('\n', at) === -1 ? source.length : source.indexOf('\n', at));
  return rest.trim() === '' ? `${source.slice(0, at)}\n    ${item},${source.slice(at)}` : `${source.slice(0, at)}${item}, ${source.slice(at)}`;
}

/** The settings module from manage.py, and the root URLconf from the settings. */
async function djangoProject(ctx: AgentContext): Promise<{ settingsPath: string; urls: string } | undefined> {
  const manage = await ctx.files.read('manage.py');
  const settingsModule = manage ? /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(manage.text)?.[1] : undefined;
  if (!settingsModule) return undefined;
  const settingsPath = `${settingsModule.split('.').join('/')}.py`;
  const settings = await ctx.files.read(settingsPath);
  const urlconf = settings ? /^ROOT_URLCONF\s*=\s*['"]([\w.]+)['"]/m.exec(settings.text)?.[1] : undefined;
  return urlconf ? { settingsPath, urls: `${urlconf.split('.').join('/')}.py` } : undefined;
}

async function django(ctx: AgentContext, facts: WorkspaceFacts): Promise<Wiring> {
  const project = await djangoProject(ctx);
  const [urlsFile, settings] = project ? await Promise.all([ctx.files.read(project.urls), ctx.files.read(project.settingsPath)]) : [undefined, undefined];
  if (!project || !urlsFile || !settings) return none('/metrics was not added: manage.py, its settings module or the ROOT_URLCONF it names were not found.');
  const { urls, settingsPath } = project;
  const pkg = path.posix.dirname(urls);
  const metricsFile = `${pkg}/metrics.py`;
  if (facts.files.has(metricsFile)) return none(`/metrics was not added: ${metricsFile} already exists.`);
  const module = modulePath(metricsFile);
  const settingsText = prependToList(settings.text, 'MIDDLEWARE', `"${module}.PrometheusMiddleware"`);
  let urlsText = prependToList(urlsFile.text, 'urlpatterns', 'path("metrics", metrics_view)');
  if (!settingsText || !urlsText) return none(`/metrics was not added: ${settingsText ? urls : settingsPath} has no ${settingsText ? 'urlpatterns' : 'MIDDLEWARE'} list to add to.`);
  urlsText = addImport(urlsText, `from ${module} import metrics_view`, /^(?:from|import) \S+.*$/);
  if (!/from django\.urls import[^\n]*\bpath\b/.test(urlsText)) urlsText = addImport(urlsText, 'from django.urls import path', /^(?:from|import) \S+.*$/);
  const edits: FileEdit[] = [
    create(metricsFile, PY_DJANGO, 'request metrics and the /metrics view'),
    modify(settingsPath, settingsText, settings.sha256, 'count every request'),
    modify(urls, urlsText, urlsFile.sha256, 'serve /metrics'),
  ];
  const missing = await addRequirement(ctx, edits);
  const notes = missing ? [missing] : [];
  if (facts.testFramework === 'pytest') {
    edits.push(create('tests/test_metrics.py', ['"""/metrics counts requests by route and status (added by the platform agent)."""', '', '', 'def test_metrics_counts_requests(client):', '    client.get("/no-such-route")', '    response = client.get("/metrics")', '    assert response.status_code == 200', '    body = response.content.decode()', `    assert "${METRICS.requests}" in body`, `    assert "${METRICS.duration}_bucket" in body`, '    assert \'status="404"\' in body', ''].join('\n'), 'the /metrics endpoint, tested in the app\'s own suite'));
  } else notes.push('No test was added for /metrics: the project does not use pytest.');
  return { edits, commands: [], notes };
}

const EXPRESS_APP = /^([ \t]*)(?:const|let|var)\s+(\w+)\s*=\s*express\(\s*\)\s*;?[ \t]*$/m;
const NODE_SOURCE = /\.(?:js|mjs|cjs|ts|mts|cts)$/;

/**
 * The module that creates the Express app: the entry when it does, else the first other source
 * file that does (an app factory such as src/app.ts beside a src/server.ts that listens).
 */
async function findExpressApp(ctx: AgentContext, facts: WorkspaceFacts): Promise<{ file: string; text: string; sha256: string; created: RegExpExecArray } | undefined> {
  const others = [...facts.files].filter((f) => NODE_SOURCE.test(f) && f !== facts.entry && !f.endsWith('.d.ts') && !/(^|\/)(node_modules|dist|build|coverage|test|tests|__tests__)\//.test(f) && !/\.(test|spec|config)\.[cm]?[jt]s$/.test(f)).sort();
  for (const file of [...(facts.entry ? [facts.entry] : []), ...others].slice(0, 200)) {
    const read = await ctx.files.read(file);
    const created = read ? EXPRESS_APP.exec(read.text) : null;
    if (read && created) return { file, text: read.text, sha256: read.sha256, created };
  }
  return undefined;
}

async function express(ctx: AgentContext, facts: WorkspaceFacts): Promise<Wiring> {
  const found = await findExpressApp(ctx, facts);
  const pkg = await ctx.files.read('package.json');
  if (!found || !pkg) return none(`/metrics was not added: no "const app = express()" line was found${facts.entry ? ` in ${facts.entry} or the other source files` : ''}.`);
  const { file: appFile, created } = found;
  const entry = { text: found.text, sha256: found.sha256 };
  const ts = /\.[cm]?ts$/.test(appFile);
  const esm = /^\s*import\s.+from\s+['"]/m.test(entry.text);
  const dir = path.posix.dirname(appFile);
  const metricsFile = `${dir === '.' ? '' : `${dir}/`}metrics.${ts ? 'ts' : appFile.endsWith('.mjs') ? 'mjs' : 'js'}`;
  if (facts.files.has(metricsFile)) return none(`/metrics was not added: ${metricsFile} already exists.`);
  const [, indent, name] = created as unknown as [string, string, string];
  let text = insertAfterLine(entry.text, created.index, `${indent}${name}.use(metrics.middleware);\n${indent}${name}.get('/metrics', metrics.handler);\n`);
  // TypeScript under NodeNext imports the compiled name (./metrics.js), as the project's own imports do.
  const base = `./${path.posix.basename(metricsFile).replace(/\.ts$/, '.js')}`;
  text = esm ? addImport(text, `import * as metrics from '${base}';`, /^import .*$/) : addImport(text, `const metrics = require('${base}');`, /^(?:const|let|var) \w+ = require\(.*$/);
  // Tracing only where its test can show a span: CommonJS under node --test (nodeTracing.ts says why).
  const tracingFile = `${dir === '.' ? '' : `${dir}/`}tracing.js`;
  // Required first by the module that starts the process, so only when that module creates the app.
  const tracing = !esm && !ts && appFile === facts.entry && !appFile.endsWith('.mjs') && TRACEABLE_TEST_FRAMEWORKS.has(facts.testFramework ?? '') && !facts.files.has(tracingFile) && !facts.files.has('test/tracing.test.js');
  if (tracing) text = requireFirst(text, `require('./${path.posix.basename(tracingFile)}');`);
  const manifest = JSON.parse(pkg.text) as { dependencies?: Record<string, string> };
  const indentJson = /^( +|\t)"/m.exec(pkg.text)?.[1] ?? '  ';
  manifest.dependencies = sortedKeys({ ...(manifest.dependencies ?? {}), 'prom-client': '^15.1.3', ...(tracing ? TRACING_DEPENDENCIES : {}) });
  const edits: FileEdit[] = [
    create(metricsFile, ts ? expressMetricsTs() : expressMetrics(esm), 'request metrics and the /metrics handler'),
    modify(appFile, text, entry.sha256, tracing ? 'trace every request, serve /metrics and count requests' : 'serve /metrics and count requests'),
    modify('package.json', `${JSON.stringify(manifest, null, indentJson)}\n`, pkg.sha256, tracing ? 'the metrics and tracing libraries' : 'the metrics library'),
  ];
  const notes = [`Run npm install to fetch prom-client${tracing ? ' and the OpenTelemetry packages' : ''} before starting or testing the app.`];
  const fromTest = path.posix.relative('test', metricsFile).replace(/\.ts$/, '.js');
  const test = ts ? (facts.testFramework === 'vitest' ? vitestTsTest(fromTest) : undefined) : nodeTest(facts.testFramework, esm, fromTest);
  if (test) edits.push(create(`test/metrics.test.${ts ? 'ts' : esm ? 'mjs' : 'js'}`, test, 'the /metrics endpoint, tested in the app\'s own suite'));
  else notes.push(ts ? 'No test was added for /metrics: automatic tests for TypeScript apps are written for vitest, and this project does not use it.' : 'No test was added for /metrics: no test framework (jest, mocha, vitest or node --test) was found.');
  if (tracing) {
    edits.push(
      create(tracingFile, tracingModule(facts.name), 'OpenTelemetry tracing, on when OTEL_EXPORTER_OTLP_ENDPOINT is set'),
      create('test/tracing.test.js', tracingTest(path.posix.relative('test', tracingFile)), 'a request produces a span, tested in the app\'s own suite'),
    );
    notes.push(`Tracing: set OTEL_EXPORTER_OTLP_ENDPOINT (for example http://otel-collector:4318) to send a span for every request to the OpenTelemetry collector; unset, ${tracingFile} loads nothing. The OpenTelemetry packages need Node.js 22.15 or later.`);
  } else {
    notes.push(`OpenTelemetry tracing was not added: ${appFile !== facts.entry ? `the app is created in ${appFile}, not in the module that starts the process, which must load tracing first` : esm || ts || appFile.endsWith('.mjs') ? 'the app is an ES module, where the instrumentations need node --import and a loader hook' : facts.files.has(tracingFile) ? `${tracingFile} already exists` : `its test could not show a span under ${facts.testFramework ?? 'no test framework'} (automatic tracing covers CommonJS apps tested with node --test, which runs each test file in its own process)`}.`);
  }
  return { edits, commands: [], notes };
}

/** Dependencies in name order, as npm writes them. */
function sortedKeys(deps: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function expressMetrics(esm: boolean): string {
  const body = `const registry = new client.Registry();
const requests = new client.Counter({ name: '${METRICS.requests}', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
const duration = new client.Histogram({ name: '${METRICS.duration}', help: 'HTTP request duration in seconds', labelNames: ['method', 'route'], registers: [registry] });

/** Counts every request by method, route (the pattern, not the URL) and status, and times it. */
function middleware(req, res, next) {
  const end = duration.startTimer();
  res.on('finish', () => {
    const route = req.route ? \`\${req.baseUrl || ''}\${req.route.path}\` : 'unmatched';
    end({ method: req.method, route });
    requests.inc({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}

async function handler(_req, res) {
  res.set('Content-Type', registry.contentType);
  res.end(await registry.metrics());
}
`;
  return esm
    ? `// Prometheus metrics: request count and latency by method, route and status, served at /metrics.\nimport client from 'prom-client';\n\n${body}\nexport { middleware, handler, registry };\n`
    : `// Prometheus metrics: request count and latency by method, route and status, served at /metrics.\nconst client = require('prom-client');\n\n${body}\nmodule.exports = { middleware, handler, registry };\n`;
}

/** The same metrics for a TypeScript app (strict, NodeNext, verbatimModuleSyntax, as the scaffold's Express template). */
function expressMetricsTs(): string {
  return `// Prometheus metrics: request count and latency by method, route and status, served at /metrics.
import type { NextFunction, Request, Response } from 'express';
import client from 'prom-client';

export const registry = new client.Registry();
const requests = new client.Counter({ name: '${METRICS.requests}', help: 'HTTP requests', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
const duration = new client.Histogram({ name: '${METRICS.duration}', help: 'HTTP request duration in seconds', labelNames: ['method', 'route'] as const, registers: [registry] });

/** Counts every request by method, route (the pattern, not the URL) and status, and times it. */
export function middleware(req: Request, res: Response, next: NextFunction): void {
  const end = duration.startTimer();
  res.on('finish', () => {
    const route = req.route ? \`\${req.baseUrl || ''}\${String(req.route.path)}\` : 'unmatched';
    end({ method: req.method, route });
    requests.inc({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}

export async function handler(_req: Request, res: Response): Promise<void> {
  res.set('Content-Type', registry.contentType);
  res.end(await registry.metrics());
}
`;
}

function vitestTsTest(metricsFromTest: string): string {
  return `// /metrics counts requests by route and status (added by the platform agent).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { expect, it } from 'vitest';
import * as metrics from '${metricsFromTest}';

const get = (port: number, path: string): Promise<{ status: number | undefined; body: string }> =>
  new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      })
      .on('error', reject);
  });

it('serves request metrics at /metrics', async () => {
  const app = express();
  app.use(metrics.middleware);
  app.get('/metrics', metrics.handler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await get(port, '/no-such-route');
    const res = await get(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.body).toContain('${METRICS.requests}');
    expect(res.body).toContain('${METRICS.duration}_bucket');
    expect(res.body).toContain('status="404"');
  } finally {
    server.close();
  }
});
`;
}

function nodeTest(framework: string | undefined, esm: boolean, metricsFromTest: string): string | undefined {
  if (!framework) return undefined;
  const imports = esm
    ? [`import assert from 'node:assert';`, `import http from 'node:http';`, `import express from 'express';`, `import * as metrics from '${metricsFromTest}';`, ...(framework === 'vitest' ? [`import { it } from 'vitest';`] : framework === 'node:test' ? [`import { it } from 'node:test';`] : [])]
    : [`const assert = require('node:assert');`, `const http = require('node:http');`, `const express = require('express');`, `const metrics = require('${metricsFromTest}');`, ...(framework === 'node:test' ? [`const { it } = require('node:test');`] : [])];
  if (!esm && framework === 'vitest') return undefined;
  return `// /metrics counts requests by route and status (added by the platform agent).
${imports.join('\n')}

const get = (port, path) => new Promise((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path }, (res) => {
    let body = '';
    res.on('data', (d) => (body += d));
    res.on('end', () => resolve({ status: res.statusCode, body }));
  }).on('error', reject);
});

it('serves request metrics at /metrics', async () => {
  const app = express();
  app.use(metrics.middleware);
  app.get('/metrics', metrics.handler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address();
    await get(port, '/no-such-route');
    const res = await get(port, '/metrics');
    assert.strictEqual(res.status, 200);
    assert.ok(res.body.includes('${METRICS.requests}'));
    assert.ok(res.body.includes('${METRICS.duration}_bucket'));
    assert.ok(res.body.includes('status="404"'));
  } finally {
    server.close();
  }
});
`;
}
