import assert from 'node:assert/strict';
import { RequestError } from '@octokit/request-error';
import { DevOpsError } from '../../../../../src/core/errors';
import { rateLimitWait, transientFailure, withQueryRetries } from '../../../../../src/providers/boards/github/queryRetry';
import { FakeLogger } from '../../../fakes/fakeLogger';
import { FAST, startTrackers, type TrackerHarness } from './harness';

const rejectsWith = (code: string) => (e: unknown) => e instanceof DevOpsError && e.code === code;

describe('GitHub provider: GraphQL queries outside the plugins\' queues keep their retry and rate-limit rules', () => {
  describe('against the stand-in, through octokit', () => {
    let h: TrackerHarness;
    beforeEach(async () => {
      // GitHub's reset time is whole seconds: a wait of "0 s" is 1-2 s by the plugin's rule (reset - now + 1).
      h = await startTrackers({ tuning: { ...FAST, maxRateLimitWaitSeconds: 3 } });
      h.gh.state.clock = () => new Date();
    });
    afterEach(() => h.stop());
    const graphqlRequests = () => h.gh.server.requestsTo('graphql').length;

    it('a 503 or a dropped connection on a board read is asked again, and the board is read', async () => {
      h.gh.server.faults.add({ route: 'graphql', kind: 'status', status: 503, times: 1 });
      const before = graphqlRequests();
      assert.ok((await h.trackers.projects.board(1)).items.length > 0);
      assert.equal(graphqlRequests() - before, 2);
      h.gh.server.faults.add({ route: 'graphql', kind: 'drop', times: 1 });
      assert.ok((await h.trackers.projects.board(1, { full: true })).items.length > 0);
    });

    it('a 503 that persists is unavailable after the retries (1 in tests): two requests, no more', async () => {
      h.gh.server.faults.add({ route: 'graphql', kind: 'status', status: 503 });
      const before = graphqlRequests();
      await assert.rejects(h.trackers.projects.board(1), rejectsWith('unavailable'));
      assert.equal(graphqlRequests() - before, 2);
    });

    it('a short rate limit is waited out once; a long one is rateLimited at once with the wait', async () => {
      h.gh.server.faults.add({ route: 'graphql', kind: 'status', status: 429, retryAfterSeconds: 0, times: 1 });
      const before = graphqlRequests();
      assert.ok((await h.trackers.projects.board(1)).items.length > 0);
      assert.equal(graphqlRequests() - before, 2);
      assert.match(h.log.text, /rate limit for POST \/graphql: retry after [12] s\./);
      h.gh.server.faults.add({ route: 'graphql', kind: 'status', status: 429, retryAfterSeconds: 120 });
      const again = graphqlRequests();
      await assert.rejects(h.trackers.projects.board(1, { full: true }), (e: unknown) => {
        assert.ok(rejectsWith('rateLimited')(e), String(e));
        assert.ok(((e as DevOpsError).options.retryAfterMs ?? 0) > 60_000);
        return true;
      });
      assert.equal(graphqlRequests() - again, 1, 'not asked again while limited');
      assert.match(h.log.text, /retry after 12[12] s \(not waiting\)/);
    });

    it('a 401 is not retried here (the client asks for a fresh credential once); a 404 is not retried', async () => {
      h.gh.server.faults.add({ route: 'graphql', kind: 'status', status: 404, times: 1 });
      const before = graphqlRequests();
      await assert.rejects(h.trackers.projects.board(1), rejectsWith('notFound'));
      assert.equal(graphqlRequests() - before, 1);
    });
  });

  describe('the rules', () => {
    const fail = (status: number, headers: Record<string, string> = {}, message = 'Boom') =>
      new RequestError(message, status, { request: { method: 'POST', url: 'https://api.github.com/graphql', headers: {} }, response: { status, url: 'https://api.github.com/graphql', headers, data: { message } } });
    const graphqlError = (type: string | undefined, message: string) => Object.assign(new Error(message), { name: 'GraphqlResponseError', errors: [{ type, message }], headers: {} });
    const now = Date.parse('2026-03-18T10:00:00Z');

    it('tells rate limits (primary, secondary, GraphQL RATE_LIMITED) from failures worth asking again and from the rest', () => {
      assert.equal(rateLimitWait(fail(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }), now), 31);
      assert.equal(rateLimitWait(fail(403, { 'retry-after': '7' }, 'You have exceeded a secondary rate limit'), now), 7);
      assert.equal(rateLimitWait(fail(403, {}, 'You have exceeded a secondary rate limit'), now), 60, 'GitHub\'s advice without Retry-After: a minute');
      assert.equal(rateLimitWait(graphqlError('RATE_LIMITED', 'API rate limit exceeded'), now), 0, 'no reset time: at once, as the throttling plugin does');
      assert.equal(rateLimitWait(fail(401, { 'x-ratelimit-remaining': '0' }), now), undefined);
      assert.equal(rateLimitWait(fail(403, {}, 'Resource not accessible by integration'), now), undefined);
      assert.ok(transientFailure(fail(502)));
      assert.ok(transientFailure(graphqlError(undefined, 'Something went wrong while executing your query. Please try again.')));
      assert.ok(!transientFailure(graphqlError('NOT_FOUND', 'Could not resolve to a ProjectV2')));
      assert.ok(!transientFailure(fail(422)));
      assert.ok(!transientFailure(Object.assign(new Error('aborted'), { name: 'AbortError', status: 500 })));
    });

    it('a cancelled wait stops at once; back-off grows with each failure', async () => {
      const log = new FakeLogger();
      const controller = new AbortController();
      let calls = 0;
      const waiting = withQueryRetries(
        () => {
          calls++;
          return Promise.reject(fail(503));
        },
        { retries: 5, baseMs: 60_000, maxWaitSeconds: 1, log },
        controller.signal,
        'POST /graphql',
      );
      setTimeout(() => controller.abort(), 20);
      // The back-off is 60 s: mocha's time-out fails the test if the cancel waited for it.
      await assert.rejects(waiting, /aborted/);
      assert.equal(calls, 1);
      let n = 0;
      const retried = new FakeLogger();
      const value = await withQueryRetries(
        () => (++n < 3 ? Promise.reject(fail(500)) : Promise.resolve('ok')),
        { retries: 2, baseMs: 20, maxWaitSeconds: 1, log: retried },
        new AbortController().signal,
        'POST /graphql',
      );
      assert.equal(value, 'ok');
      assert.equal(n, 3);
      assert.deepEqual(
        retried.lines.filter((l) => l.level === 'debug').map((l) => l.message),
        ['GitHub POST /graphql: asking again in 20 ms.', 'GitHub POST /graphql: asking again in 80 ms.'],
        'the second wait is the longer (the retry plugin\'s n² back-off)',
      );
    });
  });
});
