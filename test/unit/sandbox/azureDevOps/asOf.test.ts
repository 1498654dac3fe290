import assert from 'node:assert/strict';
import { Operation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { WorkItemErrorPolicy, WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { type IWorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

type HttpError = Error & { statusCode?: number };
const HOUR = 3_600_000;
const set = (name: string, value: unknown) => ({ op: Operation.Add, path: `/fields/${name}`, value });

/**
 * WIQL ASOF and the `asOf` parameter of the work item reads, through azure-devops-node-api: the
 * query and the fields are evaluated against each item's revision that stood at that moment.
 */
describe('Azure DevOps stand-in: ASOF (work items as they stood at a moment)', () => {
  let h: Harness;
  let wit: IWorkItemTrackingApi;
  let story: number;
  let child: number;
  let late: number;
  let t0: Date;
  let t1: Date;
  let t2: Date;
  const sprint = (n: number) => `${SANDBOX_PROJECT}\\Sprint ${n}`;
  const ids = async (query: string) => ((await wit.queryByWiql({ query }, { project: SANDBOX_PROJECT })).workItems ?? []).map((w) => w.id);

  before(async () => {
    h = await startHarness();
    wit = await h.api().getWorkItemTrackingApi();
    // t0: a story in Sprint 2 with 5 points, and a task under it.
    const created = await wit.createWorkItem(undefined, [set('System.Title', 'ASOF story'), set('System.IterationPath', sprint(2)), set('Microsoft.VSTS.Scheduling.StoryPoints', 5)], SANDBOX_PROJECT, 'User Story');
    story = created.id!;
    const task = await wit.createWorkItem(
      undefined,
      [set('System.Title', 'ASOF task'), { op: Operation.Add, path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${h.orgUrl}/_apis/wit/workItems/${story}` } }],
      SANDBOX_PROJECT,
      'Task',
    );
    child = task.id!;
    // A revision made in the same millisecond as the last one is stamped a millisecond later (as on the service).
    h.clock.advance(60_000);
    t0 = h.clock.now();
    h.clock.advance(HOUR);
    // t0 + 1 h: re-estimated to 8 and moved to Sprint 3; the task unlinked.
    await wit.updateWorkItem(undefined, [set('Microsoft.VSTS.Scheduling.StoryPoints', 8), set('System.IterationPath', sprint(3))], story);
    await wit.updateWorkItem(undefined, [{ op: Operation.Remove, path: '/relations/0' }], child);
    h.clock.advance(60_000);
    t1 = h.clock.now();
    h.clock.advance(HOUR);
    // t0 + 2 h: a story that did not exist before, and the first one closed.
    late = (await wit.createWorkItem(undefined, [set('System.Title', 'ASOF newcomer'), set('System.IterationPath', sprint(2))], SANDBOX_PROJECT, 'User Story')).id!;
    await wit.updateWorkItem(undefined, [set('System.State', 'Closed')], story);
    h.clock.advance(60_000);
    t2 = h.clock.now();
    h.clock.advance(HOUR);
  });
  after(() => h.stop());

  it('evaluates WHERE against each item as it stood at the ASOF moment, leaving out items created later', async () => {
    const q = (n: number, at?: Date) => `SELECT [System.Id] FROM WorkItems WHERE [System.Title] CONTAINS 'ASOF' AND [System.IterationPath] = '${sprint(n)}'${at ? ` ASOF '${at.toISOString()}'` : ''}`;
    assert.deepEqual(await ids(q(2, t0)), [story]);
    assert.deepEqual(await ids(q(3, t0)), []);
    assert.deepEqual(await ids(q(2, t1)), []);
    assert.deepEqual(await ids(q(3, t1)), [story]);
    assert.deepEqual(await ids(q(2, t2)), [late]);
    assert.deepEqual(await ids(q(2)), [late]);
    const closedThen = `SELECT [System.Id] FROM WorkItems WHERE [System.Id] = ${story} AND [System.State] = 'Closed'`;
    assert.deepEqual(await ids(`${closedThen} ASOF '${t1.toISOString()}'`), []);
    assert.deepEqual(await ids(`${closedThen} ASOF '${t2.toISOString()}'`), [story]);
  });

  it('answers with the ASOF moment as the query time', async () => {
    const r = await wit.queryByWiql({ query: `SELECT [System.Id] FROM WorkItems WHERE [System.Id] = ${story} ASOF '${t0.toISOString()}'` }, { project: SANDBOX_PROJECT });
    assert.equal(new Date(r.asOf!).toISOString(), t0.toISOString());
    const now = await wit.queryByWiql({ query: `SELECT [System.Id] FROM WorkItems WHERE [System.Id] = ${story}` }, { project: SANDBOX_PROJECT });
    assert.equal(new Date(now.asOf!).toISOString(), h.clock.now().toISOString());
  });

  it('follows links as they stood: the task was the story\'s child at t0, not at t1', async () => {
    const tree = (at: Date) =>
      `SELECT [System.Id] FROM WorkItemLinks WHERE [Source].[System.Id] = ${story} AND [System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward' MODE (MustContain) ASOF '${at.toISOString()}'`;
    const links = async (at: Date) => ((await wit.queryByWiql({ query: tree(at) }, { project: SANDBOX_PROJECT })).workItemRelations ?? []).filter((r) => r.source).map((r) => r.target?.id);
    assert.deepEqual(await links(t0), [child]);
    assert.deepEqual(await links(t1), []);
  });

  it('reads fields and revisions as of a moment (batch, list and single reads)', async () => {
    const batch = await wit.getWorkItemsBatch({ ids: [story, late], fields: ['Microsoft.VSTS.Scheduling.StoryPoints', 'System.State', 'System.IterationPath'], asOf: t0, errorPolicy: WorkItemErrorPolicy.Omit });
    assert.equal(batch.length, 2);
    assert.deepEqual(batch[0]?.fields, { 'Microsoft.VSTS.Scheduling.StoryPoints': 5, 'System.State': 'New', 'System.IterationPath': sprint(2) });
    assert.equal(batch[1], null, 'the newcomer did not exist at t0');
    const [then] = await wit.getWorkItems([story], ['Microsoft.VSTS.Scheduling.StoryPoints'], t1);
    assert.equal(then?.fields?.['Microsoft.VSTS.Scheduling.StoryPoints'], 8);
    const single = await wit.getWorkItem(story, undefined, t0, WorkItemExpand.Relations);
    assert.equal(single.rev, 2, 'created, then the task linked as its child');
    assert.equal(single.fields?.['System.State'], 'New');
    assert.equal((single.relations ?? []).filter((r) => r.rel === 'System.LinkTypes.Hierarchy-Forward').length, 1);
    const current = await wit.getWorkItem(story, undefined, undefined, WorkItemExpand.Relations);
    assert.equal(current.fields?.['System.State'], 'Closed');
    assert.equal((current.relations ?? []).filter((r) => r.rel === 'System.LinkTypes.Hierarchy-Forward').length, 0);
  });

  it('refuses an ASOF date it cannot read with a 400 that says what to send', async () => {
    await assert.rejects(ids(`SELECT [System.Id] FROM WorkItems WHERE [System.Id] = ${story} ASOF 'last tuesday'`), (e: HttpError) => {
      assert.equal(e.statusCode, 400);
      assert.match(e.message, /not a date ASOF can read/);
      return true;
    });
  });
});
