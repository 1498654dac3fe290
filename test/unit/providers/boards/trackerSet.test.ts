import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AuditEvent } from '../../../../src/core/audit/event';
import { agentRuns } from '../../../../src/core/audit/runs';
import { type Backend } from '../../../../src/core/backend';
import { type Credential, type Logger } from '../../../../src/core/host';
import { readSettings, type Settings } from '../../../../src/core/settings';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { CurrentTrackerResolver } from '../../../../src/providers/boards/currentTrackerResolver';
import { TrackerSet } from '../../../../src/providers/boards/trackerSet';
import { referenceKey } from '../../../../src/core/todo/references';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { SANDBOX_GITHUB, SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { DevOpsError } from '../../../../src/core/errors';
import { WIKI_PAGE_KIND } from '../../../../src/providers/boards/azureBoards/projectWiki';
import { cacheWritesSettled } from '../../../../src/providers/boards/azureBoards/boardsCache';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };
const settingsFrom = (values: Record<string, unknown>): Settings => readSettings((k) => values[k]).settings;

describe('TrackerSet: the trackers for the current backend, loaded on first use', () => {
  let dir: string;
  let sandbox: Sandbox;
  let outbox: FileOutbox | undefined;
  before(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log });
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-trackers-'));
  });
  afterEach(async () => {
    outbox?.dispose();
    outbox = undefined;
    // A disposed set's trackers finish their cache writes in the background (the GitHub board's chunks): retried until they are done.
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  function trackerSet(settings: { value: Settings }, backend?: Backend, workspaceRoot?: string): TrackerSet {
    const credentials: Record<string, Credential> = {
      azureDevOps: { kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' },
      github: { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' },
    };
    return new TrackerSet({
      backend: backend ?? { endpoints: () => Promise.resolve(sandbox.endpoints()), onDidChange: () => ({ dispose: none }) },
      settings: () => settings.value,
      log,
      storageDir: dir,
      ...(workspaceRoot ? { workspaceRoot } : {}),
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log, autoReplay: false })),
    });
  }

  it('says nothing is configured for a live backend without settings, and loads nothing', () => {
    const set = trackerSet({ value: settingsFrom({}) });
    assert.equal(set.azure(), undefined);
    assert.equal(set.github(), undefined);
    assert.equal(outbox, undefined);
  });

  it('lists the sandbox Azure Boards items and the GitHub Project board through the real clients', async () => {
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) });
    const azure = set.azure() ?? assert.fail('Azure Boards not offered for the sandbox');
    const snapshot = await azure.list('allOpen');
    assert.ok(snapshot.items.some((i) => i.id === 7 && i.tracker === 'azureBoards'));
    const github = set.github() ?? assert.fail('GitHub not offered for the sandbox');
    const board = await github.board(1);
    assert.deepEqual(board.statusOptions.slice(0, 2), ['Todo', 'In Progress']);
    assert.ok(board.items.length > 0);
    set.dispose();
  });

  it("reads the work items linked to the sandbox's Azure Repos pull request over the Azure Boards connection; nothing without Azure DevOps", async () => {
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) });
    const got = await set.azurePullRequestWorkItems([1]);
    assert.deepEqual(got && [...got], [[1, [sandbox.azureDevOps.doc.repositories.flatMap((r) => r.pullRequests).find((p) => p.pullRequestId === 1)!.workItemIds[0]]]]);
    set.dispose();
    assert.equal(await trackerSet({ value: settingsFrom({}) }).azurePullRequestWorkItems([1]), undefined);
  });

  it('makes the trackers again, and says so, when the connection settings change', async () => {
    const settings = { value: settingsFrom({ backend: 'sandbox' }) };
    const set = trackerSet(settings);
    let changes = 0;
    set.onDidChange(() => changes++);
    set.reconnect();
    assert.equal(changes, 0, 'same connection: nothing to do');
    settings.value = settingsFrom({ backend: 'live', 'azureDevOps.organizationUrl': 'https://dev.azure.com/contoso', 'azureDevOps.project': 'Fabrikam' });
    set.reconnect();
    assert.equal(changes, 1);
    assert.ok(set.azure());
    assert.equal(set.github(), undefined);
    set.dispose();
  });

  /** A sandbox backend that has not started: its endpoints come when `start` is called. */
  function notStarted(): { backend: Backend; asked: () => number; start: () => void } {
    let asked = 0;
    let started: (() => void) | undefined;
    const backend: Backend = {
      endpoints: () => {
        asked++;
        return new Promise((resolve) => (started = () => resolve(sandbox.endpoints())));
      },
      onDidChange: () => ({ dispose: none }),
    };
    return { backend, asked: () => asked, start: () => started?.() };
  }

  it('answers the Azure Boards tree\'s first rows from the disk cache before the sandbox has started (the cache names no port), then leaves it to the tracker', async () => {
    const settings = { value: settingsFrom({ backend: 'sandbox' }) };
    const first = trackerSet(settings, undefined, '/work/demo');
    const listed = await (first.azure() ?? assert.fail()).list('allOpen');
    assert.ok(listed.items.length > 3);
    first.dispose();

    // The next start: the sandbox is not up (its endpoints never come), so nothing can be asked of it.
    const backend = notStarted();
    const next = trackerSet(settings, backend.backend, '/work/demo');
    const azure = next.azure() ?? assert.fail();
    const early = (await azure.cached('allOpen', 2000)) ?? assert.fail('the cached rows were not answered before the sandbox started');
    assert.deepEqual(early.items?.map((i) => i.id), listed.items.map((i) => i.id));
    assert.deepEqual(early.ids, listed.items.map((i) => i.id));
    assert.equal(early.stale, false);
    assert.equal(backend.asked(), 0, 'the cache was read without asking the backend for its endpoints');
    assert.equal(await azure.cached('assignedToMe', 2000), undefined, 'a list never fetched is not answered from the cache');
    // A list longer than the view reads whole: its ids only (the tree shows them by id range).
    const large = (await azure.cached('allOpen', 3)) ?? assert.fail();
    assert.equal(large.items, undefined);
    assert.equal(large.ids.length, listed.items.length);

    // Then the service answers, and from then on the tracker does.
    const listing = azure.list('allOpen');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(backend.asked(), 1);
    backend.start();
    assert.deepEqual((await listing).items.map((i) => i.id), listed.items.map((i) => i.id));
    assert.equal(await azure.cached('allOpen', 2000), undefined);
    next.dispose();

    // Another workspace's sandbox (its own state) and another project are other caches.
    const elsewhere = trackerSet(settings, notStarted().backend, '/work/other');
    assert.equal(await (elsewhere.azure() ?? assert.fail()).cached('allOpen', 2000), undefined);
    elsewhere.dispose();
    const other = trackerSet({ value: settingsFrom({ backend: 'live', 'azureDevOps.organizationUrl': 'https://dev.azure.com/acme', 'azureDevOps.project': 'Other' }) });
    assert.equal(await (other.azure() ?? assert.fail()).cached('allOpen', 2000), undefined);
    other.dispose();
  });

  it('shows no early rows from a damaged cache: a list file that does not parse, or an item file gone', async () => {
    const settings = { value: settingsFrom({ backend: 'sandbox' }) };
    const first = trackerSet(settings);
    const listed = await (first.azure() ?? assert.fail()).list('allOpen');
    // The list is handed over before its files are written.
    await cacheWritesSettled();
    first.dispose();
    const [cacheDir] = await readdir(path.join(dir, 'azure-boards'));
    const folder = path.join(dir, 'azure-boards', cacheDir ?? assert.fail('no cache folder'));
    const itemFiles = (await readdir(folder)).filter((f) => f.startsWith('items-'));
    assert.ok(itemFiles.length > 0);

    // An item file gone: the ids are known, the items are not (nothing half-shown).
    await rm(path.join(folder, itemFiles[0]!));
    const partial = (await (trackerSet(settings, notStarted().backend).azure() ?? assert.fail()).cached('allOpen', 2000)) ?? assert.fail();
    assert.equal(partial.ids.length, listed.items.length);
    assert.equal(partial.items, undefined);

    await writeFile(path.join(folder, 'list-allOpen.json'), '{"key": "sandbox", "ids": [1, "2"');
    const set = trackerSet(settings, notStarted().backend);
    assert.equal(await (set.azure() ?? assert.fail()).cached('allOpen', 2000), undefined);
    set.dispose();
  });

  it('reports a backend that cannot start as the error of the call, and tries again on the next', async () => {
    let fail = true;
    const backend: Backend = {
      endpoints: () => (fail ? Promise.reject(new Error('port in use')) : Promise.resolve(sandbox.endpoints())),
      onDidChange: () => ({ dispose: none }),
    };
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) }, backend);
    await assert.rejects(set.azure()?.list('allOpen') ?? Promise.resolve(), /port in use/);
    fail = false;
    assert.ok((await (set.azure() ?? assert.fail()).list('allOpen')).items.length > 0);
    set.dispose();
  });

  it('resolves TODO references through whichever trackers the settings give, following a switch', async () => {
    const settings = { value: settingsFrom({ backend: 'sandbox' }) };
    const set = trackerSet(settings);
    const resolver = new CurrentTrackerResolver(set, () => settings.value, log);
    const refs = [
      { tracker: 'azureBoards', id: 7 },
      { tracker: 'azureBoards', id: 5 },
      { tracker: 'azureBoards', id: 9999 },
    ] as const;
    const answers = await resolver.resolve(refs);
    const seven = answers.get(referenceKey(refs[0]));
    assert.equal(seven?.kind, 'found');
    assert.equal(answers.get(referenceKey(refs[1]))?.kind, 'found');
    assert.match(answers.get(referenceKey(refs[2]))?.kind ?? '', /notFound|deleted/);
    assert.deepEqual((await resolver.trackers()).map((t) => t.tracker).sort(), ['azureBoards', 'github']);

    settings.value = settingsFrom({});
    set.reconnect();
    const after = await resolver.resolve([refs[0]]);
    assert.equal(after.get(referenceKey(refs[0]))?.kind, 'error', 'nothing configured any more: an error the lens can show');
    set.dispose();
  });

  it('mirrors an agent event on a work item as a comment only while mirroring is on', async () => {
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) });
    let enabled = false;
    const mirror = set.auditMirror(() => enabled);
    const event: AuditEvent = {
      seq: 1,
      correlationId: 'run-1',
      eventType: 'command.workItemCommented',
      service: 'qa',
      workItemId: 8,
      repository: null,
      oldState: null,
      newState: null,
      metadata: {},
      timestamp: '2026-11-29T12:00:00.000Z',
      user: 'Sandbox User',
      prev: '0'.repeat(64),
      hash: 'a'.repeat(64),
    };
    const comments = () => sandbox.server.requests.filter((r) => r.method === 'POST' && /workItems\/8\/comments/i.test(r.path)).length;
    const before = comments();
    await mirror.mirrorEvent(event);
    assert.equal(comments(), before, 'mirroring off: nothing sent');
    enabled = true;
    await mirror.mirrorEvent(event);
    assert.equal(comments(), before + 1);
    set.dispose();
  });

  it('writes a run page the audit mirror queued before a restart, on Send Now, with nothing having loaded the mirror since', async () => {
    const settings = { value: settingsFrom({ backend: 'sandbox' }) };
    const first = trackerSet(settings);
    const firstOutbox = (outbox = await FileOutbox.open({ storageDir: dir, log, autoReplay: false }));
    // As the composition root does: the outbox sends through the set's connections.
    for (const connection of first.writeConnections()) firstOutbox.connect(connection);
    const runEvent = (seq: number, eventType: string): AuditEvent => ({
      seq,
      correlationId: 'run-restart',
      eventType,
      service: 'planner',
      workItemId: null,
      repository: null,
      oldState: null,
      newState: null,
      metadata: {},
      timestamp: `2026-11-29T12:00:0${seq}.000Z`,
      user: 'Sandbox User',
      prev: String(seq).repeat(64),
      hash: String(seq + 1).repeat(64),
    });
    const [run] = agentRuns([runEvent(1, 'run.started'), runEvent(2, 'run.completed')]);
    sandbox.server.faults.set([{ route: 'wiki.pages.*', kind: 'status', status: 503 }]);
    try {
      await first.auditMirror(() => true).publishRun(run!);
    } finally {
      sandbox.server.faults.clear();
    }
    assert.deepEqual(firstOutbox.pending().map((e) => [e.description, e.state]), [[`Wiki page of ${run!.firstAt.slice(0, 10)}: the planner run run-restart`, 'pending']]);
    first.dispose();
    firstOutbox.dispose();

    // The window restarts: a new outbox on the same file and a new set; nobody asks for the mirror.
    const second = trackerSet(settings);
    const again = (outbox = await FileOutbox.open({ storageDir: dir, log, autoReplay: false }));
    for (const connection of second.writeConnections()) again.connect(connection);
    const puts = () => sandbox.server.requestsTo('wiki.pages.put').filter((r) => r.status < 300);
    const before = puts().length;
    assert.equal(await again.flush(), 1, 'Send Now writes the page');
    assert.deepEqual(again.pending(), []);
    assert.equal(puts().length, before + 1, 'written once');
    second.dispose();
  });

  it('sends a write named by its target alone through the set\'s connection (how an agent sends a kind of its own), and says when the service is not configured', async () => {
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) });
    const ob = (outbox = await FileOutbox.open({ storageDir: dir, log, autoReplay: false }));
    for (const connection of set.writeConnections()) ob.connect(connection);
    const target = await set.writeTarget('azureBoards');
    assert.deepEqual(target, { service: 'azureBoards', organization: 'sandbox', project: SANDBOX_PROJECT, account: target.account });
    assert.ok(target.account, 'the signed-in account is recorded');
    const outcome = await ob.send({
      target,
      kind: WIKI_PAGE_KIND,
      subject: 'wiki',
      touches: ['page /Release notes/1.2.0'],
      payload: { path: '/Release notes/1.2.0', content: '# 1.2.0' },
      description: 'Wiki page /Release notes/1.2.0',
      clientId: 'release-notes-1.2.0',
    });
    assert.equal(outcome.kind, 'applied');
    const github = await set.writeTarget('github');
    assert.equal(github.service === 'github' && `${github.host} ${github.owner}/${github.repo}`, `sandbox ${SANDBOX_GITHUB.owner}/${SANDBOX_GITHUB.repo}`);
    set.dispose();
    const unconfigured = trackerSet({ value: settingsFrom({}) });
    await assert.rejects(unconfigured.writeTarget('github'), (e: unknown) => e instanceof DevOpsError && e.code === 'notConfigured' && /aiDevops\.github\.owner/.test(e.message));
  });

  it('writes wiki pages through one writer per connection: an agent\'s page, a queued page and a new page report created or replaced, the wiki looked up once', async () => {
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) });
    const ob = (outbox = await FileOutbox.open({ storageDir: dir, log, autoReplay: false }));
    for (const connection of set.writeConnections()) ob.connect(connection);
    const lists = () => sandbox.server.requestsTo('wiki.wikis.list').length;
    const before = lists();
    const wiki = (await set.codeHosts().wiki()) ?? assert.fail('no wiki host for the sandbox');
    assert.equal(wiki, await set.codeHosts().wiki(), 'the same writer each time');
    const pagePath = `/One writer/${path.basename(dir)}`;
    const first = await wiki.putPage(pagePath, '# first');
    assert.deepEqual([first.created, first.url.endsWith(`?pagePath=${encodeURIComponent(pagePath)}`)], [true, true]);
    const target = await set.writeTarget('azureBoards');
    const outcome = await ob.send({ target, kind: WIKI_PAGE_KIND, subject: 'wiki', touches: [`page ${pagePath}`], payload: { path: pagePath, content: '# second' }, description: 'page', clientId: `one-writer-${path.basename(dir)}` });
    assert.equal(outcome.kind, 'applied');
    const third = await wiki.putPage(pagePath, '# third');
    assert.equal(third.created, false, 'an existing page is replaced with If-Match');
    assert.equal(lists() - before, 1, 'the project wiki was listed once for all three writes');
    set.dispose();
  });

  it('reports the request budgets of the trackers in use, without loading any', async () => {
    const set = trackerSet({ value: settingsFrom({ backend: 'sandbox' }) });
    assert.deepEqual(await set.budgets(), [], 'nothing used yet: nothing loaded, nothing to report');
    await (set.github() ?? assert.fail()).board(1);
    await (set.azure() ?? assert.fail()).list('allOpen');
    const readings = await set.budgets();
    const graphql = readings.find((r) => r.service === 'GitHub' && r.resource === 'graphql');
    assert.ok(graphql && graphql.limit !== undefined && graphql.remaining !== undefined && graphql.remaining < graphql.limit);
    assert.ok(readings.some((r) => r.service === 'Azure DevOps'));
    set.dispose();
  });
});
