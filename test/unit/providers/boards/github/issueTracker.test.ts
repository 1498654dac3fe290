import assert from 'node:assert/strict';
import { type WorkItem } from '../../../../../src/core/workItem';
import { DevOpsError } from '../../../../../src/core/errors';
import { GITHUB_ROUTES } from '../../../../../src/sandbox/github';
import { SANDBOX_USER } from '../../../../../src/sandbox/identity';
import { startTrackers, type TrackerHarness } from './harness';

const repoOf = (h: TrackerHarness) => h.gh.state.repo('contoso', 'contoso-web')!;
const remoteIssue = (h: TrackerHarness, n: number) => repoOf(h).issues.find((i) => i.number === n)!;
const openCount = (h: TrackerHarness) => repoOf(h).issues.filter((i) => i.state === 'open').length;

/** Edits an issue as someone else would on github.com (title change, updated_at moves on). */
function editRemotely(h: TrackerHarness, n: number, title: string): void {
  h.gh.clock.advance(60_000);
  const i = remoteIssue(h, n);
  i.title = title;
  i.updatedAt = h.gh.state.nowIso();
}

async function item(h: TrackerHarness, n: number): Promise<WorkItem> {
  const found = (await h.trackers.issues.get([n])).get(n);
  assert.ok(found && !(found instanceof DevOpsError), `item ${n}`);
  return found;
}

