import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AzureDevOpsState, WIQL_RESULT_LIMIT } from '../../../../src/sandbox/azureDevOps';
import { growOpenWorkItems } from '../../../../src/sandbox/azureDevOps/state/grow';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { type WorkItem } from '../../../../src/core/workItem';
import { DEMO_NOW, type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeTracker, type TrackerSetup } from './azureBoardsSetup';

const OPEN = 21_000;

describe('Azure Boards: a list past WIQL\'s cap grouped by state or iteration from its ids alone', function () {
  this.timeout(120_000);
  let h: Harness;
  let dir: string;
  let s: TrackerSetup;
  let sprints: string[];
  const field = (id: number, name: string): unknown => h.state.doc.workItems.find((w) => w.id === id)?.fields[name];
  const requests = (route: string): number => h.server.requestsTo(route).length;

  before(async () => {
    const state = AzureDevOpsState.demo(DEMO_NOW);
    const first = state.doc.counters.workItem + 1;
    growOpenWorkItems(state, OPEN);
    const project = state.findProject(SANDBOX_PROJECT)!;
    sprints = state.teamIterationPaths(project, undefined).map((i) => i.path);
    assert.ok(sprints.length >= 2);
    // Most generated items Active (more than one query's cap), one in 40 New; sprints by id, every 7th at the project's root.
    for (const w of state.doc.workItems) {
      if (w.id < first) continue;
      w.fields['System.State'] = w.id % 40 === 0 ? 'New' : 'Active';
      w.fields['System.IterationPath'] = w.id % 7 === 0 ? SANDBOX_PROJECT : sprints[w.id % sprints.length]!;
    }
    h = await startHarness(state);
    h.server.maxLogEntries = 200_000;
    dir = mkdtempSync(path.join(tmpdir(), 'azure-boards-groups-'));
    s = await makeTracker(h, dir, { timeoutMs: 60_000 });
  });
  after(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('by state: every id in exactly one group with that state, a group past the cap paged, no item read; asked again only after a change', async () => {
    const { ids } = await s.tracker.listIds('allOpen');
    assert.ok(ids.length > WIQL_RESULT_LIMIT);
    const batches = requests('wit.workItemsBatch');
    const wiql = requests('wit.wiql');
    const groups = await s.tracker.groupIds('allOpen', 'state');
    assert.equal(requests('wit.workItemsBatch'), batches, 'no item read');
    const byKey = new Map(groups.map((g) => [g.key, g]));
    const active = byKey.get('Active') ?? assert.fail('no Active group');
    assert.ok(active.ids.length > WIQL_RESULT_LIMIT, 'a group larger than one query page');
    assert.ok((byKey.get('New')?.ids.length ?? 0) > 0);
    assert.deepEqual([...groups.flatMap((g) => g.ids)].sort((a, b) => a - b), [...ids].sort((a, b) => a - b), 'every id once, the true count');
    for (const g of groups) for (const id of g.ids.filter((_, i) => i % 97 === 0)) assert.equal(field(id, 'System.State'), g.key, `AB#${id} in ${g.key}`);
    // Workflow order: New before Active.
    assert.ok(groups.findIndex((g) => g.key === 'New') < groups.findIndex((g) => g.key === 'Active'));
    assert.ok(requests('wit.wiql') - wiql > groups.length, 'one query per state, the large one paged');

    const again = requests('wit.wiql');
    assert.deepEqual(await s.tracker.groupIds('allOpen', 'state'), groups);
    assert.equal(requests('wit.wiql'), again, 'the same lists: no query');

    // A write moves an item: the groups are asked again and it is in its new state's group.
    const moved = active.ids[0]!;
    const item = (await s.tracker.items([moved])).get(moved) as WorkItem;
    const outcome = await s.tracker.changeState(item, 'New');
    assert.equal(outcome.kind, 'applied');
    const after = await s.tracker.groupIds('allOpen', 'state');
    assert.ok(requests('wit.wiql') > again);
    assert.ok(after.find((g) => g.key === 'New')?.ids.includes(moved));
    assert.ok(!after.find((g) => g.key === 'Active')?.ids.includes(moved));
  });

  it("by iteration: the team's sprints in order, items elsewhere (the project's root) in a last group", async () => {
    const { ids } = await s.tracker.listIds('allOpen');
    const groups = await s.tracker.groupIds('allOpen', 'iteration');
    const keys = groups.map((g) => g.key);
    assert.deepEqual(keys.filter((k) => k !== ''), sprints.filter((p) => keys.includes(p)), 'sprints in the team\'s order');
    const rest = groups.at(-1)!;
    assert.equal(rest.key, '');
    assert.match(rest.label, /Not in the team's sprints/);
    assert.ok(rest.ids.some((id) => field(id, 'System.IterationPath') === SANDBOX_PROJECT));
    assert.equal(groups.reduce((n, g) => n + g.ids.length, 0), ids.length);
    for (const g of groups.slice(0, -1)) for (const id of g.ids.filter((_, i) => i % 101 === 0)) assert.equal(field(id, 'System.IterationPath'), g.key);
  });
});
