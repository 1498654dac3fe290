import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as vscode from 'vscode';
import { connectedProviders, pendingDeploymentsReader } from '../../../src/agents/runtime/executors/pendingDeployments';
import { FileAuditSink } from '../../../src/providers/audit';
import { AzureConnection } from '../../../src/providers/boards/azureBoards/azureConnection';
import { GitHubClient } from '../../../src/providers/boards/github/githubClient';
import { SANDBOX_GITHUB, SANDBOX_USER } from '../../../src/sandbox/identity';
import { Sandbox } from '../../../src/sandbox/sandbox';
import { type AgentRunner } from '../../../src/views/agents/agentRunner';
import { collectApprovals } from '../../../src/views/agents/releaseCommands';
import { activated } from '../helpers/extension';
import { allowReleaseSteps, assertTrustedPaletteCommand, quiet, releaseRunner, runEvents, WindowPickers } from '../helpers/releaseRunner';

/**
 * Review Pending Deployment Approvals… in the extension host, against a sandbox of its own: an
 * Azure Pipelines run waiting at its staging approval and a GitHub Actions run waiting for the
 * staging environment's reviewers. The command's own quick picks are answered by the test (the
 * picks VS Code would show), the answer goes through the editor's agent runner (approval policy,
 * the delivery executors through azure-devops-node-api and octokit), and the audit trail names who
 * answered. The approval setting allows the release agent's remote step here (the review list needs
 * a person) and is restored afterwards.
 */

