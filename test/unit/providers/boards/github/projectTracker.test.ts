import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../../src/core/errors';
import { DEMO_STATUS_OPTIONS } from '../../../../../src/sandbox/github';
import { SANDBOX_CREDENTIALS, SANDBOX_GITHUB, SANDBOX_USER } from '../../../../../src/sandbox/identity';
import { startTrackers, type TrackerHarness } from './harness';

const projectOf = (h: TrackerHarness) => h.gh.state.project(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.projectNumber)!;
const statusField = (h: TrackerHarness) => projectOf(h).fields.find((f) => f.name === 'Status')!;
const visibleItems = (h: TrackerHarness) => projectOf(h).items.filter((i) => !i.archived);

/** The Status option name the stand-in holds for an item node id (`PVTI_…`), read back through its own model. */
function remoteStatus(h: TrackerHarness, title: string): string | undefined {
  const field = statusField(h);
  const repo = h.gh.state.repo('contoso', 'contoso-web')!;
  const item = projectOf(h).items.find((i) => (i.draft ? i.draft.title === title : repo.issues.find((x) => x.number === i.number)?.title === title))!;
  const value = item.values[String(field.id)] as { optionId?: string } | undefined;
  return field.options.find((o) => o.id === value?.optionId)?.name;
}

function addDrafts(h: TrackerHarness, count: number, option = 0): void {
  const project = projectOf(h);
  const todo = statusField(h).options[option]!;
  for (let n = 0; n < count; n++) {
    const now = h.gh.state.nowIso();
    project.items.push({
      id: h.gh.state.nextId(),
      contentType: 'DRAFT_ISSUE',
      repoId: null,
      number: null,
      draft: { id: h.gh.state.nextId(), title: `Bulk draft ${n}`, body: '', assignees: [], creator: SANDBOX_USER.githubLogin },
      values: { [String(statusField(h).id)]: { optionId: todo.id } },
      archived: false,
      creator: SANDBOX_USER.githubLogin,
      createdAt: now,
      updatedAt: now,
    });
  }
}

const rejectsWith = (code: DevOpsError['code'], pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof DevOpsError, String(e));
  assert.equal(e.code, code, e.message);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

