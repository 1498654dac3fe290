import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type WorkItemFilter } from '../../../../src/core/boards/workTracker';
import { readSettings, type Settings } from '../../../../src/core/settings';
import { BoardsCache } from '../../../../src/providers/boards/azureBoards/boardsCache';
import { currentAzureCacheKey, readCachedList } from '../../../../src/providers/boards/azureBoards/cachedList';
import { FakeLogger } from '../../fakes/fakeLogger';
import { workItem } from '../../core/boards/workItemBuilder';

const settingsFrom = (values: Record<string, unknown>): Settings => readSettings((k) => values[k]).settings;
const LIVE = { backend: 'live', 'azureDevOps.organizationUrl': 'https://dev.azure.com/contoso', 'azureDevOps.project': 'Contoso Web' };
const NOW = new Date('2026-12-07T12:00:00Z');

describe('readCachedList: the Azure Boards tree\'s first rows from the disk cache, before the tracker loads', () => {
  let dir: string;
  let log: FakeLogger;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-cached-list-'));
    log = new FakeLogger();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A cache as the tracker writes it (BoardsCache.save), for the connection the settings name. */
  async function cacheFor(settings: Settings, workspaceRoot: string | undefined, ids: number[], fetchedAt = NOW.getTime() - 60_000): Promise<string> {
    const cache = new BoardsCache(dir, currentAzureCacheKey(settings, workspaceRoot) ?? assert.fail('no key'), log);
    for (const id of ids) cache.items.set(id, workItem(id, { title: `Cached ${id}` }));
    cache.queries.set('allOpen', ids);
    cache.fetchedAt = fetchedAt;
    cache.syncedAt = new Date(fetchedAt).toISOString();
    await cache.save();
    return cache.path;
  }
  const read = (settings: Settings, options: { workspaceRoot?: string; filter?: WorkItemFilter; maxItems?: number } = {}) =>
    readCachedList({ storageDir: dir, settings, workspaceRoot: options.workspaceRoot, log, filter: options.filter ?? 'allOpen', maxItems: options.maxItems ?? 2000, now: NOW });

  it('answers the cached list in its order with its items, fresh within the time-to-live, for a live connection', async () => {
    const settings = settingsFrom(LIVE);
    await cacheFor(settings, undefined, [12, 3, 1500, 7]);
    const list = (await read(settings)) ?? assert.fail('nothing read');
    assert.deepEqual(list.ids, [12, 3, 1500, 7]);
    assert.deepEqual(list.items?.map((i) => i.title), ['Cached 12', 'Cached 3', 'Cached 1500', 'Cached 7']);
    assert.equal(list.stale, false);
    // The same organization written another way (trailing slash, case) is the same cache.
    assert.ok(await read(settingsFrom({ ...LIVE, 'azureDevOps.organizationUrl': 'https://DEV.azure.com/contoso/' })));
    // Past the time-to-live: still shown, marked stale (the tracker then refreshes).
    assert.equal((await read(settingsFrom({ ...LIVE, 'cache.ttlSeconds': 30 })))?.stale, true);
  });

  it('answers nothing when nothing is cached, the list was never fetched, or Azure DevOps is not configured', async () => {
    assert.equal(await read(settingsFrom(LIVE)), undefined);
    await cacheFor(settingsFrom(LIVE), undefined, [1, 2]);
    assert.equal(await read(settingsFrom(LIVE), { filter: 'assignedToMe' }), undefined);
    assert.equal(await read(settingsFrom({ backend: 'live' })), undefined);
    await cacheFor(settingsFrom(LIVE), undefined, []);
    assert.equal(await read(settingsFrom(LIVE)), undefined, 'an empty list shows "Loading…", not an empty tree');
    assert.equal(log.lines.filter((l) => l.level === 'warn').length, 0, 'an absent cache is not a problem worth a warning');
  });

  it("never answers another organization's, project's, team's or workspace sandbox's rows", async () => {
    await cacheFor(settingsFrom(LIVE), undefined, [1, 2]);
    await cacheFor(settingsFrom({ backend: 'sandbox' }), '/work/demo', [5, 6]);
    assert.equal(await read(settingsFrom({ ...LIVE, 'azureDevOps.project': 'Other' })), undefined);
    assert.equal(await read(settingsFrom({ ...LIVE, 'azureDevOps.organizationUrl': 'https://dev.azure.com/fabrikam' })), undefined);
    assert.equal(await read(settingsFrom({ ...LIVE, 'azureDevOps.team': 'Other Team' })), undefined);
    assert.equal(await read(settingsFrom({ backend: 'sandbox' }), { workspaceRoot: '/work/other' }), undefined);
    assert.deepEqual((await read(settingsFrom({ backend: 'sandbox' }), { workspaceRoot: '/work/demo' }))?.ids, [5, 6]);
    // Another connection's files copied under this one's folder: every file names its connection.
    const mine = path.join(dir, 'azure-boards', path.basename(await cacheFor(settingsFrom(LIVE), undefined, [1, 2])));
    const theirs = await cacheFor(settingsFrom({ ...LIVE, 'azureDevOps.project': 'Other' }), undefined, [9]);
    for (const name of await readdir(theirs)) await writeFile(path.join(mine, name), await readFile(path.join(theirs, name)));
    assert.equal(await read(settingsFrom(LIVE)), undefined);
  });

  it('answers nothing (and warns) for malformed files: meta, list or items; never throws', async () => {
    const settings = settingsFrom(LIVE);
    const folder = await cacheFor(settings, undefined, [1, 2, 3]);
    const [itemFile] = (await readdir(folder)).filter((f) => f.startsWith('items-'));
    // An item that does not match the schema (no title): the ids are known, no rows are made from it.
    const items = JSON.parse(await readFile(path.join(folder, itemFile!), 'utf8')) as { items: Record<string, unknown>[] };
    delete items.items[0]!.title;
    await writeFile(path.join(folder, itemFile!), JSON.stringify(items));
    const partial = (await read(settings)) ?? assert.fail();
    assert.equal(partial.items, undefined);
    assert.match(log.text, /items-0\.json was unreadable/);

    await writeFile(path.join(folder, 'list-allOpen.json'), '{"key": "x", "ids": [1, "2"');
    assert.equal(await read(settings), undefined);
    await writeFile(path.join(folder, 'meta.json'), 'not json');
    assert.equal(await read(settings), undefined);
    await writeFile(path.join(folder, 'meta.json'), JSON.stringify({ version: 2, key: 42, chunks: 'all', lists: ['allOpen'] }));
    assert.equal(await read(settings), undefined);
  });

  it('answers nothing from a cache an earlier version wrote (another layout or schema version)', async () => {
    const settings = settingsFrom(LIVE);
    const folder = await cacheFor(settings, undefined, [1, 2]);
    const meta = JSON.parse(await readFile(path.join(folder, 'meta.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(folder, 'meta.json'), JSON.stringify({ ...meta, version: 1 }));
    assert.equal(await read(settings), undefined);
    // The single file of the first layout, beside no folder.
    await rm(folder, { recursive: true });
    await writeFile(`${folder}.json`, JSON.stringify({ key: currentAzureCacheKey(settings, undefined), items: [workItem(1)], queries: { allOpen: [1] } }));
    assert.equal(await read(settings), undefined);
  });

  it('reads only the ids of a list longer than the tree shows whole (it shows them by id range)', async () => {
    const settings = settingsFrom(LIVE);
    await cacheFor(settings, undefined, [4, 5, 6, 7]);
    const list = (await read(settings, { maxItems: 3 })) ?? assert.fail();
    assert.deepEqual(list.ids, [4, 5, 6, 7]);
    assert.equal(list.items, undefined);
  });
});