describe('Review Pending Deployment Approvals… in the extension host (Azure DevOps and GitHub stand-ins)', function () {
  this.timeout(90_000);
  let restoreApprovals: () => Promise<void>;
  let sandbox: Sandbox;
  let dir: string;
  let sink: FileAuditSink;
  let runner: AgentRunner;
  let pickers: WindowPickers;

  before(async () => {
    await activated();
    restoreApprovals = await allowReleaseSteps({ pushPublish: 'allow' });
    sandbox = await Sandbox.start({ stateDir: undefined, log: quiet });
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'approvals-it-')));
    sink = new FileAuditSink({ workspaceRoot: dir, log: quiet });

    // Azure: a deployment pipeline whose run (ten minutes old) waits at the staging approval.
    const ado = sandbox.azureDevOps;
    const ci = ado.doc.pipelines[0]!;
    const now = Date.now();
    ado.doc.pipelines.push({
      ...ci,
      id: ado.next('pipeline'),
      name: 'contoso-web-deploy',
      yamlPath: '/deploy.yml',
      stages: [
        { name: 'Build', job: 'Build', steps: ['Compile'] },
        { name: 'Deploy staging', job: 'Deploy', steps: ['Deploy to staging'], environment: 'staging' },
        { name: 'Deploy production', job: 'Deploy', steps: ['Deploy to production'], environment: 'production' },
      ],
      runs: [{ id: ado.next('pipelineRun'), name: '20261207.1', createdDate: new Date(now - 10 * 60_000).toISOString(), queuedSeconds: 5, runSeconds: 60, result: 'succeeded', refName: 'refs/tags/v1.1.0', requestedById: SANDBOX_USER.adoId, templateParameters: {}, variables: {} }],
    });
    // GitHub: a Deploy run (a minute old) waiting for the staging environment's reviewers.
    const gh = sandbox.github;
    const repo = gh.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
    const workflow = repo.workflows.find((w) => w.path.endsWith('deploy.yml'))!;
    repo.runs.push({ id: gh.nextId(), workflowId: workflow.id, runNumber: 1, event: 'workflow_dispatch', headBranch: 'v1.0.0', headSha: repo.runs[0]!.headSha, actor: 'avery-chen', createdAt: new Date(now - 60_000).toISOString(), outcome: 'success', inputs: {} });

    const endpoints = sandbox.endpoints();
    const azure = new AzureConnection({ endpoint: endpoints.azureDevOps!, credential: async () => ({ kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' }), log: quiet, retries: 0 });
    const github = new GitHubClient({ endpoint: endpoints.github!, credential: async () => ({ kind: 'pat', value: sandbox.credentials.githubToken, source: 'sandbox' }), log: quiet });
    const delivery = { azure: async () => azure, github: async () => github };
    runner = releaseRunner(dir, sink, {
      delivery,
      providers: async () => ({ pendingDeployments: pendingDeploymentsReader(delivery, connectedProviders({ azure: () => true, github: () => true })) }),
    });
  });
  beforeEach(() => {
    pickers = new WindowPickers();
  });
  afterEach(() => pickers.restore());
  after(async () => {
    await restoreApprovals();
    runner.dispose();
    await sink.close();
    await sandbox.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Answers the command's quick picks: the deployment whose label matches, then the decision; the comment box with `comment`. */
  function script(deployment: RegExp, decision: 'Approve' | 'Reject', comment: string): { shown: vscode.QuickPickItem[][] } {
    pickers
      .answerPicks((list, step) => (step === 1 ? list.find((i) => deployment.test(`${i.label} ${i.description ?? ''}`)) : list.find((i) => i.label.endsWith(decision))))
      .answerInputs((options) => {
        if (decision === 'Reject') assert.equal(options?.validateInput?.('   '), 'A rejection says why');
        return comment;
      });
    return { shown: pickers.shown };
  }

  it('is contributed for the palette with its title and icon, in trusted folders only, and registered by the extension', async () => {
    await assertTrustedPaletteCommand('aiDevops.agents.releaseApprovals', 'Review Pending Deployment Approvals…', '$(pass)');
  });

  it('lists both backends\' waiting deployments and rejects the Azure one with the reason: the stage fails, who rejected is audited', async () => {
    const { shown } = script(/staging .*contoso-web-deploy run 20261207\.1/, 'Reject', 'Staging smoke tests red');
    const input = await collectApprovals([], runner);
    const listed = shown[0]!;
    assert.equal(listed.length, 2, JSON.stringify(listed));
    assert.deepEqual(listed.map((i) => i.label).sort(), ['$(rocket) staging', '$(rocket) staging']);
    assert.ok(listed.some((i) => /Deploy run #1 \(v1\.0\.0\) · GitHub/.test(i.description ?? '') && /requested by avery-chen/.test(i.detail ?? '')), JSON.stringify(listed));
    assert.ok(listed.some((i) => /contoso-web-deploy run 20261207\.1 \(v1\.1\.0\) · Azure Pipelines · stage Deploy staging/.test(i.description ?? '') && /requested by Sandbox User .*instructions: Check the staging smoke tests before approving\./.test(i.detail ?? '')), JSON.stringify(listed));
    assert.deepEqual(shown[1]!.map((i) => i.label), ['$(check) Approve', '$(close) Reject', '$(link-external) Open the run']);
    assert.ok(input && typeof input === 'object' && 'reject' in input);
    const result = await runner.run('release', 'approvals', input, { notify: false });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.match(result.applied.remote[0]!.detail, /^Deploy staging rejected by Sandbox User for run 20261207\.1 of contoso-web-deploy: the run stops there$/);
    const run = sandbox.azureDevOps.doc.pipelines.at(-1)!.runs[0]!;
    assert.deepEqual(run.approvals?.map((a) => [a.stage, a.status, a.byId, a.comment]), [['Deploy staging', 'rejected', SANDBOX_USER.adoId, 'Staging smoke tests red']]);
    const events = await runEvents(dir, result.runId);
    const applied = events.find((e) => e.eventType === 'remote.applied');
    assert.match(String(applied?.metadata['detail']), /rejected by Sandbox User/);
  });

  it('approves the GitHub one: the run goes on to production, the review is recorded under the signed-in user', async () => {
    const { shown } = script(/Deploy run #1/, 'Approve', '');
    const input = await collectApprovals([], runner);
    assert.equal(shown[0]!.length, 1, 'the rejected Azure run no longer waits');
    const result = await runner.run('release', 'approvals', input, { notify: false });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.match(result.applied.remote[0]!.detail, /^staging approved by sandbox-user for run #1; /);
    const run = sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!.runs.at(-1)!;
    assert.deepEqual(run.reviews?.map((r) => [r.environment, r.state, r.user, r.comment]), [['staging', 'approved', 'sandbox-user', 'Approved from AI DevOps']]);
  });
});
