import assert from 'node:assert/strict';
import path from 'node:path';
import { fingerprintOf, HARDENING_RULES, mergeFixes, reviewFiles, reviewFilesDetailed, type ReviewFile } from '../../../../src/agents/platform/hardening';
import { FindingSchema } from '../../../../src/agents/runtime/plan';
import { HARDENING_FIXTURES, readTree } from './fixtureFiles';

/** Every finding the known-bad corpus must give: file, line, rule. Nothing more, nothing less. */
const EXPECTED_BAD = `
.github/workflows/ci.yml 5 github-actions/permissions
.github/workflows/ci.yml 11 github-actions/unpinned-action
.github/workflows/ci.yml 13 github-actions/pull-request-target-checkout
.github/workflows/ci.yml 14 github-actions/unpinned-action
.github/workflows/ci.yml 16 github-actions/untrusted-input-in-run
.github/workflows/ci.yml 18 github-actions/secret-echoed
.github/workflows/ci.yml 19 github-actions/secret-echoed
.github/workflows/ci.yml 22 github-actions/permissions
.github/workflows/ci.yml 24 github-actions/unpinned-action
.github/workflows/lint.yml 7 github-actions/actionlint
azure-pipelines.yml 6 azure-pipelines/secret-variable
azure-pipelines.yml 10 azure-pipelines/persist-credentials
azure-pipelines.yml 11 azure-pipelines/unpinned-task
azure-pipelines.yml 14 azure-pipelines/untrusted-input-in-script
azure-pipelines.yml 21 azure-pipelines/untrusted-input-in-script
Dockerfile 1 dockerfile/secret-in-env
Dockerfile 2 dockerfile/unpinned-base-image
Dockerfile 4 dockerfile/secret-file-copied
Dockerfile 6 dockerfile/package-cache
Dockerfile 7 dockerfile/package-cache
Dockerfile 8 dockerfile/package-cache
Dockerfile 9 dockerfile/add-from-url
Dockerfile 10 dockerfile/secret-in-env
Dockerfile 14 dockerfile/no-healthcheck
Dockerfile 14 dockerfile/unpinned-base-image
Dockerfile 16 dockerfile/privileged-port
Dockerfile 17 dockerfile/runs-as-root
infra/main.tf 3 terraform/secret-variable-default
infra/main.tf 6 terraform/no-diagnostic-settings
infra/main.tf 12 terraform/storage-https-only
infra/main.tf 13 terraform/storage-min-tls
infra/main.tf 14 terraform/public-network-access
infra/main.tf 17 terraform/key-vault-purge-protection
infra/main.tf 17 terraform/no-diagnostic-settings
infra/main.tf 24 terraform/public-network-access
k8s/deployment.yaml 16 kubernetes/host-namespaces
k8s/deployment.yaml 16 kubernetes/service-account-token
k8s/deployment.yaml 18 kubernetes/no-probes
k8s/deployment.yaml 18 kubernetes/no-resource-limits
k8s/deployment.yaml 18 kubernetes/run-as-non-root
k8s/deployment.yaml 19 kubernetes/image-latest
k8s/deployment.yaml 22 kubernetes/secret-in-env
k8s/deployment.yaml 26 kubernetes/capabilities-not-dropped
k8s/deployment.yaml 26 kubernetes/privilege-escalation
k8s/deployment.yaml 26 kubernetes/privileged
k8s/deployment.yaml 26 kubernetes/writable-root-filesystem
k8s/deployment.yaml 29 kubernetes/host-path
`.trim().split('\n');

const key = (f: { file?: string; line?: number; ruleId: string }): string => `${f.file} ${f.line} ${f.ruleId}`;
const byFile = (files: readonly ReviewFile[], p: string): ReviewFile => files.find((f) => f.path === p)!;

