import assert from 'node:assert/strict';
import { TimeFrame } from 'azure-devops-node-api/interfaces/WorkInterfaces';
import { SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

describe('Azure DevOps stand-in: team settings, iterations and capacity, through azure-devops-node-api', () => {
  let h: Harness;
  const team = { project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` };
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('lists the team\'s sprints as past, current and future relative to the clock', async () => {
    const work = await h.api().getWorkApi();
    const iterations = await work.getTeamIterations(team);
    assert.deepEqual(iterations.map((i) => i.name), ['Sprint 1', 'Sprint 2', 'Sprint 3']);
    assert.deepEqual(iterations.map((i) => i.attributes?.timeFrame), [TimeFrame.Past, TimeFrame.Current, TimeFrame.Future]);
    const [current] = await work.getTeamIterations(team, 'current');
    assert.equal(current?.name, 'Sprint 2');
    assert.equal(current?.path, `${SANDBOX_PROJECT}\\Sprint 2`);
    h.clock.advance(14 * 86_400_000);
    const [later] = await work.getTeamIterations(team, 'current');
    assert.equal(later?.name, 'Sprint 3', 'the clock moves the current sprint');
    h.clock.advance(-14 * 86_400_000);
    const one = await work.getTeamIteration(team, current?.id ?? '');
    assert.equal(one.name, 'Sprint 2');
  });

  it('gives team settings with the current sprint as default iteration', async () => {
    const work = await h.api().getWorkApi();
    const settings = await work.getTeamSettings({ project: SANDBOX_PROJECT });
    assert.equal(settings.defaultIteration?.name, 'Sprint 2');
    assert.equal(settings.defaultIterationMacro, '@currentIteration');
    assert.equal(settings.workingDays?.length, 5);
  });

  it('reads and replaces capacity, with totals', async () => {
    const work = await h.api().getWorkApi();
    const [current] = await work.getTeamIterations(team, 'current');
    const id = current?.id ?? '';
    const capacity = await work.getCapacitiesWithIdentityRefAndTotals(team, id);
    assert.equal(capacity.teamMembers?.length, 3);
    assert.equal(capacity.totalCapacityPerDay, 17);
    assert.equal(capacity.totalDaysOff, 2);
    await work.replaceCapacitiesWithIdentityRef([{ teamMember: { id: SANDBOX_USER.adoId }, activities: [{ name: 'Development', capacityPerDay: 4 }], daysOff: [] }], team, id);
    const after = await work.getCapacitiesWithIdentityRefAndTotals(team, id);
    assert.equal(after.totalCapacityPerDay, 4);
    await assert.rejects(
      work.replaceCapacitiesWithIdentityRef([{ teamMember: { id: 'c3f4b1aa-0000-4000-8000-000000000000' }, activities: [], daysOff: [] }], team, id),
      (e: Error & { statusCode?: number }) => e.statusCode === 400 && /not a member/.test(e.message),
    );
  });

  it('lists the sprint\'s work items with their hierarchy, and adds an iteration to the team', async () => {
    const work = await h.api().getWorkApi();
    const [current] = await work.getTeamIterations(team, 'current');
    const items = await work.getIterationWorkItems(team, current?.id ?? '');
    const relations = items.workItemRelations ?? [];
    const sprint2 = h.state.doc.workItems.filter((w) => w.fields['System.IterationPath'] === `${SANDBOX_PROJECT}\\Sprint 2`).map((w) => w.id);
    assert.deepEqual(relations.map((r) => r.target?.id).sort(), sprint2.sort());
    assert.ok(relations.some((r) => r.rel === 'System.LinkTypes.Hierarchy-Forward'));
    const wit = await h.api().getWorkItemTrackingApi();
    const node = await wit.createOrUpdateClassificationNode({ name: 'Hardening', attributes: { startDate: '2026-04-01T00:00:00Z', finishDate: '2026-04-07T00:00:00Z' } }, SANDBOX_PROJECT, 1);
    const added = await work.postTeamIteration({ id: node.identifier }, team);
    assert.equal(added.name, 'Hardening');
    assert.equal((await work.getTeamIterations(team)).length, 4);
  });
});
