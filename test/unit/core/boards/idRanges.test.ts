import { strict as assert } from 'node:assert';
import { boardsSubtitle } from '../../../../src/core/boards/boardTree';
import { BLOCK_IDS, groupRanges, holdsRange, idRanges, PAGE_IDS, pageItems } from '../../../../src/core/boards/idRanges';
import { DevOpsError } from '../../../../src/core/errors';
import { type WorkItem } from '../../../../src/core/workItem';
import { workItem } from './workItemBuilder';

const ids = (count: number, from = 1): number[] => Array.from({ length: count }, (_, i) => from + i * 2);

describe('idRanges: a large list shown by id range', () => {
  it('up to 10,000 ids: one row per page of 200, labelled by its first and last id with its count', () => {
    const list = ids(2_050);
    const rows = idRanges(list);
    assert.equal(rows.length, Math.ceil(2_050 / PAGE_IDS));
    assert.deepEqual(rows.map((r) => r.ids.length).slice(-2), [200, 50]);
    assert.equal(rows[0]!.label, 'AB#1 – AB#399');
    assert.equal(rows[0]!.description, '200 items');
    assert.equal(rows[0]!.pages, undefined, 'a page: its children are its items');
    assert.deepEqual(rows.flatMap((r) => r.ids), list, 'every id once, in order');
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'keys are unique');
  });

  it('past 10,000 ids: blocks of 10,000 holding their pages, so 200,000 ids open on 20 rows', () => {
    const list = ids(200_001);
    const rows = idRanges(list);
    assert.equal(rows.length, 21);
    assert.equal(rows[0]!.ids.length, BLOCK_IDS);
    assert.equal(rows[0]!.description, '10,000 items');
    assert.equal(rows[0]!.pages?.length, BLOCK_IDS / PAGE_IDS);
    assert.equal(rows[20]!.label, `AB#${list.at(-1)}`, 'a single id is labelled alone');
    assert.equal(rows[20]!.description, '1 item');
    assert.deepEqual(rows.flatMap((r) => r.pages ?? []).flatMap((p) => p.ids), list);
  });

  it('a page read: items in the page order, a deleted id left out, a failure only when nothing could be read', () => {
    const page = idRanges([3, 4, 5])[0]!;
    const read = new Map<number, WorkItem | DevOpsError>([
      [5, workItem(5)],
      [3, workItem(3)],
      [4, new DevOpsError('notFound', 'AB#4 does not exist or was deleted.')],
    ]);
    const { items, failure } = pageItems(page, read);
    assert.deepEqual(items.map((i) => i.id), [3, 5]);
    assert.equal(failure, undefined);
    const down = new DevOpsError('unavailable', 'Azure DevOps is not answering.');
    const none = pageItems(page, new Map<number, WorkItem | DevOpsError>([[3, down], [4, down], [5, new DevOpsError('notFound', 'gone')]]));
    assert.deepEqual(none.items, []);
    assert.equal(none.failure, down);
    const partly = pageItems(page, new Map<number, WorkItem | DevOpsError>([[3, down], [5, workItem(5)]]));
    assert.deepEqual(partly.items.map((i) => i.id), [5]);
    assert.equal(partly.failure, undefined, 'the items that came are shown');
  });

  it('the subtitle says the true count and that the list is shown by id range', () => {
    assert.equal(boardsSubtitle('allOpen', 'state', 200_000, true), 'All open (200,000) · by id range');
    assert.equal(boardsSubtitle('allOpen', 'state', 1_000, false), 'All open (1,000) · by state');
    assert.equal(boardsSubtitle('allOpen', 'hierarchy', 20_000, true, true), 'All open (20,000+) · by id range', 'first pages shown while the rest are counted');
  });
});

describe('groupRanges: a large list grouped by state or iteration from its ids', () => {
  it('a row per group with its true count; a group past a page holds its id ranges, a small one is itself a page', () => {
    const rows = groupRanges('state', [
      { key: 'New', label: 'New', ids: ids(150) },
      { key: 'Active', label: 'Active', ids: ids(12_345, 1_000_001) },
      { key: '', label: 'Other states', ids: [7] },
    ]);
    assert.deepEqual(rows.map((r) => [r.label, r.description]), [['New', '150 items'], ['Active', '12,345 items'], ['Other states', '1 item']]);
    assert.equal(rows[0]!.pages, undefined, 'at most 200 ids: read when opened');
    assert.equal(rows[1]!.pages?.length, 2, 'past 10,000: blocks of pages');
    assert.equal(rows[1]!.pages?.[0]?.pages?.length, BLOCK_IDS / PAGE_IDS);
    assert.deepEqual(rows.map((r) => r.key), ['state:New', 'state:Active', 'state:'], 'keys say the grouping, so a state and a sprint of one name differ');
    const page = rows[1]!.pages![1]!.pages![3]!;
    assert.ok(holdsRange(rows, page), 'a page three levels down is found');
    assert.ok(holdsRange(rows, rows[0]!));
    assert.ok(!holdsRange(rows, idRanges(ids(300))[0]!), "another list's page is not");
  });
});
