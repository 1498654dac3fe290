import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApprovalPolicy } from '../../../../src/agents/runtime/approvalPolicy';
import { type RemoteChange } from '../../../../src/agents/runtime/plan';
import { type RemoteExecutor, RemoteExecutors } from '../../../../src/agents/runtime/remote';
import { runAgent, type RunServices } from '../../../../src/agents/runtime/runAgent';
import { defaultRemoteExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { scaffoldAgent } from '../../../../src/agents/scaffold/scaffoldAgent';
import { type WorkTracker } from '../../../../src/core/boards/workTracker';
import { type CodeHosts, type PullRequestRequest } from '../../../../src/core/boards/codeHost';
import { remoteRepositoryOf } from '../../../../src/core/boards/remoteRepository';
import { acceptanceCriteriaOf } from '../../../../src/core/boards/acceptanceCriteria';
import { ProjectWiki } from '../../../../src/providers/boards/azureBoards/projectWiki';
import { sendPullRequest } from '../../../../src/providers/boards/pullRequestWrites';
import { sendWikiPage } from '../../../../src/providers/boards/wikiPageWrites';
import { withAccount, type WriteTarget } from '../../../../src/core/boards/writeTarget';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { GitHubState } from '../../../../src/sandbox/github';
import { SANDBOX_GITHUB, SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';
import { makeTracker, type TrackerSetup } from '../../providers/boards/azureBoardsSetup';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { type Harness as AzureHarness, startHarness } from '../../sandbox/azureDevOps/harness';
import { type Harness, makeHarness } from '../runtime/harness';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A repository on main with one commit, its origin a bare repository next to it (git's own protocol, no network). */
async function repositoryWithOrigin(root: string): Promise<string> {
  const bare = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-origin-'));
  git(bare, 'init', '--bare', '-q', '-b', 'main');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.email', 'dev@example.com');
  git(root, 'config', 'user.name', 'Dev');
  git(root, 'config', 'commit.gpgsign', 'false');
  await fs.writeFile(path.join(root, 'README.md'), '# workspace\n');
  git(root, 'add', 'README.md');
  git(root, 'commit', '-q', '-m', 'first');
  git(root, 'remote', 'add', 'origin', bare);
  git(root, 'push', '-q', 'origin', 'main');
  return bare;
}

/**
 * The stand-ins do not speak git's wire protocol, so after the real push to the bare origin this
 * puts the pushed branch where the hosting service would have it (a commit on top of main with the
 * same message) before the pull request is opened against it.
 */
function mirroringPush(base: RemoteExecutor, mirror: (branch: string, message: string) => Promise<void>): RemoteExecutor {
  return {
    kind: 'git.push',
    execute: async (change: RemoteChange, context) => {
      const outcome = await base.execute(change, context);
      const branch = (change.payload as { refs: string[] }).refs[0]!;
      await mirror(branch, git(context.workspaceRoot, 'log', '-1', '--format=%B', branch));
      return outcome;
    },
  };
}

function servicesWith(h: Harness, trackers: { azure?: WorkTracker; github?: WorkTracker }, codeHosts: CodeHosts, mirror: (branch: string, message: string) => Promise<void>, defaultTracker: 'azureBoards' | 'github'): RunServices {
  const deps = { trackers: { azure: () => trackers.azure, github: () => trackers.github }, git: (r: string) => new WorkspaceGit(r, { trusted: () => true }), log: new FakeLogger(), codeHosts };
  const executors = defaultRemoteExecutors(deps);
  const remote = new RemoteExecutors(executors.kinds().map((k) => (k === 'git.push' ? mirroringPush(executors.get(k)!, mirror) : executors.get(k)!)));
  return {
    ...h.services,
    trackers: { azure: () => trackers.azure, github: () => trackers.github, defaultTracker },
    git: async (r) => new WorkspaceGit(r, { trusted: () => true }),
    remote,
  };
}

describe('scaffold linked to a work item', () => {
  describe('Azure Boards and Azure Repos (the Azure DevOps stand-in, azure-devops-node-api)', () => {
    let ado: AzureHarness;
    let dir: string;
    let s: TrackerSetup;
    let h: Harness;
    let bare: string;
    beforeEach(async () => {
      ado = await startHarness();
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-link-'));
      s = await makeTracker(ado, dir);
      h = await makeHarness({ user: { defaults: { writeFiles: 'allow', runCommand: 'allow', trackerWrite: 'allow', pushPublish: 'allow' } } });
      bare = await repositoryWithOrigin(h.root);
    });
    afterEach(async () => {
      s.tracker.dispose();
      s.outbox.dispose();
      await ado.stop();
      await h.dispose();
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rm(bare, { recursive: true, force: true });
    });

    const storyId = (): number => ado.state.doc.workItems.find((w) => w.fields['System.Title'] === 'Sign in with email and password')!.id;
    // As the TrackerSet does: pull requests go through the outbox to the tracker's project, as its account.
    const target = async (): Promise<WriteTarget> => withAccount(s.tracker.home, await s.tracker.account());
    const codeHosts = (): CodeHosts => ({
      openPullRequest: async (_k, request, write) => sendPullRequest(s.outbox, await target(), request, write),
      writeWikiPage: async (pagePath, content, write) => sendWikiPage(s.outbox, await target(), pagePath, content, write),
      wiki: async () => new ProjectWiki(s.tracker.azure),
    });
    const open = async (branch: string): Promise<number> => {
      const api = await ado.api().getGitApi();
      const repo = (await api.getRepositories(SANDBOX_PROJECT)).find((r) => r.name === SANDBOX_PROJECT)!;
      return (await api.getPullRequests(repo.id!, { sourceRefName: `refs/heads/${branch}`, status: 1 }, SANDBOX_PROJECT)).length;
    };
    const request = (branch: string, extra: Partial<PullRequestRequest> = {}): PullRequestRequest => ({ sourceBranch: branch, targetBranch: 'main', title: 't', description: 'd', ...extra });
    const mirror = async (branch: string, message: string): Promise<void> => {
      const api = await ado.api().getGitApi();
      const repo = (await api.getRepositories(SANDBOX_PROJECT)).find((r) => r.name === SANDBOX_PROJECT)!;
      const main = (await api.getRefs(repo.id!, SANDBOX_PROJECT, 'heads/main'))[0]!;
      if ((await api.getRefs(repo.id!, SANDBOX_PROJECT, `heads/${branch}`)).some((r) => r.name === `refs/heads/${branch}`)) return;
      await api.createPush({ refUpdates: [{ name: `refs/heads/${branch}`, oldObjectId: main.objectId! }], commits: [{ comment: message, changes: [{ changeType: 1, item: { path: `/scaffold-${branch}.txt` }, newContent: { content: 'scaffolded', contentType: 0 } }] }] }, repo.id!, SANDBOX_PROJECT);
    };

    it('branch task-<id>-dev, a commit naming AB#id, the push, a pull request with the acceptance criteria linked to the item, and a wiki page; each audited', async () => {
      const id = storyId();
      const services = servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards');
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', folder: 'orders', workItem: `AB#${id}` } });
      assert.equal(result.outcome, 'succeeded', result.error);
      const plan = result.plan!;
      assert.deepEqual(plan.commands.map((c) => c.args.slice(0, 2).join(' ')), ['switch -c', 'add --', 'commit -m']);
      assert.deepEqual(plan.remote.map((r) => r.kind), ['git.push', 'pullRequest.create', 'wiki.page']);
      assert.ok(plan.notes.some((n) => n === `AB#${id} is Closed, so it was not moved back into the work; reopen it yourself if the work starts again.`), plan.notes.join('\n'));
      // Local: the branch, and a commit naming the item that holds exactly the generated files.
      assert.equal(git(h.root, 'branch', '--show-current'), `task-${id}-dev`);
      assert.match(git(h.root, 'log', '-1', '--format=%B'), new RegExp(`AB#${id}`));
      const committed = git(h.root, 'show', '--name-only', '--format=', 'HEAD').split('\n');
      assert.deepEqual(committed.sort(), (plan.result!.files as string[]).slice().sort());
      // The origin got the branch.
      assert.equal(git(bare, 'rev-parse', `task-${id}-dev`), git(h.root, 'rev-parse', 'HEAD'));
      // The pull request: description with the acceptance criteria, the work item linked.
      const api = await ado.api().getGitApi();
      const repo = (await api.getRepositories(SANDBOX_PROJECT)).find((r) => r.name === SANDBOX_PROJECT)!;
      const prs = await api.getPullRequests(repo.id!, { sourceRefName: `refs/heads/task-${id}-dev`, status: 1 }, SANDBOX_PROJECT);
      assert.equal(prs.length, 1);
      assert.equal(prs[0]!.targetRefName, 'refs/heads/main');
      assert.match(prs[0]!.description ?? '', /Wrong password shows an error/);
      assert.match(prs[0]!.description ?? '', /Five failures lock the form for a minute/);
      const item = ado.state.doc.workItems.find((w) => w.id === id)!;
      assert.ok(item.relations.some((r) => r.rel === 'ArtifactLink' && r.url.includes(`%2F${prs[0]!.pullRequestId}`)), 'the pull request is linked to the work item');
      // The wiki page says what was generated and why.
      const wikiApi = await ado.api().getWikiApi();
      const [wiki] = await wikiApi.getAllWikis(SANDBOX_PROJECT);
      const page = plan.remote.find((r) => r.kind === 'wiki.page')!.payload as { path: string };
      const text = await new Promise<string>((resolve, reject) => {
        wikiApi.getPageText(SANDBOX_PROJECT, wiki!.id!, page.path, undefined, undefined, true).then((stream) => {
          let out = '';
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('end', () => resolve(out));
          stream.on('error', reject);
        }, reject);
      });
      assert.match(text, /flask project/);
      assert.match(text, new RegExp(`AB#${id}`));
      assert.match(text, /orders\/app\//);
      // Every step is in the audit trail.
      const events = await h.events();
      const applied = events.filter((e) => e.eventType === 'remote.applied').map((e) => e.metadata.kind);
      assert.deepEqual(applied, ['git.push', 'pullRequest.create', 'wiki.page']);
      assert.equal(events.filter((e) => e.eventType === 'command.run').length, 3);
    });

    it('an item in New moves to Active (In Progress) before anything is sent, through the approval policy and audited; Code Review is Active too, so the pull request moves nothing more', async () => {
      const id = storyId();
      const wit = await ado.api().getWorkItemTrackingApi();
      await wit.updateWorkItem(null, [{ op: 'add', path: '/fields/System.State', value: 'New' }], id, SANDBOX_PROJECT);
      const services = servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards');
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', folder: 'orders', workItem: `AB#${id}` } });
      assert.equal(result.outcome, 'succeeded', result.error);
      const plan = result.plan!;
      assert.deepEqual(plan.remote.map((r) => `${r.kind}:${r.id}`), ['workItem.state:move-start', 'git.push:push', 'pullRequest.create:pullRequest', 'wiki.page:wiki']);
      const move = plan.remote[0]!;
      assert.equal(move.approval, 'trackerWrite');
      assert.deepEqual(move.payload, { tracker: 'azureBoards', id, state: 'Active' });
      assert.equal(move.summary, `AB#${id} → Active (In Progress): the scaffold starts its work`);
      assert.equal(ado.state.doc.workItems.find((w) => w.id === id)!.fields['System.State'], 'Active');
      const applied = (await h.events()).filter((e) => e.eventType === 'remote.applied').map((e) => e.metadata.kind);
      assert.deepEqual(applied, ['workItem.state', 'git.push', 'pullRequest.create', 'wiki.page']);
    });

    it('the move is declined in the review like any remote step: the item stays New', async () => {
      const id = storyId();
      const wit = await ado.api().getWorkItemTrackingApi();
      await wit.updateWorkItem(null, [{ op: 'add', path: '/fields/System.State', value: 'New' }], id, SANDBOX_PROJECT);
      h.ui.review = async (r) => ({ edits: r.edits.map((e) => e.path), commands: r.plan.commands.map((_c, i) => i), remote: r.plan.remote.filter((c) => c.kind !== 'workItem.state').map((c) => c.id) });
      const services = { ...servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards'), approvals: async () => new ApprovalPolicy({ defaults: { writeFiles: 'allow', runCommand: 'allow', trackerWrite: 'ask', pushPublish: 'allow' } }, { kind: 'absent' }) };
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: `AB#${id}` } });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.equal(result.plan!.remote[0]!.kind, 'workItem.state');
      assert.equal(ado.state.doc.workItems.find((w) => w.id === id)!.fields['System.State'], 'New');
    });

    it('a second run opens no second pull request (the open one is found)', async () => {
      const id = storyId();
      const services = servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards');
      const first = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', folder: 'orders', workItem: `AB#${id}` } });
      assert.equal(first.outcome, 'succeeded', first.error);
      const pr = first.applied!.remote.find((r) => r.kind === 'pullRequest.create')!;
      const again = await sendPullRequest(s.outbox, await target(), request(`task-${id}-dev`, { title: 'again' }), { clientId: 'another-run:pullRequest' });
      assert.equal(again.kind, 'applied');
      assert.ok(again.kind === 'applied' && again.existed);
      assert.equal(again.kind === 'applied' && again.url, pr.url);
      assert.equal(await open(`task-${id}-dev`), 1);
    });

    it('declining the remote steps in the review: the branch and the commit stay local, nothing is pushed or opened', async () => {
      const id = storyId();
      h.ui.review = async (r) => ({ edits: r.edits.map((e) => e.path), commands: r.plan.commands.map((_c, i) => i), remote: [] });
      const services = {
        ...servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards'),
        approvals: async () => new ApprovalPolicy({ defaults: { writeFiles: 'allow', runCommand: 'allow', trackerWrite: 'ask', pushPublish: 'ask' } }, { kind: 'absent' }),
      };
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: `AB#${id}` } });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.deepEqual(result.plan!.remote.map((r) => r.kind), ['git.push', 'pullRequest.create', 'wiki.page'], 'all three were offered');
      assert.equal(git(h.root, 'branch', '--show-current'), `task-${id}-dev`);
      assert.throws(() => git(bare, 'rev-parse', '--verify', '-q', `task-${id}-dev`));
      const api = await ado.api().getGitApi();
      const repo = (await api.getRepositories(SANDBOX_PROJECT)).find((r) => r.name === SANDBOX_PROJECT)!;
      assert.equal((await api.getPullRequests(repo.id!, { sourceRefName: `refs/heads/task-${id}-dev` }, SANDBOX_PROJECT)).length, 0);
    });

    it('a work item that does not exist, or a tracker that is not connected, is a clear error before anything is written', async () => {
      const services = servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards');
      const missing = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: 'AB#99999' } });
      assert.equal(missing.outcome, 'failed');
      assert.match(missing.error ?? '', /AB#99999 does not exist/);
      const offline = await runAgent({ ...services, trackers: { azure: () => undefined, github: () => undefined, defaultTracker: 'azureBoards' } }, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: 'AB#1' } });
      assert.match(offline.error ?? '', /Azure Boards is not connected/);
      const nonsense = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: 'tomorrow' } });
      assert.match(nonsense.error ?? '', /does not name a work item/);
      assert.equal(await h.read('app/__init__.py'), undefined);
    });

    it('pull requests under faults go through the outbox: a garbled or cut-off answer to a create that was made is found, not reported failed or made twice; a dropped or 503 create waits in the outbox and is sent once; refusals say why', async () => {
      const send = async (branch: string, extra: Partial<PullRequestRequest> = {}) => sendPullRequest(s.outbox, await target(), request(branch, extra), { clientId: `faults:${branch}` });
      for (const [i, kind] of (['malformed', 'truncate'] as const).entries()) {
        const branch = `task-90${i}-dev`;
        await mirror(branch, `work ${i}`);
        ado.server.faults.add({ route: 'git.pullRequests.create', kind, times: 1 });
        const made = await send(branch);
        assert.equal(made.kind, 'applied', `${kind}: ${JSON.stringify(made)}`);
        assert.equal(await open(branch), 1, `${kind}: exactly one`);
      }
      for (const [i, fault] of ([{ kind: 'drop' }, { kind: 'status', status: 503 }] as const).entries()) {
        const branch = `task-91${i}-dev`;
        await mirror(branch, 'work');
        // Every attempt of the first call fails; the change is kept, not lost, and not reported made.
        ado.server.faults.add({ route: 'git.pullRequests.create', ...fault, times: 20 });
        const first = await send(branch);
        ado.server.faults.clear();
        assert.ok(first.kind === 'queued' || first.kind === 'applied', `${fault.kind}: ${JSON.stringify(first)}`);
        if (first.kind === 'queued') {
          assert.ok(s.outbox.entries().some((e) => e.kind === 'pullRequest.create'), 'waits in the outbox');
          await s.outbox.flush();
        }
        assert.equal(await open(branch), 1, `${fault.kind}: sent once`);
        assert.ok(!s.outbox.entries().some((e) => e.kind === 'pullRequest.create'), 'nothing left waiting');
      }
      const missingBranch = await send('no-such-branch');
      assert.equal(missingBranch.kind, 'refused');
      assert.match(missingBranch.kind === 'refused' ? missingBranch.message : '', /TF401398|source and\/or the target branch/);
      const missingRepo = await send('x', { repository: 'nope' });
      assert.match(missingRepo.kind === 'refused' ? missingRepo.message : '', /has no repository named "nope"/);
    });

    it('a pull request the service cannot take now waits in the outbox; the run says so, keeps what was done, and the outbox opens it once', async () => {
      const id = storyId();
      const services = servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards');
      ado.server.faults.add({ route: 'git.pullRequests.*', kind: 'status', status: 503, times: 40 });
      const first = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: `AB#${id}` } });
      ado.server.faults.clear();
      assert.equal(first.outcome, 'succeeded', first.error);
      assert.equal(first.applied!.remote.find((r) => r.kind === 'git.push')?.outcome, 'applied');
      assert.equal(first.applied!.remote.find((r) => r.kind === 'pullRequest.create')?.outcome, 'queued');
      assert.equal(first.applied!.remote.find((r) => r.kind === 'wiki.page')?.outcome, 'applied', 'the wiki page does not wait for the pull request');
      await s.outbox.flush();
      assert.equal(await open(`task-${id}-dev`), 1);
      const again = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: `AB#${id}` } });
      assert.equal(again.outcome, 'succeeded', again.error);
      assert.deepEqual(again.plan!.commands, [], 'on the branch already, every file as the template writes it: nothing to commit');
      assert.match(again.applied!.remote.find((r) => r.kind === 'pullRequest.create')?.detail ?? '', /pull request already open/);
      assert.equal(await open(`task-${id}-dev`), 1);
    });

    it('a wiki page Azure DevOps cannot take now waits in the outbox; the run says so and the outbox writes it once', async () => {
      const id = storyId();
      await fs.rm(path.join(h.root, '.git'), { recursive: true, force: true });
      const services = { ...servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards'), git: async () => undefined };
      ado.server.faults.add({ route: 'wiki.pages.*', kind: 'status', status: 503, times: 40 });
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: `AB#${id}` } });
      ado.server.faults.clear();
      assert.equal(result.outcome, 'succeeded', result.error);
      const wiki = result.applied!.remote.find((r) => r.kind === 'wiki.page')!;
      assert.equal(wiki.outcome, 'queued');
      assert.match(wiki.detail ?? '', /waiting in the outbox/);
      assert.equal(await s.outbox.flush(), 1);
      const page = result.plan!.remote.find((r) => r.kind === 'wiki.page')!.payload as { path: string };
      const wikiApi = await ado.api().getWikiApi();
      const [projectWiki] = await wikiApi.getAllWikis(SANDBOX_PROJECT);
      const stream = await wikiApi.getPageText(SANDBOX_PROJECT, projectWiki!.id!, page.path, undefined, undefined, true);
      let text = '';
      for await (const chunk of stream) text += String(chunk);
      assert.match(text, /What was generated/);
    });

    it('a pull request queued before a restart is sent by a new outbox on the same file, through the tracker\'s own connection, once', async () => {
      const branch = 'task-920-dev';
      await mirror(branch, 'work');
      ado.server.faults.add({ route: 'git.pullRequests.*', kind: 'status', status: 503, times: 40 });
      const queued = await sendPullRequest(s.outbox, await target(), request(branch), { clientId: 'restart:pullRequest' });
      ado.server.faults.clear();
      assert.equal(queued.kind, 'queued');
      s.tracker.dispose();
      s.outbox.dispose();
      // The window restarts: a new outbox and tracker on the same folder; nothing else is loaded.
      s = await makeTracker(ado, dir);
      assert.equal(await s.outbox.flush(), 1);
      assert.equal(await open(branch), 1);
    });

    it('without git: no branch, commit or pull request (the notes say why), the wiki page still', async () => {
      const id = storyId();
      await fs.rm(path.join(h.root, '.git'), { recursive: true, force: true });
      const services = { ...servicesWith(h, { azure: s.tracker }, codeHosts(), mirror, 'azureBoards'), git: async () => undefined };
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', workItem: `AB#${id}` } });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.deepEqual(result.plan!.commands, []);
      assert.deepEqual(result.plan!.remote.map((r) => r.kind), ['wiki.page']);
      assert.ok(result.plan!.notes.some((n) => /not a git repository/.test(n)));
    });
  });

  describe('GitHub (the GitHub stand-in, Octokit)', () => {
    let t: TrackerHarness;
    let h: Harness;
    let bare: string;
    beforeEach(async () => {
      t = await startTrackers();
      h = await makeHarness({ user: { defaults: { writeFiles: 'allow', runCommand: 'allow', trackerWrite: 'allow', pushPublish: 'allow' } } });
      bare = await repositoryWithOrigin(h.root);
    });
    afterEach(async () => {
      await t.stop();
      await h.dispose();
      await fs.rm(bare, { recursive: true, force: true });
    });

    const mirror = async (branch: string, message: string): Promise<void> => {
      const repo = t.gh.state.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
      const main = repo.refs.find((r) => r.ref === 'refs/heads/main')!.sha;
      const sha = GitHubState.sha('commit', branch, message);
      repo.commits.push({ sha, message, parents: [main], tree: GitHubState.sha('tree', branch), author: 'octocat', date: new Date().toISOString() });
      repo.refs.push({ ref: `refs/heads/${branch}`, sha });
    };

    it('an issue: branch task-<n>-dev, a commit naming #n, a pull request resolving it with its acceptance criteria, and a comment on the issue', async () => {
      const issue = await t.gh.rest().issues.create({ owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, title: 'Orders API', body: 'We need an orders service.\n\n## Acceptance criteria\n\n- GET /orders lists orders\n- POST /orders validates the total\n\n## Notes\n\nlater' });
      const n = issue.data.number;
      const codeHosts: CodeHosts = {
        openPullRequest: async (_k, request, write) => sendPullRequest(t.outbox, withAccount(t.trackers.issues.home, await t.trackers.issues.account()), request, write),
        writeWikiPage: async () => assert.fail('GitHub has no project wiki to write to'),
        wiki: async () => undefined,
      };
      const services = servicesWith(h, { github: t.trackers.issues }, codeHosts, mirror, 'github');
      const result = await runAgent(services, { agent: scaffoldAgent, action: 'project', input: { template: 'express', database: 'none', workItem: `#${n}` } });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.deepEqual(result.plan!.remote.map((r) => r.kind), ['git.push', 'pullRequest.create', 'workItem.comment']);
      assert.match(git(h.root, 'log', '-1', '--format=%B'), new RegExp(`#${n}`));
      const pulls = await t.gh.rest().pulls.list({ owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, head: `${SANDBOX_GITHUB.owner}:task-${n}-dev`, state: 'open' });
      assert.equal(pulls.data.length, 1);
      assert.match(pulls.data[0]!.body ?? '', new RegExp(`Resolves #${n}`));
      assert.match(pulls.data[0]!.body ?? '', /GET \/orders lists orders/);
      assert.doesNotMatch(pulls.data[0]!.body ?? '', /later/, 'only the acceptance criteria section');
      const comments = await t.gh.rest().issues.listComments({ owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, issue_number: n });
      assert.ok(comments.data.some((c) => /scaffold agent generated/.test(c.body ?? '') && /express project/.test(c.body ?? '')));
    });

    it('a pull request GitHub cannot take now (503) waits in the outbox and is opened once; a lost answer to a create that was made is found, not made twice', async () => {
      const target = withAccount(t.trackers.issues.home, await t.trackers.issues.account());
      const openPulls = async (branch: string): Promise<number> =>
        (await t.gh.rest().pulls.list({ owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, head: `${SANDBOX_GITHUB.owner}:${branch}`, state: 'open' })).data.length;
      await mirror('task-930-dev', 'work');
      t.gh.server.faults.add({ route: 'pulls.create', kind: 'status', status: 503, times: 20 });
      const queued = await sendPullRequest(t.outbox, target, { sourceBranch: 'task-930-dev', targetBranch: 'main', title: 't', description: 'd' }, { clientId: 'gh:930' });
      t.gh.server.faults.clear();
      assert.equal(queued.kind, 'queued');
      assert.equal(await openPulls('task-930-dev'), 0);
      await t.outbox.flush();
      assert.equal(await openPulls('task-930-dev'), 1);
      await mirror('task-931-dev', 'work');
      t.gh.server.faults.add({ route: 'pulls.create', kind: 'truncate', times: 1 });
      const made = await sendPullRequest(t.outbox, target, { sourceBranch: 'task-931-dev', targetBranch: 'main', title: 't', description: 'd' }, { clientId: 'gh:931' });
      assert.equal(made.kind, 'applied', JSON.stringify(made));
      assert.equal(await openPulls('task-931-dev'), 1);
    });
  });

  describe('reading what a remote and a work item say', () => {
    it('knows Azure Repos and GitHub remotes in their URL forms, and nothing else', () => {
      assert.deepEqual(remoteRepositoryOf('https://contoso@dev.azure.com/contoso/Web%20Shop/_git/shop-api'), { host: 'azureRepos', organization: 'contoso', project: 'Web Shop', repository: 'shop-api' });
      assert.deepEqual(remoteRepositoryOf('git@ssh.dev.azure.com:v3/contoso/Web/shop'), { host: 'azureRepos', organization: 'contoso', project: 'Web', repository: 'shop' });
      assert.deepEqual(remoteRepositoryOf('https://contoso.visualstudio.com/Web/_git/shop'), { host: 'azureRepos', organization: 'contoso', project: 'Web', repository: 'shop' });
      assert.deepEqual(remoteRepositoryOf('git@github.com:octo/app.git'), { host: 'github', owner: 'octo', repo: 'app' });
      assert.deepEqual(remoteRepositoryOf('https://github.com/octo/app.git'), { host: 'github', owner: 'octo', repo: 'app' });
      assert.equal(remoteRepositoryOf('/tmp/origin.git'), undefined);
      assert.equal(remoteRepositoryOf('https://gitlab.com/octo/app.git'), undefined);
      assert.equal(remoteRepositoryOf('ext::sh -c evil'), undefined);
    });

    it('finds acceptance criteria in the Azure field or a Markdown section, and says none when there are none', () => {
      assert.equal(acceptanceCriteriaOf({ tracker: 'azureBoards', description: '<p>x</p>', acceptanceCriteria: '<ul><li>One</li><li>Two</li></ul>' }), '- One\n- Two');
      assert.equal(acceptanceCriteriaOf({ tracker: 'github', description: 'Intro\n\n### Acceptance Criteria\n- a\n- b\n\n#### detail\nkept\n### Next\nno' }), '- a\n- b\n\n#### detail\nkept');
      assert.equal(acceptanceCriteriaOf({ tracker: 'github', description: 'Just a body' }), undefined);
    });
  });
});
