import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { releaseAgent } from '../../../../src/agents/release/releaseAgent';
import { runAgent, type RunServices } from '../../../../src/agents/runtime/runAgent';
import { AzurePullRequests } from '../../../../src/providers/boards/azureBoards/azurePullRequests';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { makeTracker, type TrackerSetup } from '../../providers/boards/azureBoardsSetup';
import { type Harness as AzureHarness, PAT_HEADER, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeHarness, type Harness } from '../runtime/harness';
import { FixtureRepo } from './fixtureRepo';

/**
 * Azure Repos merges say "Merged PR 12: title" and name no work item themselves: the items are
 * linked to the pull request. The plan reads them through azure-devops-node-api's
 * getPullRequestWorkItemRefs against the stand-in's route, with their titles from Azure Boards.
 */
describe('release notes: work items linked to merged Azure Repos pull requests (the Azure DevOps stand-in)', function () {
  this.timeout(60_000);
  let ado: AzureHarness;
  let dir: string;
  let s: TrackerSetup;
  let h: Harness;
  let repo: FixtureRepo;

  beforeEach(async () => {
    ado = await startHarness();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-release-pr-'));
    s = await makeTracker(ado, dir);
    h = await makeHarness();
    repo = new FixtureRepo(h.root);
    repo.write('package.json', '{\n  "name": "fabrikam",\n  "version": "1.0.0"\n}\n');
    repo.commit('chore: init');
    repo.tag('v1.0.0');
  });
  afterEach(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await ado.stop();
    await h.dispose();
    repo.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const services = (read: RunServices['trackers']['azurePullRequestWorkItems'] | 'connected'): RunServices => ({
    ...h.services,
    trackers: {
      azure: () => s.tracker,
      github: () => undefined,
      defaultTracker: 'azureBoards',
      ...(read === 'connected' ? { azurePullRequestWorkItems: (ids, signal) => new AzurePullRequests(s.tracker.azure).linkedWorkItems(ids, signal) } : read ? { azurePullRequestWorkItems: read } : {}),
    },
    git: async (r) => new WorkspaceGit(r, { trusted: () => true }),
  });
  const itemId = (title: string): number => ado.state.doc.workItems.find((w) => w.fields['System.Title'] === title)!.id;
  /** The demo's open pull request (linked to "Reset a forgotten password"), and a second one made through the API with another item linked. */
  const pullRequests = async (): Promise<{ reset: number; orders: number }> => {
    const reset = ado.state.doc.repositories.flatMap((r) => r.pullRequests).find((p) => p.title === 'Email the password reset link')!.pullRequestId;
    const api = await ado.api().getGitApi();
    const gitRepo = (await api.getRepositories(SANDBOX_PROJECT)).find((r) => r.name === SANDBOX_PROJECT)!;
    const made = await api.createPullRequest({ sourceRefName: 'refs/heads/feature/structured-logging', targetRefName: 'refs/heads/main', title: 'Page the orders API', workItemRefs: [{ id: String(itemId('Paginate the orders API')) }] }, gitRepo.id!, SANDBOX_PROJECT);
    return { reset, orders: made.pullRequestId! };
  };

  it('a true merge and a squash merge bring their linked items, titles resolved, onto the commits they brought in', async () => {
    const { reset, orders } = await pullRequests();
    repo.branch('feature/password-reset');
    const resetCommit = repo.commit('feat(auth): email the password reset link');
    repo.checkout('main');
    const merge = repo.merge('feature/password-reset', `Merged PR ${reset}: Email the password reset link`);
    const squash = repo.commit(`Merged PR ${orders}: Page the orders API`);

    const result = await runAgent(services('connected'), { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const out = result.plan!.result! as { workItems: { key: string; title: string | null }[]; commits: { hash: string; workItems: string[] }[]; notes: string };
    const resetItem = `AB#${itemId('Reset a forgotten password')}`;
    const ordersItem = `AB#${itemId('Paginate the orders API')}`;
    assert.deepEqual(
      out.workItems.map((w) => [w.key, w.title]),
      [
        [ordersItem, 'Paginate the orders API'],
        [resetItem, 'Reset a forgotten password'],
      ],
    );
    assert.deepEqual(out.commits.find((c) => c.hash === resetCommit)!.workItems, [resetItem]);
    assert.deepEqual(out.commits.find((c) => c.hash === squash)!.workItems, [ordersItem]);
    assert.ok(!out.commits.some((c) => c.hash === merge), 'the merge commit is not an entry');
    assert.match(out.notes, new RegExp(`- \\*\\*auth:\\*\\* email the password reset link \\(${resetCommit.slice(0, 7)}; \\[${resetItem}\\]\\([^)]+/_workitems/edit/\\d+\\) Reset a forgotten password\\)`));
    assert.match(out.notes, new RegExp(`- Merged PR ${orders}: Page the orders API \\(${squash.slice(0, 7)}; \\[${ordersItem}\\]\\([^)]+\\) Paginate the orders API\\)`));
  });

  it('a pull request the project does not have is named in a note; the others are still read', async () => {
    const { reset } = await pullRequests();
    repo.commit(`Merged PR ${reset}: Email the password reset link`);
    repo.commit('Merged PR 9999: Something from elsewhere');
    const result = await runAgent(services('connected'), { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual((result.plan!.result! as { workItems: { key: string }[] }).workItems.map((w) => w.key), [`AB#${itemId('Reset a forgotten password')}`]);
    assert.ok(result.plan!.notes.some((n) => /The work items linked to PR 9999 \(Pull request 9999 was not found in .+\) could not be read/.test(n)), result.plan!.notes.join('\n'));
  });

  it('without Azure DevOps, or when the read fails, the notes say so and list what the commits name', async () => {
    repo.commit('Merged PR 12: Something (AB#3)');
    let result = await runAgent(services(undefined), { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.ok(result.plan!.notes.some((n) => n === '1 merged pull request (PR 12) could not be read for their linked work items: Azure DevOps is not connected.'), result.plan!.notes.join('\n'));
    result = await runAgent(services(async () => Promise.reject(new Error('socket hang up'))), { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.ok(result.plan!.notes.some((n) => /^The work items linked to 1 merged pull request \(PR 12\) could not be read \(socket hang up\)/.test(n)), result.plan!.notes.join('\n'));
  });

  it('the stand-in answers the route with the real shape; an answer that is not work item refs is an error for that pull request', async () => {
    const { reset, orders } = await pullRequests();
    const res = await fetch(`${ado.orgUrl}/${SANDBOX_PROJECT}/_apis/git/repositories/${SANDBOX_PROJECT}/pullRequests/${reset}/workitems?api-version=7.1`, { headers: PAT_HEADER });
    const body = (await res.json()) as { count: number; value: { id: unknown; url: string }[] };
    assert.deepEqual(body, { count: 1, value: [{ id: String(itemId('Reset a forgotten password')), url: `${ado.orgUrl}/_apis/wit/workItems/${itemId('Reset a forgotten password')}` }] });
    const pr = ado.state.doc.repositories.flatMap((r) => r.pullRequests).find((p) => p.pullRequestId === orders)!;
    pr.workItemIds = [-1];
    const got = await new AzurePullRequests(s.tracker.azure).linkedWorkItems([reset, orders]);
    assert.deepEqual(got.get(reset), [itemId('Reset a forgotten password')]);
    const bad = got.get(orders);
    assert.ok(bad instanceof Error && /answered the work items of pull request \d+ with something that is not a list of work item references/.test(bad.message), String(bad));
  });
});
