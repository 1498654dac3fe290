import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevOpsError } from '../../../../src/core/errors';
import { allIds, WIQL_PAGE } from '../../../../src/providers/boards/azureBoards/wiqlPaging';
import { AzureDevOpsState, WIQL_RESULT_LIMIT } from '../../../../src/sandbox/azureDevOps';
import { growOpenWorkItems } from '../../../../src/sandbox/azureDevOps/state/grow';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { DEMO_NOW, type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeTracker, type TrackerSetup } from './azureBoardsSetup';

const OPEN = 20_450;

describe('Azure Boards lists past WIQL\'s 20,000-id cap (the stand-in enforces VS402337)', function () {
  // 20,450 items come in 103 batches of 200 through the real client; on a loaded 2-core machine that takes seconds.
  this.timeout(120_000);
  let h: Harness;
  let dir: string;
  let s: TrackerSetup;
  let open: number;

  before(async () => {
    const state = AzureDevOpsState.demo(DEMO_NOW);
    open = growOpenWorkItems(state, OPEN);
    h = await startHarness(state);
    h.server.maxLogEntries = 100_000;
    dir = mkdtempSync(path.join(tmpdir(), 'azure-boards-paging-'));
    s = await makeTracker(h, dir, { timeoutMs: 60_000 });
  });
  after(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the stand-in refuses the whole list in one query, as the service does', async () => {
    const wit = await h.api().getWorkItemTrackingApi();
    const team = { project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` };
    const query = { query: "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.State] NOT IN ('Closed', 'Removed')" };
    await assert.rejects(wit.queryByWiql(query, team), /VS402337/);
    await assert.rejects(wit.queryByWiql(query, team, undefined, WIQL_RESULT_LIMIT + 1), /VS402337/);
    // $top within the cap is what cut the list silently before: 20,000 of 20,450.
    assert.equal((await wit.queryByWiql(query, team, undefined, WIQL_RESULT_LIMIT)).workItems?.length, WIQL_RESULT_LIMIT);
  });

  it('"All open" holds every open item, paged by id range: two WIQL pages, then batches of 200', async () => {
    const wiqlBefore = h.server.requestsTo('wit.wiql').length;
    const snapshot = await s.tracker.list('allOpen');
    assert.ok(open > WIQL_RESULT_LIMIT);
    assert.equal(snapshot.items.length, open, 'the true count, not the cap');
    const pages = h.server.requestsTo('wit.wiql').slice(wiqlBefore);
    assert.equal(pages.length, 2);
    const ids = snapshot.items.map((i) => i.id);
    assert.equal(new Set(ids).size, ids.length, 'no id twice across the page boundary');
    assert.ok(ids.includes(h.state.doc.counters.workItem), 'the newest item (past the first 20,000) is there');
    assert.ok(h.server.requestsTo('wit.workItemsBatch').length >= Math.ceil(open / 200));
    // The hierarchy survives the paging: a Task past the boundary knows its Feature.
    const last = snapshot.items.find((i) => i.id === h.state.doc.counters.workItem);
    assert.ok(last?.parentId !== undefined && ids.includes(last.parentId));
  });

  it('ids first: the first page of 20,000 is heard before the rest, by every caller waiting, and no item is read', async () => {
    const dir2 = mkdtempSync(path.join(tmpdir(), 'azure-boards-paging-ids-'));
    const s2 = await makeTracker(h, dir2, { timeoutMs: 60_000 });
    try {
      const batches = h.server.requestsTo('wit.workItemsBatch').length;
      const heard: number[][] = [];
      const second: number[] = [];
      const [list] = await Promise.all([
        s2.tracker.listIds('allOpen', { onPage: (ids) => heard.push([...ids]) }),
        s2.tracker.listIds('allOpen', { onPage: (ids) => second.push(ids.length) }),
      ]);
      assert.equal(list.ids.length, open);
      assert.deepEqual(heard.map((ids) => ids.length), [WIQL_RESULT_LIMIT], 'the first page, once, before the last');
      assert.deepEqual(heard[0], list.ids.slice(0, WIQL_RESULT_LIMIT));
      assert.deepEqual(second, [WIQL_RESULT_LIMIT], 'a second caller sharing the load hears it too');
      assert.equal(h.server.requestsTo('wit.workItemsBatch').length, batches);
    } finally {
      s2.tracker.dispose();
      s2.outbox.dispose();
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('a bulk change of more than 20,000 items is seen whole by the next refresh', async () => {
    await s.tracker.list('allOpen');
    h.clock.advance(60_000);
    const at = new Date(h.clock.now()).toISOString();
    let touched = 0;
    for (const item of h.state.doc.workItems) {
      if (!String(item.fields['System.Title']).startsWith('Generated ')) continue;
      item.rev += 1;
      item.fields['System.Rev'] = item.rev;
      item.fields['System.ChangedDate'] = at;
      item.fields['System.Title'] = `Renamed ${item.id}`;
      touched++;
    }
    assert.ok(touched > WIQL_RESULT_LIMIT);
    const wiqlBefore = h.server.requestsTo('wit.wiql').length;
    const result = await s.tracker.refresh();
    assert.equal(result.changed, touched);
    assert.equal(h.server.requestsTo('wit.wiql').length - wiqlBefore, 2, 'the changed-since query paged too');
    const items = (await s.tracker.list('allOpen')).items;
    assert.equal(items.filter((i) => i.title.startsWith('Renamed ')).length, touched);
  });
});

describe('allIds (WIQL paging)', () => {
  const pageOf = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

  it('a list of exactly 20,000 takes one more (empty) page to know it ended; the watermark is the first page\'s', async () => {
    const queries: string[] = [];
    const result = await allIds("[System.State] = 'New'", 'listing', async (query) => {
      queries.push(query);
      return queries.length === 1 ? { ids: pageOf(1, WIQL_PAGE), asOf: '2026-01-01T00:00:00.000Z' } : { ids: [], asOf: '2026-01-01T00:00:05.000Z' };
    });
    assert.equal(result.ids.length, WIQL_PAGE);
    assert.equal(result.pages, 2);
    assert.equal(result.asOf, '2026-01-01T00:00:00.000Z');
    assert.equal(queries[0], "SELECT [System.Id] FROM WorkItems WHERE [System.State] = 'New' ORDER BY [System.Id]");
    assert.equal(queries[1], `SELECT [System.Id] FROM WorkItems WHERE [System.State] = 'New' AND [System.Id] > ${WIQL_PAGE} ORDER BY [System.Id]`);
  });

  it('refuses a service that ignores the id order or the range instead of paging forever', async () => {
    const repeating = async () => ({ ids: pageOf(1, WIQL_PAGE), asOf: undefined });
    await assert.rejects(allIds('x', 'listing open work items', repeating), (e: unknown) => e instanceof DevOpsError && e.code === 'badResponse' && /out of order \(1 after 20000\)/.test(e.message));
    const unordered = async () => ({ ids: [5, 3], asOf: undefined });
    await assert.rejects(allIds('x', 'listing', unordered), /out of order \(3 after 5\)/);
  });
});
