import { strict as assert } from 'node:assert';
import { releaseAgent } from '../../../../src/agents/release/releaseAgent';
import { deliveryExecutors } from '../../../../src/agents/runtime/executors/deliveryExecutors';
import { workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunServices } from '../../../../src/agents/runtime/runAgent';
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
        ...deliveryExecutors({ delivery: { github: async () => gh.trackers.client, azure: async () => assert.fail('not Azure') }, follow: followOnClock(gh.gh.clock) }),
      ],
    });
    const services = h.services as { git: RunServices['git']; trackers: RunServices['trackers'] };
    services.git = async (root: string) => new WorkspaceGit(root, { trusted: () => true });
    services.trackers = { azure: () => undefined, github: () => tracker, defaultTracker: 'github' };
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
    assert.match(comments.at(-1)!.body, /Rolled back\.\*\* v1\.0\.0 was rolled back to v0\.9\.0 in dev, so this item returns to work\. Reason: checkout broken on Safari 16/);
  });
});
