import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Operation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { DevOpsError } from '../../../../src/core/errors';
import { type WorkItem } from '../../../../src/core/workItem';
import { createAzureBoardsTracker, SIGN_IN_AGAIN } from '../../../../src/providers/boards/azureBoards';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';
import { type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { goodPat, makeTracker, type TrackerSetup } from './azureBoardsSetup';

const isError = (code: DevOpsError['code'], pattern?: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof DevOpsError, `expected a DevOpsError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

describe('AzureBoardsTracker against the Azure DevOps stand-in', () => {
  let h: Harness;
  let dir: string;
  let s: TrackerSetup;

  beforeEach(async () => {
    h = await startHarness();
    dir = mkdtempSync(path.join(tmpdir(), 'azure-boards-'));
    s = await makeTracker(h, dir);
  });
  afterEach(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const byTitle = async (title: string): Promise<WorkItem> => {
    const all = await s.tracker.list('allOpen');
    const found = all.items.find((i) => i.title === title);
    assert.ok(found, `no open item "${title}"`);
    return found;
  };
  const remoteItem = async (id: number) => (await h.api().getWorkItemTrackingApi()).getWorkItem(id, undefined, undefined, undefined, SANDBOX_PROJECT);

  it('lists all open items with one WIQL and batches of at most 200 ids, mapped with parents and children', async () => {
    const snapshot = await s.tracker.list('allOpen');
    assert.equal(h.server.requestsTo('wit.wiql').length, 1);
    const batches = h.server.requestsTo('wit.workItemsBatch');
    assert.equal(batches.length, 1);
    assert.ok(snapshot.items.length > 5);
    assert.ok(snapshot.items.every((i) => !['Closed', 'Removed'].includes(i.state)), 'no closed item among the open ones');
    assert.equal(snapshot.stale, false);
    const task = snapshot.items.find((i) => i.title === 'Email the reset link');
    assert.equal(task?.type, 'Task');
    assert.equal(task?.assignedTo, 'Sandbox User');
    assert.ok(task?.parentId, 'the task knows its parent');
    const parent = snapshot.items.find((i) => i.id === task?.parentId);
    assert.ok(parent?.childIds.includes(task!.id));
    assert.match(task!.url, /\/_workitems\/edit\/\d+$/);
    // A second list is answered from the cache.
    const before = s.tracker.requests;
    await s.tracker.list('allOpen');
    assert.equal(s.tracker.requests, before);
  });

  it('lists my items (@Me) and the current iteration (@CurrentIteration of the team)', async () => {
    const mine = await s.tracker.list('assignedToMe');
    assert.ok(mine.items.length > 0);
    assert.ok(mine.items.every((i) => i.assignedTo === 'Sandbox User' && i.state !== 'Closed'));
    const sprint = await s.tracker.list('currentIteration');
    assert.ok(sprint.items.length > 0);
    assert.ok(sprint.items.every((i) => i.iterationPath?.endsWith('Sprint 2')), sprint.items.map((i) => i.iterationPath).join(', '));
    const wiql = h.server.requestsTo('wit.wiql');
    assert.equal(wiql.length, 2);
  });

  it('a list reads the project alone before its query: not the signed-in user or the team settings (162 -> 157 requests at 30,000 items)', async () => {
    const before = h.server.requests.length;
    const open = await s.tracker.list('allOpen');
    assert.ok(open.items.length > 0);
    const routes = h.server.requests.slice(before).map((r) => r.route);
    assert.equal(routes.filter((r) => r === 'core.projects.get').length, 1, routes.join(', '));
    assert.ok(!routes.includes('location.connectionData'), routes.join(', '));
    assert.ok(!routes.some((r) => r.startsWith('work.')), routes.join(', '));
    // The core and work item clients share one look-up of the organization's resource areas.
    assert.equal(routes.filter((r) => r === 'location.resourceAreas').length, 1, routes.join(', '));
    // Who is signed in is read when it is needed; the project read is shared, not made again.
    assert.equal((await s.tracker.identity()).me, 'Sandbox User');
    const later = h.server.requests.slice(before).map((r) => r.route);
    assert.equal(later.filter((r) => r === 'core.projects.get').length, 1, later.join(', '));
    assert.equal(later.filter((r) => r === 'location.connectionData').length, 1, later.join(', '));
  });

  it('a refresh with no change is one request; a remote change is fetched alone and updates the filters', async () => {
    await s.tracker.list('allOpen');
    await s.tracker.list('assignedToMe');
    let changes = 0;
    s.tracker.onDidChange(() => changes++);
    const quiet = await s.tracker.refresh();
    assert.deepEqual(quiet, { changed: 0, requests: 1 });
    assert.equal(changes, 0);

    const mine = (await s.tracker.list('assignedToMe')).items[0]!;
    h.clock.advance(60_000);
    const wit = await h.api().getWorkItemTrackingApi();
    await wit.updateWorkItem(null, [{ op: Operation.Add, path: '/fields/System.AssignedTo', value: 'Avery Chen' }], mine.id, SANDBOX_PROJECT);
    const batchesBefore = h.server.requestsTo('wit.workItemsBatch').length;
    const result = await s.tracker.refresh();
    assert.equal(result.changed, 1);
    assert.equal(result.requests, 2, 'one WIQL and one batch');
    assert.equal(h.server.requestsTo('wit.workItemsBatch').length, batchesBefore + 1);
    assert.equal(changes, 1);
    assert.ok(!(await s.tracker.list('assignedToMe')).items.some((i) => i.id === mine.id), 'no longer mine');
    assert.equal((await s.tracker.list('allOpen')).items.find((i) => i.id === mine.id)?.assignedTo, 'Avery Chen');
    assert.deepEqual(await s.tracker.refresh(), { changed: 0, requests: 1 });
  });

  it('lets deleted items go when the lists are asked again: on the user\'s Refresh, every 15 minutes, and once in a new session', async () => {
    let now = Date.parse('2026-11-29T10:00:00Z');
    const clock = () => new Date(now);
    s.tracker.dispose();
    s = await makeTracker(h, dir, { now: clock });
    await s.tracker.list('allOpen');
    await s.tracker.list('assignedToMe');
    const wit = await h.api().getWorkItemTrackingApi();
    const doomed = [await byTitle('Email the reset link'), await byTitle('Reset a forgotten password')];
    for (const item of doomed) assert.ok(await wit.deleteWorkItem(item.id, SANDBOX_PROJECT));
    const listed = async (): Promise<number[]> => (await s.tracker.list('allOpen')).items.map((i) => i.id);

    // A changed-since query cannot see a deletion: a quick refresh keeps the items (one request).
    assert.deepEqual(await s.tracker.refresh(), { changed: 0, requests: 1 });
    assert.ok((await listed()).includes(doomed[0]!.id));

    // The user's Refresh asks each cached list again: one WIQL each, nothing to fetch.
    const wiqlBefore = h.server.requestsTo('wit.wiql').length;
    const asked = await s.tracker.refresh({ reconcile: true });
    assert.equal(asked.requests, 1 + 2, 'the changed-since query and one query per cached list');
    assert.equal(h.server.requestsTo('wit.wiql').length, wiqlBefore + 3);
    assert.ok(asked.changed >= 2, `changed ${asked.changed}`);
    assert.ok(!(await listed()).some((id) => doomed.some((d) => d.id === id)), 'deleted items left the list');
    const got = await s.tracker.get([doomed[0]!.id]);
    assert.ok(got.get(doomed[0]!.id) instanceof DevOpsError, 'a lens asking for it learns it is gone');
    assert.equal((got.get(doomed[0]!.id) as DevOpsError).code, 'notFound');

    // Background refreshes check the lists again after 15 minutes, not before.
    const another = (await s.tracker.list('allOpen')).items[0]!;
    assert.ok(await wit.deleteWorkItem(another.id, SANDBOX_PROJECT));
    now += 14 * 60_000;
    assert.equal((await s.tracker.refresh()).requests, 1);
    assert.ok((await listed()).includes(another.id));
    now += 60_000;
    const due = await s.tracker.refresh();
    assert.equal(due.requests, 3);
    assert.ok(!(await listed()).includes(another.id));

    // A new session reads the lists from disk and checks them at its first refresh.
    const last = (await s.tracker.list('allOpen')).items.at(-1)!;
    assert.ok(await wit.deleteWorkItem(last.id, SANDBOX_PROJECT));
    s.tracker.dispose();
    s = await makeTracker(h, dir, { now: clock });
    assert.ok((await listed()).includes(last.id), 'the disk cache still lists it');
    const wiqlBeforeSession = h.server.requestsTo('wit.wiql').length;
    await s.tracker.refresh();
    // A new connection also makes its discovery requests; the queries are what count here.
    assert.equal(h.server.requestsTo('wit.wiql').length, wiqlBeforeSession + 3);
    assert.ok(!(await listed()).includes(last.id));
    assert.deepEqual(await s.tracker.refresh(), { changed: 0, requests: 1 });
  });

  it('serves lists and refreshes asked for at once with one load', async () => {
    const [a, b, c] = await Promise.all([s.tracker.list('allOpen'), s.tracker.list('allOpen'), s.tracker.list('allOpen')]);
    assert.equal(a.items.length, b.items.length);
    assert.equal(b.items.length, c.items.length);
    assert.equal(h.server.requestsTo('wit.wiql').length, 1);
    assert.equal(h.server.requestsTo('wit.workItemsBatch').length, 1);
    const [r1, r2] = await Promise.all([s.tracker.refresh(), s.tracker.refresh()]);
    assert.deepEqual(r1, r2);
    assert.equal(h.server.requestsTo('wit.wiql').length, 2, 'one changed-since query for both');
    const batches = h.server.requestsTo('wit.workItemsBatch').length;
    const [quick, full] = await Promise.all([s.tracker.refresh(), s.tracker.refresh({ full: true })]);
    assert.equal(quick.requests, 1);
    assert.equal(full.changed, 0);
    assert.equal(h.server.requestsTo('wit.workItemsBatch').length, batches + 1, 'the full refresh ran, after the quick one');
  });

  it('keeps the cache on disk: a new instance lists without asking the service, and says when it is stale', async () => {
    await s.tracker.list('allOpen');
    s.tracker.dispose();
    const again = await makeTracker(h, dir, { cacheTtlSeconds: 0 });
    const snapshot = await again.tracker.list('allOpen');
    assert.equal(again.tracker.requests, 0);
    assert.ok(snapshot.items.length > 5);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await again.tracker.list('allOpen')).stale, true);
    again.tracker.dispose();
  });

  it('changes state with a rev test, writes the audit event, and offers the process\'s states', async () => {
    const story = await byTitle('Reset a forgotten password');
    const states = await s.tracker.allowedStates(story);
    assert.ok(states.some((c) => c.state === 'Resolved'));
    const outcome = await s.tracker.changeState(story, 'Resolved', { correlationId: 'cmd-1' });
    assert.equal(outcome.kind, 'applied');
    assert.equal(outcome.kind === 'applied' && outcome.item.state, 'Resolved');
    assert.equal((await remoteItem(story.id)).fields?.['System.State'], 'Resolved');
    const patch = h.server.requestsTo('wit.workItems.update').at(-1);
    assert.ok(patch);
    const event = s.audit.events.at(-1);
    assert.equal(event?.eventType, 'workItem.stateChanged');
    assert.equal(event?.oldState, 'Active');
    assert.equal(event?.newState, 'Resolved');
    assert.equal(event?.correlationId, 'cmd-1');
    assert.equal(event?.workItemId, story.id);
  });

  it('refuses a move the process does not allow, and an unknown state, without a request', async () => {
    const story = await byTitle('Reset a forgotten password');
    const before = h.server.requestsTo('wit.workItems.update').length;
    await assert.rejects(s.tracker.changeState(story, 'Shipped'), isError('invalidInput', /not a state of User Story/));
    // Closed (Done) goes back only to In Progress (Active), not to New.
    const closed = { ...story, state: 'Closed' };
    await assert.rejects(s.tracker.changeState(closed, 'New'), isError('refused', /cannot move from Closed to New/));
    assert.ok(!(await s.tracker.allowedStates(closed)).some((c) => c.state === 'New'));
    assert.equal(h.server.requestsTo('wit.workItems.update').length, before);
  });

  it('someone else\'s edit of another field is no conflict; their change of the same field is, with the remote item, not overwritten', async () => {
    const story = await byTitle('Reset a forgotten password');
    const wit = await h.api().getWorkItemTrackingApi();
    await wit.updateWorkItem(null, [{ op: Operation.Add, path: '/fields/System.Title', value: 'Reset a forgotten password by email or SMS' }], story.id, SANDBOX_PROJECT);
    const applied = await s.tracker.changeState(story, 'Resolved');
    assert.equal(applied.kind, 'applied', 'the title is not the state: the revision moved, the field did not');
    assert.equal((await remoteItem(story.id)).fields?.['System.Title'], 'Reset a forgotten password by email or SMS', 'their title kept');

    const resolved = applied.kind === 'applied' ? applied.item : story;
    await wit.updateWorkItem(null, [{ op: Operation.Add, path: '/fields/System.State', value: 'Active' }], story.id, SANDBOX_PROJECT);
    const updates = h.server.requestsTo('wit.workItems.update').length;
    const outcome = await s.tracker.changeState(resolved, 'Closed');
    assert.equal(outcome.kind, 'conflict');
    assert.equal(outcome.kind === 'conflict' && outcome.remote.state, 'Active');
    assert.deepEqual(outcome.kind === 'conflict' ? outcome.fields : [], [{ field: 'State', theirs: 'Active', seen: 'Resolved', yours: 'Closed' }]);
    assert.match(outcome.kind === 'conflict' ? outcome.message : '', /someone else changed it: State is Active on the service \(you saw Resolved\)/);
    assert.equal((await remoteItem(story.id)).fields?.['System.State'], 'Active', 'not overwritten');
    assert.equal(h.server.requestsTo('wit.workItems.update').length, updates, 'nothing sent');
  });

  it('a change between the read and the write (412, 409) is read again and decided again', async () => {
    const story = await byTitle('Reset a forgotten password');
    h.server.faults.add({ route: 'wit.workItems.update', kind: 'status', status: 409, times: 1 });
    const outcome = await s.tracker.changeState(story, 'Resolved');
    assert.equal(outcome.kind, 'applied');
    assert.deepEqual(h.server.requestsTo('wit.workItems.update').map((r) => r.status), [409, 200]);
    assert.ok(h.server.requestsTo('wit.workItems.update').every((r) => JSON.stringify(r.body).includes('/rev')), 'every write guarded by the revision just read');
  });

  it('queues a write when the service is down (503) and the outbox replays it exactly once', async () => {
    const story = await byTitle('Reset a forgotten password');
    h.server.faults.add({ route: 'wit.workItems.update', kind: 'status', status: 503, times: 1 });
    const outcome = await s.tracker.changeState(story, 'Resolved');
    assert.equal(outcome.kind, 'queued');
    assert.match(outcome.kind === 'queued' ? outcome.reason : '', /unavailable \(503\)/);
    assert.equal(s.outbox.pending().length, 1);
    assert.equal((await remoteItem(story.id)).fields?.['System.State'], 'Active');
    assert.equal(await s.outbox.flush(), 1);
    assert.equal((await remoteItem(story.id)).fields?.['System.State'], 'Resolved');
    assert.equal(s.outbox.pending().length, 0);
    assert.equal(s.audit.events.filter((e) => e.eventType === 'workItem.stateChanged').length, 1);
  });

  it('a garbled answer to a state change is checked against the item at once; a dropped connection queues it', async () => {
    const story = await byTitle('Reset a forgotten password');
    h.server.faults.add({ route: 'wit.workItems.update', kind: 'malformed', times: 1 });
    const garbled = await s.tracker.changeState(story, 'Resolved');
    assert.equal(garbled.kind, 'applied', 'the item shows the new state, so the change was made');
    assert.equal(garbled.kind === 'applied' && garbled.item.state, 'Resolved');

    const resolved = garbled.kind === 'applied' ? garbled.item : story;
    h.server.faults.add({ route: 'wit.workItems.update', kind: 'drop', times: 1 });
    const dropped = await s.tracker.changeState(resolved, 'Closed');
    assert.equal(dropped.kind, 'queued');
    assert.equal(await s.outbox.flush(), 1);
    assert.equal((await remoteItem(story.id)).fields?.['System.State'], 'Closed');
    assert.equal(h.server.requestsTo('wit.workItems.update').filter((r) => r.status === 200).length, 2, 'each change applied once');
  });

  it('queues on 429 with Retry-After kept for the outbox', async () => {
    const task = (await s.tracker.list('allOpen')).items.find((i) => i.assignedTo !== undefined && i.assignedTo !== 'Sandbox User')!;
    h.server.faults.add({ route: 'wit.workItems.update', kind: 'status', status: 429, retryAfterSeconds: 7, times: 1 });
    const outcome = await s.tracker.assignToMe(task);
    assert.equal(outcome.kind, 'queued');
    const entry = s.outbox.entries()[0]!;
    assert.match(entry.lastError ?? '', /limiting requests \(429\)/);
    assert.ok(Date.parse(entry.notBefore ?? '') - Date.now() > 5_000, 'not before the service\'s Retry-After');
  });

  it('a comment whose answer was lost (body cut short after the service stored it) is not posted twice', async () => {
    const story = await byTitle('Reset a forgotten password');
    const wit = await h.api().getWorkItemTrackingApi();
    const countBefore = (await wit.getComments(SANDBOX_PROJECT, story.id)).totalCount ?? 0;
    h.server.faults.add({ route: 'wit.comments.add', kind: 'truncate', times: 1 });
    // The look right after the lost answer fails too: the replay finds it.
    h.server.faults.add({ route: 'wit.comments.list', kind: 'malformed', times: 1 });
    const outcome = await s.tracker.addComment(story, 'Ready for **review**.\nSecond line <b>');
    assert.equal(outcome.kind, 'queued');
    assert.equal((await wit.getComments(SANDBOX_PROJECT, story.id)).totalCount, countBefore + 1, 'the service stored it');
    assert.equal(await s.outbox.flush(), 1);
    const comments = await wit.getComments(SANDBOX_PROJECT, story.id);
    assert.equal(comments.totalCount, countBefore + 1, 'the replay recognised the client id');
    assert.match(comments.comments?.[0]?.text ?? '', /Second line &lt;b&gt;/);
    assert.match(s.log.text, /already been made/);
  });

  it('a malformed answer to a comment the service stored is checked at once and reported applied, so a retry by the user cannot post it twice (issue 12, finding 2)', async () => {
    const story = await byTitle('Reset a forgotten password');
    const wit = await h.api().getWorkItemTrackingApi();
    const countBefore = (await wit.getComments(SANDBOX_PROJECT, story.id)).totalCount ?? 0;
    h.server.faults.add({ route: 'wit.comments.add', kind: 'malformed', times: 1 });
    const outcome = await s.tracker.addComment(story, 'Checked after a garbled answer.');
    assert.equal(outcome.kind, 'applied', 'not an error: the comment was made');
    assert.equal(s.outbox.pending().length, 0, 'nothing left to send');
    assert.equal(await s.outbox.flush(), 0);
    assert.equal((await wit.getComments(SANDBOX_PROJECT, story.id)).totalCount, countBefore + 1, 'one comment');
  });

  it('creates a child checked against the hierarchy, with the parent link; a replay finds it by client id', async () => {
    const story = await byTitle('Reset a forgotten password');
    const epic = (await s.tracker.list('allOpen')).items.find((i) => i.type === 'Epic')!;
    const children = await s.tracker.childTypes(story);
    assert.ok(children.includes('Task') && !children.includes('Epic') && !children.includes('User Story'), children.join(', '));
    assert.deepEqual(await s.tracker.childTypes(undefined), ['Epic', 'Feature', 'User Story', 'Task', 'Bug']);
    await assert.rejects(s.tracker.create({ type: 'Task', title: 'Misplaced', description: '', parentId: epic.id }), isError('refused', /cannot be the direct parent/));
    await assert.rejects(s.tracker.create({ type: 'Gadget', title: 'x', description: '' }), isError('invalidInput', /not a work item type/));

    h.server.faults.add({ route: 'wit.workItems.create', kind: 'malformed', times: 1 });
    const outcome = await s.tracker.create({ type: 'Task', title: 'Log reset attempts', description: 'From TODO in src/reset.ts:12', parentId: story.id, tags: ['todo'], assignToMe: true }, { clientId: 'create-1' });
    // The garbled answer was checked: the item exists with the client id, so it counts as applied.
    assert.equal(outcome.kind, 'applied');
    const created = outcome.kind === 'applied' ? outcome.item : undefined;
    assert.equal(created?.parentId, story.id);
    assert.equal(created?.assignedTo, 'Sandbox User');
    assert.deepEqual(created?.tags, ['todo']);
    assert.equal(created?.title, 'Log reset attempts');
    assert.equal(h.server.requestsTo('wit.workItems.create').length, 1);
    assert.equal(s.audit.events.at(-1)?.eventType, 'workItem.created');

    // A connection cut after the service created it: queued, and the replay finds it instead of creating a second.
    // (The look for it right after fails too: Azure DevOps answers no query for now.)
    h.server.faults.add({ route: 'wit.workItems.create', kind: 'truncate', times: 1 });
    h.server.faults.add({ route: 'wit.wiql', kind: 'status', status: 503 });
    const cut = await s.tracker.create({ type: 'Task', title: 'Expire reset links', description: 'x', parentId: story.id });
    assert.equal(cut.kind, 'queued');
    h.server.faults.clear();
    assert.equal(await s.outbox.flush(), 1);
    assert.match(s.log.text, /already been made/);
    const wit = await h.api().getWorkItemTrackingApi();
    const found = await wit.queryByWiql({ query: "SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'Expire reset links'" }, { project: SANDBOX_PROJECT });
    assert.equal(found.workItems?.length, 1);
  });

  it('replays a queued create once even when the first attempt reached the service', async () => {
    h.server.faults.add({ route: 'wit.workItems.create', kind: 'status', status: 503, times: 1 });
    const outcome = await s.tracker.create({ type: 'Bug', title: 'Queued bug', description: 'x' }, { clientId: 'create-2' });
    assert.equal(outcome.kind, 'queued');
    assert.equal(await s.outbox.flush(), 1);
    assert.equal(await s.outbox.flush(), 0);
    const wit = await h.api().getWorkItemTrackingApi();
    const found = await wit.queryByWiql({ query: "SELECT [System.Id] FROM WorkItems WHERE [System.Title] = 'Queued bug'" }, { project: SANDBOX_PROJECT });
    assert.equal(found.workItems?.length, 1);
  });

  it('links a branch as an ArtifactLink to the Git ref; a second link of the same branch is recognised', async () => {
    const story = await byTitle('Reset a forgotten password');
    const outcome = await s.tracker.linkBranch(story, 'refs/heads/task-1-reset-email', { clientId: 'link-1' });
    assert.equal(outcome.kind, 'applied');
    const wit = await h.api().getWorkItemTrackingApi();
    const item = await wit.getWorkItem(story.id, undefined, undefined, 1 /* Relations */, SANDBOX_PROJECT);
    const link = item.relations?.find((r) => r.rel === 'ArtifactLink' && /GBtask-1-reset-email$/.test(r.url ?? ''));
    assert.ok(link, 'artifact link present');
    assert.match(link?.url ?? '', /^vstfs:\/\/\/Git\/Ref\/[^/]+%2F[^/]+%2FGBtask-1-reset-email$/);
    const again = await s.tracker.linkBranch(story, 'task-1-reset-email');
    assert.equal(again.kind, 'applied', 'the service refuses a duplicate link (TF201035); the link is there, so it counts as done');
    await assert.rejects(s.tracker.linkBranch(story, 'bad name'), isError('invalidInput'));
  });

  it('asks for a fresh credential once when the PAT is refused, then tells the user to sign in again', async () => {
    s.tracker.dispose();
    let fresh = false;
    const renewing = await makeTracker(h, dir, { credential: (r) => (r?.forceRefresh ? ((fresh = true), goodPat) : { ...goodPat, value: 'expired' }) });
    assert.ok((await renewing.tracker.list('allOpen')).items.length > 0);
    assert.ok(fresh);
    assert.equal(renewing.credentialCalls.filter((c) => c?.forceRefresh).length, 1);
    renewing.tracker.dispose();

    const dir2 = mkdtempSync(path.join(tmpdir(), 'azure-boards-'));
    const refused = await makeTracker(h, dir2, { credential: () => ({ ...goodPat, value: 'wrong' }) });
    await assert.rejects(refused.tracker.list('allOpen'), (e: unknown) => e instanceof DevOpsError && e.code === 'unauthorized' && e.message === SIGN_IN_AGAIN);
    assert.ok(!refused.log.text.includes('wrong'));
    const none = await makeTracker(h, dir2, { credential: () => undefined });
    await assert.rejects(none.tracker.list('allOpen'), isError('notConfigured', /Sign In/));
    rmSync(dir2, { recursive: true, force: true });
  });

  it('reads a 203 sign-in page as refused credentials: renews once, then asks the user to sign in', async () => {
    await s.tracker.list('allOpen');
    h.server.faults.add({ route: 'wit.wiql', kind: 'status', status: 203, times: 1 });
    assert.equal((await s.tracker.refresh()).changed, 0, 'the renewed credential was used for the retry');
    assert.equal(s.credentialCalls.filter((c) => c?.forceRefresh).length, 1);
    h.server.faults.add({ route: 'wit.wiql', kind: 'status', status: 203, times: 2 });
    await assert.rejects(s.tracker.refresh(), (e: unknown) => e instanceof DevOpsError && e.code === 'unauthorized' && e.message === SIGN_IN_AGAIN);
  });

  it('reports 403 and a missing project as errors a user can act on', async () => {
    h.server.faults.add({ route: 'wit.wiql', kind: 'status', status: 403, times: 1 });
    await assert.rejects(s.tracker.list('allOpen'), isError('forbidden', /permission/));
    const other = await makeTracker(h, dir);
    await (other.tracker as unknown as { projectInfo(): Promise<unknown> }).projectInfo();
    const missing = createAzureBoardsTracker({ endpoint: { organizationUrl: h.orgUrl, project: 'No Such Project', team: 'x' }, credential: async () => goodPat, log: new FakeLogger(), storageDir: dir, cacheTtlSeconds: 60, outbox: s.outbox });
    await assert.rejects(missing.list('allOpen'), isError('badResponse', /No Such Project/));
  });

  it('gets items by id: a missing one is notFound (deleted), others come from the cache when fresh', async () => {
    const open = await s.tracker.list('allOpen');
    const known = open.items[0]!.id;
    const before = s.tracker.requests;
    const result = await s.tracker.get([known, 99_999]);
    assert.equal((result.get(known) as WorkItem).id, known);
    const missing = result.get(99_999);
    assert.ok(missing instanceof DevOpsError && missing.code === 'notFound');
    assert.equal(s.tracker.requests, before + 1, 'only the unknown id was fetched');
  });

  it('retries a read after 429 (Retry-After) and 503, and a garbled body', async () => {
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    h.server.faults.add({ route: 'wit.wiql', kind: 'status', status: 503, times: 1 });
    assert.ok((await s.tracker.list('allOpen')).items.length > 0);
    assert.equal(h.server.requestsTo('wit.workItemsBatch').length, 2);
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'malformed', times: 1 });
    const got = await s.tracker.get([99_998, 99_997]);
    assert.equal(h.server.requestsTo('wit.workItemsBatch').length, 4);
    assert.ok([...got.values()].every((v) => v instanceof DevOpsError && v.code === 'notFound'));
  });

  it('an item of a batch answer that is not the expected shape is an error for its id naming the field; the rest of the batch is read', async () => {
    // Nothing cached yet: the three ids are read in one batch.
    const [good, spoiled] = h.state.doc.workItems.slice(0, 2).map((w) => w.id) as [number, number];
    const wire = h.state.doc.workItems.find((w) => w.id === spoiled)!;
    // What a proxy or a changed API could send: a state that is not text.
    (wire.fields as Record<string, unknown>)['System.State'] = 42;
    const read = await s.tracker.items([good, spoiled, 99_999]);
    assert.equal((read.get(good) as WorkItem).id, good);
    const error = read.get(spoiled);
    assert.ok(error instanceof DevOpsError && error.code === 'badResponse', String(error));
    assert.match(error.message, new RegExp(`reading AB#${spoiled} \\(fields\\.System\\.State: .*string`));
    assert.ok(read.get(99_999) instanceof DevOpsError);
  });

  it('keeps the X-RateLimit-* values and holds every request back for Retry-After', async () => {
    await s.tracker.list('allOpen');
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
    const [got] = await Promise.all([s.tracker.get([99_990]), new Promise((r) => setTimeout(r, 300)).then(() => s.tracker.refresh())]);
    assert.ok(got.get(99_990) instanceof DevOpsError);
    const rate = s.tracker.azure.lastRateLimit;
    assert.equal(rate?.limit, 200);
    assert.equal(rate?.remaining, 0);
    assert.equal(rate?.resource, 'ATCPU');
    assert.equal(s.tracker.azure.nearRateLimit, true);
    // The refresh started during the pause reached the service only after it (the request log is in arrival order).
    const log = h.server.requests.filter((r) => r.route === 'wit.workItemsBatch' || r.route === 'wit.wiql');
    const throttled = log.findIndex((r) => r.status === 429);
    const next = log.slice(throttled + 1);
    assert.ok(next.length >= 2);
    assert.ok(Date.parse(next[0]!.at) - Date.parse(log[throttled]!.at) >= 900, 'nothing was sent during Retry-After');
  });

  it('gives up on a garbled WIQL answer and on a service that stays down, with the reason', async () => {
    h.server.faults.add({ route: 'wit.wiql', kind: 'malformed', times: 1 });
    await assert.rejects(s.tracker.list('allOpen'), isError('badResponse'));
    h.server.faults.add({ route: 'wit.wiql', kind: 'status', status: 500, times: 10 });
    await assert.rejects(s.tracker.list('allOpen'), isError('unavailable', /unavailable \(500\)/));
  });

  it('times out a request that does not answer, and stops at once when cancelled', async () => {
    s.tracker.dispose();
    const slow = await makeTracker(h, dir, { timeoutMs: 200 });
    await (slow.tracker as unknown as { projectInfo(): Promise<unknown> }).projectInfo();
    h.server.faults.add({ route: 'wit.wiql', kind: 'latency', latencyMs: 2_000, times: 4 });
    await assert.rejects(slow.tracker.list('allOpen'), isError('timeout'));
    h.server.faults.clear();
    h.server.faults.add({ route: 'wit.wiql', kind: 'latency', latencyMs: 2_000, times: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(slow.tracker.list('allOpen', { signal: controller.signal }), isError('cancelled'));
    slow.tracker.dispose();
  });
});
