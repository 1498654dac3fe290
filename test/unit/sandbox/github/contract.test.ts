import assert from 'node:assert/strict';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { GITHUB_ROUTES } from '../../../../src/sandbox/github';
import { startGitHub, type GitHubHarness } from './harness';
import { responseValidator } from './openapiSchemas';

/*
 * Contract tests: every REST route with a `contract` is called (in an order that leaves what later
 * calls need) and its answer is validated against the response schema of that operation in
 * @octokit/openapi's api.github.com description.
 */
interface Call {
  /** Puts the state where the call can be made (a run waiting for a review). */
  readonly setup?: (h: GitHubHarness) => void;
  readonly route: string;
  readonly method: string;
  readonly path: string | ((h: GitHubHarness) => string);
  readonly body?: unknown | ((h: GitHubHarness) => unknown);
}

const R = '/repos/contoso/contoso-web';
const issueId = (h: GitHubHarness, n: number) => h.state.repo('contoso', 'contoso-web')!.issues.find((i) => i.number === n)!.id;
const mainSha = (h: GitHubHarness) => h.state.repo('contoso', 'contoso-web')!.refs.find((r) => r.ref === 'refs/heads/main')!.sha;
const lastRelease = (h: GitHubHarness) => h.state.repo('contoso', 'contoso-web')!.releases.at(-1)!.id;
const lastRun = (h: GitHubHarness) => h.state.repo('contoso', 'contoso-web')!.runs.at(-1)!.id;
const DEPLOY_RUN = 990_001;
/** A Deploy run started 30 s ago: build and dev done, staging waiting for its reviewers. */
function deployRunWaiting(h: GitHubHarness): void {
  const repo = h.state.repo('contoso', 'contoso-web')!;
  if (repo.runs.some((r) => r.id === DEPLOY_RUN)) return;
  const deploy = repo.workflows.find((w) => w.name === 'Deploy')!;
  repo.runs.push({ id: DEPLOY_RUN, workflowId: deploy.id, runNumber: 1, event: 'workflow_dispatch', headBranch: 'main', headSha: mainSha(h), actor: 'sandbox-user', createdAt: new Date(h.clock.now().getTime() - 30_000).toISOString(), outcome: 'success', inputs: {} });
}
const stagingId = (h: GitHubHarness) => h.state.repo('contoso', 'contoso-web')!.environments!.find((e) => e.name === 'staging')!.id;

