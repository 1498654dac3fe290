/**
 * OpenTelemetry tracing for a CommonJS Express app: a span for every request (the http and express
 * instrumentations), sent over OTLP/HTTP to the collector that `OTEL_EXPORTER_OTLP_ENDPOINT` names
 * (observability/otel-collector.yaml receives OTLP/HTTP on 4318). The module is required as the
 * entry's first statement, so the instrumentations are in place before http and express load; when
 * the endpoint is not set it loads nothing and starts nothing.
 *
 * Only CommonJS apps tested with node --test: the instrumentations hook Node's `require`, which an
 * ES module app reaches only through `node --import` and a loader hook, and which Jest's and
 * Vitest's module loaders bypass; mocha runs every test file in one process, so http and express
 * are loaded (unpatched) by earlier files and a test there cannot show a span either. Nothing is
 * generated that its own test cannot prove.
 */

/** The OpenTelemetry JS 3.x SDK line and its experimental 0.301 packages (they are released together). */
export const TRACING_DEPENDENCIES: Readonly<Record<string, string>> = {
  '@opentelemetry/api': '^1.10.0',
  '@opentelemetry/context-async-hooks': '^3.1.1',
  '@opentelemetry/core': '^3.1.1',
  '@opentelemetry/exporter-trace-otlp-http': '^0.301.2',
  '@opentelemetry/instrumentation': '^0.301.2',
  '@opentelemetry/instrumentation-express': '^0.72.0',
  '@opentelemetry/instrumentation-http': '^0.301.2',
  '@opentelemetry/resources': '^3.1.1',
  '@opentelemetry/sdk-trace': '^3.1.1',
};

/** Test frameworks that run each test file in a fresh process on Node's own `require` (so a test can show the instrumentations work). */
export const TRACEABLE_TEST_FRAMEWORKS: ReadonlySet<string> = new Set(['node:test']);

export function tracingModule(serviceName: string): string {
  return `// OpenTelemetry tracing: a span for every request (http and express instrumentation), sent over
// OTLP/HTTP to the collector at OTEL_EXPORTER_OTLP_ENDPOINT (for example http://otel-collector:4318;
// observability/otel-collector.yaml receives it). Required before anything else so the
// instrumentations see http and express load; nothing is loaded or started when the endpoint is
// not set (or OTEL_SDK_DISABLED=true).

function startTracing({ spanProcessor } = {}) {
  const { context, propagation, trace } = require('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = require('@opentelemetry/core');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources');
  const { BatchSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');

  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || ${JSON.stringify(serviceName)} }),
    spanProcessors: [spanProcessor || new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({ tracerProvider: provider, instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] });
  // Spans still batched are sent when the process ends on its own; call tracing.shutdown() from
  // your own SIGTERM handler to send them on a stop too.
  process.once('beforeExit', () => void provider.shutdown());
  return provider;
}

const tracing = process.env.OTEL_EXPORTER_OTLP_ENDPOINT && process.env.OTEL_SDK_DISABLED !== 'true' ? startTracing() : undefined;

module.exports = { startTracing, tracing };
`;
}

/** The app's own test: a request through express is recorded as a server span with its route. */
export function tracingTest(tracingFromTest: string): string {
  return `// A request to the app is traced as a server span with its route (added by the platform agent).
const { it } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');

// Spans go to memory here, never to a collector configured in the environment.
delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { startTracing } = require('${tracingFromTest}');

const get = (port, path) => new Promise((resolve, reject) => {
  http.get({ host: '127.0.0.1', port, path }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  }).on('error', reject);
});

it('traces a request as a server span with its route', async () => {
  const exporter = new InMemorySpanExporter();
  const provider = startTracing({ spanProcessor: new SimpleSpanProcessor({ exporter }) });
  // Required after tracing started, as in the app, whose first statement requires the tracing module.
  const express = require('express');
  const app = express();
  app.get('/items/:id', (req, res) => res.json({ id: req.params.id }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    assert.strictEqual(await get(server.address().port, '/items/7'), 200);
    await provider.forceFlush();
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.kind === 1);
    assert.ok(request, \`a server span among: \${spans.map((s) => s.name).join(', ')}\`);
    assert.strictEqual(request.attributes['http.route'], '/items/:id');
    assert.ok(spans.some((s) => s.instrumentationScope.name.includes('express')), 'express request handler spans');
  } finally {
    server.close();
    await provider.shutdown();
  }
});
`;
}

/** Puts `statement` first in a CommonJS module, after a shebang and a 'use strict' directive. */
export function requireFirst(source: string, statement: string): string {
  const head = /^(#![^\n]*\n)?(\s*(['"])use strict\3;?[ \t]*\n)?/.exec(source)![0];
  return `${source.slice(0, head.length)}${statement}\n${source.slice(head.length)}`;
}