describe('GitHub Projects (v2) tracker against the stand-in (octokit.graphql)', () => {
  let h: TrackerHarness;
  beforeEach(async () => {
    h = await startTrackers();
  });
  afterEach(() => h.stop());

  it('lists the organization\'s projects', async () => {
    const projects = await h.trackers.projects.projects();
    assert.deepEqual(
      projects.map((p) => [p.number, p.closed]),
      h.gh.state.doc.projects.filter((p) => p.owner === SANDBOX_GITHUB.owner).map((p) => [p.number, p.closed]),
    );
    assert.equal(projects[0]?.title, projectOf(h).title);
  });

  it('falls back to the user when the owner is not an organization, and remembers which it was', async () => {
    const mine = h.open({ endpoint: { baseUrl: h.gh.baseUrl, owner: SANDBOX_USER.githubLogin, repo: 'x', projectNumber: null } });
    assert.deepEqual(await mine.projects.projects(), []);
    const before = h.gh.server.requestsTo('graphql').length;
    await mine.projects.projects();
    assert.equal(h.gh.server.requestsTo('graphql').length - before, 1, 'asks as user straight away the second time');
    const nobody = h.open({ endpoint: { baseUrl: h.gh.baseUrl, owner: 'no-such-owner', repo: 'x', projectNumber: null } });
    await assert.rejects(nobody.projects.projects(), rejectsWith('notFound'));
    mine.dispose();
    nobody.dispose();
  });

  it('reads a board: Status options in the project\'s order, issues, pull requests and drafts with assignees and labels', async () => {
    const archived = projectOf(h).items[0]!;
    archived.archived = true;
    const board = await h.trackers.projects.board(1);
    assert.deepEqual(board.statusOptions, [...DEMO_STATUS_OPTIONS]);
    assert.equal(board.items.length, visibleItems(h).length);
    assert.equal(board.items.length, projectOf(h).items.length - 1, 'the archived item is left out');
    const four = board.items.find((i) => i.contentType === 'issue' && i.number === 4);
    assert.equal(four?.repository, 'contoso/contoso-web');
    assert.equal(four?.status, 'In Review');
    assert.ok(four?.labels.includes('bug'));
    assert.deepEqual(four?.assignees, [SANDBOX_USER.githubLogin]);
    assert.equal(four?.state, 'Open');
    assert.ok(board.items.some((i) => i.contentType === 'pullRequest'));
    const draft = board.items.find((i) => i.contentType === 'draft');
    assert.equal(draft?.number, undefined);
    assert.ok(draft?.status);
    assert.ok(board.syncedAt);
  });

  it('pages through 250+ items 100 at a time, then answers from the cache until the time-to-live or a full refresh', async () => {
    addDrafts(h, 250);
    const before = h.gh.server.requestsTo('graphql').length;
    const board = await h.trackers.projects.board(1);
    assert.equal(board.items.length, visibleItems(h).length);
    assert.equal(new Set(board.items.map((i) => i.itemId)).size, board.items.length, 'no item twice');
    const pages = Math.ceil(visibleItems(h).length / 100);
    assert.equal(h.gh.server.requestsTo('graphql').length - before, pages);
    await h.trackers.projects.board(1);
    assert.equal(h.gh.server.requestsTo('graphql').length - before, pages, 'from the cache');
    await h.trackers.projects.board(1, { full: true });
    assert.equal(h.gh.server.requestsTo('graphql').length - before, 2 * pages);
    const restarted = h.open();
    assert.equal((await restarted.projects.cachedBoard(1))?.items.length, board.items.length, 'on disk for the next window');
    await restarted.dispose();
  });

  it('a large project opens with its first page; opening a group reads pages only until that group has its page', async () => {
    addDrafts(h, 700, 0);
    const lastOption = statusField(h).options.length - 1;
    const late = statusField(h).options[lastOption]!.name;
    addDrafts(h, 300, lastOption);
    const graphql = (): number => h.gh.server.requestsTo('graphql').length;
    const total = visibleItems(h).length;
    const before = graphql();
    const first = await h.trackers.projects.openBoard(1);
    assert.equal(graphql() - before, 1, 'one page for the first rows');
    assert.equal(first.items.length, 100);
    assert.equal(first.complete, false);
    assert.equal(first.totalCount, projectOf(h).items.length);

    // The late group's first 200 sit past item 800: pages are read until they are there, not to the end.
    const held = (b: { items: readonly { status?: string | undefined }[] }): number => b.items.filter((i) => i.status === late).length;
    const group = await h.trackers.projects.readGroup(1, late, 200);
    assert.ok(held(group) >= 200, `${held(group)} items of ${late}`);
    assert.equal(group.complete, false, 'the last page is not read yet');
    const pagesForGroup = graphql() - before;
    assert.ok(pagesForGroup < Math.ceil(total / 100), `${pagesForGroup} pages`);
    // A group that already has its page reads nothing; two opened at once share one reading.
    await h.trackers.projects.readGroup(1, late, 150);
    assert.equal(graphql() - before, pagesForGroup);
    const [a, b] = await Promise.all([h.trackers.projects.readGroup(1, late, 10_000), h.trackers.projects.readGroup(1, undefined, 10_000)]);
    assert.equal(a.complete, true);
    assert.equal(b.items.length, total);
    assert.equal(new Set(b.items.map((i) => i.itemId)).size, total, 'no item twice');
    assert.equal(graphql() - before, Math.ceil(total / 100), 'every page once');
  });

  it('a board read in part opens from the disk cache in the next window without a request; a whole read and a refresh start again', async () => {
    addDrafts(h, 450);
    await h.trackers.projects.openBoard(1);
    await h.trackers.projects.readGroup(1, DEMO_STATUS_OPTIONS[0], 250);
    const read = (await h.trackers.projects.openBoard(1)).items.length;
    assert.ok(read > 100 && read < visibleItems(h).length, String(read));
    const restarted = h.open();
    try {
      const before = h.gh.server.requestsTo('graphql').length;
      const warm = await restarted.projects.openBoard(1);
      assert.equal(h.gh.server.requestsTo('graphql').length, before, 'from the disk cache');
      assert.equal(warm.items.length, read);
      assert.equal(warm.complete, false);
      // Reading on continues from the cached cursor: the pages already read are not read again.
      const rest = await restarted.projects.readGroup(1, undefined, Number.MAX_SAFE_INTEGER);
      assert.equal(rest.items.length, visibleItems(h).length);
      assert.equal(h.gh.server.requestsTo('graphql').length - before, Math.ceil(visibleItems(h).length / 100) - read / 100);
      // board() wants every item: a partial cache is read whole, not handed out as the board.
      const again = await restarted.projects.openBoard(1, { refresh: true });
      assert.equal(again.items.length, 100);
      assert.equal((await restarted.projects.board(1)).items.length, visibleItems(h).length);
    } finally {
      await restarted.dispose();
    }
  });

  it('keeps a board on disk as a head and chunk files: a refresh rewrites only the chunks that changed; a damaged chunk is read from GitHub again', async () => {
    addDrafts(h, 250);
    const chunked = h.open({ boardChunkItems: 100 });
    try {
      const board = await chunked.projects.board(1, { full: true });
      await chunked.projects.settled();
      const files = await chunked.projects.cacheFiles(1);
      const chunks = Math.ceil(board.items.length / 100);
      assert.equal(files.length, 1 + chunks, files.map((f) => path.basename(f)).join(', '));
      const written = async () => new Map(await Promise.all(files.map(async (f) => [path.basename(f), await readFile(f, 'utf8')] as const)));
      const first = await written();

      // One item moved on GitHub (the first one, so in chunk 0): that chunk and the head are written, the others not.
      const project = projectOf(h);
      const moved = project.items.find((i) => !i.archived)!;
      moved.values[String(statusField(h).id)] = { optionId: statusField(h).options.at(-1)!.id };
      await chunked.projects.board(1, { full: true });
      await chunked.projects.settled();
      const second = await written();
      const changed = [...first.keys()].filter((name) => first.get(name) !== second.get(name));
      const head = path.basename(files[0]!);
      assert.deepEqual(changed.sort(), [head, head.replace(/\.json$/, '.0.json')].sort());

      // The next window reads the board from the chunks, as it was.
      const restarted = h.open({ boardChunkItems: 100 });
      const before = h.gh.server.requestsTo('graphql').length;
      assert.deepEqual((await restarted.projects.cachedBoard(1))?.items, (await chunked.projects.cachedBoard(1))?.items);
      assert.equal(h.gh.server.requestsTo('graphql').length, before);
      await restarted.dispose();

      // A chunk of another write (or missing) makes the cache absent: the board is read again, with a warning.
      await writeFile(files[1]!, JSON.stringify({ key: 'x', stamp: 'other', items: [] }));
      const damaged = h.open({ boardChunkItems: 100 });
      assert.equal(await damaged.projects.cachedBoard(1), undefined);
      assert.match(h.log.text, /Ignoring the project cache .*a chunk of its items is missing or from another write/);
      assert.equal((await damaged.projects.board(1)).items.length, board.items.length);
      assert.ok(h.gh.server.requestsTo('graphql').length > before, 'read from GitHub');
      await damaged.dispose();

      // A board that shrank leaves no chunk files behind.
      for (const item of project.items.slice(0, 200)) item.archived = true;
      const small = await chunked.projects.board(1, { full: true });
      await chunked.projects.settled();
      assert.equal((await chunked.projects.cacheFiles(1)).length, 1 + Math.max(1, Math.ceil(small.items.length / 100)));
    } finally {
      await chunked.dispose();
    }
  });

  it('sets the Status with updateProjectV2ItemFieldValue and keeps the cached board in step', async () => {
    const board = await h.trackers.projects.board(1);
    const target = board.items.find((i) => i.contentType === 'issue' && i.status === 'Todo')!;
    let fired = 0;
    h.trackers.projects.onDidChange(() => fired++);
    const outcome = await h.trackers.projects.setStatus(1, target.itemId, 'In Progress');
    assert.equal(outcome.kind, 'applied-project');
    assert.equal(remoteStatus(h, target.title), 'In Progress');
    assert.equal((await h.trackers.projects.cachedBoard(1))?.items.find((i) => i.itemId === target.itemId)?.status, 'In Progress');
    assert.ok(fired >= 1);
    // Setting what it already is sends no mutation.
    const mutations = h.gh.server.requestsTo('graphql').filter((r) => JSON.stringify(r.body).includes('updateProjectV2ItemFieldValue')).length;
    const same = await h.trackers.projects.setStatus(1, target.itemId, 'in progress');
    assert.equal(same.kind, 'applied-project');
    assert.equal(h.gh.server.requestsTo('graphql').filter((r) => JSON.stringify(r.body).includes('updateProjectV2ItemFieldValue')).length, mutations);
    await assert.rejects(h.trackers.projects.setStatus(1, target.itemId, 'Shipped'), rejectsWith('invalidInput', /"Todo", "In Progress", "In Review", "Done"/));
  });

  it('reports a project conflict when someone moved the item after the board was read', async () => {
    const board = await h.trackers.projects.board(1);
    const target = board.items.find((i) => i.contentType === 'issue' && i.status === 'Todo')!;
    await h.gh.gql()(
      `mutation($p: ID!, $i: ID!, $f: ID!, $o: String!) { updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { singleSelectOptionId: $o } }) { projectV2Item { id } } }`,
      {
        p: (await h.gh.gql()<{ organization: { projectV2: { id: string } } }>(`query { organization(login: "contoso") { projectV2(number: 1) { id } } }`)).organization.projectV2.id,
        i: target.itemId,
        f: (await h.gh.gql()<{ organization: { projectV2: { field: { id: string } } } }>(`query { organization(login: "contoso") { projectV2(number: 1) { field(name: "Status") { ... on ProjectV2SingleSelectField { id } } } } }`)).organization.projectV2.field.id,
        o: statusField(h).options.find((o) => o.name === 'Done')!.id,
      },
    );
    const outcome = await h.trackers.projects.setStatus(1, target.itemId, 'In Progress');
    assert.equal(outcome.kind, 'project-conflict');
    assert.equal(outcome.kind === 'project-conflict' && outcome.remote.status, 'Done');
    assert.match(outcome.kind === 'project-conflict' ? outcome.message : '', /someone else changed it: Status is Done on the service \(you saw Todo\)/);
    assert.equal(remoteStatus(h, target.title), 'Done');
  });

  it('queues a Status change GitHub cannot take now and replays it once', async () => {
    const board = await h.trackers.projects.board(1);
    const target = board.items.find((i) => i.contentType === 'draft')!;
    h.gh.server.faults.add({ route: 'graphql', kind: 'status', status: 502 });
    const outcome = await h.trackers.projects.setStatus(1, target.itemId, 'Done');
    assert.equal(outcome.kind, 'queued');
    assert.equal(h.outbox.entries()[0]?.kind, 'setStatus');
    h.gh.server.faults.clear();
    assert.equal(await h.outbox.flush(), 1);
    assert.equal(remoteStatus(h, target.title), 'Done');
    assert.equal(await h.outbox.flush(), 0);
  });

  it('says not found for a missing project, asks for a fresh credential on 401, and rejects a malformed answer', async () => {
    await assert.rejects(h.trackers.projects.board(99), rejectsWith('notFound', /ProjectV2|project/));
    const graphqlCalls = h.gh.server.requestsTo('graphql').length;
    await assert.rejects(h.trackers.projects.board(98), rejectsWith('notFound'));
    assert.equal(h.gh.server.requestsTo('graphql').length - graphqlCalls, 1, 'a missing project does not send us on to look for a user');
    h.tokens = ['stale', SANDBOX_CREDENTIALS.githubToken];
    const fresh = h.open();
    assert.ok((await fresh.projects.board(1)).items.length > 0);
    assert.ok(h.credentialRequests.some((r) => r?.forceRefresh));
    h.gh.server.faults.add({ route: 'graphql', kind: 'malformed', times: 1 });
    await assert.rejects(fresh.projects.board(1, { full: true }), rejectsWith('badResponse'));
    await fresh.dispose();
  });

  it('a stalled board read times out; a cancelled one is cancelled', async () => {
    const slow = h.open({ timeoutMs: 300 });
    h.gh.server.faults.add({ route: 'graphql', kind: 'stall', times: 1 });
    await assert.rejects(slow.projects.board(1), rejectsWith('timeout'));
    h.gh.server.faults.add({ route: 'graphql', kind: 'stall', times: 1 });
    const controller = new AbortController();
    const pending = slow.projects.board(1, { full: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, rejectsWith('cancelled'));
    await slow.dispose();
  });
});