const CALLS: readonly Call[] = [
  { route: 'users.getAuthenticated', method: 'GET', path: '/user' },
  { route: 'users.getByUsername', method: 'GET', path: '/users/avery-chen' },
  { route: 'repos.get', method: 'GET', path: R },
  { route: 'rateLimit.get', method: 'GET', path: '/rate_limit' },
  { route: 'repos.getBranchProtection', method: 'GET', path: `${R}/branches/main/protection` },
  { route: 'repos.getBranchRules', method: 'GET', path: `${R}/rules/branches/main` },
  { route: 'issues.listForRepo', method: 'GET', path: `${R}/issues?state=all&per_page=100` },
  { route: 'issues.get', method: 'GET', path: `${R}/issues/4` },
  { route: 'issues.create', method: 'POST', path: `${R}/issues`, body: { title: 'Contract', body: 'x', labels: ['bug'], assignees: ['avery-chen'], type: 'Feature' } },
  { route: 'orgs.listIssueTypes', method: 'GET', path: '/orgs/contoso/issue-types' },
  { route: 'repos.listIssueTypes', method: 'GET', path: `${R}/issue-types` },
  { route: 'issues.update', method: 'PATCH', path: `${R}/issues/19`, body: { state: 'closed', state_reason: 'not_planned' } },
  { route: 'issues.listComments', method: 'GET', path: `${R}/issues/4/comments` },
  { route: 'issues.createComment', method: 'POST', path: `${R}/issues/4/comments`, body: { body: 'Contract comment' } },
  { route: 'issues.listSubIssues', method: 'GET', path: `${R}/issues/1/sub_issues` },
  { route: 'issues.getParent', method: 'GET', path: `${R}/issues/2/parent` },
  { route: 'issues.addSubIssue', method: 'POST', path: `${R}/issues/1/sub_issues`, body: (h: GitHubHarness) => ({ sub_issue_id: issueId(h, 9) }) },
  { route: 'issues.reprioritizeSubIssue', method: 'PATCH', path: `${R}/issues/1/sub_issues/priority`, body: (h: GitHubHarness) => ({ sub_issue_id: issueId(h, 9), before_id: issueId(h, 2) }) },
  { route: 'issues.removeSubIssue', method: 'DELETE', path: `${R}/issues/1/sub_issue`, body: (h: GitHubHarness) => ({ sub_issue_id: issueId(h, 9) }) },
  { route: 'issues.listLabelsForRepo', method: 'GET', path: `${R}/labels` },
  { route: 'issues.getLabel', method: 'GET', path: `${R}/labels/bug` },
  { route: 'issues.createLabel', method: 'POST', path: `${R}/labels`, body: { name: 'contract', color: 'ff0000', description: 'x' } },
  { route: 'issues.updateLabel', method: 'PATCH', path: `${R}/labels/contract`, body: { new_name: 'contract-2', color: '00ff00' } },
  { route: 'issues.listLabelsOnIssue', method: 'GET', path: `${R}/issues/4/labels` },
  { route: 'issues.addLabels', method: 'POST', path: `${R}/issues/6/labels`, body: { labels: ['contract-2'] } },
  { route: 'issues.setLabels', method: 'PUT', path: `${R}/issues/6/labels`, body: { labels: ['bug', 'contract-2'] } },
  { route: 'issues.removeLabel', method: 'DELETE', path: `${R}/issues/6/labels/contract-2` },
  { route: 'issues.removeAllLabels', method: 'DELETE', path: `${R}/issues/6/labels` },
  { route: 'issues.listEvents', method: 'GET', path: `${R}/issues/6/events?per_page=2` },
  { route: 'issues.deleteLabel', method: 'DELETE', path: `${R}/labels/contract-2` },
  { route: 'issues.listAssignees', method: 'GET', path: `${R}/assignees` },
  { route: 'issues.addAssignees', method: 'POST', path: `${R}/issues/6/assignees`, body: { assignees: ['jordan-patel'] } },
  { route: 'issues.removeAssignees', method: 'DELETE', path: `${R}/issues/6/assignees`, body: { assignees: ['jordan-patel'] } },
  { route: 'pulls.list', method: 'GET', path: `${R}/pulls?state=all` },
  { route: 'pulls.get', method: 'GET', path: `${R}/pulls/17` },
  { route: 'git.getRef', method: 'GET', path: `${R}/git/ref/heads/main` },
  { route: 'git.listMatchingRefs', method: 'GET', path: `${R}/git/matching-refs/heads/` },
  { route: 'git.createRef', method: 'POST', path: `${R}/git/refs`, body: (h: GitHubHarness) => ({ ref: 'refs/heads/contract', sha: h.state.repo('contoso', 'contoso-web')!.refs.find((r) => r.ref === 'refs/heads/perf/responsive-images')!.sha }) },
  { route: 'pulls.create', method: 'POST', path: `${R}/pulls`, body: { title: 'Contract PR', head: 'contract', base: 'main', body: 'x' } },
  { route: 'pulls.update', method: 'PATCH', path: `${R}/pulls/20`, body: { title: 'Contract PR (edited)', state: 'closed' } },
  { route: 'git.updateRef', method: 'PATCH', path: `${R}/git/refs/heads/contract`, body: (h: GitHubHarness) => ({ sha: mainSha(h), force: true }) },
  { route: 'git.deleteRef', method: 'DELETE', path: `${R}/git/refs/heads/contract` },
  { route: 'repos.listReleases', method: 'GET', path: `${R}/releases` },
  { route: 'repos.getLatestRelease', method: 'GET', path: `${R}/releases/latest` },
  { route: 'repos.getReleaseByTag', method: 'GET', path: `${R}/releases/tags/v1.0.0` },
  { route: 'repos.createRelease', method: 'POST', path: `${R}/releases`, body: { tag_name: 'v2.0.0', name: 'Two', body: 'x', draft: true } },
  { route: 'repos.getRelease', method: 'GET', path: (h) => `${R}/releases/${lastRelease(h)}` },
  { route: 'repos.updateRelease', method: 'PATCH', path: (h) => `${R}/releases/${lastRelease(h)}`, body: { draft: false } },
  { route: 'repos.deleteRelease', method: 'DELETE', path: (h) => `${R}/releases/${lastRelease(h)}` },
  { route: 'actions.listRepoWorkflows', method: 'GET', path: `${R}/actions/workflows` },
  { route: 'actions.getWorkflow', method: 'GET', path: `${R}/actions/workflows/ci.yml` },
  { route: 'actions.createWorkflowDispatch', method: 'POST', path: `${R}/actions/workflows/ci.yml/dispatches`, body: { ref: 'main' } },
  { route: 'actions.listWorkflowRunsForRepo', method: 'GET', path: `${R}/actions/runs` },
  { route: 'actions.listWorkflowRuns', method: 'GET', path: `${R}/actions/workflows/ci.yml/runs` },
  { route: 'actions.getWorkflowRun', method: 'GET', path: (h) => `${R}/actions/runs/${lastRun(h)}` },
  { route: 'actions.cancelWorkflowRun', method: 'POST', path: (h) => `${R}/actions/runs/${lastRun(h)}/cancel` },
  { route: 'actions.reRunWorkflow', method: 'POST', path: (h) => `${R}/actions/runs/${lastRun(h)}/rerun` },
  { route: 'repos.getAllEnvironments', method: 'GET', path: `${R}/environments` },
  { route: 'repos.getEnvironment', method: 'GET', path: `${R}/environments/staging` },
  { setup: deployRunWaiting, route: 'actions.listJobsForWorkflowRun', method: 'GET', path: `${R}/actions/runs/${DEPLOY_RUN}/jobs` },
  { route: 'actions.getJobForWorkflowRun', method: 'GET', path: `${R}/actions/jobs/${DEPLOY_RUN * 100 + 1}` },
  { route: 'actions.getPendingDeploymentsForRun', method: 'GET', path: `${R}/actions/runs/${DEPLOY_RUN}/pending_deployments` },
  { route: 'actions.reviewPendingDeploymentsForRun', method: 'POST', path: `${R}/actions/runs/${DEPLOY_RUN}/pending_deployments`, body: (h: GitHubHarness) => ({ environment_ids: [stagingId(h)], state: 'approved', comment: 'Contract' }) },
  { route: 'actions.getReviewsForRun', method: 'GET', path: `${R}/actions/runs/${DEPLOY_RUN}/approvals` },
];

