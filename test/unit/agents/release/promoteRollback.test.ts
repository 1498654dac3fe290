import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { releaseAgent } from '../../../../src/agents/release/releaseAgent';
import { deliveryExecutors } from '../../../../src/agents/runtime/executors/deliveryExecutors';
import { gitExecutors, workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunServices } from '../../../../src/agents/runtime/runAgent';
import { agentTrailReader } from '../../../../src/providers/audit/agentTrailReader';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { FakeLogger } from '../../fakes/fakeLogger';
import { startTrackers, type TrackerHarness } from '../../providers/boards/github/harness';
import { followOnClock } from '../runtime/followOnClock';
import { makeHarness, type Harness } from '../runtime/harness';
import { FixtureRepo } from './fixtureRepo';

describe('release agent: deploy, promote and roll back against the GitHub stand-in (octokit through the runtime, audited)', function () {
  this.timeout(60_000);
  let gh: TrackerHarness;
  let h: Harness;
  let repo: FixtureRepo;
  const ghRepo = () => gh.gh.state.repo('contoso', 'contoso-web')!;

  beforeEach(async () => {
    gh = await startTrackers();
    const tracker = gh.trackers.issues;
    const log = new FakeLogger();
    h = await makeHarness({
      executors: [
        ...workItemExecutors({ trackers: { azure: () => undefined, github: () => tracker }, git: (r) => new WorkspaceGit(r, { trusted: () => true }), log }),
        ...gitExecutors({ trackers: { azure: () => undefined, github: () => tracker }, git: (r) => new WorkspaceGit(r, { trusted: () => true }), log }),
        ...deliveryExecutors({ delivery: { github: async () => gh.trackers.client, azure: async () => assert.fail('not Azure') }, follow: followOnClock(gh.gh.clock) }),
      ],
    });
    const services = h.services as { git: RunServices['git']; trackers: RunServices['trackers']; providers: RunServices['providers'] };
    services.git = async (root: string) => new WorkspaceGit(root, { trusted: () => true });
    services.trackers = { azure: () => undefined, github: () => tracker, defaultTracker: 'github' };
    // The workspace's own audit trail, as the editor and the CLI supply it: a rollback reads the release's moves from it.
    services.providers = { auditTrail: agentTrailReader(h.root) };
    // The workspace's history: v0.9.0, a fix for issue #4, v1.0.0 (the stand-in has both tags).
    repo = new FixtureRepo(h.root);
    repo.write('package.json', '{\n  "name": "contoso-web",\n  "version": "1.0.0"\n}\n');
    repo.commit('chore: init');
    repo.tag('v0.9.0');
    repo.commit('fix(checkout): submit the form on Safari 17\n\nFixes #4');
    repo.tag('v1.0.0');
    const sha = ghRepo().refs.find((r) => r.ref === 'refs/heads/main')!.sha;
    ghRepo().refs.push({ ref: 'refs/tags/v0.9.0', sha });
  });
  afterEach(async () => {
    await h.dispose();
    repo.dispose();
    await gh.stop();
  });

  const audited = async (type: string) => (await h.events()).filter((e) => e.eventType === type);

  it('promote: approves the run waiting for staging, records who approved in the audit trail, and links the run', async () => {
    await gh.gh.rest().request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { owner: 'contoso', repo: 'contoso-web', workflow_id: 'deploy.yml', ref: 'v1.0.0', inputs: { version: '1.0.0' } });
    gh.gh.clock.advance(60_000);
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'promote', input: { to: 'staging', deploy: 'deploy.yml' }, mode: 'apply' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const approve = result.applied.remote.find((r) => r.kind === 'environment.approve')!;
    assert.equal(approve.outcome, 'applied');
    assert.match(approve.detail, /^staging approved by sandbox-user for run #1; run #1 of deploy\.yml for v1\.0\.0 now waits for approval to production$/);
    assert.match(approve.url ?? '', /\/actions\/runs\/\d+$/);
    const event = (await audited('remote.applied')).find((e) => e.metadata['kind'] === 'environment.approve');
    assert.match(String(event?.metadata['detail']), /approved by sandbox-user/);
    assert.deepEqual(ghRepo().runs.at(-1)!.reviews!.map((r) => [r.environment, r.user, r.comment]), [['staging', 'sandbox-user', 'Promote v1.0.0 to staging (AI DevOps release agent)']]);
    assert.ok(h.ui.progressLines.some((l) => /Approve the deployment of v1\.0\.0 to staging: Run #1: in_progress, deploy-staging/.test(l)), h.ui.progressLines.join('\n'));
  });

  it('promote with no waiting run fails the run and says why; nothing is approved', async () => {
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'promote', input: { to: 'production', deploy: 'deploy.yml' }, mode: 'apply' });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /deploy\.yml has no run for v1\.0\.0; deploy the release first/);
    assert.equal(ghRepo().runs.length, 3, 'only the demo CI runs');
  });

  it('rollback: deploys v0.9.0 again to dev and comments on the rolled-back item with the reason', async () => {
    const before = ghRepo().issues.find((i) => i.number === 4)!.comments.length;
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { deploy: 'deploy.yml', environment: 'dev', reason: 'checkout broken on Safari 16' }, mode: 'apply' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const redeploy = result.applied.remote.find((r) => r.id === 'redeploy')!;
    assert.match(redeploy.detail, /^run #1 of deploy\.yml for v0\.9\.0 succeeded$/);
    const run = ghRepo().runs.at(-1)!;
    assert.deepEqual([run.headBranch, run.inputs], ['v0.9.0', { version: '0.9.0', environment: 'dev' }]);
    const comments = ghRepo().issues.find((i) => i.number === 4)!.comments;
    assert.equal(comments.length, before + 1);
    // Nothing recorded the release moving #4 (it was never promoted), and GitHub serves no state history: it stays, and says so.
    assert.match(comments.at(-1)!.body, /Rolled back\.\*\* v1\.0\.0 was rolled back to v0\.9\.0 in dev, so this item was not moved back: #4 stays Open: its earlier state is unknown \(the audit trail has no record of v1\.0\.0 moving it, and GitHub serves no state history that can be read here\)\. Reason: checkout broken on Safari 16/);
    assert.ok(!result.plan!.remote.some((r) => r.kind === 'workItem.state'), 'no guess');
  });

  describe('the items return to the state they had before the release moved them (the audit trail\'s record of the promotion)', () => {
    const issue4 = () => ghRepo().issues.find((i) => i.number === 4)!;
    /** Deploys v1.0.0 and promotes it through staging to production, which closes #4 (Done). */
    async function release(): Promise<void> {
      await gh.gh.rest().request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { owner: 'contoso', repo: 'contoso-web', workflow_id: 'deploy.yml', ref: 'v1.0.0', inputs: { version: '1.0.0' } });
      gh.gh.clock.advance(60_000);
      for (const to of ['staging', 'production']) {
        const promoted = await runAgent(h.services, { agent: releaseAgent, action: 'promote', input: { to, deploy: 'deploy.yml' }, mode: 'apply' });
        assert.equal(promoted.outcome, 'succeeded', promoted.error);
      }
      assert.equal(issue4().state, 'closed');
      const moved = (await audited('remote.applied')).find((e) => e.metadata['kind'] === 'workItem.state');
      assert.deepEqual([moved?.workItemId, moved?.repository, moved?.oldState, moved?.newState], [4, 'contoso/contoso-web', 'Open', 'Closed'], 'the move\'s audit event keeps the state it left');
    }

    it('promoted to production (closed), rolled back: #4 is reopened, with a comment saying why, and the move is audited', async () => {
      await release();
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { deploy: 'deploy.yml', environment: 'production', reason: 'payments fail' }, mode: 'apply' });
      assert.equal(result.outcome, 'succeeded', result.error);
      const back = result.plan!.remote.find((r) => r.kind === 'workItem.state')!;
      assert.deepEqual([back.target, back.payload, back.dependsOn], ['#4', { tracker: 'github', id: 4, state: 'Open', from: 'Closed' }, ['redeploy']]);
      assert.match(back.summary, /^#4 → Open \(as the audit trail recorded it before the release\): rolled back from v1\.0\.0 to v0\.9\.0: payments fail$/);
      assert.equal(issue4().state, 'open');
      assert.match(issue4().comments.at(-1)!.body, /v1\.0\.0 was rolled back to v0\.9\.0 in production, so this item returns to Open, the state it had before the release moved it\. Reason: payments fail/);
      assert.ok(result.plan!.notes.some((n) => /#4: its GitHub Project Status is not restored/.test(n)));
      const audit = (await audited('remote.applied')).filter((e) => e.metadata['kind'] === 'workItem.state').map((e) => [e.oldState, e.newState]);
      assert.deepEqual(audit, [['Open', 'Closed'], ['Closed', 'Open']]);
    });

    it('reopened by someone else since the release closed it: already in its earlier state, so nothing moves', async () => {
      await release();
      await gh.gh.rest().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'contoso', repo: 'contoso-web', issue_number: 4, state: 'open' });
      await gh.trackers.issues.refresh({ full: true });
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { deploy: 'deploy.yml', reason: 'payments fail' }, mode: 'apply' });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.ok(!result.plan!.remote.some((r) => r.kind === 'workItem.state'));
      const note = result.plan!.notes.find((n) => n.startsWith('#4'));
      assert.match(note ?? '', /^#4 is already Open, the state it had before v1\.0\.0 moved it\.$/);
      assert.equal(issue4().state, 'open');
    });

    it('closed as not planned by someone else since: a conflict noted, nothing overwritten', async () => {
      await release();
      await gh.gh.rest().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'contoso', repo: 'contoso-web', issue_number: 4, state: 'closed', state_reason: 'not_planned' });
      await gh.trackers.issues.refresh({ full: true });
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { deploy: 'deploy.yml', reason: 'payments fail' }, mode: 'apply' });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.ok(!result.plan!.remote.some((r) => r.kind === 'workItem.state'));
      assert.ok(result.plan!.notes.some((n) => /^#4 was not moved back: v1\.0\.0 moved it to Closed, and it has been moved to Not planned since \(conflict: someone else changed it meanwhile\)\. It was Open before the release/.test(n)), result.plan!.notes.join('\n'));
      assert.equal(issue4().stateReason, 'not_planned');
      assert.match(issue4().comments.at(-1)!.body, /so this item was not moved back: #4 was not moved back: v1\.0\.0 moved it to Closed/);
    });
  });

  describe('by revert (a revert commit on the branch, pushed to a local bare remote)', () => {
    let bare: string;
    let released: string;
    beforeEach(() => {
      // v1.0.0 brought two commits: the Safari fix (#4) and a merged branch with a second change.
      repo.branch('topic');
      released = repo.commit('feat: remember the cart', 'src/cart.txt');
      repo.checkout('main');
      repo.merge('topic', 'Merge branch topic');
      repo.git('tag', '-d', 'v1.0.0');
      repo.tag('v1.0.0');
      repo.commit('docs: after the release', 'README.md');
      bare = realpathSync(mkdtempSync(path.join(tmpdir(), 'rollback-remote-')));
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
      repo.git('remote', 'add', 'origin', bare);
      repo.git('push', '-q', 'origin', 'main', 'v0.9.0', 'v1.0.0');
    });
    afterEach(() => rmSync(bare, { recursive: true, force: true }));
    const remoteMain = () => execFileSync('git', ['rev-parse', 'main'], { cwd: bare, encoding: 'utf8' }).trim();

    it('plan: previews the revert of the release\'s own commits (newest first, no merge), the commit and the push; changes nothing', async () => {
      const head = repo.git('rev-parse', 'HEAD').trim();
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'cart loses items' }, mode: 'plan' });
      assert.equal(result.outcome, 'succeeded', result.error);
      const plan = result.plan!;
      const fix = repo.git('rev-list', '--no-merges', 'v0.9.0..v1.0.0').trim().split('\n');
      assert.deepEqual(plan.commands[0]!.args, ['revert', '--no-commit', ...fix]);
      assert.ok(fix.includes(released));
      assert.match(plan.commands[1]!.args[2]!, /^revert: roll back v1\.0\.0 to v0\.9\.0\n\nReason: cart loses items\n\nThis reverts the 2 commits of v1\.0\.0 since v0\.9\.0:\n- [0-9a-f]{12} feat: remember the cart\n- [0-9a-f]{12} fix\(checkout\): submit the form on Safari 17$/);
      assert.deepEqual(plan.remote.map((r) => [r.kind, r.target, r.dependsOn ?? []]), [['git.push', 'origin', []], ['workItem.comment', '#4', ['push']]]);
      assert.deepEqual(plan.remote[0]!.payload, { remote: 'origin', refs: ['main'] });
      assert.equal(repo.git('rev-parse', 'HEAD').trim(), head);
      assert.equal(remoteMain(), head);
    });

    it('apply: commits the revert (the tree of the files the release changed is back to v0.9.0), pushes it, comments on #4; each step audited', async () => {
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'cart loses items' }, mode: 'apply' });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'revert: roll back v1.0.0 to v0.9.0');
      assert.equal(repo.git('diff', '--name-only', 'v0.9.0', 'HEAD').trim(), 'README.md', 'only the commit after the release stays');
      assert.equal(remoteMain(), repo.git('rev-parse', 'HEAD').trim());
      assert.equal(repo.git('status', '--porcelain').split('\n').filter((l) => l && !l.includes('.devops/')).length, 0);
      const comments = ghRepo().issues.find((i) => i.number === 4)!.comments;
      assert.match(comments.at(-1)!.body, /v1\.0\.0 was rolled back to v0\.9\.0 \(its commits reverted\), so this item was not moved back: #4 stays Open: its earlier state is unknown .*\. Reason: cart loses items/);
      const commands = (await audited('command.run')).map((e) => [String(e.metadata['command']).split(' ').slice(0, 2).join(' '), e.metadata['rule']]);
      assert.deepEqual(commands, [['git revert', 'git-revert-no-commit'], ['git commit', 'git-commit']]);
      assert.ok((await audited('remote.applied')).some((e) => e.metadata['kind'] === 'git.push'));
    });

    it('with --deploy the pipeline runs for the branch after the push', async () => {
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', deploy: 'deploy.yml', environment: 'dev', reason: 'cart loses items' }, mode: 'apply' });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.match(result.applied.remote.find((r) => r.id === 'redeploy')!.detail, /^run #1 of deploy\.yml for main succeeded$/);
      assert.deepEqual([ghRepo().runs.at(-1)!.headBranch, ghRepo().runs.at(-1)!.inputs], ['main', { environment: 'dev' }]);
    });

    it('approving the commands but not the push commits locally and publishes nothing', async () => {
      h.ui.review = async (r) => ({ edits: [], commands: r.plan.commands.map((_c, i) => i), remote: [] });
      const before = ghRepo().issues.find((i) => i.number === 4)!.comments.length;
      const head = remoteMain();
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'cart loses items' }, mode: 'apply' });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'revert: roll back v1.0.0 to v0.9.0');
      assert.equal(remoteMain(), head);
      assert.equal(ghRepo().issues.find((i) => i.number === 4)!.comments.length, before);
    });

    it('a revert that conflicts fails the run, says how to go back, and pushes and comments nothing', async () => {
      repo.commit('fix: cart again', 'src/cart.txt');
      repo.git('push', '-q', 'origin', 'main');
      const head = remoteMain();
      const before = ghRepo().issues.find((i) => i.number === 4)!.comments.length;
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'cart loses items' }, mode: 'apply' });
      assert.equal(result.outcome, 'failed');
      assert.match(result.error ?? '', /^git revert --no-commit [0-9a-f]{40} [0-9a-f]{40} exited with 1/);
      assert.ok(result.plan!.notes.some((n) => /git revert --abort/.test(n)));
      assert.equal(remoteMain(), head);
      assert.equal(ghRepo().issues.find((i) => i.number === 4)!.comments.length, before);
    });

    it('refuses a dirty working tree, a detached HEAD, and a redeploy without --deploy, saying what to do', async () => {
      writeFileSync(path.join(h.root, 'src/cart.txt'), 'local edit\n');
      let result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'x' }, mode: 'plan' });
      assert.match(result.error ?? '', /working tree has changes \(src\/cart\.txt\): commit or stash them first/);
      repo.git('checkout', '-q', '--', 'src/cart.txt');
      repo.git('checkout', '-q', '--detach', 'HEAD');
      result = await runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { method: 'revert', reason: 'x' }, mode: 'plan' });
      assert.match(result.error ?? '', /HEAD is detached/);
      await assert.rejects(runAgent(h.services, { agent: releaseAgent, action: 'rollback', input: { reason: 'x' }, mode: 'plan' }), /deploy: a redeploy needs --deploy \(the workflow file or pipeline\); or roll back with --method revert/);
    });
  });
});
