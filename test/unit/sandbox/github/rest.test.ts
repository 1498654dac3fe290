import assert from 'node:assert/strict';
import { RequestError } from '@octokit/request-error';
import { SANDBOX_USER } from '../../../../src/sandbox/identity';
import { startGitHub, type GitHubHarness } from './harness';

const repo = { owner: 'contoso', repo: 'contoso-web' } as const;

async function refused(p: Promise<unknown>): Promise<RequestError> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof RequestError, `expected a RequestError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request succeeded');
}

describe('GitHub stand-in: REST with @octokit/rest', () => {
  let h: GitHubHarness;
  beforeEach(async () => (h = await startGitHub()));
  afterEach(() => h.stop());

  describe('authentication', () => {
    it('knows the sandbox user by token and by Bearer, with rate-limit headers on every answer', async () => {
      const me = await h.rest().rest.users.getAuthenticated();
      assert.equal(me.data.login, SANDBOX_USER.githubLogin);
      assert.equal(me.data.id, SANDBOX_USER.githubId);
      assert.equal(me.headers['x-ratelimit-limit'], '5000');
      assert.equal(me.headers['x-ratelimit-remaining'], '4999');
      assert.equal(me.headers['x-ratelimit-resource'], 'core');
      const res = await fetch(`${h.baseUrl}/user`, { headers: { authorization: 'Bearer sandbox-github-token' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-ratelimit-used'), '2');
    });

    it('answers a wrong token with 401 "Bad credentials" and none with "Requires authentication"', async () => {
      const bad = await refused(h.rest('ghp_wrong').rest.repos.get(repo));
      assert.equal(bad.status, 401);
      assert.deepEqual(bad.response?.data, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      const none = await fetch(`${h.baseUrl}/repos/contoso/contoso-web`);
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { message: string }).message, 'Requires authentication');
      assert.equal(none.headers.get('x-ratelimit-limit'), '60');
    });
  });

  describe('repositories', () => {
    it('gets contoso/contoso-web (names match case-insensitively) and 404s an unknown one', async () => {
      const r = await h.rest().rest.repos.get({ owner: 'Contoso', repo: 'Contoso-Web' });
      assert.equal(r.data.full_name, 'contoso/contoso-web');
      assert.equal(r.data.default_branch, 'main');
      assert.equal(r.data.owner.type, 'Organization');
      const missing = await refused(h.rest().rest.repos.get({ owner: 'contoso', repo: 'nope' }));
      assert.equal(missing.status, 404);
      assert.equal((missing.response?.data as { message: string }).message, 'Not Found');
    });
  });

  describe('issues', () => {
    it('lists open issues and pull requests newest first, 30 a page, with Link headers octokit.paginate follows', async () => {
      const o = h.rest();
      const first = await o.rest.issues.listForRepo({ ...repo, per_page: 4 });
      assert.equal(first.data.length, 4);
      assert.match(first.headers.link ?? '', /page=2>; rel="next"/);
      assert.match(first.headers.link ?? '', /rel="last"/);
      const all = await o.paginate(o.rest.issues.listForRepo, { ...repo, per_page: 4 });
      assert.equal(all.length, 14, '18 minus the 4 closed (three issues, one merged pull request)');
      assert.ok(all.every((i) => i.state === 'open'));
      const created = all.map((i) => Date.parse(i.created_at));
      assert.deepEqual(created, [...created].sort((a, b) => b - a));
      assert.ok(all.some((i) => i.pull_request !== undefined), 'pull requests are listed as issues');
      const page2 = await o.rest.issues.listForRepo({ ...repo, per_page: 4, page: 2 });
      assert.match(page2.headers.link ?? '', /rel="prev"/);
      assert.match(page2.headers.link ?? '', /rel="first"/);
    });

    it('filters by state, labels (all of them), assignee (login, none, *), creator and since; sorts by updated ascending', async () => {
      const o = h.rest();
      const list = async (q: Record<string, string>) => (await o.rest.issues.listForRepo({ ...repo, per_page: 100, ...q })).data;
      assert.equal((await list({ state: 'all' })).length, 18);
      const closed = await list({ state: 'closed' });
      assert.deepEqual(closed.map((i) => i.number).sort((a, b) => a - b), [5, 11, 12, 17]);
      assert.equal(closed.find((i) => i.number === 12)?.state_reason, 'not_planned');
      assert.deepEqual((await list({ labels: 'bug,priority: high' })).map((i) => i.number), [4]);
      const mine = await list({ assignee: SANDBOX_USER.githubLogin });
      assert.ok(mine.length > 3 && mine.every((i) => i.assignees?.some((a) => a.login === SANDBOX_USER.githubLogin)));
      assert.ok((await list({ assignee: 'none' })).every((i) => (i.assignees ?? []).length === 0));
      assert.ok((await list({ assignee: '*' })).every((i) => (i.assignees ?? []).length > 0));
      assert.ok((await list({ creator: 'avery-chen' })).every((i) => i.user?.login === 'avery-chen'));
      const since = new Date(h.clock.time - 3 * 86_400_000).toISOString();
      const recent = await list({ since, state: 'all' });
      assert.ok(recent.length > 0 && recent.every((i) => i.updated_at >= since));
      const byUpdated = (await list({ sort: 'updated', direction: 'asc' })).map((i) => i.updated_at);
      assert.deepEqual(byUpdated, [...byUpdated].sort());
      const bad = await refused(o.rest.issues.listForRepo({ ...repo, since: 'yesterday' }));
      assert.equal(bad.status, 422);
    });

    it('gets an issue with labels, assignees and its sub-issues summary; 404 for an unknown number', async () => {
      const o = h.rest();
      const epic = (await o.rest.issues.get({ ...repo, issue_number: 1 })).data;
      assert.equal(epic.title, 'Redesign the checkout flow');
      assert.deepEqual(epic.labels.map((l) => (typeof l === 'string' ? l : l.name)), ['enhancement', 'area: checkout']);
      assert.deepEqual(epic.sub_issues_summary, { total: 3, completed: 0, percent_completed: 0 });
      const sub = (await o.rest.issues.get({ ...repo, issue_number: 4 })).data as { parent_issue_url?: string; comments: number };
      assert.match(sub.parent_issue_url ?? '', /\/issues\/1$/);
      assert.equal(sub.comments, 2);
      assert.equal((await refused(o.rest.issues.get({ ...repo, issue_number: 999 }))).status, 404);
    });

    it('creates an issue (201, Location, next number, unknown labels created) and refuses what GitHub refuses', async () => {
      const o = h.rest();
      const created = await o.rest.issues.create({ ...repo, title: 'New from the sandbox', body: 'Body', labels: ['bug', 'brand new'], assignees: ['avery-chen'] });
      assert.equal(created.status, 201);
      assert.equal(created.data.number, 19);
      assert.equal(created.headers.location, created.data.url);
      assert.deepEqual(created.data.labels.map((l) => (typeof l === 'string' ? l : l.name)), ['bug', 'brand new']);
      assert.equal(created.data.user?.login, SANDBOX_USER.githubLogin);
      const missing = await refused(o.request('POST /repos/{owner}/{repo}/issues', { ...repo, body: 'no title' } as never));
      assert.equal(missing.status, 422);
      assert.deepEqual((missing.response?.data as { errors: unknown }).errors, [{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
      const stranger = await refused(o.rest.issues.create({ ...repo, title: 'x', assignees: ['not-a-collaborator'] }));
      assert.equal(stranger.status, 422);
      assert.deepEqual((stranger.response?.data as { errors: unknown }).errors, [{ resource: 'Issue', field: 'assignees', code: 'invalid', value: 'not-a-collaborator' }]);
      const malformed = await fetch(`${h.baseUrl}/repos/contoso/contoso-web/issues`, { method: 'POST', headers: { authorization: 'token sandbox-github-token', 'content-type': 'application/json' }, body: '{"title": ' });
      assert.equal(malformed.status, 400);
      assert.equal(((await malformed.json()) as { message: string }).message, 'Problems parsing JSON');
    });

    it('updates title, body, labels and assignees, closes with a reason and reopens', async () => {
      const o = h.rest();
      const changes: number[] = [];
      h.state.onDidChange(() => changes.push(1));
      h.clock.advance(60_000);
      const updated = (await o.rest.issues.update({ ...repo, issue_number: 6, title: 'Caps-lock warning hidden', labels: ['bug'], assignees: [SANDBOX_USER.githubLogin] })).data;
      assert.equal(updated.title, 'Caps-lock warning hidden');
      assert.deepEqual(updated.labels.map((l) => (typeof l === 'string' ? l : l.name)), ['bug']);
      assert.deepEqual(updated.assignees?.map((a) => a.login), [SANDBOX_USER.githubLogin]);
      assert.equal(updated.updated_at, new Date(h.clock.time).toISOString());
      const closed = (await o.rest.issues.update({ ...repo, issue_number: 6, state: 'closed', state_reason: 'not_planned' })).data;
      assert.equal(closed.state, 'closed');
      assert.equal(closed.state_reason, 'not_planned');
      assert.equal(closed.closed_by?.login, SANDBOX_USER.githubLogin);
      assert.ok(closed.closed_at);
      const reopened = (await o.rest.issues.update({ ...repo, issue_number: 6, state: 'open' })).data;
      assert.equal(reopened.state, 'open');
      assert.equal(reopened.state_reason, 'reopened');
      assert.equal(reopened.closed_at, null);
      assert.equal(changes.length, 3);
      const badState = await refused(o.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: 6, state: 'done' } as never));
      assert.equal(badState.status, 422);
      const badType = await refused(o.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repo, issue_number: 6, title: { x: 1 } } as never));
      assert.equal(badType.status, 422);
      assert.match((badType.response?.data as { message: string }).message, /For 'properties\/title'/);
      assert.equal(changes.length, 3, 'a refused update changes nothing');
      const merged = await refused(o.rest.issues.update({ ...repo, issue_number: 17, state: 'open' }));
      assert.equal(merged.status, 422, 'a merged pull request cannot be reopened');
    });

    it('records labeled/unlabeled events at its clock (create, update, add, set, remove, remove all) and lists them paged with Link headers', async () => {
      const kit = h.rest();
      const created = await kit.rest.issues.create({ ...repo, title: 'Events', labels: ['bug'] });
      const n = created.data.number;
      const t0 = h.clock.now().toISOString();
      h.clock.advance(60_000);
      await kit.rest.issues.addLabels({ ...repo, issue_number: n, labels: ['blocked', 'bug'] });
      h.clock.advance(60_000);
      await kit.rest.issues.removeLabel({ ...repo, issue_number: n, name: 'BLOCKED' });
      h.clock.advance(60_000);
      await kit.rest.issues.update({ ...repo, issue_number: n, labels: ['bug', 'blocked'] });
      await kit.rest.issues.update({ ...repo, issue_number: n, title: 'Events (renamed)', labels: ['Blocked', 'bug'] });
      h.clock.advance(60_000);
      await kit.rest.issues.setLabels({ ...repo, issue_number: n, labels: ['blocked'] });
      h.clock.advance(60_000);
      await kit.rest.issues.removeAllLabels({ ...repo, issue_number: n });
      const first = await kit.rest.issues.listEvents({ ...repo, issue_number: n, per_page: 4 });
      assert.match(String(first.headers.link), /rel="next"/);
      const all = await kit.paginate(kit.rest.issues.listEvents, { ...repo, issue_number: n, per_page: 4 });
      const seen = all.map((e) => [e.event, (e as { label?: { name: string } }).label?.name, e.created_at, e.actor?.login]);
      const at = (m: number) => new Date(Date.parse(t0) + m * 60_000).toISOString();
      assert.deepEqual(seen, [
        ['labeled', 'bug', at(0), SANDBOX_USER.githubLogin],
        ['labeled', 'blocked', at(1), SANDBOX_USER.githubLogin],
        ['unlabeled', 'blocked', at(2), SANDBOX_USER.githubLogin],
        ['labeled', 'blocked', at(3), SANDBOX_USER.githubLogin],
        ['unlabeled', 'bug', at(4), SANDBOX_USER.githubLogin],
        ['unlabeled', 'blocked', at(5), SANDBOX_USER.githubLogin],
      ]);
      assert.ok(all.every((e) => typeof e.id === 'number' && typeof e.node_id === 'string' && e.node_id !== ''));
      assert.equal(new Set(all.map((e) => e.id)).size, all.length);
      const missing = await refused(kit.rest.issues.listEvents({ ...repo, issue_number: 9999 }));
      assert.equal(missing.status, 404);
    });

    it('lists (since, paged) and adds comments; a comment without a body is refused', async () => {
      const o = h.rest();
      const list = (await o.rest.issues.listComments({ ...repo, issue_number: 4 })).data;
      assert.deepEqual(list.map((c) => c.user?.login), ['avery-chen', SANDBOX_USER.githubLogin]);
      const added = await o.rest.issues.createComment({ ...repo, issue_number: 4, body: 'Fixed in #16.' });
      assert.equal(added.status, 201);
      assert.match(added.data.issue_url, /\/issues\/4$/);
      const paged = await o.paginate(o.rest.issues.listComments, { ...repo, issue_number: 4, per_page: 1 });
      assert.equal(paged.length, 3);
      assert.equal((await o.rest.issues.get({ ...repo, issue_number: 4 })).data.comments, 3);
      const since = (await o.rest.issues.listComments({ ...repo, issue_number: 4, since: added.data.created_at })).data;
      assert.deepEqual(since.map((c) => c.id), [added.data.id]);
      const empty = await refused(o.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: 4 } as never));
      assert.equal(empty.status, 422);
      assert.equal((await refused(o.rest.issues.createComment({ ...repo, issue_number: 999, body: 'x' }))).status, 404);
    });
  });

  describe('web pages (html_url)', () => {
    it('shows an issue, a pull request and the project without a token, HTML escaped; 404 for anything else', async () => {
      const o = h.rest();
      const created = (await o.rest.issues.create({ ...repo, title: '<script>alert(1)</script> & more', body: 'a < b' })).data;
      const page = await fetch(created.html_url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      const html = await page.text();
      assert.ok(html.includes('&#60;script&#62;alert(1)&#60;/script&#62; &#38; more') && !html.includes('<script>'));
      assert.match(await (await fetch((await o.rest.pulls.get({ ...repo, pull_number: 17 })).data.html_url)).text(), /Pull request #17 · merged/);
      const board = await h.gql()<{ organization: { projectV2: { url: string } } }>('{ organization(login: "contoso") { projectV2(number: 1) { url } } }');
      const boardHtml = await (await fetch(board.organization.projectV2.url)).text();
      for (const column of ['Todo', 'In Progress', 'In Review', 'Done']) assert.match(boardHtml, new RegExp(`<h2>${column} \\(\\d+\\)</h2>`));
      assert.equal((await fetch(`${h.baseUrl}/web/contoso/contoso-web/wiki`)).status, 404);
      assert.equal(h.state.limits.snapshot('core').used, 2, 'pages cost nothing');
    });
  });

  describe('conditional requests', () => {
    it('answers 304 to If-None-Match with the ETag, free of the rate limit, and 200 once the issue changed', async () => {
      const o = h.rest();
      const first = await o.rest.issues.get({ ...repo, issue_number: 4 });
      const etag = first.headers.etag;
      assert.match(etag ?? '', /^W\/"[0-9a-f]{40}"$/);
      const used = Number(first.headers['x-ratelimit-used']);
      const notModified = await refused(o.rest.issues.get({ ...repo, issue_number: 4, headers: { 'if-none-match': etag } }));
      assert.equal(notModified.status, 304);
      assert.equal(notModified.response?.headers['x-ratelimit-used'], String(used), 'a 304 costs nothing');
      await o.rest.issues.update({ ...repo, issue_number: 4, title: 'Checkout button unresponsive on Safari 17.1' });
      const changed = await o.rest.issues.get({ ...repo, issue_number: 4, headers: { 'if-none-match': etag } });
      assert.equal(changed.status, 200);
      assert.notEqual(changed.headers.etag, etag);
    });
  });

  describe('rate limit', () => {
    it('reports core, graphql and search budgets without spending one', async () => {
      const o = h.rest();
      await o.rest.users.getAuthenticated();
      const a = (await o.rest.rateLimit.get()).data;
      const b = (await o.rest.rateLimit.get()).data;
      assert.equal(a.resources.core.used, 1);
      assert.equal(b.resources.core.used, 1);
      assert.equal(a.rate.limit, 5000);
      assert.equal(a.resources.graphql?.limit, 5000);
      assert.equal(a.resources.search.limit, 30);
    });
  });
});
