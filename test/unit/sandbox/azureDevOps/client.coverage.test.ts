import assert from 'node:assert/strict';
import { ItemContentType, PullRequestStatus, VersionControlChangeType } from 'azure-devops-node-api/interfaces/GitInterfaces';
import { WikiType } from 'azure-devops-node-api/interfaces/WikiInterfaces';
import { AZURE_DEVOPS_ROUTES } from '../../../../src/sandbox/azureDevOps';
import { SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

const ZERO = '0000000000000000000000000000000000000000';

/**
 * One pass of the real client over every route the stand-in serves, then a check against the
 * request log that each route answered 2xx at least once: a new route without a client call fails here.
 */
describe('Azure DevOps stand-in: azure-devops-node-api reaches every served route', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('calls every route through the client', async () => {
    const api = h.api();
    await api.connect();
    const core = await api.getCoreApi();
    const project = await core.getProject(SANDBOX_PROJECT);
    await core.getProjects();
    const op = await core.queueCreateProject({ name: 'Coverage', capabilities: { processTemplate: { templateTypeId: 'b8a3a935-7e91-48b8-a94c-606d37c3e9f2' } } });
    await core.rest.get(op.url ?? '');
    const [process] = await core.getProcesses();
    await core.getProcessById(process?.id ?? '');
    const [team] = await core.getTeams(project.id ?? '');
    await core.getTeam(project.id ?? '', team?.id ?? '');

    const wit = await api.getWorkItemTrackingApi();
    const created = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: 'Coverage story' }], SANDBOX_PROJECT, 'User Story');
    const id = created.id ?? 0;
    await wit.updateWorkItem(null, [{ op: 'add', path: '/fields/System.State', value: 'Active' }], id);
    await wit.getWorkItem(id);
    await wit.getWorkItems([id]);
    await wit.getWorkItemsBatch({ ids: [id] }, SANDBOX_PROJECT);
    const doomed = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: 'Coverage deletion' }], SANDBOX_PROJECT, 'Task');
    const deleted = await wit.deleteWorkItem(doomed.id ?? 0, SANDBOX_PROJECT);
    assert.equal(deleted.id, doomed.id);
    assert.equal(deleted.name, 'Coverage deletion');
    await wit.queryByWiql({ query: 'SELECT [System.Id] FROM WorkItems WHERE [System.AssignedTo] = @Me' }, { project: SANDBOX_PROJECT });
    const comment = await wit.addComment({ text: 'Covered.' }, SANDBOX_PROJECT, id);
    await wit.getComments(SANDBOX_PROJECT, id);
    await wit.getComment(SANDBOX_PROJECT, id, comment.id ?? 0);
    const updates = await wit.getUpdates(id);
    await wit.getUpdate(id, updates[0]?.id ?? 1);
    await wit.getWorkItemTypes(SANDBOX_PROJECT);
    await wit.getWorkItemType(SANDBOX_PROJECT, 'Task');
    await wit.getWorkItemTypeStates(SANDBOX_PROJECT, 'Task');
    await wit.getRootNodes(SANDBOX_PROJECT);
    await wit.getClassificationNode(SANDBOX_PROJECT, 1);
    const node = await wit.createOrUpdateClassificationNode({ name: 'Sprint X', attributes: { startDate: '2026-05-01T00:00:00Z', finishDate: '2026-05-14T00:00:00Z' } }, SANDBOX_PROJECT, 1);

    const work = await api.getWorkApi();
    const teamContext = { project: SANDBOX_PROJECT };
    await work.getTeamSettings(teamContext);
    await work.updateTeamSettings({ workingDays: [1, 2, 3, 4, 5] }, teamContext);
    const [sprint] = await work.getTeamIterations(teamContext, 'current');
    await work.getTeamIteration(teamContext, sprint?.id ?? '');
    await work.postTeamIteration({ id: node.identifier }, teamContext);
    await work.getIterationWorkItems(teamContext, sprint?.id ?? '');
    await work.getCapacitiesWithIdentityRefAndTotals(teamContext, sprint?.id ?? '');
    await work.replaceCapacitiesWithIdentityRef([{ teamMember: { id: SANDBOX_USER.adoId }, activities: [{ name: 'Development', capacityPerDay: 6 }], daysOff: [] }], teamContext, sprint?.id ?? '');
    const daysOff = await work.updateTeamDaysOff({ daysOff: [{ start: new Date('2026-03-14T00:00:00Z'), end: new Date('2026-03-15T00:00:00Z') }] }, teamContext, sprint?.id ?? '');
    assert.equal(daysOff.daysOff?.[0]?.start?.toISOString(), '2026-03-14T00:00:00.000Z', 'the client reads the days off back as dates');
    assert.equal((await work.getTeamDaysOff(teamContext, sprint?.id ?? '')).daysOff?.length, 1);

    const git = await api.getGitApi();
    const [repo] = await git.getRepositories(SANDBOX_PROJECT);
    const repoId = repo?.id ?? '';
    await git.getRepository(repoId, SANDBOX_PROJECT);
    await git.createRepository({ name: 'coverage-repo' }, SANDBOX_PROJECT);
    const main = (await git.getRefs(repoId, SANDBOX_PROJECT, 'heads/main'))[0]?.objectId ?? '';
    await git.updateRefs([{ name: 'refs/heads/coverage', oldObjectId: ZERO, newObjectId: main }], repoId, SANDBOX_PROJECT);
    const push = await git.createPush({ refUpdates: [{ name: 'refs/heads/coverage', oldObjectId: main }], commits: [{ comment: 'cover', changes: [{ changeType: VersionControlChangeType.Add, item: { path: '/cover.md' }, newContent: { content: 'x', contentType: ItemContentType.RawText } }] }] }, repoId, SANDBOX_PROJECT);
    await git.getPushes(repoId, SANDBOX_PROJECT);
    await git.getPush(repoId, push.pushId ?? 0, SANDBOX_PROJECT);
    const [commit] = await git.getCommits(repoId, {}, SANDBOX_PROJECT);
    await git.getCommit(commit?.commitId ?? '', repoId, SANDBOX_PROJECT);
    await git.getItem(repoId, '/README.md', SANDBOX_PROJECT);
    const tag = await git.createAnnotatedTag({ name: 'coverage', taggedObject: { objectId: main }, message: 'cover' }, SANDBOX_PROJECT, repoId);
    await git.getAnnotatedTag(SANDBOX_PROJECT, repoId, tag.objectId ?? '');
    const pr = await git.createPullRequest({ sourceRefName: 'refs/heads/coverage', targetRefName: 'refs/heads/main', title: 'Coverage', workItemRefs: [{ id: String(id) }] }, repoId, SANDBOX_PROJECT);
    await git.getPullRequests(repoId, { status: PullRequestStatus.All }, SANDBOX_PROJECT);
    await git.getPullRequest(repoId, pr.pullRequestId ?? 0, SANDBOX_PROJECT);
    await git.getPullRequestById(pr.pullRequestId ?? 0, SANDBOX_PROJECT);
    await git.getPullRequestWorkItemRefs(repoId, pr.pullRequestId ?? 0, SANDBOX_PROJECT);
    await git.updatePullRequest({ status: PullRequestStatus.Abandoned }, repoId, pr.pullRequestId ?? 0, SANDBOX_PROJECT);

    const policy = await api.getPolicyApi();
    const [config] = await policy.getPolicyConfigurations(SANDBOX_PROJECT);
    await policy.getPolicyConfiguration(SANDBOX_PROJECT, config?.id ?? 0);
    await policy.getPolicyTypes(SANDBOX_PROJECT);
    await policy.createPolicyConfiguration({ isEnabled: false, isBlocking: false, type: { id: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd' }, settings: { minimumApproverCount: 2, scope: [{ repositoryId: repoId, refName: 'refs/heads/coverage', matchKind: 'exact' }] } }, SANDBOX_PROJECT);

    const wiki = await api.getWikiApi();
    const [w] = await wiki.getAllWikis(SANDBOX_PROJECT);
    await wiki.getWiki(w?.id ?? '', SANDBOX_PROJECT);
    await wiki.createWiki({ name: 'Coverage docs', projectId: project.id ?? '', type: WikiType.CodeWiki, repositoryId: repoId, mappedPath: '/' }, SANDBOX_PROJECT);
    await wiki.getPageText(SANDBOX_PROJECT, w?.id ?? '', '/Home');
    const { requestUrl, apiVersion } = await wiki.vsoClient.getVersioningData('7.1', 'wiki', '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b', { project: SANDBOX_PROJECT, wikiIdentifier: w?.id ?? '' }, { path: '/Coverage' });
    await wiki.rest.replace(requestUrl ?? '', { content: '# Coverage' }, { acceptHeader: `application/json;api-version=${apiVersion}` });

    const pipelines = await api.getPipelinesApi();
    const [ci] = await pipelines.listPipelines(SANDBOX_PROJECT);
    await pipelines.getPipeline(SANDBOX_PROJECT, ci?.id ?? 0);
    const run = await pipelines.runPipeline({}, SANDBOX_PROJECT, ci?.id ?? 0);
    const past = (await pipelines.listRuns(SANDBOX_PROJECT, ci?.id ?? 0)).at(-1)?.id ?? 0;
    await pipelines.getRun(SANDBOX_PROJECT, ci?.id ?? 0, run.id ?? 0);
    const builds = await api.getBuildApi();
    await builds.getBuild(SANDBOX_PROJECT, run.id ?? 0);
    // A finished run has every record's log.
    const timeline = await builds.getBuildTimeline(SANDBOX_PROJECT, past);
    await builds.getBuildLogs(SANDBOX_PROJECT, past);
    await builds.getBuildLogLines(SANDBOX_PROJECT, past, timeline.records?.find((r) => r.log)?.log?.id ?? 1);

    // Approvals and checks and environments: no node-api client has them, so its REST client asks.
    const base = `${h.orgUrl}/${encodeURIComponent(SANDBOX_PROJECT)}/_apis`;
    h.state.doc.pipelines.find((p) => p.id === ci?.id)!.stages = [
      { name: 'Build', job: 'Build', steps: ['Compile'] },
      { name: 'Deploy staging', job: 'Deploy', steps: ['Deploy'], environment: 'staging' },
    ];
    const gated = await pipelines.runPipeline({}, SANDBOX_PROJECT, ci?.id ?? 0);
    h.clock.advance(60_000);
    const approvalId = (await builds.getBuildTimeline(SANDBOX_PROJECT, gated.id ?? 0)).records?.find((r) => r.type === 'Checkpoint.Approval')?.id ?? '';
    await api.rest.get(`${base}/pipelines/approvals?state=pending&$expand=steps&api-version=7.1`);
    await api.rest.get(`${base}/pipelines/approvals/${approvalId}?api-version=7.1`);
    await api.rest.update(`${base}/pipelines/approvals?api-version=7.1`, [{ approvalId, status: 'approved', comment: 'coverage' }]);
    h.clock.advance(60_000);
    const environments = await api.rest.get<{ value: { id: number; name: string }[] }>(`${base}/distributedtask/environments?name=staging&api-version=7.1`);
    const staging = environments.result?.value[0]?.id ?? 0;
    await api.rest.get(`${base}/distributedtask/environments/${staging}?api-version=7.1`);
    await api.rest.get(`${base}/distributedtask/environments/${staging}/environmentdeploymentrecords?api-version=7.1`);

    const test = await api.getTestApi();
    const testRun = await test.createTestRun({ name: 'coverage', automated: true, configurationIds: [], plan: {} }, SANDBOX_PROJECT);
    await test.addTestResultsToTestRun([{ testCaseTitle: 'covers', outcome: 'Passed' }], SANDBOX_PROJECT, testRun.id ?? 0);
    await test.getTestResults(SANDBOX_PROJECT, testRun.id ?? 0);
    await test.updateTestRun({ state: 'Completed' }, SANDBOX_PROJECT, testRun.id ?? 0);
    await test.getTestRunById(SANDBOX_PROJECT, testRun.id ?? 0);
    await test.getTestRuns(SANDBOX_PROJECT);

    const answered = new Set(h.server.requests.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.route));
    const missing = [...new Set(AZURE_DEVOPS_ROUTES.map((r) => r.name))].filter((name) => !answered.has(name));
    assert.deepEqual(missing, []);
    assert.ok(!answered.has('ado.notServed'), 'the client never fell through to an unserved route');
  });
});
