import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { platformAgent } from '../../../../src/agents/platform/platformAgent';
import { reviewFiles } from '../../../../src/agents/platform/hardening';
import { parseHcl } from '../../../../src/agents/platform/hardening/hcl';
import { type AgentPlan } from '../../../../src/agents/runtime/plan';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type Harness, makeHarness } from '../runtime/harness';
import { loadWorkspace, PLATFORM_FIXTURES, WORKSPACES, type WorkspaceName } from './workspaces';
import { validateKubernetesYaml, typeCheckDashboard } from './validators';

const GOLDEN = path.join(PLATFORM_FIXTURES, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

/** Compares a plan's edits with the recorded files (UPDATE_GOLDEN=1 records them again). */
async function checkGolden(plan: AgentPlan, dir: string): Promise<void> {
  const manifest = plan.edits.map((e) => `${e.action} ${e.path}`).sort();
  if (update) {
    await fs.rm(dir, { recursive: true, force: true });
    for (const e of plan.edits) {
      await fs.mkdir(path.dirname(path.join(dir, 'files', e.path)), { recursive: true });
      await fs.writeFile(path.join(dir, 'files', e.path), e.content);
    }
    await fs.writeFile(path.join(dir, 'edits.txt'), `${manifest.join('\n')}\n`);
  }
  assert.deepEqual(manifest, (await fs.readFile(path.join(dir, 'edits.txt'), 'utf8')).trim().split('\n'), `${dir}: the files planned`);
  for (const e of plan.edits) assert.equal(e.content, await fs.readFile(path.join(dir, 'files', e.path), 'utf8'), `${dir}: ${e.path}`);
}

async function planFor(h: Harness, action: 'iac' | 'observability', input: Record<string, unknown> = {}): Promise<AgentPlan> {
  const result = await runAgent(h.services, { agent: platformAgent, action, input, mode: 'plan' });
  assert.equal(result.outcome, 'succeeded', result.error);
  return result.plan!;
}

describe('platform iac and observability: golden files for every sample workspace', () => {
  for (const name of WORKSPACES) {
    describe(name, () => {
      let h: Harness;
      beforeEach(async () => {
        h = await makeHarness();
        await loadWorkspace(h, name as WorkspaceName);
      });
      afterEach(async () => h.dispose());

      it('iac: Terraform, Kubernetes and compose as recorded, each valid and passing every hardening rule', async () => {
        const plan = await planFor(h, 'iac');
        await checkGolden(plan, path.join(GOLDEN, name, 'iac'));
        assert.deepEqual(plan.findings, [], 'the generated files pass every hardening rule');
        assert.ok(!plan.notes.some((n) => /Generated output problem/.test(n)), plan.notes.join('\n'));
        for (const e of plan.edits) {
          if (e.path.endsWith('.tf')) assert.ok(parseHcl(e.content).ok, e.path);
          if (e.path.startsWith('deploy/k8s/base/') && e.path !== 'deploy/k8s/base/kustomization.yaml') validateKubernetesYaml(e.content);
          if (/\.ya?ml$/.test(e.path)) for (const d of parseAllDocuments(e.content) as { errors: unknown[] }[]) assert.deepEqual(d.errors, []);
        }
        const checked = plan.facts.find((f) => f.label === 'Checked')!.value;
        assert.match(checked, /Terraform files parsed as HCL.*every generated file passes the hardening rules.*Kubernetes objects valid/);
      });

      it('observability: Prometheus, alert rules, Grafana, OpenTelemetry and the app wiring as recorded', async () => {
        const plan = await planFor(h, 'observability');
        await checkGolden(plan, path.join(GOLDEN, name, 'observability'));
        assert.deepEqual(plan.findings, []);
        const dashboard = plan.edits.find((e) => e.path.endsWith('-dashboard.json'))!;
        assert.deepEqual(typeCheckDashboard(dashboard.content), [], 'the dashboard JSON type-checks against @grafana/schema');
        const alerts = parse(plan.edits.find((e) => e.path.endsWith('alerts.yml'))!.content) as { groups: { rules: { alert: string }[] }[] };
        assert.deepEqual(alerts.groups[0]!.rules.map((r) => r.alert.replace(/^[A-Za-z]+?(Down|HighErrorRate|HighLatency)$/, '$1')), ['Down', 'HighErrorRate', 'HighLatency']);
      });
    });
  }

  it('keeps a Dockerfile someone wrote and says so; the rest is created', async () => {
    const h = await makeHarness();
    try {
      await loadWorkspace(h, 'django-app');
      const plan = await planFor(h, 'iac');
      assert.ok(!plan.edits.some((e) => e.path === 'Dockerfile'));
      assert.ok(plan.notes.some((n) => /Kept your Dockerfile; run "platform harden" to review it/.test(n)));
      assert.ok(plan.edits.every((e) => e.action === 'create'));
    } finally {
      await h.dispose();
    }
  });

  it('--yes writes what the preview shows; a second run plans nothing; a changed file is a modify with a diff', async () => {
    const h = await makeHarness();
    try {
      await loadWorkspace(h, 'node-app');
      const first = await runAgent(h.services, { agent: platformAgent, action: 'iac', input: { target: 'aks', environment: ['staging'] } });
      assert.equal(first.outcome, 'succeeded', first.error);
      const preview = first.plan!.edits.map((e) => e.path).sort();
      assert.deepEqual([...first.applied.edits].sort(), preview);
      assert.match((await h.read('infra/terraform/aks.tf'))!, /resource "azurerm_kubernetes_cluster" "main"/);
      assert.ok(await h.read('deploy/k8s/overlays/staging/kustomization.yaml'));
      const second = await planFor(h, 'iac', { target: 'aks', environment: ['staging'] });
      assert.deepEqual(second.edits, []);
      await h.write('infra/terraform/variables.tf', '# mine\n');
      const third = await planFor(h, 'iac', { target: 'aks', environment: ['staging'] });
      assert.deepEqual(third.edits.map((e) => [e.path, e.action, typeof e.baseSha256]), [['infra/terraform/variables.tf', 'modify', 'string']]);
    } finally {
      await h.dispose();
    }
  });

  it('text from a hostile workspace never escapes its place in what is generated', async () => {
    const h = await makeHarness();
    try {
      await h.write('package.json', JSON.stringify({ name: '${file("/etc/passwd")}"\n}\nresource "x" "y" {', dependencies: { express: '^4' } }));
      await h.write('server.js', "const app = require('express')();\napp.get('/health\\\"', () => 1);\nconst s = process.env['A_TOKEN'];\napp.listen(process.env.PORT || 8080);\n");
      const plan = await planFor(h, 'iac');
      const tf = plan.edits.filter((e) => e.path.endsWith('.tf'));
      for (const e of tf) {
        const parsed = parseHcl(e.content);
        assert.ok(parsed.ok, e.path);
        assert.ok(!e.content.includes('/etc/passwd'), e.path);
        assert.deepEqual(parsed.ok && parsed.file.blocks.filter((b) => b.type === 'resource' && b.labels[0] === 'x'), []);
      }
      assert.match(plan.edits.find((e) => e.path === 'infra/terraform/variables.tf')!.content, /default {5}= "file-etc-passwd-resource-x-y"/);
      assert.deepEqual(plan.findings, []);
    } finally {
      await h.dispose();
    }
  });

  it('refuses bad input with a message that says what is allowed', async () => {
    const h = await makeHarness();
    try {
      await assert.rejects(runAgent(h.services, { agent: platformAgent, action: 'iac', input: { target: 'gke' } }), /target: Invalid option: expected one of "container-apps"\|"aks"\|"app-service"/);
      await assert.rejects(runAgent(h.services, { agent: platformAgent, action: 'iac', input: { environment: ['../prod'] } }), /environment\.0: an environment name/);
    } finally {
      await h.dispose();
    }
  });

  it('a file with the generated content already present is not planned again, and the plan of an empty folder still validates', async () => {
    const h = await makeHarness();
    try {
      const plan = await planFor(h, 'iac');
      assert.ok(plan.notes.some((n) => /No Node\.js or Python project was found/.test(n)));
      assert.deepEqual(plan.findings, []);
      assert.deepEqual(await reviewFiles(plan.edits.map((e) => ({ path: e.path, text: e.content }))), []);
    } finally {
      await h.dispose();
    }
  });
});
