import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../../src/core/errors';
import { type WorkItem } from '../../../../../src/core/workItem';
import { FAST, startTrackers, type TrackerHarness } from './harness';

const repoOf = (h: TrackerHarness) => h.gh.state.repo('contoso', 'contoso-web')!;

async function item(h: TrackerHarness, n: number): Promise<WorkItem> {
  const found = (await h.trackers.issues.get([n])).get(n);
  assert.ok(found && !(found instanceof DevOpsError), `item ${n}`);
  return found;
}

describe('GitHub provider: the stand-in\'s real rate limits through the throttling plugin', () => {
  let h: TrackerHarness;
  beforeEach(async () => {
    h = await startTrackers();
    // A real clock, so x-ratelimit-reset is an hour ahead of Date.now() as the plugin computes it.
    h.gh.state.clock = () => new Date();
  });
  afterEach(() => h.stop());

  it('a spent core budget is rateLimited with the wait to the reset; the remaining budget is visible', async () => {
    await h.trackers.issues.list('allOpen');
    const budget = h.trackers.budget('core');
    assert.ok(budget && budget.remaining < budget.limit, 'x-ratelimit-* recorded');
    h.gh.state.limits.windows.core.limit = h.gh.state.limits.windows.core.used;
    await assert.rejects(h.trackers.issues.refresh(), (e: unknown) => {
      assert.ok(e instanceof DevOpsError);
      assert.equal(e.code, 'rateLimited', e.message);
      assert.ok((e.options.retryAfterMs ?? 0) > 3_000_000, 'about an hour');
      return true;
    });
    assert.equal(h.trackers.budget('core')?.remaining, 0);
    assert.ok((await h.trackers.issues.list('allOpen')).items.length > 0, 'the cache still answers');
  });

  it('a secondary limit on writes queues the comment; the replay posts it once when the minute has passed', async () => {
    const four = await item(h, 4);
    const before = repoOf(h).issues.find((i) => i.number === 4)!.comments.length;
    h.gh.state.limits.contentPerMinute = 0;
    const outcome = await h.trackers.issues.addComment(four, 'After the limit.');
    assert.equal(outcome.kind, 'queued');
    assert.match(outcome.kind === 'queued' ? outcome.reason : '', /rate limit/);
    h.gh.state.limits.contentPerMinute = 80;
    assert.equal(await h.outbox.flush(), 1);
    assert.equal(repoOf(h).issues.find((i) => i.number === 4)!.comments.length, before + 1);
  });

  it('a spent GraphQL budget (RATE_LIMITED) is rateLimited for a board read, and a Status change is queued', async () => {
    const board = await h.trackers.projects.board(1);
    h.gh.state.limits.windows.graphql.limit = h.gh.state.limits.windows.graphql.used;
    await assert.rejects(h.trackers.projects.board(1, { full: true }), (e: unknown) => e instanceof DevOpsError && e.code === 'rateLimited');
    const outcome = await h.trackers.projects.setStatus(1, board.items[0]!.itemId, 'Done');
    assert.equal(outcome.kind, 'queued');
  });

  it('holds content-creating writes to the hourly cap: past it a create waits, times out into the outbox, and is sent once later', async () => {
    const capped = h.open({ tuning: { ...FAST, contentPerHour: 2 }, timeoutMs: 400 });
    const count = repoOf(h).issues.length;
    assert.equal((await capped.issues.create({ type: 'Issue', title: 'one', description: '' })).kind, 'applied');
    assert.equal((await capped.issues.create({ type: 'Issue', title: 'two', description: '' })).kind, 'applied');
    const third = await capped.issues.create({ type: 'Issue', title: 'three', description: '' });
    assert.equal(third.kind, 'queued');
    assert.match(third.kind === 'queued' ? third.reason : '', /did not answer in time/);
    assert.equal(repoOf(h).issues.length, count + 2, 'the third was never sent');
    capped.dispose();
    // The replay goes through a new window's (uncapped) trackers: sent once.
    const next = h.open();
    assert.equal(await h.outbox.flush(), 1);
    next.dispose();
    assert.equal(repoOf(h).issues.filter((i) => i.title === 'three').length, 1);
  });
});