describe('hardening review', () => {
  let bad: ReviewFile[];
  let good: ReviewFile[];
  before(async () => {
    bad = await readTree(path.join(HARDENING_FIXTURES, 'bad'));
    good = await readTree(path.join(HARDENING_FIXTURES, 'good'));
  });

  it('hits every rule of the known-bad corpus exactly where expected, and nothing else', async () => {
    const findings = await reviewFiles(bad);
    assert.deepEqual(findings.map(key).sort(), [...EXPECTED_BAD].sort());
    for (const f of findings) FindingSchema.parse(f);
  });

  it('the known-bad corpus covers every rule', () => {
    const hit = new Set(EXPECTED_BAD.map((l) => l.split(' ')[2]));
    assert.deepEqual([...HARDENING_RULES.keys()].filter((id) => !hit.has(id)), []);
  });

  it('finds nothing in the known-good corpus', async () => {
    const result = await reviewFilesDetailed(good);
    assert.deepEqual(result.findings.map(key), []);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(result.reviewed.map((r) => `${r.kind} ${r.file}`).sort(), [
      'azurePipelines azure-pipelines.yml',
      'dockerfile Dockerfile',
      'githubActions .github/workflows/ci.yml',
      'kubernetes k8s/deployment.yaml',
      'terraform infra/main.tf',
      'terraform infra/monitoring.tf',
    ]);
  });

  it('messages say what, why and how to fix it, with the rule severity unless the case differs', async () => {
    const findings = await reviewFiles(bad);
    const root = findings.find((f) => f.ruleId === 'dockerfile/runs-as-root')!;
    assert.match(root.message, /^The last USER is root, so the container runs as root\. A process that breaks out .* Add a USER instruction/);
    assert.equal(root.severity, 'high');
    assert.equal(root.category, 'dockerfile');
    const checkout = findings.find((f) => f.ruleId === 'github-actions/unpinned-action' && f.line === 11)!;
    assert.equal(checkout.severity, 'low', 'a first-party action is a milder case');
    const thirdParty = findings.find((f) => f.ruleId === 'github-actions/unpinned-action' && f.line === 14)!;
    assert.equal(thirdParty.severity, 'medium');
  });

  describe('fingerprints', () => {
    it('are the same in every run and do not depend on lines: code moved down keeps them', async () => {
      const first = (await reviewFiles(bad)).map((f) => f.fingerprint);
      const again = (await reviewFiles(bad)).map((f) => f.fingerprint);
      assert.deepEqual(again, first);
      const shifted = bad.map((f) => ({ path: f.path, text: f.path.endsWith('Dockerfile') ? `# a comment\n\n${f.text}` : f.path.endsWith('.tf') ? `# moved\n${f.text}` : `# moved\n${f.text}` }));
      const moved = await reviewFiles(shifted);
      assert.deepEqual(moved.map((f) => f.fingerprint).sort(), [...first].sort());
      const lines = new Map((await reviewFiles(bad)).map((f) => [f.fingerprint, f.line!]));
      for (const f of moved) assert.equal(f.line, lines.get(f.fingerprint)! + (f.file === 'Dockerfile' ? 2 : 1), `${f.ruleId} moved with its line`);
    });

    it('are unique within a review and differ between files', async () => {
      const findings = await reviewFiles(bad);
      assert.equal(new Set(findings.map((f) => f.fingerprint)).size, findings.length);
      const copy = await reviewFiles([{ path: 'other/Dockerfile', text: byFile(bad, 'Dockerfile').text }]);
      const original = (await reviewFiles([byFile(bad, 'Dockerfile')])).map((f) => f.fingerprint);
      assert.ok(copy.every((f) => !original.includes(f.fingerprint)));
    });

    it('are a fixed function of rule, file and anchor (the same on every machine)', () => {
      assert.equal(fingerprintOf('dockerfile/runs-as-root', 'Dockerfile', 'stage 1 USER', 1), RECORDED_FINGERPRINT);
      assert.notEqual(fingerprintOf('dockerfile/runs-as-root', 'Dockerfile', 'stage 1 USER', 2), RECORDED_FINGERPRINT);
    });
  });
});

describe('hardening fixes', () => {
  let bad: ReviewFile[];
  before(async () => {
    bad = await readTree(path.join(HARDENING_FIXTURES, 'bad'));
  });

  it('each fix is a modify edit against the text read, and applying it makes its finding go away', async () => {
    const findings = await reviewFiles(bad);
    const fixable = findings.filter((f) => f.fix);
    assert.ok(fixable.length >= 15, `only ${fixable.length} fixes`);
    for (const f of fixable) {
      const [edit] = f.fix!.edits;
      assert.equal(f.fix!.edits.length, 1);
      assert.equal(edit!.action, 'modify');
      assert.equal(edit!.path, f.file);
      assert.match(edit!.baseSha256 ?? '', /^[0-9a-f]{64}$/);
      const after = await reviewFiles([{ path: f.file!, text: edit!.content }, ...bad.filter((b) => b.path !== f.file)]);
      assert.ok(!after.some((a) => a.fingerprint === f.fingerprint), `${f.ruleId} at ${f.file}:${f.line} is still there after its fix`);
      assert.ok(after.length < findings.length, `${f.ruleId}: the fix added findings`);
    }
  });

  it('merges every fix of a file into one edit that leaves no fixable finding behind', async () => {
    const findings = await reviewFiles(bad);
    const { edits, left } = mergeFixes(bad, findings);
    assert.equal(left, 0);
    assert.deepEqual(edits.map((e) => e.path).sort(), ['.github/workflows/ci.yml', 'Dockerfile', 'azure-pipelines.yml', 'infra/main.tf', 'k8s/deployment.yaml']);
    const fixed = bad.map((f) => ({ path: f.path, text: edits.find((e) => e.path === f.path)?.content ?? f.text }));
    const after = await reviewFiles(fixed);
    assert.deepEqual(after.filter((f) => f.fix).map(key), []);
    const k8s = edits.find((e) => e.path === 'k8s/deployment.yaml')!.content;
    assert.equal(k8s.match(/securityContext:/g)?.length, 1, 'the container gets one securityContext, not one per finding');
    assert.match(k8s, / {10}securityContext:\n {12}privileged: false\n {12}allowPrivilegeEscalation: false\n {12}runAsNonRoot: true\n {12}readOnlyRootFilesystem: true\n {12}capabilities:\n {14}drop: \["ALL"\]\n/);
  });

  it('adds a securityContext to a container that has none, and keeps CRLF line ends', async () => {
    const text = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '    - name: c', '      image: nginx:1.27', ''].join('\r\n');
    const findings = await reviewFiles([{ path: 'pod.yaml', text }]);
    const { edits } = mergeFixes([{ path: 'pod.yaml', text }], findings);
    assert.equal(edits[0]!.content, ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', 'spec:', '  containers:', '    - name: c', '      image: nginx:1.27', '      securityContext:', '        allowPrivilegeEscalation: false', '        runAsNonRoot: true', '        readOnlyRootFilesystem: true', '        capabilities:', '          drop: ["ALL"]', '  automountServiceAccountToken: false', ''].join('\r\n'));
  });

  it('adds USER before CMD when a Dockerfile has none', async () => {
    const text = 'FROM python:3.12-slim\nCOPY . /app\nHEALTHCHECK CMD ["python", "-c", "print(1)"]\nCMD ["python", "/app/main.py"]\n';
    const [finding] = (await reviewFiles([{ path: 'Dockerfile', text }])).filter((f) => f.ruleId === 'dockerfile/runs-as-root');
    assert.equal(finding!.fix!.edits[0]!.content, 'FROM python:3.12-slim\nCOPY . /app\nHEALTHCHECK CMD ["python", "-c", "print(1)"]\nUSER 10001\nCMD ["python", "/app/main.py"]\n');
  });
});

