import assert from 'node:assert/strict';
import { RunResult, RunState } from 'azure-devops-node-api/interfaces/PipelinesInterfaces';
import { BuildResult, BuildStatus, TaskResult, TimelineRecordState } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import { TestOutcome } from 'azure-devops-node-api/interfaces/TestInterfaces';
import { WikiType } from 'azure-devops-node-api/interfaces/WikiInterfaces';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

type HttpError = Error & { statusCode?: number };

describe('Azure DevOps stand-in: wiki, pipelines and test runs, through azure-devops-node-api', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('lists and creates wikis', async () => {
    const wiki = await h.api().getWikiApi();
    const [projectWiki] = await wiki.getAllWikis(SANDBOX_PROJECT);
    assert.equal(projectWiki?.name, `${SANDBOX_PROJECT}.wiki`);
    assert.equal(projectWiki?.type, WikiType.ProjectWiki);
    assert.equal((await wiki.getWiki(projectWiki?.name ?? '', SANDBOX_PROJECT)).id, projectWiki?.id);
    await assert.rejects(wiki.createWiki({ name: 'Second', projectId: h.state.doc.projects[0]?.id ?? '', type: WikiType.ProjectWiki }, SANDBOX_PROJECT), (e: HttpError) => e.statusCode === 409);
  });

  it('puts wiki pages: 201 and an ETag on create, If-Match to edit (200 and a new ETag), 409 and 412 otherwise', async () => {
    const api = await h.api().getWikiApi();
    const [w] = await api.getAllWikis(SANDBOX_PROJECT);
    // The client has no page create/update method: resolve the location and PUT, as the specs README describes.
    const put = async (path: string, content: string, ifMatch?: string) => {
      const { requestUrl, apiVersion } = await api.vsoClient.getVersioningData('7.1', 'wiki', '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b', { project: SANDBOX_PROJECT, wikiIdentifier: w?.id ?? '' }, { path });
      const res = await api.rest.replace<{ path: string; content: string }>(requestUrl ?? '', { content }, { acceptHeader: `application/json;api-version=${apiVersion}`, ...(ifMatch ? { additionalHeaders: { 'If-Match': ifMatch } } : {}) });
      return { status: res.statusCode, eTag: String((res.headers as Record<string, string | undefined>).etag ?? ''), page: res.result };
    };
    const created = await put('/Release Notes/v1.2.0', '# v1.2.0\n');
    assert.equal(created.status, 201);
    assert.match(created.eTag, /^"[0-9a-f]{40}"$/);
    assert.equal(created.page?.path, '/Release Notes/v1.2.0');
    await assert.rejects(put('/Release Notes/v1.2.0', 'overwrite'), (e: HttpError) => e.statusCode === 409 && /already exists/.test(e.message));
    const edited = await put('/Release Notes/v1.2.0', '# v1.2.0\n\n- invoices\n', created.eTag);
    assert.equal(edited.status, 200);
    assert.notEqual(edited.eTag, created.eTag);
    await assert.rejects(put('/Release Notes/v1.2.0', 'stale', created.eTag), (e: HttpError) => e.statusCode === 412);
    const text = await api.getPageText(SANDBOX_PROJECT, w?.id ?? '', '/Release Notes/v1.2.0');
    let body = '';
    for await (const chunk of text) body += String(chunk);
    assert.equal(body, '# v1.2.0\n\n- invoices\n');
    assert.equal(h.server.requestsTo('wiki.pages.put').at(-1)?.apiVersion, '7.1');
  });

  it('runs a pipeline that is queued, then in progress, then completed on the clock', async () => {
    const pipelines = await h.api().getPipelinesApi();
    const [ci] = await pipelines.listPipelines(SANDBOX_PROJECT);
    assert.equal(ci?.name, 'contoso-web-ci');
    const past = await pipelines.listRuns(SANDBOX_PROJECT, ci?.id ?? 0);
    assert.equal(past.length, 6);
    assert.ok(past.some((r) => r.result === RunResult.Failed));
    const run = await pipelines.runPipeline({ resources: { repositories: { self: { refName: 'refs/heads/main' } } } }, SANDBOX_PROJECT, ci?.id ?? 0);
    const build = await h.api().getBuildApi();
    const status = async () => (await build.getBuild(SANDBOX_PROJECT, run.id ?? 0)).status;
    assert.equal(run.state, RunState.InProgress, 'the Pipelines API reads a queued run as inProgress');
    assert.equal(await status(), BuildStatus.NotStarted, 'the Build API tells queued apart');
    h.clock.advance(10_000);
    assert.equal(await status(), BuildStatus.InProgress);
    assert.equal((await pipelines.getRun(SANDBOX_PROJECT, ci?.id ?? 0, run.id ?? 0)).state, RunState.InProgress);
    h.clock.advance(60_000);
    const done = await pipelines.getRun(SANDBOX_PROJECT, ci?.id ?? 0, run.id ?? 0);
    assert.equal(done.state, RunState.Completed);
    assert.equal(done.result, RunResult.Succeeded);
    assert.equal((await build.getBuild(SANDBOX_PROJECT, run.id ?? 0)).result, BuildResult.Succeeded);
    const failing = await pipelines.runPipeline({ variables: { 'sandbox.result': { value: 'failed' } } }, SANDBOX_PROJECT, ci?.id ?? 0);
    h.clock.advance(60_000);
    assert.equal((await pipelines.getRun(SANDBOX_PROJECT, ci?.id ?? 0, failing.id ?? 0)).result, RunResult.Failed);
    await assert.rejects(pipelines.runPipeline({ resources: { repositories: { self: { refName: 'refs/heads/nope' } } } }, SANDBOX_PROJECT, ci?.id ?? 0), (e: HttpError) => e.statusCode === 400);
  });

  it('serves a run\'s Build timeline (Stage > Phase > Job > Task on the clock) and its logs; a failed run\'s failing step says why in its log', async () => {
    const pipelines = await h.api().getPipelinesApi();
    const build = await h.api().getBuildApi();
    const [ci] = await pipelines.listPipelines(SANDBOX_PROJECT);
    const p = h.state.doc.pipelines.find((x) => x.id === ci?.id)!;
    p.stages = [
      { name: 'Build', job: 'Build', steps: ['Checkout', 'Compile'] },
      { name: 'Deploy dev', job: 'Deploy', steps: ['Deploy to dev'] },
    ];
    const run = await pipelines.runPipeline({ variables: { 'sandbox.result': { value: 'failed' } } }, SANDBOX_PROJECT, ci?.id ?? 0);
    const queued = await build.getBuildTimeline(SANDBOX_PROJECT, run.id ?? 0);
    assert.deepEqual(queued.records?.filter((r) => r.type === 'Stage').map((r) => [r.name, r.state]), [['Build', TimelineRecordState.Pending], ['Deploy dev', TimelineRecordState.Pending]]);
    h.clock.advance(5_000 + 10_000);
    const running = await build.getBuildTimeline(SANDBOX_PROJECT, run.id ?? 0);
    const stage = running.records?.find((r) => r.type === 'Stage' && r.state === TimelineRecordState.InProgress);
    assert.equal(stage?.name, 'Build');
    const phase = running.records?.find((r) => r.parentId === stage?.id);
    const job = running.records?.find((r) => r.parentId === phase?.id && r.type === 'Job');
    assert.equal(job?.name, 'Build');
    assert.ok(running.records?.some((r) => r.parentId === job?.id && r.type === 'Task' && r.state === TimelineRecordState.InProgress));
    h.clock.advance(60_000);
    const done = await build.getBuildTimeline(SANDBOX_PROJECT, run.id ?? 0);
    const failed = done.records?.filter((r) => r.type === 'Task' && r.result === TaskResult.Failed) ?? [];
    assert.deepEqual(failed.map((r) => r.name), ['Deploy to dev']);
    assert.equal(done.records?.find((r) => r.type === 'Stage' && r.name === 'Build')?.result, TaskResult.Succeeded);
    assert.equal(done.records?.find((r) => r.type === 'Stage' && r.name === 'Deploy dev')?.result, TaskResult.Failed);
    const lines = await build.getBuildLogLines(SANDBOX_PROJECT, run.id ?? 0, failed[0]?.log?.id ?? 0);
    assert.ok(lines.some((l) => /##\[error\]Deploy to dev failed/.test(l)), lines.join('\n'));
    assert.deepEqual(await build.getBuildLogLines(SANDBOX_PROJECT, run.id ?? 0, failed[0]?.log?.id ?? 0, 1, 1), lines.slice(0, 1));
    let text = '';
    for await (const chunk of await build.getBuildLog(SANDBOX_PROJECT, run.id ?? 0, failed[0]?.log?.id ?? 0)) text += String(chunk);
    assert.equal(text, lines.join('\n'));
    assert.equal((await build.getBuildLogs(SANDBOX_PROJECT, run.id ?? 0)).length, 7, "a job log and a log per step (Initialize job included)");
    // typed-rest-client reads a 404 on GET as "nothing there" rather than an error.
    assert.ok(!(await build.getBuildLogLines(SANDBOX_PROJECT, run.id ?? 0, 999))?.length);
    assert.ok(!(await build.getBuildTimeline(SANDBOX_PROJECT, 987_654))?.records);
  });

  it('records test runs and results', async () => {
    const test = await h.api().getTestApi();
    const run = await test.createTestRun({ name: 'unit tests', automated: true, configurationIds: [], plan: {} }, SANDBOX_PROJECT);
    const results = await test.addTestResultsToTestRun(
      [
        { testCaseTitle: 'adds', automatedTestName: 'math.adds', outcome: 'Passed', durationInMs: 4 },
        { testCaseTitle: 'divides', automatedTestName: 'math.divides', outcome: 'Failed', errorMessage: 'expected 2, got Infinity' },
      ],
      SANDBOX_PROJECT,
      run.id ?? 0,
    );
    assert.equal(results.length, 2);
    const failed = await test.getTestResults(SANDBOX_PROJECT, run.id ?? 0, undefined, undefined, undefined, [TestOutcome.Failed]);
    assert.deepEqual(failed.map((r) => r.testCaseTitle), ['divides']);
    const completed = await test.updateTestRun({ state: 'Completed' }, SANDBOX_PROJECT, run.id ?? 0);
    assert.equal(completed.state, 'Completed');
    assert.equal(completed.totalTests, 2);
    assert.equal(completed.passedTests, 1);
    const fetched = await test.getTestRunById(SANDBOX_PROJECT, run.id ?? 0);
    assert.ok(fetched.completedDate);
    const runs = await test.getTestRuns(SANDBOX_PROJECT);
    assert.equal(runs.length, 2, 'the demo run and this one');
    await assert.rejects(test.addTestResultsToTestRun([{ testCaseTitle: 'late', outcome: 'Passed' }], SANDBOX_PROJECT, run.id ?? 0), (e: HttpError) => e.statusCode === 400);
    await assert.rejects(test.createTestRun({ name: 'manual', configurationIds: [], plan: {} }, SANDBOX_PROJECT), (e: HttpError) => e.statusCode === 400 && /plan/.test(e.message));
  });
});
