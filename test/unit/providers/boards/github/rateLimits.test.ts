import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../../src/core/errors';
import { type WorkItem } from '../../../../../src/core/workItem';
import { startTrackers, type TrackerHarness } from './harness';

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
});
