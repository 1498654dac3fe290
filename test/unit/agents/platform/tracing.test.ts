import assert from 'node:assert/strict';
import { platformAgent } from '../../../../src/agents/platform/platformAgent';
import { requireFirst } from '../../../../src/agents/platform/generate/nodeTracing';
import { type AgentPlan } from '../../../../src/agents/runtime/plan';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type Harness, makeHarness } from '../runtime/harness';
import { loadWorkspace } from './workspaces';

/**
 * Where the observability action adds OpenTelemetry tracing and where it says why it does not.
 * That the generated tracing works (a request becomes a server span) is proven by the generated
 * test itself, which `npm test`'s "platform agent output" stage runs in the node-app's own suite.
 */
async function observability(h: Harness): Promise<AgentPlan> {
  const result = await runAgent(h.services, { agent: platformAgent, action: 'observability', input: {}, mode: 'plan' });
  assert.equal(result.outcome, 'succeeded', result.error);
  return result.plan!;
}

const paths = (plan: AgentPlan): string[] => plan.edits.map((e) => e.path).sort();
const expressApp = (firstLines: string): string => `${firstLines}const express = require('express');\nconst app = express();\napp.get('/health', (_q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n`;

describe('platform observability: OpenTelemetry tracing in the app', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });
  afterEach(async () => h.dispose());

  it('a CommonJS Express app tested with node --test: tracing.js required first, its packages, and a test that a request is a span', async () => {
    await loadWorkspace(h, 'node-app');
    const plan = await observability(h);
    assert.deepEqual(paths(plan).filter((p) => /tracing/.test(p)), ['src/tracing.js', 'test/tracing.test.js']);
    const server = plan.edits.find((e) => e.path === 'src/server.js')!.content;
    assert.equal(server.split('\n')[0], "require('./tracing.js');", 'before express and http are loaded');
    const tracing = plan.edits.find((e) => e.path === 'src/tracing.js')!.content;
    assert.match(tracing, /process\.env\.OTEL_EXPORTER_OTLP_ENDPOINT && process\.env\.OTEL_SDK_DISABLED !== 'true' \? startTracing\(\) : undefined/);
    assert.match(tracing, /'service\.name': process\.env\.OTEL_SERVICE_NAME \|\| "todo-service"/);
    // Off means nothing loaded: every require of the SDK is inside startTracing.
    assert.ok(tracing.indexOf("require('@opentelemetry/") > tracing.indexOf('function startTracing'));
    const deps = (JSON.parse(plan.edits.find((e) => e.path === 'package.json')!.content) as { dependencies: Record<string, string> }).dependencies;
    for (const pkg of ['@opentelemetry/sdk-trace', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-express', '@opentelemetry/exporter-trace-otlp-http']) assert.ok(deps[pkg], pkg);
    assert.deepEqual(Object.keys(deps), Object.keys(deps).sort(), 'in name order, as npm writes them');
    const test = plan.edits.find((e) => e.path === 'test/tracing.test.js')!.content;
    assert.match(test, /require\('\.\.\/src\/tracing\.js'\)/);
    assert.match(test, /InMemorySpanExporter/);
    assert.ok(plan.notes.some((n) => /^Tracing: set OTEL_EXPORTER_OTLP_ENDPOINT/.test(n)), plan.notes.join('\n'));
  });

  it('the require goes after a shebang and a "use strict" directive, never above them', () => {
    assert.equal(requireFirst("#!/usr/bin/env node\n'use strict';\nconst a = 1;\n", "require('./tracing.js');"), "#!/usr/bin/env node\n'use strict';\nrequire('./tracing.js');\nconst a = 1;\n");
    assert.equal(requireFirst('"use strict"\nx();\n', 'r();'), '"use strict"\nr();\nx();\n');
    assert.equal(requireFirst('// the server\nx();\n', 'r();'), 'r();\n// the server\nx();\n');
  });

  it('an ES module app gets metrics but no tracing, and the note says why', async () => {
    await h.write('package.json', JSON.stringify({ name: 'esm-api', type: 'module', scripts: { test: 'node --test' }, dependencies: { express: '^4.21.2' } }));
    await h.write('server.js', "import express from 'express';\nconst app = express();\napp.listen(process.env.PORT || 3000);\n");
    const plan = await observability(h);
    assert.ok(paths(plan).includes('metrics.js'));
    assert.ok(!paths(plan).some((p) => /tracing/.test(p)), paths(plan).join(', '));
    assert.ok(plan.notes.some((n) => /tracing was not added: the app is an ES module/.test(n)), plan.notes.join('\n'));
    assert.ok(!plan.edits.find((e) => e.path === 'package.json')!.content.includes('@opentelemetry'));
  });

  for (const [runner, dependency] of [['mocha', 'mocha'], ['jest', 'jest']] as const) {
    it(`a CommonJS app tested with ${runner} gets no tracing (its test could not show a span) and the note says so`, async () => {
      await h.write('package.json', JSON.stringify({ name: 'cjs-api', scripts: { test: runner }, dependencies: { express: '^4.21.2' }, devDependencies: { [dependency]: '*' } }));
      await h.write('server.js', expressApp(''));
      const plan = await observability(h);
      assert.ok(!paths(plan).some((p) => /tracing/.test(p)), paths(plan).join(', '));
      assert.ok(plan.notes.some((n) => new RegExp(`tracing was not added: its test could not show a span under ${runner}`).test(n)), plan.notes.join('\n'));
    });
  }

  it('a tracing.js the app already has is left alone', async () => {
    await h.write('package.json', JSON.stringify({ name: 'cjs-api', scripts: { test: 'node --test' }, dependencies: { express: '^4.21.2' } }));
    await h.write('server.js', expressApp(''));
    await h.write('tracing.js', '// mine\n');
    const plan = await observability(h);
    assert.ok(!paths(plan).some((p) => /tracing/.test(p)));
    assert.ok(!plan.edits.find((e) => e.path === 'server.js')!.content.includes("require('./tracing.js')"));
    assert.ok(plan.notes.some((n) => /tracing was not added: tracing\.js already exists/.test(n)), plan.notes.join('\n'));
  });

  it('an app that already has the OpenTelemetry SDK is left alone', async () => {
    await h.write('package.json', JSON.stringify({ name: 'cjs-api', scripts: { test: 'node --test' }, dependencies: { express: '^4.21.2', '@opentelemetry/sdk-trace-node': '^2.12.0' } }));
    await h.write('server.js', expressApp(''));
    const plan = await observability(h);
    assert.deepEqual(paths(plan).filter((p) => !p.startsWith('observability/')), []);
    assert.ok(plan.notes.some((n) => /already uses OpenTelemetry; its code was left alone/.test(n)), plan.notes.join('\n'));
  });

  it('a TypeScript app created in src/app.ts (beside the src/server.ts that listens) gets /metrics there, imported as ./metrics.js, and no tracing', async () => {
    await loadWorkspace(h, 'scaffold-express');
    const plan = await observability(h);
    assert.deepEqual(paths(plan).filter((p) => !p.startsWith('observability/')), ['package.json', 'src/app.ts', 'src/metrics.ts', 'test/metrics.test.ts']);
    assert.match(plan.edits.find((e) => e.path === 'src/app.ts')!.content, /^import \* as metrics from '\.\/metrics\.js';$/m);
    assert.match(plan.edits.find((e) => e.path === 'test/metrics.test.ts')!.content, /from '\.\.\/src\/metrics\.js'/);
    assert.ok(plan.notes.some((n) => /tracing was not added: the app is created in src\/app\.ts, not in the module that starts the process/.test(n)), plan.notes.join('\n'));
  });

  it('a TypeScript app without vitest gets /metrics and a note that no test was written', async () => {
    await h.write('package.json', JSON.stringify({ name: 'ts-api', type: 'module', scripts: { test: 'jest' }, dependencies: { express: '^5.1.0' }, devDependencies: { jest: '*' } }));
    await h.write('src/server.ts', "import express from 'express';\n\nconst app = express();\napp.listen(3000);\n");
    const plan = await observability(h);
    assert.deepEqual(paths(plan).filter((p) => !p.startsWith('observability/')), ['package.json', 'src/metrics.ts', 'src/server.ts']);
    assert.ok(plan.notes.some((n) => /No test was added for \/metrics: automatic tests for TypeScript apps are written for vitest/.test(n)), plan.notes.join('\n'));
  });

  for (const template of ['fastapi', 'flask', 'django'] as const) {
    it(`a ${template} app gets /metrics and a note that Python tracing is not generated`, async () => {
      await loadWorkspace(h, `scaffold-${template}`);
      const plan = await observability(h);
      assert.ok(paths(plan).includes('tests/test_metrics.py'));
      assert.ok(!plan.edits.some((e) => /opentelemetry/i.test(e.content) && !e.path.startsWith('observability/')));
      assert.ok(plan.notes.some((n) => /OpenTelemetry tracing is not generated for Python apps/.test(n)), plan.notes.join('\n'));
    });
  }
});
