import assert from 'node:assert/strict';
import { RequestError } from '@octokit/request-error';
import { SANDBOX_USER } from '../../../../src/sandbox/identity';
import { RUN_IN_PROGRESS_MS, RUN_QUEUED_MS } from '../../../../src/sandbox/github';
import { startGitHub, type GitHubHarness } from './harness';

const repo = { owner: 'contoso', repo: 'contoso-web' } as const;

async function refused(p: Promise<unknown>): Promise<RequestError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof RequestError, `expected a RequestError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request succeeded');
}
const messageOf = (e: RequestError) => (e.response?.data as { message?: string; errors?: { message?: string }[] } | undefined);

describe('GitHub stand-in: sub-issues, labels, assignees, pulls, refs, releases and Actions with @octokit/rest', () => {
  let h: GitHubHarness;
  beforeEach(async () => (h = await startGitHub()));
  afterEach(() => h.stop());

  it('lists, adds (by database id), reorders and removes sub-issues, and answers the parent', async () => {
    const o = h.rest();
    const subs = (await o.rest.issues.listSubIssues({ ...repo, issue_number: 1 })).data;
    assert.deepEqual(subs.map((s) => s.number), [2, 3, 4]);
    const parent = await o.request('GET /repos/{owner}/{repo}/issues/{issue_number}/parent', { ...repo, issue_number: 3 });
    assert.equal((parent.data as { number: number }).number, 1);
    const nine = (await o.rest.issues.get({ ...repo, issue_number: 9 })).data;
    const added = await o.rest.issues.addSubIssue({ ...repo, issue_number: 1, sub_issue_id: nine.id });
    assert.equal(added.status, 201);
    assert.equal(added.data.sub_issues_summary?.total, 4);
    const four = (await o.rest.issues.get({ ...repo, issue_number: 4 })).data;
    await o.rest.issues.reprioritizeSubIssue({ ...repo, issue_number: 1, sub_issue_id: nine.id, before_id: (await o.rest.issues.get({ ...repo, issue_number: 2 })).data.id });
    assert.deepEqual((await o.rest.issues.listSubIssues({ ...repo, issue_number: 1 })).data.map((s) => s.number), [9, 2, 3, 4]);
    const dup = await refused(o.rest.issues.addSubIssue({ ...repo, issue_number: 1, sub_issue_id: nine.id }));
    assert.equal(dup.status, 422);
    const second = await refused(o.rest.issues.addSubIssue({ ...repo, issue_number: 7, sub_issue_id: four.id }));
    assert.equal(second.status, 422, 'a sub-issue has one parent unless replace_parent');
    await o.rest.issues.addSubIssue({ ...repo, issue_number: 7, sub_issue_id: four.id, replace_parent: true });
    assert.deepEqual((await o.rest.issues.listSubIssues({ ...repo, issue_number: 1 })).data.map((s) => s.number), [9, 2, 3]);
    const cycle = await refused(o.rest.issues.addSubIssue({ ...repo, issue_number: 4, sub_issue_id: (await o.rest.issues.get({ ...repo, issue_number: 7 })).data.id }));
    assert.equal(cycle.status, 422);
    const removed = await o.rest.issues.removeSubIssue({ ...repo, issue_number: 1, sub_issue_id: nine.id });
    assert.equal(removed.data.sub_issues_summary?.total, 2);
    assert.equal((await refused(o.request('GET /repos/{owner}/{repo}/issues/{issue_number}/parent', { ...repo, issue_number: 9 }))).status, 404);
    assert.equal((await refused(o.rest.issues.addSubIssue({ ...repo, issue_number: 1, sub_issue_id: 424242 }))).status, 404);
  });

  it('manages repository labels and an issue’s labels', async () => {
    const o = h.rest();
    const all = await o.paginate(o.rest.issues.listLabelsForRepo, { ...repo, per_page: 4 });
    assert.ok(all.some((l) => l.name === 'bug' && l.default));
    const created = await o.rest.issues.createLabel({ ...repo, name: 'area: search', color: '#1D76DB', description: 'Search box' });
    assert.equal(created.status, 201);
    assert.equal(created.data.color, '1d76db');
    const dup = await refused(o.rest.issues.createLabel({ ...repo, name: 'Area: Search', color: '000000' }));
    assert.deepEqual(messageOf(dup)?.errors, [{ resource: 'Label', code: 'already_exists', field: 'name' }]);
    assert.equal((await refused(o.rest.issues.createLabel({ ...repo, name: 'x', color: 'blue' }))).status, 422);
    await o.rest.issues.updateLabel({ ...repo, name: 'bug', new_name: 'defect' });
    assert.ok((await o.rest.issues.get({ ...repo, issue_number: 4 })).data.labels.some((l) => typeof l !== 'string' && l.name === 'defect'), 'renaming relabels issues');
    const added = (await o.rest.issues.addLabels({ ...repo, issue_number: 13, labels: ['area: search', 'new one'] })).data;
    assert.deepEqual(added.map((l) => l.name), ['enhancement', 'area: search', 'new one']);
    const set = (await o.rest.issues.setLabels({ ...repo, issue_number: 13, labels: ['question'] })).data;
    assert.deepEqual(set.map((l) => l.name), ['question']);
    const gone = await refused(o.rest.issues.removeLabel({ ...repo, issue_number: 13, name: 'enhancement' }));
    assert.equal(gone.status, 404);
    assert.equal(messageOf(gone)?.message, 'Label does not exist');
    assert.deepEqual((await o.rest.issues.removeLabel({ ...repo, issue_number: 13, name: 'question' })).data, []);
    await o.rest.issues.deleteLabel({ ...repo, name: 'area: search' });
    assert.equal((await refused(o.rest.issues.getLabel({ ...repo, name: 'area: search' }))).status, 404);
  });

  it('lists assignable users, checks one, and adds/removes assignees (unassignable logins skipped)', async () => {
    const o = h.rest();
    const users = (await o.rest.issues.listAssignees(repo)).data.map((u) => u.login);
    assert.deepEqual(users, [SANDBOX_USER.githubLogin, 'avery-chen', 'jordan-patel']);
    assert.equal((await o.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: 'avery-chen' })).status, 204);
    assert.equal((await refused(o.rest.issues.checkUserCanBeAssigned({ ...repo, assignee: 'stranger' }))).status, 404);
    const added = await o.rest.issues.addAssignees({ ...repo, issue_number: 6, assignees: ['avery-chen', 'stranger'] });
    assert.equal(added.status, 201);
    assert.deepEqual(added.data.assignees?.map((a) => a.login), ['avery-chen']);
    const removed = await o.rest.issues.removeAssignees({ ...repo, issue_number: 6, assignees: ['avery-chen'] });
    assert.deepEqual(removed.data.assignees, []);
  });

  it('lists, gets, creates and updates pull requests; refuses what GitHub refuses', async () => {
    const o = h.rest();
    const open = (await o.rest.pulls.list(repo)).data;
    assert.deepEqual(open.map((p) => p.number).sort(), [16, 18]);
    assert.deepEqual((await o.rest.pulls.list({ ...repo, state: 'closed' })).data.map((p) => p.number), [17]);
    assert.deepEqual((await o.rest.pulls.list({ ...repo, head: 'contoso:fix/safari-checkout' })).data.map((p) => p.number), [16]);
    const merged = (await o.rest.pulls.get({ ...repo, pull_number: 17 })).data;
    assert.equal(merged.merged, true);
    assert.equal(merged.merged_by?.login, SANDBOX_USER.githubLogin);
    assert.equal((await o.rest.pulls.get({ ...repo, pull_number: 18 })).data.draft, true);
    assert.equal((await refused(o.rest.pulls.get({ ...repo, pull_number: 4 }))).status, 404, 'an issue is not a pull request');
    await o.rest.git.createRef({ ...repo, ref: 'refs/heads/feature/wish-list', sha: (await o.rest.git.getRef({ ...repo, ref: 'heads/perf/responsive-images' })).data.object.sha });
    const created = await o.rest.pulls.create({ ...repo, title: 'Wish list', head: 'feature/wish-list', base: 'main', body: 'Closes #13', draft: true });
    assert.equal(created.status, 201);
    assert.equal(created.data.number, 19);
    assert.equal(created.data.head.ref, 'feature/wish-list');
    assert.equal(created.data.mergeable_state, 'draft');
    const again = await refused(o.rest.pulls.create({ ...repo, title: 'Again', head: 'feature/wish-list', base: 'main' }));
    assert.match(messageOf(again)?.errors?.[0]?.message ?? '', /A pull request already exists for contoso:feature\/wish-list/);
    assert.equal((await refused(o.rest.pulls.create({ ...repo, title: 'x', head: 'no-such-branch', base: 'main' }))).status, 422);
    const same = await refused(o.rest.pulls.create({ ...repo, title: 'x', head: 'main', base: 'main' }));
    assert.match(messageOf(same)?.errors?.[0]?.message ?? '', /No commits between main and main/);
    const closed = (await o.rest.pulls.update({ ...repo, pull_number: 19, state: 'closed', title: 'Wish list (later)' })).data;
    assert.equal(closed.state, 'closed');
    assert.equal(closed.title, 'Wish list (later)');
    assert.equal((await refused(o.rest.pulls.update({ ...repo, pull_number: 17, state: 'open' }))).status, 422);
    const asIssue = (await o.rest.issues.get({ ...repo, issue_number: 19 })).data;
    assert.ok(asIssue.pull_request, 'a pull request is an issue too');
  });

  it('gets, lists, creates, moves and deletes git refs', async () => {
    const o = h.rest();
    const main = (await o.rest.git.getRef({ ...repo, ref: 'heads/main' })).data;
    assert.equal(main.ref, 'refs/heads/main');
    assert.match(main.object.sha, /^[0-9a-f]{40}$/);
    const heads = (await o.rest.git.listMatchingRefs({ ...repo, ref: 'heads/' })).data.map((r) => r.ref);
    assert.ok(heads.includes('refs/heads/fix/safari-checkout') && !heads.includes('refs/tags/v1.0.0'));
    const created = await o.rest.git.createRef({ ...repo, ref: 'refs/heads/topic', sha: main.object.sha });
    assert.equal(created.status, 201);
    assert.equal(messageOf(await refused(o.rest.git.createRef({ ...repo, ref: 'refs/heads/topic', sha: main.object.sha })))?.message, 'Reference already exists');
    assert.equal(messageOf(await refused(o.rest.git.createRef({ ...repo, ref: 'refs/heads/other', sha: '0'.repeat(40) })))?.message, 'Object does not exist');
    assert.equal((await refused(o.rest.git.createRef({ ...repo, ref: 'topic2', sha: main.object.sha }))).status, 422);
    const fix = (await o.rest.git.getRef({ ...repo, ref: 'heads/fix/safari-checkout' })).data.object.sha;
    assert.equal((await o.rest.git.updateRef({ ...repo, ref: 'heads/topic', sha: fix })).data.object.sha, fix, 'a fast-forward');
    assert.equal(messageOf(await refused(o.rest.git.updateRef({ ...repo, ref: 'heads/topic', sha: main.object.sha })))?.message, 'Update is not a fast forward');
    await o.rest.git.updateRef({ ...repo, ref: 'heads/topic', sha: main.object.sha, force: true });
    assert.equal((await o.rest.git.deleteRef({ ...repo, ref: 'heads/topic' })).status, 204);
    assert.equal((await refused(o.rest.git.getRef({ ...repo, ref: 'heads/topic' }))).status, 404);
  });

  it('lists, creates (tag made), publishes and deletes releases; latest and by tag', async () => {
    const o = h.rest();
    assert.equal((await o.rest.repos.getLatestRelease(repo)).data.tag_name, 'v1.0.0');
    const draft = await o.rest.repos.createRelease({ ...repo, tag_name: 'v1.1.0', name: 'Spring', body: 'Checkout redesign', draft: true });
    assert.equal(draft.status, 201);
    assert.equal(draft.data.published_at, null);
    assert.equal((await refused(o.rest.git.getRef({ ...repo, ref: 'tags/v1.1.0' }))).status, 404, 'a draft has no tag yet');
    assert.equal((await o.rest.repos.getLatestRelease(repo)).data.tag_name, 'v1.0.0', 'drafts are never latest');
    const published = (await o.rest.repos.updateRelease({ ...repo, release_id: draft.data.id, draft: false })).data;
    assert.ok(published.published_at);
    assert.equal((await o.rest.git.getRef({ ...repo, ref: 'tags/v1.1.0' })).data.ref, 'refs/tags/v1.1.0');
    h.clock.advance(1_000);
    assert.equal((await o.rest.repos.getReleaseByTag({ ...repo, tag: 'v1.1.0' })).data.id, draft.data.id);
    const dup = await refused(o.rest.repos.createRelease({ ...repo, tag_name: 'v1.1.0' }));
    assert.deepEqual(messageOf(dup)?.errors, [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }]);
    assert.equal((await refused(o.rest.repos.createRelease({ ...repo, tag_name: 'v9', target_commitish: 'no-branch' }))).status, 422);
    assert.deepEqual((await o.rest.repos.listReleases(repo)).data.map((r) => r.tag_name), ['v1.1.0', 'v1.0.0']);
    assert.equal((await o.rest.repos.deleteRelease({ ...repo, release_id: draft.data.id })).status, 204);
    assert.equal((await refused(o.rest.repos.getRelease({ ...repo, release_id: draft.data.id }))).status, 404);
  });

  it('dispatches a workflow whose run moves queued > in_progress > completed on the state clock', async () => {
    const o = h.rest();
    const workflows = (await o.rest.actions.listRepoWorkflows(repo)).data;
    assert.deepEqual(workflows.workflows.map((w) => w.name), ['CI', 'Deploy']);
    assert.equal((await o.rest.actions.getWorkflow({ ...repo, workflow_id: 'deploy.yml' })).data.name, 'Deploy');
    const dispatched = await o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'deploy.yml', ref: 'main', inputs: { environment: 'dev' } });
    assert.equal(dispatched.status, 204);
    const runs = (await o.rest.actions.listWorkflowRuns({ ...repo, workflow_id: 'deploy.yml' })).data;
    assert.equal(runs.total_count, 1);
    const run = runs.workflow_runs[0]!;
    assert.equal(run.status, 'queued');
    assert.equal(run.event, 'workflow_dispatch');
    h.clock.advance(RUN_QUEUED_MS);
    assert.equal((await o.rest.actions.getWorkflowRun({ ...repo, run_id: run.id })).data.status, 'in_progress');
    // Deploy's build and deploy-dev jobs (8 s and 6 s); the jobs after dev are skipped.
    h.clock.advance(14_000);
    const done = (await o.rest.actions.getWorkflowRun({ ...repo, run_id: run.id })).data;
    assert.deepEqual([done.status, done.conclusion], ['completed', 'success']);
    const jobs = (await o.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: run.id })).data.jobs;
    assert.deepEqual(jobs.map((j) => [j.name, j.conclusion]), [['build', 'success'], ['deploy-dev', 'success'], ['deploy-staging', 'skipped'], ['deploy-production', 'skipped']]);
    const failing = await o.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...repo, workflow_id: 'ci.yml', ref: 'main', inputs: { sandbox_result: 'failure' }, return_run_details: true });
    assert.equal(failing.status, 200);
    const id = (failing.data as { workflow_run_id: number }).workflow_run_id;
    h.clock.advance(RUN_QUEUED_MS + RUN_IN_PROGRESS_MS);
    assert.equal((await o.rest.actions.getWorkflowRun({ ...repo, run_id: id })).data.conclusion, 'failure');
    const all = (await o.rest.actions.listWorkflowRunsForRepo({ ...repo, status: 'failure' })).data;
    assert.ok(all.workflow_runs.every((r) => r.conclusion === 'failure') && all.total_count === 2);
    await o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'ci.yml', ref: 'fix/safari-checkout' });
    const queued = (await o.rest.actions.listWorkflowRunsForRepo({ ...repo, branch: 'fix/safari-checkout' })).data.workflow_runs[0]!;
    assert.equal((await o.rest.actions.cancelWorkflowRun({ ...repo, run_id: queued.id })).status, 202);
    assert.equal((await o.rest.actions.getWorkflowRun({ ...repo, run_id: queued.id })).data.conclusion, 'cancelled');
    assert.equal((await refused(o.rest.actions.cancelWorkflowRun({ ...repo, run_id: queued.id }))).status, 409);
    assert.equal(messageOf(await refused(o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'ci.yml', ref: 'nope' })))?.message, 'No ref found for: nope');
    assert.equal(messageOf(await refused(o.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: 'ci.yml', ref: 'main', inputs: { bogus: 'x' } })))?.message, 'Unexpected inputs provided: ["bogus"]');
    assert.equal((await refused(o.rest.actions.getWorkflow({ ...repo, workflow_id: 'missing.yml' }))).status, 404);
  });
});