describe('GitHub stand-in: contract (api.github.com OpenAPI description)', function () {
  this.timeout(60_000);
  let h: GitHubHarness;
  before(async () => (h = await startGitHub()));
  after(() => h.stop());

  it('has a call for every route that names its operation', () => {
    const withContract = GITHUB_ROUTES.filter((r) => r.contract).map((r) => r.name);
    assert.deepEqual([...CALLS.map((c) => c.route)].sort(), [...withContract].sort());
  });

  it('names a route without a contract only where GitHub answers no JSON body or the route is not part of the API', () => {
    assert.deepEqual(GITHUB_ROUTES.filter((r) => !r.contract).map((r) => r.name).sort(), ['actions.downloadJobLogsForWorkflowRun', 'actions.signedJobLogs', 'graphql', 'issues.checkUserCanBeAssigned', 'web.page']);
  });

  it('the validator refuses what the description does not allow (so a pass means something)', async () => {
    const res = await fetch(`${h.baseUrl}${R}/issues/4`, { headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` } });
    const good = (await res.json()) as Record<string, unknown>;
    const validate = responseValidator('/repos/{owner}/{repo}/issues/{issue_number}', 'get', 200)!;
    assert.ok(validate(good));
    const { number: _n, ...noNumber } = good;
    void _n;
    assert.ok(!validate(noNumber), 'a required key missing');
    assert.ok(!validate({ ...good, state_reason: 'finished' }), 'a value outside the enum');
    assert.ok(!validate({ ...good, title: null }), 'null where the description allows none');
    assert.ok(!validate({ ...good, created_at: 'yesterday' }), 'a date-time that is not one');
    assert.ok(validate({ ...good, state_reason: null }), 'null where the description says nullable');
  });

  for (const call of CALLS) {
    it(`${call.route}: ${call.method} answers what the description says`, async () => {
      const def = GITHUB_ROUTES.find((r) => r.name === call.route);
      assert.ok(def?.contract, `${call.route} has a contract`);
      call.setup?.(h);
      const path = typeof call.path === 'function' ? call.path(h) : call.path;
      const body = typeof call.body === 'function' ? (call.body as (h: GitHubHarness) => unknown)(h) : call.body;
      const res = await fetch(`${h.baseUrl}${path}`, {
        method: call.method,
        headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}`, accept: 'application/vnd.github+json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      assert.equal(res.status, def.contract.status, `${call.route}: ${text.slice(0, 300)}`);
      for (const header of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-used', 'x-ratelimit-resource']) {
        assert.ok(res.headers.get(header), `${header} on ${call.route}`);
      }
      const validate = responseValidator(def.contract.path, def.contract.method, def.contract.status);
      if (!validate) {
        assert.ok(text === '' || text === '{}', `${call.route} has no JSON body in the description`);
        return;
      }
      const json = JSON.parse(text) as unknown;
      const ok = validate(json);
      assert.ok(ok, `${call.route}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
    });
  }
});
