import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../../src/core/errors';
import { type WorkItem } from '../../../../../src/core/workItem';
import { SANDBOX_CREDENTIALS } from '../../../../../src/sandbox/identity';
import { SIGN_IN_AGAIN } from '../../../../../src/providers/boards/github/githubErrors';
import { startTrackers, type TrackerHarness } from './harness';
import { canaries } from '../../../core/redact/canaries';

// A refused token, token-shaped but built at run time (no token-like literal in the repository).
const WRONG_TOKEN_CANARY = canaries.githubClassic('o');

const repoOf = (h: TrackerHarness) => h.gh.state.repo('contoso', 'contoso-web')!;
const remoteIssue = (h: TrackerHarness, n: number) => repoOf(h).issues.find((i) => i.number === n)!;

async function item(h: TrackerHarness, n: number): Promise<WorkItem> {
  const found = (await h.trackers.issues.get([n])).get(n);
  assert.ok(found && !(found instanceof DevOpsError), `item ${n}`);
  return found;
}

const rejectsWith = (code: DevOpsError['code'], pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof DevOpsError, String(e));
  assert.equal(e.code, code, e.message);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

describe('GitHub issues tracker: faults, credentials and the outbox', () => {
  let h: TrackerHarness;
  beforeEach(async () => {
    h = await startTrackers();
  });
  afterEach(() => h.stop());

  describe('credentials', () => {
    it('asks once for a fresh credential after a 401 and goes on with it', async () => {
      h.tokens = ['expired-token', SANDBOX_CREDENTIALS.githubToken];
      const list = await h.trackers.issues.list('allOpen');
      assert.ok(list.items.length > 0);
      assert.deepEqual(h.credentialRequests, [undefined, { forceRefresh: true }]);
    });

    it('a token refused twice is a clear sign-in error, and nothing secret is logged', async () => {
      h.tokens = [WRONG_TOKEN_CANARY];
      await assert.rejects(h.trackers.issues.list('allOpen'), rejectsWith('unauthorized', /sign in again or set a token with AI DevOps: Set Personal Access Token/));
      assert.equal(h.credentialRequests.filter((r) => r?.forceRefresh).length, 1);
      assert.ok(!h.log.text.includes(WRONG_TOKEN_CANARY));
      assert.ok(SIGN_IN_AGAIN.startsWith('GitHub:'));
    });

    it('no credential at all says so without a request', async () => {
      h.tokens = [];
      await assert.rejects(h.trackers.issues.list('allOpen'), rejectsWith('unauthorized', /not signed in/));
      assert.equal(h.gh.server.requests.length, 0);
    });
  });

  describe('reads', () => {
    it('a 503 or a dropped connection is retried by the plugin', async () => {
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'status', status: 503, times: 1 });
      assert.ok((await h.trackers.issues.list('allOpen')).items.length > 0);
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'drop', times: 1 });
      const refreshed = await h.trackers.issues.refresh();
      assert.equal(refreshed.requests, 2);
    });

    it('asks who is signed in once per session, and uses the last answer on disk while GitHub is down', async () => {
      await h.trackers.issues.list('assignedToMe');
      await h.trackers.issues.list('assignedToMe');
      assert.equal(h.gh.server.requestsTo('users.getAuthenticated').length, 1);
      const restarted = h.open();
      h.gh.server.faults.add({ route: 'users.getAuthenticated', kind: 'status', status: 503 });
      const mine = await restarted.issues.list('assignedToMe');
      assert.ok(mine.items.length > 0);
      assert.match(h.log.text, /Using the last known GitHub user \(sandbox-user\)/);
      restarted.dispose();
    });

    it('a 503 that persists is `unavailable`; the cached items stay', async () => {
      await h.trackers.issues.list('allOpen');
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'status', status: 503 });
      await assert.rejects(h.trackers.issues.refresh(), rejectsWith('unavailable', /unavailable \(503\)/));
      assert.ok((await h.trackers.issues.list('allOpen')).items.length > 0);
    });

    it('a 429 with x-ratelimit-remaining 0 is waited out once by the throttling plugin', async () => {
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'status', status: 429, retryAfterSeconds: 0, times: 1 });
      assert.ok((await h.trackers.issues.list('allOpen')).items.length > 0);
      assert.equal(h.gh.server.requestsTo('issues.listForRepo').length, 2);
      assert.match(h.log.text, /rate limit/);
    });

    it('a long rate-limit wait is not waited out: rateLimited with the wait', async () => {
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'status', status: 429, retryAfterSeconds: 120 });
      await assert.rejects(h.trackers.issues.list('allOpen'), (e: unknown) => {
        rejectsWith('rateLimited')(e);
        assert.ok(((e as DevOpsError).options.retryAfterMs ?? 0) > 60_000);
        return true;
      });
    });

    it('malformed JSON is a bad response', async () => {
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'malformed', times: 1 });
      await assert.rejects(h.trackers.issues.list('allOpen'), rejectsWith('badResponse', /does not understand/));
    });

    it('404 and a wrong repository name say not found', async () => {
      const other = h.open({ endpoint: { baseUrl: h.gh.baseUrl, owner: 'contoso', repo: 'nope', projectNumber: null } });
      await assert.rejects(other.issues.list('allOpen'), rejectsWith('notFound'));
      other.dispose();
    });

    it('a stalled answer times out, and a cancelled read stops at once', async () => {
      const slow = h.open({ timeoutMs: 300 });
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'stall', times: 1 });
      await assert.rejects(slow.issues.list('allOpen'), rejectsWith('timeout', /did not answer in time/));
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'stall', times: 1 });
      const controller = new AbortController();
      const pending = h.trackers.issues.list('allOpen', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(pending, rejectsWith('cancelled'));
      slow.dispose();
    });
  });

  describe('writes and the outbox', () => {
    it('a write refused with 503 is queued, replayed once the service is back, and not sent again', async () => {
      const seven = await item(h, 7);
      h.gh.server.faults.add({ route: 'issues.update', kind: 'status', status: 503 });
      const outcome = await h.trackers.issues.changeState(seven, 'Closed');
      assert.equal(outcome.kind, 'queued');
      assert.match(outcome.kind === 'queued' ? outcome.reason : '', /unavailable/);
      assert.equal(remoteIssue(h, 7).state, 'open');
      assert.equal(h.outbox.entries().length, 1);
      const queued = h.outbox.entries()[0]!;
      assert.deepEqual([queued.tracker, queued.subject, queued.target?.service === 'github' ? `${queued.target.owner}/${queued.target.repo} as ${queued.target.account}` : ''], ['github', '#7', 'contoso/contoso-web as sandbox-user']);

      h.gh.server.faults.clear();
      assert.equal(await h.outbox.flush(), 1);
      assert.equal(remoteIssue(h, 7).state, 'closed');
      assert.equal(h.outbox.entries().length, 0);
      const updates = h.gh.server.requestsTo('issues.update').length;
      assert.equal(await h.outbox.flush(), 0);
      assert.equal(h.gh.server.requestsTo('issues.update').length, updates);
    });

    it('a queued change is sent over a teammate\'s edit of another field, and kept as a conflict when they changed the same field', async () => {
      const seven = await item(h, 7);
      h.gh.server.faults.add({ route: 'issues.update', kind: 'status', status: 502 });
      assert.equal((await h.trackers.issues.changeState(seven, 'Closed')).kind, 'queued');
      h.gh.server.faults.clear();
      h.gh.clock.advance(60_000);
      remoteIssue(h, 7).title = 'Edited by a teammate';
      remoteIssue(h, 7).updatedAt = h.gh.state.nowIso();
      assert.equal(await h.outbox.flush(), 1, 'the title is not the state: no conflict');
      assert.equal(remoteIssue(h, 7).state, 'closed');
      assert.equal(remoteIssue(h, 7).title, 'Edited by a teammate');

      const six = await item(h, 6);
      h.gh.server.faults.add({ route: 'issues.update', kind: 'status', status: 502 });
      assert.equal((await h.trackers.issues.changeState(six, 'Not planned')).kind, 'queued');
      h.gh.server.faults.clear();
      h.gh.clock.advance(60_000);
      Object.assign(remoteIssue(h, 6), { state: 'closed', stateReason: 'completed', updatedAt: h.gh.state.nowIso() });
      const settled: string[] = [];
      h.outbox.onDidSettle((s) => settled.push(`${s.outcome}: ${s.message}`));
      assert.equal(await h.outbox.flush(), 0);
      const kept = h.outbox.entries()[0]!;
      assert.equal(kept.state, 'conflict');
      assert.deepEqual(kept.conflict, [{ field: 'State', theirs: 'Closed', seen: 'Open', yours: 'Not planned' }]);
      assert.deepEqual(settled, ['conflict: contoso/contoso-web#6: State → Not planned: someone else changed it: State is Closed on the service (you saw Open).']);
      assert.equal(remoteIssue(h, 6).stateReason, 'completed', 'nothing overwritten');
    });

    it('a comment whose answer was lost is looked for at once: found, it is applied; not found, the replay finds it; never posted twice', async () => {
      const four = await item(h, 4);
      const before = remoteIssue(h, 4).comments.length;
      h.gh.server.faults.add({ route: 'issues.createComment', kind: 'truncate', times: 1 });
      const found = await h.trackers.issues.addComment(four, 'Deployed to staging.');
      assert.equal(found.kind, 'applied', 'the look right after the lost answer found it');
      assert.equal(remoteIssue(h, 4).comments.length, before + 1);

      h.gh.server.faults.add({ route: 'issues.createComment', kind: 'truncate', times: 1 });
      h.gh.server.faults.add({ route: 'issues.listComments', kind: 'malformed', times: 1 });
      const outcome = await h.trackers.issues.addComment(four, 'Deployed to production.');
      assert.equal(outcome.kind, 'queued');
      assert.equal(remoteIssue(h, 4).comments.length, before + 2, 'the stand-in did post it');
      assert.equal(await h.outbox.flush(), 1);
      assert.equal(remoteIssue(h, 4).comments.length, before + 2, 'not posted twice');
      assert.equal(h.gh.server.requestsTo('issues.createComment').length, 2);
    });

    it('a comment refused with 503 is posted by the replay exactly once', async () => {
      const four = await item(h, 4);
      const before = remoteIssue(h, 4).comments.length;
      h.gh.server.faults.add({ route: 'issues.createComment', kind: 'status', status: 503, times: 1 });
      assert.equal((await h.trackers.issues.addComment(four, 'Retry me.')).kind, 'queued');
      await h.outbox.flush();
      await h.outbox.flush();
      assert.equal(remoteIssue(h, 4).comments.length, before + 1);
      assert.match(remoteIssue(h, 4).comments.at(-1)!.body, /^Retry me\.\n\n<!-- ai-devops:client-id=/);
    });

    it('a create whose answer was lost is found by its client id on replay: one issue', async () => {
      const count = repoOf(h).issues.length;
      h.gh.server.faults.add({ route: 'issues.create', kind: 'truncate', times: 1 });
      h.gh.server.faults.add({ route: 'issues.listForRepo', kind: 'status', status: 503 });
      const outcome = await h.trackers.issues.create({ type: 'Issue', title: 'Lost answer', description: 'body' });
      h.gh.server.faults.clear();
      assert.equal(outcome.kind, 'queued');
      assert.equal(repoOf(h).issues.length, count + 1);
      assert.equal(await h.outbox.flush(), 1);
      assert.equal(repoOf(h).issues.length, count + 1);
      assert.equal(h.gh.server.requestsTo('issues.create').length, 1);
      assert.ok((await h.trackers.issues.list('allOpen')).items.some((i) => i.title === 'Lost answer'), 'the replay put it in the cache');
    });

    it('a write rate-limited for long is queued; a 422 is the user\'s to fix and is not queued', async () => {
      h.gh.server.faults.add({ route: 'issues.create', kind: 'status', status: 429, retryAfterSeconds: 600, times: 3 });
      const limited = await h.trackers.issues.create({ type: 'Issue', title: 'Later', description: '' });
      assert.equal(limited.kind, 'queued');
      assert.match(limited.kind === 'queued' ? limited.reason : '', /rate limit/);
      h.gh.server.faults.clear();
      h.gh.server.faults.add({ route: 'issues.create', kind: 'status', status: 422, times: 1 });
      const refused = await h.trackers.issues.create({ type: 'Issue', title: 'Refused', description: '' });
      assert.deepEqual(refused.kind === 'refused' ? refused.code : refused.kind, 'invalidInput');
      assert.equal(h.outbox.entries().length, 1);
    });

    it('a 403 for a missing scope names the scope from GitHub\'s headers and is not queued', async () => {
      // GitHub names the scopes an endpoint accepts and the token has in two headers; the stand-in's
      // injected 403 carries none, so this fetch adds them as github.com sends them.
      const scoped = h.open({
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (response.status !== 403) return response;
          const headers = new Headers(response.headers);
          headers.set('x-accepted-oauth-scopes', 'repo');
          headers.set('x-oauth-scopes', 'read:user, gist');
          return new Response(await response.text(), { status: 403, headers });
        },
      });
      const seven = (await scoped.issues.get([7])).get(7) as WorkItem;
      h.gh.server.faults.add({ route: 'issues.update', kind: 'status', status: 403, times: 1 });
      const refused = await scoped.issues.changeState(seven, 'Closed');
      assert.equal(refused.kind === 'refused' ? refused.code : refused.kind, 'forbidden');
      assert.match(refused.kind === 'refused' ? refused.message : '', /lacks the `repo` scope\. GitHub: sign in again/);
      assert.equal(h.outbox.entries().length, 0);
      scoped.dispose();
    });

    it('a write that stalls times out and is checked at once; one dropped before GitHub read it is queued; a cancelled write is not queued', async () => {
      const slow = h.open({ timeoutMs: 300 });
      const seven = await item(h, 7);
      // The stand-in made the change and stalled the answer: the look right after finds it made.
      h.gh.server.faults.add({ route: 'issues.update', kind: 'stall', times: 1 });
      const stalled = await slow.issues.changeState(seven, 'Closed');
      assert.equal(stalled.kind, 'applied');
      assert.equal(remoteIssue(h, 7).state, 'closed');
      // Dropped before GitHub acted on it (every attempt): not made, so it waits in the outbox.
      const five = await item(h, 6);
      h.gh.server.faults.add({ route: 'issues.update', kind: 'drop', times: 2 });
      const dropped = await slow.issues.changeState(five, 'Closed');
      assert.equal(dropped.kind, 'queued');
      assert.equal(remoteIssue(h, 6).state, 'open');
      slow.dispose();
      assert.equal(await h.outbox.flush(), 1);
      assert.equal(remoteIssue(h, 6).state, 'closed');
      h.gh.server.faults.add({ route: 'issues.update', kind: 'stall', times: 1 });
      const controller = new AbortController();
      const four = await item(h, 4);
      const pending = h.trackers.issues.changeState(four, 'Not planned', { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(pending, rejectsWith('cancelled'));
      assert.equal(h.outbox.entries().length, 0);
    });

    it('a queued entry for a deleted issue is refused (the user is told) instead of retrying', async () => {
      const seven = await item(h, 7);
      h.gh.server.faults.add({ route: 'issues.update', kind: 'status', status: 500 });
      assert.equal((await h.trackers.issues.changeState(seven, 'Closed')).kind, 'queued');
      h.gh.server.faults.clear();
      repoOf(h).issues.splice(repoOf(h).issues.indexOf(remoteIssue(h, 7)), 1);
      await h.outbox.flush();
      assert.equal(h.outbox.entries()[0]?.state, 'refused');
      assert.match(h.outbox.entries()[0]?.lastError ?? '', /not found/i);
    });
  });
});
