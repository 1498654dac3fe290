import assert from 'node:assert/strict';
import { RequestError } from '@octokit/request-error';
import { Octokit } from '@octokit/rest';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { GITHUB_ROUTES } from '../../../../src/sandbox/github';
import { startGitHub, type GitHubHarness } from './harness';

const repo = { owner: 'contoso', repo: 'contoso-web' } as const;

describe('GitHub stand-in: faults by route name and the request log', () => {
  let h: GitHubHarness;
  beforeEach(async () => (h = await startGitHub()));
  afterEach(() => h.stop());

  it('route names are unique, so a fault names exactly one operation', () => {
    const names = GITHUB_ROUTES.map((r) => `${r.name}`);
    assert.equal(new Set(names).size, names.length);
  });

  it('500 and 503 with GitHub error bodies, for one route, a group (issues.*) or the whole service', async () => {
    const o = h.rest();
    h.server.faults.add({ route: 'issues.get', kind: 'status', status: 500, times: 1 });
    const e500 = await o.rest.issues.get({ ...repo, issue_number: 1 }).catch((e: unknown) => e);
    assert.ok(e500 instanceof RequestError);
    assert.equal(e500.status, 500);
    assert.deepEqual(Object.keys(e500.response?.data as object).sort(), ['documentation_url', 'message', 'status']);
    assert.equal((await o.rest.issues.get({ ...repo, issue_number: 1 })).status, 200, 'used up after once');
    h.server.faults.add({ route: 'issues.*', kind: 'status', status: 503, times: 2 });
    assert.equal(((await o.rest.issues.listComments({ ...repo, issue_number: 4 }).catch((e: unknown) => e)) as RequestError).status, 503);
    assert.equal((await o.rest.repos.get(repo)).status, 200, 'other groups are untouched');
    assert.equal(((await o.rest.issues.create({ ...repo, title: 'x' }).catch((e: unknown) => e)) as RequestError).status, 503);
    assert.equal(h.state.repo('contoso', 'contoso-web')!.issues.length, 18, 'a faulted write changes nothing');
    h.server.faults.add({ route: 'github', kind: 'status', status: 502, times: 1 });
    assert.equal(((await o.rest.users.getAuthenticated().catch((e: unknown) => e)) as RequestError).status, 502);
  });

  it('a dropped connection and a truncated body are errors; a malformed body arrives as text, not JSON', async () => {
    const o = h.rest();
    h.server.faults.add({ route: 'issues.listForRepo', kind: 'drop', times: 1 });
    await assert.rejects(o.rest.issues.listForRepo(repo));
    h.server.faults.add({ route: 'issues.listForRepo', kind: 'truncate', times: 1 });
    await assert.rejects(o.rest.issues.listForRepo(repo));
    h.server.faults.add({ route: 'issues.listForRepo', kind: 'malformed', times: 1 });
    // @octokit/request hands a body it cannot parse over as a string: callers must validate (zod) what they get.
    const garbled = await o.rest.issues.listForRepo(repo);
    assert.equal(typeof garbled.data, 'string');
    assert.deepEqual(h.server.requestsTo('issues.listForRepo').map((r) => r.fault), ['drop', 'truncate', 'malformed']);
    assert.equal((await o.rest.issues.listForRepo(repo)).status, 200);
  });

  it('GraphQL faults by the route name "graphql"; a stall ends at the client time-out', async () => {
    h.server.faults.add({ route: 'graphql', kind: 'status', status: 502, times: 1 });
    await assert.rejects(h.gql()('{ viewer { login } }'), (e: { status?: number }) => e.status === 502);
    h.server.faults.add({ route: 'graphql', kind: 'stall', times: 1 });
    // The stand-in stalls this very request; the client gives up only then (a fixed client time-out
    // raced the machine's load). @octokit/request hands over a body whose reading was aborted as no
    // data at all rather than an error, so the check is: nothing arrived until the client gave up.
    const controller = new AbortController();
    const timed = new Octokit({ auth: SANDBOX_CREDENTIALS.githubToken, baseUrl: h.baseUrl, request: { signal: controller.signal }, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
    let settled = false;
    const outcome = timed.graphql<{ viewer?: { login: string } } | undefined>('{ viewer { login } }').then(
      (data) => `answered ${JSON.stringify(data ?? null)}`,
      (e: Error) => (/abort|timeout/i.test(`${e.name} ${e.message}`) ? 'aborted' : `failed: ${e.message}`),
    ).finally(() => (settled = true));
    for (let waited = 0; !h.server.requestsTo('graphql').some((r) => r.fault === 'stall') && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.ok(h.server.requestsTo('graphql').some((r) => r.fault === 'stall'), 'the stand-in stalled the request');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(settled, false, 'a stalled answer does not arrive');
    controller.abort();
    assert.match(await outcome, /^(aborted|answered null)$/);
    h.server.faults.add({ route: 'graphql', kind: 'latency', latencyMs: 150, times: 1 });
    const started = Date.now();
    await h.gql()('{ viewer { login } }');
    assert.ok(Date.now() - started >= 140);
  });

  it('logs method, route, path, query and body of each request, never the token', async () => {
    const o = h.rest();
    await o.rest.issues.create({ ...repo, title: 'Logged', labels: ['bug'] });
    await o.rest.issues.listForRepo({ ...repo, state: 'closed', per_page: 2 });
    const [create] = h.server.requestsTo('issues.create');
    assert.equal(create?.method, 'POST');
    assert.equal(create?.path, '/github/repos/contoso/contoso-web/issues');
    assert.deepEqual(create?.body, { title: 'Logged', labels: ['bug'] });
    assert.equal(create?.status, 201);
    assert.deepEqual(h.server.requestsTo('issues.listForRepo')[0]?.query, { state: 'closed', per_page: '2' });
    assert.ok(!JSON.stringify(h.server.requests).includes(SANDBOX_CREDENTIALS.githubToken));
  });
});
