import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { connectedProviders, pendingDeploymentsReader } from '../../../src/agents/runtime/executors/pendingDeployments';
import { FileAuditSink } from '../../../src/providers/audit';
import { GitHubClient } from '../../../src/providers/boards/github/githubClient';
import { SANDBOX_GITHUB } from '../../../src/sandbox/identity';
import { Sandbox } from '../../../src/sandbox/sandbox';
import { type AgentRunner } from '../../../src/views/agents/agentRunner';
import { type PendingNode, PendingApprovalsTree } from '../../../src/views/release/pendingApprovalsTree';
import { answerPending } from '../../../src/views/release/registerPendingApprovals';
import { activated, ourExtension } from '../helpers/extension';
import { allowReleaseSteps, quiet, releaseRunner, runEvents, WindowPickers } from '../helpers/releaseRunner';

/**
 * The Pending Approvals view in the extension host against the GitHub stand-in: a Deploy run
 * waiting for the staging environment's reviewers is one row (environment, run, since when,
 * approvers); Approve on it answers through the palette command's plan step (the editor's agent
 * runner, the approval policy, the octokit executor, the audit trail), and the list read again
 * shows where the run waits now. A backend that cannot be read is a row saying why.
 */

interface Manifest {
  contributes: {
    views: Record<string, { id: string; icon?: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    commands: { command: string; title: string; icon?: string }[];
  };
}

describe('Pending Approvals view in the extension host (GitHub stand-in)', function () {
  this.timeout(90_000);
  let restoreApprovals: () => Promise<void>;
  let sandbox: Sandbox;
  let dir: string;
  let sink: FileAuditSink;
  let runner: AgentRunner;
  let tree: PendingApprovalsTree;
  let pickers: WindowPickers;

  before(async () => {
    await activated();
    restoreApprovals = await allowReleaseSteps({ pushPublish: 'allow' });
    sandbox = await Sandbox.start({ stateDir: undefined, log: quiet });
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'pending-view-it-')));
    sink = new FileAuditSink({ workspaceRoot: dir, log: quiet });
    const gh = sandbox.github;
    const repo = gh.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
    const workflow = repo.workflows.find((w) => w.path.endsWith('deploy.yml'))!;
    repo.runs.push({ id: gh.nextId(), workflowId: workflow.id, runNumber: 1, event: 'workflow_dispatch', headBranch: 'v1.0.0', headSha: repo.runs[0]!.headSha, actor: 'avery-chen', createdAt: new Date(Date.now() - 60_000).toISOString(), outcome: 'success', inputs: {} });
    const endpoints = sandbox.endpoints();
    const github = new GitHubClient({ endpoint: endpoints.github!, credential: async () => ({ kind: 'pat', value: sandbox.credentials.githubToken, source: 'sandbox' }), log: quiet });
    const delivery = { azure: async () => assert.fail('Azure is not connected here'), github: async () => github };
    const reader = pendingDeploymentsReader(delivery, connectedProviders({ azure: () => false, github: () => true }));
    runner = releaseRunner(dir, sink, { delivery, providers: async () => ({ pendingDeployments: reader }) });
    tree = new PendingApprovalsTree((signal) => reader.list(signal));
  });
  beforeEach(() => {
    pickers = new WindowPickers();
  });
  afterEach(() => pickers.restore());
  after(async () => {
    await restoreApprovals();
    tree.dispose();
    runner.dispose();
    await sink.close();
    await sandbox.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is contributed in the AI DevOps sidebar with its icon, a when clause for a connected tracker, Refresh, inline Approve/Reject and empty-state text; its commands are registered', async () => {
    const { contributes } = ourExtension().packageJSON as Manifest;
    const view = contributes.views['aiDevops']!.find((v) => v.id === 'aiDevops.pendingApprovals');
    assert.equal(view?.icon, 'media/pending-approvals.svg');
    assert.equal(view?.when, 'aiDevops.azureDevOps.configured || aiDevops.github.configured');
    const inline = contributes.menus['view/item/context']!.filter((m) => m.when?.includes('view == aiDevops.pendingApprovals'));
    assert.deepEqual(inline.map((m) => [m.command, m.group]), [['aiDevops.release.approvePending', 'inline@1'], ['aiDevops.release.rejectPending', 'inline@2']]);
    assert.ok(inline.every((m) => /viewItem == pendingApproval\b/.test(m.when ?? '')));
    assert.ok(contributes.menus['view/title']!.some((m) => m.command === 'aiDevops.release.pendingApprovals.refresh' && m.when === 'view == aiDevops.pendingApprovals'));
    assert.match(contributes.viewsWelcome.find((w) => w.view === 'aiDevops.pendingApprovals')?.contents ?? '', /No deployment waits for approval[\s\S]*\[Refresh\]\(command:aiDevops\.release\.pendingApprovals\.refresh\)/);
    const registered = await vscode.commands.getCommands(true);
    for (const id of ['aiDevops.release.pendingApprovals.refresh', 'aiDevops.release.approvePending', 'aiDevops.release.rejectPending']) assert.ok(registered.includes(id), id);
  });

  it('lists the waiting deployment as one row; Approve answers it through the plan step, the list moves on, and who approved is audited', async () => {
    const rows = await tree.getChildren();
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const item = tree.getTreeItem(rows[0]!);
    assert.equal(item.label, 'staging');
    assert.match(String(item.description), /^Deploy run #1 \(v1\.0\.0\) · since \d{4}-\d\d-\d\d \d\d:\d\d UTC · approvers: /);
    assert.equal(item.contextValue, 'pendingApproval');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'rocket');
    assert.match((item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /started by avery-chen/);

    let answered: { runId: string; outcome: string } | undefined;
    pickers.answerInputs((options) => {
      assert.equal(options?.validateInput?.(''), undefined, 'a comment is optional for an approval');
      return 'Smoke tests green';
    });
    const changed: unknown[] = [];
    const listening = tree.onDidChangeTreeData((e) => changed.push(e));
    await answerPending(tree, rows[0], 'approve', async (input) => {
      assert.deepEqual(input, { approve: (rows[0] as Extract<PendingNode, { kind: 'pending' }>).pending.id, comment: 'Smoke tests green' });
      const result = await runner.run('release', 'approvals', input, { notify: false });
      answered = { runId: result.runId, outcome: result.outcome };
      return result;
    });
    listening.dispose();
    assert.equal(answered?.outcome, 'succeeded');
    assert.ok(changed.length >= 1, 'the view was told to redraw');
    const run = sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!.runs.at(-1)!;
    assert.deepEqual(run.reviews?.map((r) => [r.environment, r.state, r.user, r.comment]), [['staging', 'approved', 'sandbox-user', 'Smoke tests green']]);
    const after = (await tree.getChildren()).map((n) => tree.getTreeItem(n).label);
    assert.ok(!after.includes('staging'), `staging no longer waits: ${JSON.stringify(after)}`);
    const events = await runEvents(dir, answered!.runId);
    assert.ok(events.some((e) => e.eventType === 'remote.applied' && /approved by sandbox-user/.test(String(e.metadata['detail']))), JSON.stringify(events.map((e) => e.eventType)));
  });

  it('Reject needs a reason; Escape answers nothing', async () => {
    const rows = await tree.refresh();
    const pending = rows.find((r) => r.kind === 'pending');
    if (!pending) return assert.ok(rows.every((r) => r.kind === 'pending'), 'no row left to reject is fine, but no problem row either');
    let asked = 0;
    pickers.answerInputs((options) => {
      assert.equal(options?.validateInput?.('  '), 'A rejection says why');
      return undefined;
    });
    await answerPending(tree, pending, 'reject', async () => {
      asked++;
      return undefined;
    });
    assert.equal(asked, 0);
  });

  it('a backend that cannot be read, or a list that fails, is a warning row that says why and refreshes on click; nothing waiting is no row (the welcome text)', async () => {
    const failing = new PendingApprovalsTree(async () => ({ items: [], problems: ['Azure Pipelines: Azure DevOps answered 503; the GitHub list is still shown.'] }));
    const thrown = new PendingApprovalsTree(async () => {
      throw new Error('GitHub answered 401: sign in again (AI DevOps: Sign In).');
    });
    const empty = new PendingApprovalsTree(async () => ({ items: [], problems: [] }));
    try {
      const problem = failing.getTreeItem((await failing.getChildren())[0]!);
      assert.equal(problem.label, 'Azure Pipelines: Azure DevOps answered 503; the GitHub list is still shown.');
      assert.equal((problem.iconPath as vscode.ThemeIcon).id, 'warning');
      assert.equal(problem.command?.command, 'aiDevops.release.pendingApprovals.refresh');
      const [row, ...more] = await thrown.getChildren();
      assert.equal(more.length, 0);
      assert.equal(thrown.getTreeItem(row!).label, 'The pending approvals could not be listed: GitHub answered 401: sign in again (AI DevOps: Sign In).');
      assert.deepEqual(await empty.getChildren(), []);
      pickers.answerInputs(() => assert.fail('no input for a row that is not a deployment'));
      assert.equal(await answerPending(failing, (await failing.getChildren())[0], 'approve', async () => assert.fail('not answered')), undefined);
    } finally {
      failing.dispose();
      thrown.dispose();
      empty.dispose();
    }
  });
});
