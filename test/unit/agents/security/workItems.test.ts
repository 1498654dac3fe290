import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunServices } from '../../../../src/agents/runtime/runAgent';
import { RemoteExecutors } from '../../../../src/agents/runtime/remote';
import { securityAgent } from '../../../../src/agents/security/securityAgent';
import { findingRefOf, workItemDescription, workItemTitle } from '../../../../src/agents/security/workItems';
import { type Finding } from '../../../../src/agents/runtime/plan';
import { type WorkTracker } from '../../../../src/core/boards/workTracker';
import { toHtml } from '../../../../src/providers/boards/azureBoards/workItemWire';
import { FakeLogger } from '../../fakes/fakeLogger';
import { makeTracker, type TrackerSetup } from '../../providers/boards/azureBoardsSetup';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { type Harness as AzureHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { type Harness, makeHarness } from '../runtime/harness';
import { plantedSecrets } from './secretCorpus';

const finding = (over: Partial<Finding> = {}): Finding => ({
  ruleId: '@secretlint/secretlint-rule-github',
  category: 'secrets',
  severity: 'critical',
  message: 'Found a GitHub token',
  file: 'src/gh.ts',
  line: 2,
  fingerprint: '0123456789abcdef0123456789abcdef',
  helpUri: 'https://github.com/secretlint/secretlint/tree/master/packages/%40secretlint/secretlint-rule-github',
  ...over,
});

/** The run services of `h` with `tracker` connected as the workspace's tracker (one "machine"). */
function withTracker(h: Harness, kind: 'azureBoards' | 'github', tracker: WorkTracker): RunServices {
  const trackers = { azure: () => (kind === 'azureBoards' ? tracker : undefined), github: () => (kind === 'github' ? tracker : undefined) };
  return { ...h.services, trackers: { ...trackers, defaultTracker: kind }, remote: new RemoteExecutors(workItemExecutors({ trackers, git: () => ({ push: async () => undefined, createTag: async () => ({ name: '', commit: '' }) }), log: new FakeLogger() })) };
}

describe('security agent: work items', () => {
  describe('the item text', () => {
    it('carries the fingerprint and category in a line read back from Markdown, from the HTML Azure Boards stores and from the created marker', () => {
      const f = finding();
      const text = workItemDescription(f, { at: '2026-12-07T09:00:00.000Z', by: 'Dev' });
      assert.deepEqual(findingRefOf({ description: text }), { fingerprint: f.fingerprint, category: 'secrets' });
      assert.deepEqual(findingRefOf({ description: toHtml(text) }), { fingerprint: f.fingerprint, category: 'secrets' });
      assert.deepEqual(findingRefOf({ description: '<p>moved by hand</p><div><small>Created by AI DevOps (ref security-0123456789abcdef0123456789abcdef)</small></div>' }), { fingerprint: f.fingerprint, category: undefined });
      assert.equal(findingRefOf({ description: 'A bug someone filed about fingerprints: 0123456789abcdef0123456789abcdef' }), undefined);
    });

    it('shows outside text as text: a file name or message cannot make links or HTML in the item', () => {
      const f = finding({ message: 'Found <img src=x onerror=alert(1)> [click](https://evil.example)', file: 'src/`injected`<b>.ts' });
      const text = workItemDescription(f, { at: 'now', by: undefined });
      assert.ok(!/(^|[^\\])<img/.test(text), text);
      assert.ok(!text.includes('[click]('), text);
      assert.ok(text.includes('`src/injected<b>.ts`'), text);
      assert.ok(workItemTitle(f).length <= 250);
      assert.ok(workItemTitle(finding({ message: 'x'.repeat(400) })).length <= 250);
    });
  });

  describe('Azure Boards (the stand-in), two machines', () => {
    let ado: AzureHarness;
    let h: Harness;
    const dirs: string[] = [];
    const setups: TrackerSetup[] = [];
    const machine = async (): Promise<TrackerSetup> => {
      const dir = mkdtempSync(path.join(tmpdir(), 'security-items-'));
      dirs.push(dir);
      const s = await makeTracker(ado, dir);
      setups.push(s);
      return s;
    };

    beforeEach(async () => {
      ado = await startHarness();
      h = await makeHarness();
    });
    afterEach(async () => {
      for (const s of setups.splice(0)) {
        s.tracker.dispose();
        s.outbox.dispose();
      }
      await ado.stop();
      await h.dispose();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    const securityItems = () => [...ado.state.doc.workItems].filter((w) => /\bsecurity\b/.test(String(w.fields['System.Tags'] ?? '')));

    it('files one Bug per finding, tagged security, with the fingerprint on it; a second run and a second machine file none; a fixed finding is offered for closing', async () => {
      const planted = plantedSecrets(21).slice(0, 3);
      for (const p of planted) await h.write(p.file, p.text);
      const a = await machine();
      const first = await runAgent(withTracker(h, 'azureBoards', a.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(first.outcome, 'succeeded', first.error);
      assert.equal(first.plan!.remote.filter((r) => r.kind === 'workItem.create').length, 3);
      const filed = securityItems();
      assert.equal(filed.length, 3);
      for (const w of filed) {
        assert.equal(w.fields['System.WorkItemType'], 'Bug');
        assert.match(String(w.fields['System.Tags']), /security-secrets/);
        const fp = findingRefOf({ description: String(w.fields['System.Description']) })?.fingerprint;
        assert.ok(first.plan!.findings.some((f) => f.fingerprint === fp), 'the fingerprint of a finding is on the item');
        for (const p of planted) assert.ok(!JSON.stringify(w.fields).includes(p.secret), 'no secret value on the item');
      }

      const again = await runAgent(withTracker(h, 'azureBoards', a.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(again.outcome, 'succeeded', again.error);
      assert.equal(again.plan!.remote.length, 0, JSON.stringify(again.plan!.remote.map((r) => r.summary)));
      assert.equal((again.plan!.result as { alreadyFiled: string[] }).alreadyFiled.length, 3);

      const b = await machine();
      const other = await runAgent(withTracker(h, 'azureBoards', b.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(other.outcome, 'succeeded', other.error);
      assert.equal(other.plan!.remote.length, 0, 'the other machine finds the items by their fingerprint');
      assert.equal(securityItems().length, 3);

      // The first secret is fixed: machine B offers to comment on and close its item, and only that one.
      await h.write(planted[0]!.file, '// moved to the environment\nexport const token = process.env.GITHUB_TOKEN;\n');
      const fixed = await runAgent(withTracker(h, 'azureBoards', b.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(fixed.outcome, 'succeeded', fixed.error);
      assert.deepEqual(fixed.plan!.remote.map((r) => r.kind), ['workItem.comment', 'workItem.state']);
      const closedId = (fixed.plan!.remote[1]!.payload as { id: number }).id;
      assert.equal(ado.state.workItem(closedId)?.fields['System.State'], 'Closed');
      assert.equal(securityItems().filter((w) => w.fields['System.State'] !== 'Closed').length, 2);
    });

    it('leaves items open whose category was not scanned, and files nothing below the severity asked for', async () => {
      const [p] = plantedSecrets(22);
      await h.write(p!.file, p!.text);
      const a = await machine();
      const first = await runAgent(withTracker(h, 'azureBoards', a.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(first.outcome, 'succeeded', first.error);
      await h.write(p!.file, '// gone\n');
      const codeOnly = await runAgent(withTracker(h, 'azureBoards', a.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['code'] }, mode: 'plan' });
      assert.equal(codeOnly.outcome, 'succeeded', codeOnly.error);
      assert.deepEqual(codeOnly.plan!.remote, [], 'a secrets item is not closed by a scan that did not look for secrets');
      assert.ok(codeOnly.plan!.notes.some((n) => /left open/.test(n)));

      await h.write('src/b.ts', plantedSecrets(23)[1]!.text);
      const none = await runAgent(withTracker(h, 'azureBoards', a.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'], minSeverity: 'critical', keepOpen: true }, mode: 'plan' });
      assert.equal(none.outcome, 'succeeded', none.error);
      assert.ok(none.plan!.remote.every((r) => r.kind === 'workItem.create'), 'keepOpen closes nothing');
    });

    it('files nothing when the open items cannot be read (they might already exist), and says so', async () => {
      const [p] = plantedSecrets(24);
      await h.write(p!.file, p!.text);
      const a = await machine();
      ado.server.faults.add({ route: 'wit.*', kind: 'status', status: 503 });
      const result = await runAgent(withTracker(h, 'azureBoards', a.tracker), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(result.outcome, 'failed');
      assert.match(result.error ?? '', /could not be read.*no security work item was filed/s);
      assert.equal(securityItems().length, 0);
    });

    it('says how to connect when the tracker is not signed in', async () => {
      const result = await runAgent(h.services, { agent: securityAgent, action: 'workitems', input: {}, mode: 'plan' });
      assert.equal(result.outcome, 'failed');
      assert.match(result.error ?? '', /Azure Boards is not connected.*Sign In/);
    });
  });

  describe('GitHub (the stand-in)', () => {
    let gh: TrackerHarness;
    let h: Harness;
    beforeEach(async () => {
      gh = await startTrackers();
      h = await makeHarness();
    });
    afterEach(async () => {
      await gh.stop();
      await h.dispose();
    });

    it('files issues labelled security, once across two runs and a second window on the same repository', async () => {
      const planted = plantedSecrets(25).slice(0, 2);
      for (const p of planted) await h.write(p.file, p.text);
      const first = await runAgent(withTracker(h, 'github', gh.trackers.issues), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
      assert.equal(first.outcome, 'succeeded', first.error);
      assert.equal(first.plan!.remote.length, 2);
      const other = gh.open({ storageDir: path.join(gh.storageDir, 'cache-b') });
      try {
        const second = await runAgent(withTracker(h, 'github', other.issues), { agent: securityAgent, action: 'workitems', input: { only: ['secrets'] }, mode: 'apply' });
        assert.equal(second.outcome, 'succeeded', second.error);
        assert.equal(second.plan!.remote.length, 0, JSON.stringify(second.plan!.remote.map((r) => r.summary)));
      } finally {
        await other.dispose();
      }
      const issues = (await gh.trackers.issues.list('allOpen')).items.filter((i) => i.tags.includes('security'));
      assert.equal(issues.length, 2);
      assert.ok(issues.every((i) => i.tags.includes('security-secrets')));
    });
  });
});
