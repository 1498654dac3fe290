import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDevOpsError } from '../../../../src/core/errors';
import { BoardsCache, CHUNK_IDS } from '../../../../src/providers/boards/azureBoards/boardsCache';
import { FakeLogger } from '../../fakes/fakeLogger';
import { workItem } from '../../core/boards/workItemBuilder';
import { AzureDevOpsState } from '../../../../src/sandbox/azureDevOps';
import { growOpenWorkItems } from '../../../../src/sandbox/azureDevOps/state/grow';
import { DEMO_NOW, type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeTracker, type TrackerSetup } from './azureBoardsSetup';

const OPEN = 4_000;

/** The inode of each cache file: a file written again (temporary name, rename) gets a new one. */
function files(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).map((name) => [name, statSync(path.join(dir, name)).ino]));
}

describe('Azure Boards: a large list shown a part at a time, the cache kept in files per id range', function () {
  this.timeout(120_000);
  let h: Harness;
  let dir: string;
  let open: number;
  const setups: TrackerSetup[] = [];

  const tracker = async (): Promise<TrackerSetup> => {
    const s = await makeTracker(h, dir, { timeoutMs: 60_000, cacheTtlSeconds: 3600 });
    setups.push(s);
    return s;
  };
  const requests = (route: string): number => h.server.requestsTo(route).length;
  const rename = (id: number): void => {
    h.clock.advance(60_000);
    const item = h.state.doc.workItems.find((w) => w.id === id)!;
    item.rev += 1;
    item.fields['System.Rev'] = item.rev;
    item.fields['System.ChangedDate'] = new Date(h.clock.now()).toISOString();
    item.fields['System.Title'] = `Renamed ${id}`;
  };

  beforeEach(async () => {
    const state = AzureDevOpsState.demo(DEMO_NOW);
    open = growOpenWorkItems(state, OPEN);
    h = await startHarness(state);
    h.server.maxLogEntries = 100_000;
    dir = mkdtempSync(path.join(tmpdir(), 'azure-boards-lazy-'));
  });
  afterEach(async () => {
    for (const s of setups.splice(0)) {
      s.tracker.dispose();
      s.outbox.dispose();
    }
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ids first (WIQL alone, the true count), then one batch of 200 for the part opened, read once', async () => {
    const { tracker: t } = await tracker();
    const batches = requests('wit.workItemsBatch');
    const list = await t.listIds('allOpen');
    assert.equal(list.ids.length, open);
    assert.deepEqual([...list.ids], [...list.ids].sort((a, b) => a - b), 'in id order');
    assert.equal(requests('wit.workItemsBatch'), batches, 'no item read for the ids');
    const part = list.ids.slice(200, 400);
    const items = await t.items(part);
    assert.equal(requests('wit.workItemsBatch') - batches, 1, 'one batch of 200');
    assert.deepEqual([...items.keys()].sort((a, b) => a - b), [...part]);
    assert.ok([...items.values()].every((v) => !isDevOpsError(v) && part.includes(v.id)));
    await t.items(part);
    assert.equal(requests('wit.workItemsBatch') - batches, 1, 'cached: asked again, no request');
    // An id the service does not know is said so.
    const missing = await t.items([999_999]);
    const error = missing.get(999_999);
    assert.ok(isDevOpsError(error) && error.code === 'notFound');
  });

  it('items live in one file per 1,000 ids: only the opened range is written, and a refresh rewrites only what changed', async () => {
    const { tracker: t } = await tracker();
    const list = await t.listIds('allOpen');
    const part = list.ids.slice(0, 200);
    await t.items(part);
    const cache = t.cachePath;
    const chunks = new Set(part.map((id) => Math.floor(id / CHUNK_IDS)));
    const itemFiles = [...files(cache).keys()].filter((f) => f.startsWith('items-'));
    assert.deepEqual(itemFiles.sort(), [...chunks].map((n) => `items-${n}.json`).sort(), 'only the ranges of the items read');
    assert.ok(existsSync(path.join(cache, 'list-allOpen.json')));

    const before = files(cache);
    const quiet = await t.refresh();
    assert.equal(quiet.requests, 1, 'a refresh with nothing changed is one request');
    const afterQuiet = files(cache);
    for (const [name, ino] of before) if (name !== 'meta.json') assert.equal(afterQuiet.get(name), ino, `${name} was not written again`);

    // One item changes: its range's file is written again, no other.
    const changed = part[5]!;
    rename(changed);
    const result = await t.refresh();
    assert.equal(result.changed, 1);
    const afterChange = files(cache);
    for (const [name, ino] of afterQuiet) {
      if (name === 'meta.json') continue;
      const rewritten = name === `items-${Math.floor(changed / CHUNK_IDS)}.json`;
      assert.equal(afterChange.get(name) !== ino, rewritten, `${name} ${rewritten ? 'rewritten' : 'kept'}`);
    }
    const seen = (await t.items([changed])).get(changed);
    assert.ok(seen && !isDevOpsError(seen) && seen.title === `Renamed ${changed}`);
  });

  it('a new session shows the list and the opened items from disk with no request', async () => {
    const first = await tracker();
    const list = await first.tracker.listIds('allOpen');
    const part = list.ids.slice(0, 200);
    await first.tracker.items(part);
    first.tracker.dispose();
    const again = await tracker();
    const before = h.server.requests.length;
    const warm = await again.tracker.listIds('allOpen');
    assert.equal(warm.ids.length, open);
    const items = await again.tracker.items(part);
    assert.equal(items.size, 200);
    assert.equal(h.server.requests.length, before, 'no request');
  });

  it('a list file holding anything but positive ids is not believed: the list is asked again', async () => {
    const first = await tracker();
    await first.tracker.listIds('allOpen');
    first.tracker.dispose();
    const file = path.join(first.tracker.cachePath, 'list-allOpen.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { key: string; ids: unknown[] };
    doc.ids[3] = -4;
    writeFileSync(file, JSON.stringify(doc));
    const again = await tracker();
    const wiql = requests('wit.wiql');
    const list = await again.tracker.listIds('allOpen');
    assert.equal(list.ids.length, open);
    assert.ok(list.ids.every((id) => id > 0));
    assert.ok(requests('wit.wiql') > wiql, 'asked again');
  });

  it('checking a list shown a part at a time reads no item it did not show; list() then reads the rest', async () => {
    const { tracker: t } = await tracker();
    const list = await t.listIds('allOpen');
    await t.items(list.ids.slice(0, 200));
    const batches = requests('wit.workItemsBatch');
    await t.refresh({ reconcile: true });
    assert.equal(requests('wit.workItemsBatch'), batches, 'nothing read: the view reads items as they are shown');
    await t.refresh({ full: true });
    assert.equal(requests('wit.workItemsBatch') - batches, 1, 'a full refresh reads again only the 200 items cached');
    const all = await t.list('allOpen');
    assert.equal(all.items.length, open, 'the whole list when asked for it');
  });

  it('a whole list read caches each id range once all its batches are in and the next save writes it; a read cut short keeps the ranges it finished', async () => {
    const log = new FakeLogger();
    const cache = new BoardsCache(dir, 'key', log);
    // Ranges 0 (ids 1-999) and 1 (1,000-1,499) asked for, answered in batches of 200 out of order; id 7 is gone.
    const ids = Array.from({ length: 1499 }, (_, i) => i + 1);
    const batches = Array.from({ length: Math.ceil(ids.length / 200) }, (_, i) => ids.slice(i * 200, i * 200 + 200));
    const collect = cache.collector(ids);
    const itemFiles = (): string[] => (existsSync(cache.path) ? readdirSync(cache.path).filter((f) => f.startsWith('items-')).sort() : []);
    const answer = (batch: readonly number[]): void => collect(batch, batch.filter((id) => id !== 7).map((id) => workItem(id)));
    answer(batches[1]!);
    answer(batches[6]!); // 1,201-1,400: range 1, not finished
    answer(batches[0]!);
    answer(batches[2]!);
    answer(batches[3]!);
    await cache.save();
    assert.deepEqual(itemFiles(), [], 'no range is finished: nothing written, nothing cached');
    assert.equal(cache.items.size, 0);
    answer(batches[4]!); // 801-1,000: range 0 finished (and id 1,000 of range 1)
    await cache.save();
    assert.deepEqual(itemFiles(), ['items-0.json'], 'range 0 written while range 1 is still coming');
    assert.equal(cache.items.size, 998, 'range 0 cached, without the missing id');
    // The read stops here (batch 5, ids 1,001-1,200, never answered): a new session has range 0 from disk.
    const again = new BoardsCache(dir, 'key', log);
    await again.load();
    assert.equal(again.items.size, 998);
    assert.ok(again.items.has(999) && !again.items.has(7) && !again.items.has(1000));
  });

  it('a damaged item file costs only its items: they are read again, the rest come from disk', async () => {
    const first = await tracker();
    const all = await first.tracker.list('allOpen');
    assert.equal(all.items.length, open);
    await first.tracker.saved();
    first.tracker.dispose();
    const damaged = Math.floor(all.items[0]!.id / CHUNK_IDS);
    const lost = all.items.filter((i) => Math.floor(i.id / CHUNK_IDS) === damaged).length;
    writeFileSync(path.join(first.tracker.cachePath, `items-${damaged}.json`), '{"key":');
    const again = await tracker();
    const batches = requests('wit.workItemsBatch');
    const wiql = requests('wit.wiql');
    const listed = await again.tracker.list('allOpen');
    assert.equal(listed.items.length, open);
    assert.equal(requests('wit.wiql'), wiql, 'the list itself came from disk');
    assert.equal(requests('wit.workItemsBatch') - batches, Math.ceil(lost / 200), 'only the damaged range read again');
    assert.ok(again.log.lines.some((l) => /unreadable/.test(l.message)), 'said in the log');
  });
});
