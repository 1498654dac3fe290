import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { GitHubState } from '../../../../src/sandbox/github';
import { startGitHub, type GitHubHarness } from './harness';

const repo = { owner: 'contoso', repo: 'contoso-web' } as const;
const Throttled = Octokit.plugin(throttling);
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface Seen {
  primary: { retryAfter: number; route: string; retryCount: number }[];
  secondary: { retryAfter: number; route: string; retryCount: number }[];
}

/** @octokit/rest with @octokit/plugin-throttling as an extension would set it up; the handlers decide about retries. */
function throttled(h: GitHubHarness, decide: { primary: (retryAfter: number) => boolean; secondary: (retryAfter: number) => boolean }) {
  const seen: Seen = { primary: [], secondary: [] };
  const octokit = new Throttled({
    auth: SANDBOX_CREDENTIALS.githubToken,
    baseUrl: h.baseUrl,
    log: quiet,
    throttle: {
      // Retry-After seconds become milliseconds, so a test waits 60 ms where a client would wait a minute.
      retryAfterBaseValue: 1,
      onRateLimit: (retryAfter, options, _o, retryCount) => {
        seen.primary.push({ retryAfter, route: `${options.method} ${options.url}`, retryCount });
        return retryCount < 1 && decide.primary(retryAfter);
      },
      onSecondaryRateLimit: (retryAfter, options, _o, retryCount) => {
        seen.secondary.push({ retryAfter, route: `${options.method} ${options.url}`, retryCount });
        return retryCount < 1 && decide.secondary(retryAfter);
      },
    },
  });
  return { octokit, seen };
}

describe('GitHub stand-in: rate limits as @octokit/plugin-throttling sees them', function () {
  // The plugin spaces writes (and GraphQL) by a second, whatever the server says.
  this.timeout(30_000);
  let h: GitHubHarness;
  afterEach(() => h.stop());

  it('primary limit: 403 with x-ratelimit-remaining 0 and the reset time; the plugin waits for the reset', async () => {
    h = await startGitHub(GitHubState.demo(new Date()));
    // A real clock here, so x-ratelimit-reset is an hour ahead of Date.now() as the plugin computes it.
    h.state.clock = () => new Date();
    h.state.limits.windows.core.limit = 2;
    const { octokit, seen } = throttled(h, { primary: () => false, secondary: () => false });
    await octokit.rest.issues.get({ ...repo, issue_number: 1 });
    await octokit.rest.issues.get({ ...repo, issue_number: 2 });
    const error = await octokit.rest.issues.get({ ...repo, issue_number: 3 }).then(
      () => assert.fail('the third request got through'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RequestError);
    assert.equal(error.status, 403);
    assert.equal(error.response?.headers['x-ratelimit-remaining'], '0');
    assert.match((error.response?.data as { message: string }).message, /^API rate limit exceeded for user ID 1001\./);
    assert.equal(seen.primary.length, 1);
    assert.equal(seen.primary[0]?.route, 'GET /repos/{owner}/{repo}/issues/{issue_number}');
    assert.ok(seen.primary[0]!.retryAfter > 3_500 && seen.primary[0]!.retryAfter <= 3_602, `retryAfter ${seen.primary[0]!.retryAfter} is about an hour`);
  });

  it('primary limit: a retry after the window resets succeeds', async () => {
    h = await startGitHub();
    h.state.limits.windows.core.limit = 1;
    const { octokit, seen } = throttled(h, {
      primary: () => {
        h.clock.advance(3_600_000);
        return true;
      },
      secondary: () => false,
    });
    await octokit.rest.users.getAuthenticated();
    const issue = await octokit.rest.issues.get({ ...repo, issue_number: 4 });
    assert.equal(issue.status, 200);
    assert.equal(seen.primary.length, 1);
    assert.equal(h.server.requestsTo('issues.get').map((r) => r.status).join(','), '403,200');
  });

  it('secondary limit: 403 with retry-after and the "secondary rate limit" message; the plugin retries after it', async () => {
    h = await startGitHub();
    h.state.limits.contentPerMinute = 1;
    const { octokit, seen } = throttled(h, {
      primary: () => false,
      secondary: () => {
        h.clock.advance(61_000);
        return true;
      },
    });
    await octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: 'one' });
    const second = await octokit.rest.issues.createComment({ ...repo, issue_number: 1, body: 'two' });
    assert.equal(second.status, 201);
    assert.deepEqual(seen.secondary.map((s) => [s.retryAfter, s.route]), [[60, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments']]);
    assert.equal(seen.primary.length, 0);
    const refused = h.server.requestsTo('issues.createComment').filter((r) => r.status === 403);
    assert.equal(refused.length, 1);
    assert.equal((await octokit.rest.issues.listComments({ ...repo, issue_number: 1 })).data.length, 2, 'the refused write changed nothing');
  });

  it('an injected 429 carries retry-after and the primary headers, so the plugin treats it as the primary limit', async () => {
    h = await startGitHub();
    h.server.faults.add({ route: 'issues.get', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
    const { octokit, seen } = throttled(h, { primary: () => true, secondary: () => false });
    const got = await octokit.rest.issues.get({ ...repo, issue_number: 1 });
    assert.equal(got.status, 200);
    assert.equal(seen.primary.length, 1);
    assert.deepEqual(h.server.requestsTo('issues.get').map((r) => [r.status, r.fault]), [[429, 'status'], [200, undefined]]);
  });

  it('GraphQL: a spent graphql budget answers RATE_LIMITED, which the plugin reports as the primary limit', async () => {
    h = await startGitHub();
    h.state.limits.windows.graphql.limit = 1;
    const { octokit, seen } = throttled(h, { primary: () => false, secondary: () => false });
    await octokit.graphql('{ viewer { login } }');
    const error = await octokit.graphql('{ viewer { login } }').then(
      () => assert.fail('the second query got through'),
      (e: unknown) => e as { errors?: { type?: string; message: string }[]; message: string },
    );
    assert.match(error.message, /API rate limit already exceeded for user ID 1001|GraphQL Rate Limit Exceeded/);
    assert.equal(seen.primary.length, 1);
    const res = await fetch(`${h.baseUrl}/graphql`, { method: 'POST', headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.deepEqual(((await res.json()) as { errors: { type: string }[] }).errors.map((e) => e.type), ['RATE_LIMITED']);
  });

  it('GraphQL mutations count as content-creating requests for the secondary limit', async () => {
    h = await startGitHub();
    h.state.limits.contentPerMinute = 0;
    const res = await fetch(`${h.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` },
      body: JSON.stringify({ query: 'mutation { addProjectV2DraftIssue(input: { projectId: "x", title: "y" }) { clientMutationId } }' }),
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('retry-after'), '60');
    assert.match(((await res.json()) as { message: string }).message, /secondary rate limit/);
    const query = await fetch(`${h.baseUrl}/graphql`, { method: 'POST', headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    assert.equal(query.status, 200, 'queries are not content-creating');
  });
});