describe('GitHub issues tracker against the stand-in (@octokit/rest)', () => {
  let h: TrackerHarness;
  beforeEach(async () => {
    h = await startTrackers();
  });
  afterEach(() => h.stop());

  it('lists open issues and pull requests, then refreshes with one request when nothing changed', async () => {
    const all = await h.trackers.issues.list('allOpen');
    assert.equal(all.items.length, openCount(h));
    assert.ok(all.items.some((i) => i.type === 'Pull Request'));
    assert.ok(all.items.every((i) => i.state === 'Open' && i.repository === 'contoso/contoso-web'));
    assert.equal(all.stale, false);
    const sub = all.items.find((i) => i.id === 2);
    assert.equal(sub?.parentId, 1, 'parent from parent_issue_url');
    assert.deepEqual(all.items.find((i) => i.id === 1)?.childIds, [2, 3, 4]);
    const first = h.gh.server.requestsTo('issues.listForRepo').at(-1);
    assert.equal(first?.query['state'], 'open');

    const again = await h.trackers.issues.refresh();
    assert.deepEqual(again, { changed: 0, requests: 1 });
    const since = h.gh.server.requestsTo('issues.listForRepo').at(-1);
    assert.equal(since?.query['state'], 'all');
    assert.ok(since?.query['since'], 'asks since the watermark');
    // The same question again: a conditional GET, answered 304 (free of the rate limit on github.com).
    const third = await h.trackers.issues.refresh();
    assert.deepEqual(third, { changed: 0, requests: 1 });
    assert.equal(h.gh.server.requestsTo('issues.listForRepo').at(-1)?.status, 304);
    editRemotely(h, 7, 'Changed after the 304');
    const fourth = await h.trackers.issues.refresh();
    assert.deepEqual(fourth, { changed: 1, requests: 1 });
    assert.equal(h.gh.server.requestsTo('issues.listForRepo').at(-1)?.status, 200);
  });

  it('shares one round between concurrent refreshes; a full one asked for meanwhile runs after it', async () => {
    await h.trackers.issues.list('allOpen');
    const before = h.gh.server.requestsTo('issues.listForRepo').length;
    const [a, b, full] = await Promise.all([h.trackers.issues.refresh(), h.trackers.issues.refresh(), h.trackers.issues.refresh({ full: true })]);
    assert.equal(a, b);
    assert.equal(full.requests, 1);
    const lists = h.gh.server.requestsTo('issues.listForRepo').slice(before);
    assert.deepEqual(lists.map((r) => r.query['state']), ['all', 'open']);
  });

  it('picks up a remote edit and a remote close on refresh, and fires onDidChange', async () => {
    await h.trackers.issues.list('allOpen');
    let fired = 0;
    h.trackers.issues.onDidChange(() => fired++);
    editRemotely(h, 7, 'Document the release and rollback process');
    h.gh.clock.advance(1000);
    const closed = remoteIssue(h, 9);
    closed.state = 'closed';
    closed.stateReason = 'completed';
    closed.updatedAt = h.gh.state.nowIso();
    const result = await h.trackers.issues.refresh();
    assert.equal(result.changed, 2);
    assert.equal(result.requests, 1);
    assert.equal(fired, 1);
    const open = await h.trackers.issues.list('allOpen');
    assert.equal(open.items.find((i) => i.id === 7)?.title, 'Document the release and rollback process');
    assert.equal(open.items.some((i) => i.id === 9), false);
  });

  it('a write to one item does not move the watermark past another item\'s unseen change', async () => {
    await h.trackers.issues.list('allOpen');
    editRemotely(h, 6, 'Changed by a teammate first');
    const seven = await item(h, 7);
    h.gh.clock.advance(60_000);
    assert.equal((await h.trackers.issues.changeState(seven, 'Closed')).kind, 'applied');
    const result = await h.trackers.issues.refresh();
    assert.ok(result.changed >= 1);
    assert.equal((await h.trackers.issues.list('allOpen')).items.find((i) => i.id === 6)?.title, 'Changed by a teammate first');
  });

  it('filters assigned to me by every assignee, and falls back to all open without a dated milestone', async () => {
    const mine = await h.trackers.issues.list('assignedToMe');
    const expected = repoOf(h).issues.filter((i) => i.state === 'open' && i.assignees.includes(SANDBOX_USER.githubLogin)).map((i) => i.number);
    assert.deepEqual(mine.items.map((i) => i.id), expected);
    assert.ok(expected.includes(8), 'issue 8 has the user as second assignee');
    const current = await h.trackers.issues.list('currentIteration');
    assert.equal(current.items.length, openCount(h));
    assert.deepEqual(await h.trackers.issues.identity(), { kind: 'github', label: 'GitHub (contoso/contoso-web)', me: SANDBOX_USER.githubLogin });
  });

  it('keeps the cache on disk: a restarted window lists without a request until the time-to-live passes', async () => {
    await h.trackers.issues.list('allOpen');
    const before = h.gh.server.requests.length;
    let now = h.gh.clock.now();
    const second = h.open({ now: () => now });
    const cached = await second.issues.list('allOpen');
    assert.equal(cached.items.length, openCount(h));
    assert.equal(cached.stale, false);
    assert.equal(h.gh.server.requests.length, before, 'answered from disk');
    now = new Date(now.getTime() + 301_000);
    assert.equal((await second.issues.list('allOpen')).stale, true);
    await second.issues.get([1]);
    assert.equal(h.gh.server.requests.length, before + 1, 'a stale get refreshes once (nothing changed)');
    second.dispose();
  });

  it('saves a write to the disk cache shortly after, or at dispose', async () => {
    const seven = await item(h, 7);
    assert.equal((await h.trackers.issues.changeState(seven, 'Closed')).kind, 'applied');
    await h.trackers.issues.flush();
    const before = h.gh.server.requests.length;
    const restarted = h.open();
    const open = await restarted.issues.list('allOpen');
    assert.equal(open.items.some((i) => i.id === 7), false, 'the close is in the cache on disk');
    assert.equal(h.gh.server.requests.length, before);
    await restarted.dispose();
  });

  it('gets cached items without requests, fetches the rest, and reports unknown numbers as not found', async () => {
    await h.trackers.issues.list('allOpen');
    const before = h.gh.server.requests.length;
    const got = await h.trackers.issues.get([1, 12, 999]);
    assert.equal((got.get(1) as WorkItem).title, 'Redesign the checkout flow');
    assert.equal((got.get(12) as WorkItem).state, 'Not planned');
    const missing = got.get(999);
    assert.ok(missing instanceof DevOpsError);
    assert.equal(missing.code, 'notFound');
    assert.equal(h.gh.server.requests.length - before, 2, 'only #12 and #999 were fetched');
  });

  it('closes, closes as not planned and reopens, with the state_reason GitHub expects', async () => {
    const seven = await item(h, 7);
    assert.deepEqual((await h.trackers.issues.allowedStates(seven)).map((s) => s.state), ['Closed', 'Not planned']);
    const closed = await h.trackers.issues.changeState(seven, 'Closed');
    assert.equal(closed.kind, 'applied');
    assert.equal(remoteIssue(h, 7).state, 'closed');
    assert.equal(remoteIssue(h, 7).stateReason, 'completed');
    const reopened = await h.trackers.issues.changeState(closed.kind === 'applied' ? closed.item : seven, 'Open');
    assert.equal(reopened.kind, 'applied');
    assert.equal(remoteIssue(h, 7).state, 'open');
    const notPlanned = await h.trackers.issues.changeState(reopened.kind === 'applied' ? reopened.item : seven, 'Not planned');
    assert.equal(notPlanned.kind === 'applied' && notPlanned.item.state, 'Not planned');
    assert.equal(remoteIssue(h, 7).stateReason, 'not_planned');
    const pr = await item(h, 16);
    const prClosed = await h.trackers.issues.changeState(pr, 'Closed');
    assert.equal(prClosed.kind === 'applied' && prClosed.item.state, 'Closed');
    const body = h.gh.server.requests.filter((r) => r.route === 'issues.update').at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body, { state: 'closed' }, 'no state_reason for a pull request');
    await assert.rejects(h.trackers.issues.changeState(pr, 'Active'), (e: DevOpsError) => e.code === 'invalidInput' && /can move to/.test(e.message));
  });

  it('writes over a teammate\'s edit of another field; reports a conflict, and writes nothing, when they changed the same field', async () => {
    const seven = await item(h, 7);
    editRemotely(h, 7, 'Changed by a teammate');
    const closed = await h.trackers.issues.changeState(seven, 'Closed');
    assert.equal(closed.kind, 'applied', 'the title is not the state');
    assert.equal(remoteIssue(h, 7).title, 'Changed by a teammate');

    const six = await item(h, 6);
    h.gh.clock.advance(60_000);
    Object.assign(remoteIssue(h, 6), { state: 'closed', stateReason: 'not_planned', updatedAt: h.gh.state.nowIso() });
    const updatesBefore = h.gh.server.requestsTo('issues.update').length;
    const outcome = await h.trackers.issues.changeState(six, 'Closed');
    assert.equal(outcome.kind, 'conflict');
    assert.equal(outcome.kind === 'conflict' && outcome.remote.state, 'Not planned');
    assert.match(outcome.kind === 'conflict' ? outcome.message : '', /State is Not planned on the service \(you saw Open\)/);
    assert.equal(remoteIssue(h, 6).stateReason, 'not_planned');
    assert.equal(h.gh.server.requestsTo('issues.update').length, updatesBefore);

    // Assigned to me when the view showed it, unassigned on GitHub since: the same field, so the user decides.
    const mine = (await h.trackers.issues.list('assignedToMe')).items.find((i) => i.id !== 7 && i.id !== 6)!;
    h.gh.clock.advance(60_000);
    Object.assign(remoteIssue(h, mine.id), { assignees: [], updatedAt: h.gh.state.nowIso() });
    const assign = await h.trackers.issues.assignToMe(mine);
    assert.deepEqual(assign.kind === 'conflict' ? assign.fields : assign.kind, [{ field: 'Assigned to me', theirs: false, seen: true, yours: true }]);
  });

  it('assigns to me without dropping other assignees, and is a no-op when already assigned', async () => {
    const thirteen = await item(h, 13);
    const outcome = await h.trackers.issues.assignToMe(thirteen);
    assert.equal(outcome.kind, 'applied');
    assert.deepEqual(remoteIssue(h, 13).assignees, ['avery-chen', SANDBOX_USER.githubLogin]);
    const updates = h.gh.server.requestsTo('issues.update').length;
    const again = await h.trackers.issues.assignToMe(outcome.kind === 'applied' ? outcome.item : thirteen);
    assert.equal(again.kind, 'applied');
    assert.equal(h.gh.server.requestsTo('issues.update').length, updates);
  });

  it('comments with a hidden client id, links a branch by comment, and the next write starts from the new updated_at', async () => {
    const four = await item(h, 4);
    const commented = await h.trackers.issues.addComment(four, 'Fixed in the PR.', { clientId: 'c-1' });
    assert.equal(commented.kind, 'applied');
    const last = remoteIssue(h, 4).comments.at(-1)!;
    assert.equal(last.body, 'Fixed in the PR.\n\n<!-- ai-devops:client-id=c-1 -->');
    // The same client id again (a retried command): recognised, not posted twice.
    const repeat = await h.trackers.issues.addComment(four, 'Fixed in the PR.', { clientId: 'c-1' });
    assert.equal(repeat.kind, 'applied');
    assert.equal(remoteIssue(h, 4).comments.filter((c) => c.body.includes('client-id=c-1')).length, 1);
    const linked = await h.trackers.issues.linkBranch(commented.kind === 'applied' ? commented.item : four, 'refs/heads/task-4-safari-checkout');
    assert.equal(linked.kind, 'applied');
    assert.match(remoteIssue(h, 4).comments.at(-1)!.body, /started on branch \[`task-4-safari-checkout`\]\(https?:\/\/[^)]+\/contoso\/contoso-web\/tree\/task-4-safari-checkout\)/);
    // A state change right after: no false conflict from our own comment.
    const closed = await h.trackers.issues.changeState(linked.kind === 'applied' ? linked.item : four, 'Closed');
    assert.equal(closed.kind, 'applied');
    await assert.rejects(h.trackers.issues.addComment(four, '   '), (e: DevOpsError) => e.code === 'invalidInput');
    await assert.rejects(h.trackers.issues.linkBranch(four, 'bad..name'), (e: DevOpsError) => e.code === 'invalidInput');
  });

  it('creates an issue with labels, assigned to me, carrying its client id; a repeated client id finds it instead of creating twice', async () => {
    const created = await h.trackers.issues.create({ type: 'Issue', title: 'From a TODO', description: 'In src/app.ts:12', tags: ['enhancement'], assignToMe: true }, { clientId: 'todo-1' });
    assert.equal(created.kind, 'applied');
    const id = created.kind === 'applied' ? created.item.id : 0;
    const remote = remoteIssue(h, id);
    assert.equal(remote.title, 'From a TODO');
    assert.deepEqual(remote.labels, ['enhancement']);
    assert.deepEqual(remote.assignees, [SANDBOX_USER.githubLogin]);
    assert.match(remote.body ?? '', /<!-- ai-devops:client-id=todo-1 -->$/);
    assert.equal(created.kind === 'applied' && created.item.description, 'In src/app.ts:12');
    const count = repoOf(h).issues.length;
    const again = await h.trackers.issues.create({ type: 'Issue', title: 'From a TODO', description: 'In src/app.ts:12' }, { clientId: 'todo-1' });
    assert.equal(again.kind === 'applied' && again.item.id, id);
    assert.equal(repoOf(h).issues.length, count);
    // A batch: each further caller-given id costs one look-up request, not a rescan of 30 days.
    const lists = h.gh.server.requestsTo('issues.listForRepo').length;
    const next = await h.trackers.issues.create({ type: 'Issue', title: 'Second TODO', description: '' }, { clientId: 'todo-2' });
    assert.equal(next.kind, 'applied');
    assert.equal(h.gh.server.requestsTo('issues.listForRepo').length - lists, 1);
    await assert.rejects(h.trackers.issues.create({ type: 'Epic', title: 'x', description: '' }), (e: DevOpsError) => e.code === 'invalidInput');
  });

  it('creates a child as a sub-issue where the service has sub-issues, else leaves it unparented with a warning', async () => {
    const served = GITHUB_ROUTES.some((r) => r.name === 'issues.addSubIssue');
    const created = await h.trackers.issues.create({ type: 'Issue', title: 'Child', description: 'part of #1', parentId: 1 });
    assert.equal(created.kind, 'applied');
    const child = created.kind === 'applied' ? created.item : undefined;
    if (served) {
      assert.equal(child?.parentId, 1);
      assert.equal(remoteIssue(h, child!.id).parent, 1);
      assert.ok((await item(h, 1)).childIds.includes(child!.id));
    } else {
      assert.equal(child?.parentId, undefined);
      assert.match(h.log.text, /could not make it a sub-issue of contoso\/contoso-web#1/);
    }
    assert.deepEqual(await h.trackers.issues.childTypes(await item(h, 1)), ['Issue']);
    assert.deepEqual(await h.trackers.issues.childTypes(await item(h, 16)), []);
  });
});
