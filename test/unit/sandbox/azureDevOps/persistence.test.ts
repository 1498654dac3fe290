import assert from 'node:assert/strict';
import { AzureDevOpsState } from '../../../../src/sandbox/azureDevOps';
import { isDevOpsError } from '../../../../src/core/errors';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { DEMO_NOW, startHarness } from './harness';

describe('Azure DevOps stand-in: state, demo data and persistence', () => {
  it('builds the demo organization relative to now', () => {
    const state = AzureDevOpsState.demo(DEMO_NOW, { clock: () => DEMO_NOW });
    const [project] = state.doc.projects;
    assert.equal(project?.name, SANDBOX_PROJECT);
    assert.equal(state.processOf(project!).name, 'Agile');
    const byType = (t: string) => state.doc.workItems.filter((w) => w.fields['System.WorkItemType'] === t);
    assert.equal(byType('Epic').length, 2);
    assert.ok(byType('Feature').length >= 2 && byType('User Story').length >= 4 && byType('Task').length >= 4 && byType('Bug').length >= 2);
    const states = new Set(state.doc.workItems.map((w) => w.fields['System.State']));
    for (const s of ['New', 'Active', 'Resolved', 'Closed', 'Removed']) assert.ok(states.has(s), `a ${s} item`);
    const people = new Set(state.doc.workItems.map((w) => (w.fields['System.AssignedTo'] as { displayName?: string } | undefined)?.displayName).filter(Boolean));
    assert.deepEqual([...people].sort(), ['Avery Chen', 'Jordan Patel', 'Sandbox User']);
    const frames = state.teamIterationPaths(project!, undefined).map((i) => i.timeFrame);
    assert.deepEqual(frames, ['past', 'current', 'future']);
    const repo = state.doc.repositories[0];
    assert.ok((repo?.commits.length ?? 0) >= 6);
    assert.deepEqual(repo?.refs.filter((r) => r.name.startsWith('refs/tags/')).map((r) => r.name), ['refs/tags/v1.0.0', 'refs/tags/v1.1.0']);
    assert.ok(state.doc.wikis[0]?.pages.length);
    assert.ok(state.doc.pipelines[0]?.runs.length);
    // Every parent link has its child link and the other way round.
    for (const item of state.doc.workItems) {
      for (const r of item.relations.filter((x) => x.rel === 'System.LinkTypes.Hierarchy-Reverse')) {
        const parent = state.workItem(Number(/(\d+)$/.exec(r.url)?.[1]));
        assert.ok(parent?.relations.some((x) => x.rel === 'System.LinkTypes.Hierarchy-Forward' && x.url.endsWith(`/${item.id}`)));
      }
    }
  });

  it('round-trips through JSON, changes included, and tells listeners about changes', async () => {
    const h = await startHarness();
    let changes = 0;
    const listener = h.state.onDidChange(() => (changes += 1));
    try {
      const wit = await h.api().getWorkItemTrackingApi();
      const created = await wit.createWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: 'Persist me' }], SANDBOX_PROJECT, 'Issue');
      assert.ok(changes >= 1);
      const text = JSON.stringify(h.state.toJSON());
      const restored = AzureDevOpsState.fromJSON(JSON.parse(text));
      assert.equal(restored.workItem(created.id ?? 0)?.fields['System.Title'], 'Persist me');
      assert.deepEqual(restored.toJSON(), h.state.toJSON());
      const before = changes;
      await wit.getWorkItem(created.id ?? 0);
      assert.equal(changes, before, 'reads do not count as changes');
    } finally {
      listener.dispose();
      await h.stop();
    }
  });

  it('refuses a damaged state file with where it is damaged', () => {
    const json = AzureDevOpsState.demo(DEMO_NOW).toJSON() as unknown as { workItems: { rev: unknown }[] };
    (json.workItems[0] as { rev: unknown }).rev = 'three';
    assert.throws(
      () => AzureDevOpsState.fromJSON(json),
      (e: unknown) => isDevOpsError(e) && e.code === 'invalidInput' && /workItems\.0\.rev/.test(e.message) && /Delete \.devops\/sandbox\//.test(e.message),
    );
    assert.throws(() => AzureDevOpsState.fromJSON({ format: 'something else' }), (e: unknown) => isDevOpsError(e));
  });
});
