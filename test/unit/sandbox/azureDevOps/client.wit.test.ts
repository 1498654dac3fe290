import assert from 'node:assert/strict';
import { Operation, type JsonPatchDocument } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { TreeStructureGroup, WorkItemErrorPolicy, WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { type IWorkItemTrackingApi } from 'azure-devops-node-api/WorkItemTrackingApi';
import { processByName } from '../../../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../../../src/sandbox/azureDevOps/state/projectOps';
import { SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

type HttpError = Error & { statusCode?: number; result?: { typeKey?: string; customProperties?: Record<string, unknown> } };
const fails = (status: number, pattern: RegExp, typeKey?: string) => (e: HttpError) => {
  assert.equal(e.statusCode, status, e.message);
  assert.match(e.message, pattern);
  if (typeKey) assert.equal(e.result?.typeKey, typeKey);
  return true;
};
const patch = (ops: { op: Operation; path: string; value?: unknown }[]): JsonPatchDocument => ops;
const setField = (name: string, value: unknown) => ({ op: Operation.Add, path: `/fields/${name}`, value });

describe('Azure DevOps stand-in: work items, through azure-devops-node-api', () => {
  let h: Harness;
  let wit: IWorkItemTrackingApi;
  const idOf = (title: string) => h.state.doc.workItems.find((w) => w.fields['System.Title'] === title)?.id ?? 0;

  before(async () => {
    h = await startHarness();
    wit = await h.api().getWorkItemTrackingApi();
  });
  after(() => h.stop());

  it('gets work items by ids with fields, or with relations expanded', async () => {
    const story = idOf('Reset a forgotten password');
    const [withFields] = await wit.getWorkItems([story], ['System.Title', 'System.State'], undefined, undefined, undefined, SANDBOX_PROJECT);
    assert.deepEqual(Object.keys(withFields?.fields ?? {}).sort(), ['System.State', 'System.Title']);
    assert.equal(withFields?.relations, undefined);
    const expanded = await wit.getWorkItem(story, undefined, undefined, WorkItemExpand.Relations);
    const rels = (expanded.relations ?? []).map((r) => r.rel);
    assert.ok(rels.includes('System.LinkTypes.Hierarchy-Reverse'));
    assert.equal(rels.filter((r) => r === 'System.LinkTypes.Hierarchy-Forward').length, 2);
    assert.ok(rels.includes('ArtifactLink'));
    const assigned = expanded.fields?.['System.AssignedTo'] as { uniqueName: string; url: string };
    assert.equal(assigned.uniqueName, SANDBOX_USER.email);
    assert.ok(assigned.url.startsWith(h.orgUrl));
    await assert.rejects(wit.getWorkItems([story], ['System.Title'], undefined, WorkItemExpand.All), fails(400, /expand parameter can not be used with the fields parameter/));
  });

  it('answers a missing work item with 404 (null to the client) unless errorPolicy is omit', async () => {
    assert.equal(await wit.getWorkItem(99_999), null);
    assert.equal(await wit.getWorkItems([1, 99_999]), null);
    const omitted = await wit.getWorkItems([1, 99_999], undefined, undefined, undefined, WorkItemErrorPolicy.Omit);
    assert.equal(omitted.length, 2);
    assert.equal(omitted[1], null);
  });

  it('deletes a work item: gone from reads, batches and WIQL; its parent keeps a dangling link; a second delete is 404', async () => {
    const parent = idOf('Reset a forgotten password');
    const task = await wit.createWorkItem(null, patch([setField('System.Title', 'Delete me'), { op: Operation.Add, path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${h.orgUrl}/_apis/wit/workItems/${parent}` } }]), SANDBOX_PROJECT, 'Task');
    const id = task.id ?? 0;
    const deleted = await wit.deleteWorkItem(id, SANDBOX_PROJECT);
    assert.deepEqual({ id: deleted.id, code: deleted.code, name: deleted.name, type: deleted.type, project: deleted.project }, { id, code: 200, name: 'Delete me', type: 'Task', project: SANDBOX_PROJECT });
    assert.match(deleted.deletedBy ?? '', new RegExp(SANDBOX_USER.displayName));
    assert.equal(await wit.getWorkItem(id), null);
    const [omitted] = await wit.getWorkItemsBatch({ ids: [id], errorPolicy: WorkItemErrorPolicy.Omit }, SANDBOX_PROJECT);
    assert.equal(omitted, null);
    const found = await wit.queryByWiql({ query: "SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'Delete me'" }, { project: SANDBOX_PROJECT });
    assert.deepEqual(found.workItems, []);
    const children = await wit.queryByWiql({ query: `SELECT [System.Id] FROM WorkItemLinks WHERE [Source].[System.Id] = ${parent} AND [System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward' MODE (MustContain)` }, { project: SANDBOX_PROJECT });
    assert.ok(!(children.workItemRelations ?? []).some((r) => r.target?.id === id), 'the deleted child is not followed');
    // The client answers a 404 with null, as for reads.
    assert.equal(await wit.deleteWorkItem(id, SANDBOX_PROJECT), null);
    assert.equal(h.server.requestsTo('wit.workItems.delete').at(-1)?.status, 404);
  });

  it('takes at most 200 ids a call, in GET workitems and in workitemsbatch', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const batch = await wit.getWorkItemsBatch({ ids: ids.filter((i) => i <= 20), fields: ['System.Id', 'System.Title'] }, SANDBOX_PROJECT);
    assert.equal(batch.length, 20);
    assert.deepEqual(Object.keys(batch[0]?.fields ?? {}).sort(), ['System.Id', 'System.Title']);
    await assert.rejects(wit.getWorkItemsBatch({ ids: [...ids, 201], errorPolicy: WorkItemErrorPolicy.Omit }, SANDBOX_PROJECT), fails(400, /VS403474: You requested 201 work items which exceeds the limit of 200/));
    await assert.rejects(wit.getWorkItems([...ids, 201], undefined, undefined, undefined, WorkItemErrorPolicy.Omit), fails(400, /VS403474: You requested 201 work items/));
    const omitted = await wit.getWorkItemsBatch({ ids, errorPolicy: WorkItemErrorPolicy.Omit }, SANDBOX_PROJECT);
    assert.equal(omitted.length, 200);
  });

  it('creates a task under a story with a parent link, and the story gets the child link', async () => {
    const story = idOf('Reset a forgotten password');
    const before = await wit.getWorkItem(story);
    const task = await wit.createWorkItem(
      null,
      patch([
        setField('System.Title', 'Expire reset links after an hour'),
        setField('System.AssignedTo', 'avery.chen@example.com'),
        setField('System.IterationPath', `${SANDBOX_PROJECT}\\Sprint 2`),
        setField('System.Tags', 'auth; security;auth'),
        setField('Microsoft.VSTS.Scheduling.RemainingWork', '3'),
        { op: Operation.Add, path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${h.orgUrl}/_apis/wit/workItems/${story}`, attributes: { comment: 'decomposition' } } },
      ]),
      SANDBOX_PROJECT,
      'Task',
    );
    assert.equal(task.rev, 1);
    assert.equal(task.fields?.['System.State'], 'New');
    assert.equal(task.fields?.['System.Tags'], 'auth; security');
    assert.equal(task.fields?.['Microsoft.VSTS.Scheduling.RemainingWork'], 3);
    assert.equal(task.fields?.['System.Parent'], story);
    assert.equal((task.fields?.['System.AssignedTo'] as { displayName: string }).displayName, 'Avery Chen');
    const parent = await wit.getWorkItem(story, undefined, undefined, WorkItemExpand.Relations);
    assert.equal(parent.rev, (before.rev ?? 0) + 1);
    assert.ok(parent.relations?.some((r) => r.rel === 'System.LinkTypes.Hierarchy-Forward' && r.url?.endsWith(`/workItems/${task.id}`)));
    await assert.rejects(
      wit.createWorkItem(null, patch([setField('System.Title', 'Second parent'), { op: Operation.Add, path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${h.orgUrl}/_apis/wit/workItems/1` } }, { op: Operation.Add, path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${h.orgUrl}/_apis/wit/workItems/2` } }]), SANDBOX_PROJECT, 'Task'),
      fails(400, /TF201036/),
    );
  });

  it('links branches, commits and pull requests as artifact links', async () => {
    const id = idOf('Ship logs to the log workspace');
    const repo = h.state.doc.repositories[0];
    const project = h.state.doc.projects[0];
    const url = `vstfs:///Git/Ref/${project?.id}%2F${repo?.id}%2FGBfeature%2Fstructured-logging`;
    const updated = await wit.updateWorkItem(null, patch([{ op: Operation.Add, path: '/relations/-', value: { rel: 'ArtifactLink', url, attributes: { name: 'Branch' } } }]), id);
    assert.ok(updated.relations?.some((r) => r.rel === 'ArtifactLink' && r.url === url && r.attributes?.name === 'Branch'));
    await assert.rejects(wit.updateWorkItem(null, patch([{ op: Operation.Add, path: '/relations/-', value: { rel: 'ArtifactLink', url: 'vstfs:///Nope/1' } }]), id), fails(400, /artifact URI/));
    await assert.rejects(wit.updateWorkItem(null, patch([{ op: Operation.Add, path: '/relations/-', value: { rel: 'ArtifactLink', url, attributes: { name: 'Branch' } } }]), id), fails(400, /TF201035/));
  });

  it('refuses a stale revision with the test op (412), and applies a current one', async () => {
    const id = idOf('Write the reset flow end-to-end test');
    const current = await wit.getWorkItem(id);
    const rev = current.rev ?? 0;
    const ok = await wit.updateWorkItem(null, patch([{ op: Operation.Test, path: '/rev', value: rev }, setField('System.State', 'Active')]), id);
    assert.equal(ok.rev, rev + 1);
    assert.equal(ok.fields?.['System.Reason'], 'Moved to state Active');
    await assert.rejects(
      wit.updateWorkItem(null, patch([{ op: Operation.Test, path: '/rev', value: rev }, setField('System.Title', 'Lost update')]), id),
      fails(412, new RegExp(`VS403351: Test Operation for path /rev failed, value ${rev + 1} was not equal to test value ${rev}`), 'TestPatchOperationFailedException'),
    );
    assert.notEqual((await wit.getWorkItem(id)).fields?.['System.Title'], 'Lost update', 'nothing of a refused patch is kept');
  });

  it('validates states per process, paths, identities and required fields', async () => {
    const id = idOf('Ship logs to the log workspace');
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.State', 'Done')]), id), (e: HttpError) => {
      fails(400, /TF401320: Rule Error for field State/, 'RuleValidationException')(e);
      assert.match(String(e.result?.customProperties?.ErrorMessage), /The field 'State' contains the value 'Done' that is not in the list of supported values/);
      return true;
    });
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.IterationPath', `${SANDBOX_PROJECT}\\Sprint 9`)]), id), fails(400, /TF401347: Invalid tree name/));
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.AssignedTo', 'nobody@example.com')]), id), fails(400, /TF401320: Rule Error for field Assigned To/));
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.Title', '  ')]), id), fails(400, /Rule Error for field Title/));
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.Nope', 1)]), id), fails(400, /TF51535: Cannot find field System.Nope/));
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.CreatedDate', '2020-01-01T00:00:00Z')]), id), fails(400, /ReadOnly/));
    // A Scrum type in an Agile project: 404, which typed-rest-client turns into null.
    assert.equal(await wit.createWorkItem(null, patch([setField('System.Title', 'x')]), SANDBOX_PROJECT, 'Product Backlog Item'), null);
    assert.equal(h.server.requestsTo('wit.workItems.create').at(-1)?.status, 404);
    const closed = await wit.updateWorkItem(null, patch([setField('System.State', 'Closed')]), id);
    assert.equal(closed.fields?.['System.State'], 'Closed');
    assert.ok(closed.fields?.['Microsoft.VSTS.Common.ClosedDate']);
  });

  it('validates states against the project\'s own process (Scrum here)', async () => {
    const scrum = processByName('Scrum');
    addProject(h.state, { name: 'Scrum Team Project', description: '', processId: scrum?.id ?? '', visibility: 'private' }, false);
    const pbi = await wit.createWorkItem(null, patch([setField('System.Title', 'Checkout with saved cards')]), 'Scrum Team Project', 'Product Backlog Item');
    assert.equal(pbi.fields?.['System.State'], 'New');
    await assert.rejects(wit.updateWorkItem(null, patch([setField('System.State', 'Active')]), pbi.id ?? 0), fails(400, /Rule Error for field State/));
    const committed = await wit.updateWorkItem(null, patch([setField('System.State', 'Committed')]), pbi.id ?? 0);
    assert.equal(committed.fields?.['System.State'], 'Committed');
    assert.ok(Date.parse(String(committed.fields?.['System.ChangedDate'])) > Date.parse(String(pbi.fields?.['System.ChangedDate'])), 'ChangedDate moves forward with every revision');
  });

  it('keeps history as updates and comments (preview API), and System.History becomes a comment', async () => {
    const id = idOf('Email the reset link');
    await wit.updateWorkItem(null, patch([setField('System.History', 'Switched to the shared email template.')]), id);
    const added = await wit.addComment({ text: 'Ready for review.' }, SANDBOX_PROJECT, id);
    assert.equal(added.createdBy?.id, SANDBOX_USER.adoId);
    const comments = await wit.getComments(SANDBOX_PROJECT, id);
    assert.deepEqual(comments.comments?.map((c) => c.text), ['Ready for review.', 'Switched to the shared email template.']);
    assert.equal(comments.totalCount, 2);
    const page = await wit.getComments(SANDBOX_PROJECT, id, 1);
    assert.equal(page.comments?.length, 1);
    assert.ok(page.continuationToken);
    const updates = await wit.getUpdates(id);
    const last = updates.at(-1);
    assert.equal(last?.fields?.['System.History']?.newValue, 'Ready for review.');
    assert.ok(updates.some((u) => u.fields?.['System.State']?.newValue === 'Active' && u.fields['System.State'].oldValue === 'New'));
    assert.equal(h.server.requestsTo('wit.comments.add').at(-1)?.apiVersion, '7.1-preview.3');
  });

  it('describes work item types, their states and the area and iteration trees', async () => {
    const types = await wit.getWorkItemTypes(SANDBOX_PROJECT);
    assert.deepEqual(types.slice(0, 5).map((t) => t.name), ['Epic', 'Feature', 'User Story', 'Task', 'Bug']);
    const states = await wit.getWorkItemTypeStates(SANDBOX_PROJECT, 'User Story');
    assert.deepEqual(states.map((s) => `${s.name}:${s.category}`), ['New:Proposed', 'Active:InProgress', 'Resolved:Resolved', 'Closed:Completed', 'Removed:Removed']);
    const bug = await wit.getWorkItemType(SANDBOX_PROJECT, 'Bug');
    assert.equal(bug.referenceName, 'Microsoft.VSTS.WorkItemTypes.Bug');
    const iterations = await wit.getClassificationNode(SANDBOX_PROJECT, TreeStructureGroup.Iterations, undefined, 1);
    assert.deepEqual(iterations.children?.map((c) => c.name), ['Sprint 1', 'Sprint 2', 'Sprint 3']);
    const sprint4 = await wit.createOrUpdateClassificationNode({ name: 'Sprint 4', attributes: { startDate: '2026-04-08T00:00:00Z', finishDate: '2026-04-21T00:00:00Z' } }, SANDBOX_PROJECT, TreeStructureGroup.Iterations);
    assert.equal(sprint4.path, `\\${SANDBOX_PROJECT}\\Iteration\\Sprint 4`);
    await assert.rejects(wit.createOrUpdateClassificationNode({ name: 'Sprint 4' }, SANDBOX_PROJECT, TreeStructureGroup.Iterations), fails(409, /already exists/));
    const roots = await wit.getRootNodes(SANDBOX_PROJECT, 2);
    assert.deepEqual(roots.map((r) => r.children?.map((c) => c.name)), [['Web', 'API'], ['Sprint 1', 'Sprint 2', 'Sprint 3', 'Sprint 4']]);
  });

  it('answers WIQL through the client: flat, and a tree of the hierarchy for the boards view', async () => {
    const flat = await wit.queryByWiql({ query: "SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.TeamProject] = @Project AND [System.WorkItemType] = 'Epic' ORDER BY [System.Id]" }, { project: SANDBOX_PROJECT });
    assert.deepEqual(flat.workItems?.map((w) => w.id), [idOf('Customer self-service portal'), idOf('Platform reliability')]);
    assert.deepEqual(flat.columns?.map((c) => c.referenceName), ['System.Id', 'System.Title']);
    const tree = await wit.queryByWiql(
      {
        query:
          "SELECT [System.Id] FROM WorkItemLinks WHERE ([Source].[System.TeamProject] = @Project AND [Source].[System.WorkItemType] = 'Epic') AND ([System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward') AND ([Target].[System.State] <> 'Removed') ORDER BY [System.Id] MODE (Recursive)",
      },
      { project: SANDBOX_PROJECT },
    );
    const relations = tree.workItemRelations ?? [];
    const roots = relations.filter((r) => !r.source).map((r) => r.target?.id);
    assert.deepEqual(roots, [idOf('Customer self-service portal'), idOf('Platform reliability')]);
    const children = (id: number) => relations.filter((r) => r.source?.id === id).map((r) => r.target?.id);
    assert.deepEqual(children(idOf('Account sign-in and profile')).length, 5, 'three stories and two bugs');
    assert.ok(!relations.some((r) => r.target?.id === idOf('Alert on checkout error rate')), 'removed items are filtered by the target clause');
    assert.equal(h.server.requestsTo('wit.wiql').at(-1)?.apiVersion, '7.1-preview.2');
  });
});