describe('hardening review of unusual and hostile input', () => {
  it('a finding is suppressed by an ai-devops-ignore comment on its line or the line above, with the reason given', async () => {
    const text = 'FROM node:22-slim\n# ai-devops-ignore: dockerfile/privileged-port the proxy needs it\nEXPOSE 80\nUSER node\nHEALTHCHECK CMD ["node", "hc.js"]\n';
    const [finding] = await reviewFiles([{ path: 'Dockerfile', text }]);
    assert.equal(finding!.ruleId, 'dockerfile/privileged-port');
    assert.deepEqual(finding!.suppressed, { reason: 'the proxy needs it', by: 'inline comment' });
  });

  it('skips invalid YAML, Helm templates, invalid HCL and Kustomize patches, saying why', async () => {
    const result = await reviewFilesDetailed([
      { path: '.github/workflows/broken.yml', text: 'on: push\njobs:\n  a: [\n' },
      { path: 'chart/templates/deployment.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' },
      { path: 'infra/broken.tf', text: 'resource "azurerm_key_vault" "kv" {\n  name = "x"\n' },
      { path: 'deploy/overlays/prod/kustomization.yaml', text: 'resources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n' },
      { path: 'deploy/overlays/prod/replicas.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n' },
      { path: 'docker-compose.yml', text: 'services:\n  web:\n    image: web:latest\n' },
    ]);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.reviewed, []);
    const reasons = new Map(result.skipped.map((s) => [s.file, s.reason]));
    assert.match(reasons.get('.github/workflows/broken.yml')!, /^not valid YAML \(line \d+/);
    assert.match(reasons.get('chart/templates/deployment.yaml')!, /template.*Helm/);
    assert.match(reasons.get('infra/broken.tf')!, /^not valid HCL: syntax error at line \d/);
    assert.match(reasons.get('deploy/overlays/prod/replicas.yaml')!, /Kustomize patch/);
    assert.ok(!reasons.has('docker-compose.yml'), 'compose files are not a reviewed kind');
  });

  it('an alias bomb in a kustomization does not blow up, and huge files are skipped', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_v, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'patches: *j', ''].join('\n');
    const started = Date.now();
    const result = await reviewFilesDetailed([
      { path: 'kustomization.yaml', text: bomb },
      { path: 'big/Dockerfile', text: `FROM node:22\n${'RUN true\n'.repeat(300_000)}` },
    ]);
    assert.ok(Date.now() - started < 5000);
    assert.deepEqual(result.skipped.map((s) => s.file), ['big/Dockerfile']);
  });

  it('text from the file never becomes a regular expression or an edit outside the file', async () => {
    const workflow = 'on: push\npermissions: {contents: read}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      "X(+[": ${{ secrets.X }}\n    steps:\n      - run: echo "$X(+["\n      - uses: "evil/(.*)+@main"\n';
    const findings = await reviewFiles([{ path: '.github/workflows/w.yml', text: workflow }], { actionlint: 'off' });
    assert.ok(findings.some((f) => f.ruleId === 'github-actions/unpinned-action'));
    for (const f of findings) for (const e of f.fix?.edits ?? []) assert.equal(e.path, '.github/workflows/w.yml');
  });
});

/** SHA-256 of "ai-devops/hardening/v1, rule, file, anchor, 1", recorded once: a change here breaks every stored suppression and SARIF baseline. */
const RECORDED_FINGERPRINT = '1a785384bf089e791e6bcd2178a37d78';
