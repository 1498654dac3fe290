import assert from 'node:assert/strict';
import { RequestError } from '@octokit/request-error';
import { ZodError, z } from 'zod';
import { WorkItemSchema } from '../../../../../src/core/workItem';
import { missingScopes, SIGN_IN_AGAIN, toDevOpsError } from '../../../../../src/providers/boards/github/githubErrors';
import { IssueSchema, type GitHubIssue, ProjectPageSchema } from '../../../../../src/providers/boards/github/githubSchemas';
import {
  allowedStatesFor,
  clientIdOf,
  currentMilestone,
  isInState,
  parentNumberOf,
  revOf,
  stateOf,
  stateWriteFor,
  stripClientIdMarker,
  toWorkItem,
  withChildren,
  withClientIdMarker,
} from '../../../../../src/providers/boards/github/issueMapping';
import { boardChanged, sameProjectItem, toProjectItem } from '../../../../../src/providers/boards/github/githubProjectTracker';
import { type ProjectItem } from '../../../../../src/core/boards/workTracker';
import { canaries } from '../../../core/redact/canaries';

// A token-shaped canary built at run time, so no token-like literal lands in the repository.
const GITHUB_TOKEN_CANARY = canaries.githubClassic('p');

/** An issue as GitHub's REST API serves it, built field by field. */
function issue(over: Partial<Record<string, unknown>> = {}): GitHubIssue {
  return IssueSchema.parse({
    id: 5001,
    node_id: 'I_kw1',
    number: 12,
    title: 'Fix the login',
    body: 'Steps to reproduce',
    state: 'open',
    state_reason: null,
    html_url: 'https://github.com/contoso/web/issues/12',
    created_at: '2026-03-01T10:00:00Z',
    updated_at: '2026-03-02T11:30:00Z',
    user: { login: 'avery', id: 2 },
    assignee: { login: 'sandbox-user', id: 1 },
    assignees: [{ login: 'sandbox-user', id: 1 }, { login: 'avery', id: 2 }],
    labels: [{ name: 'bug', color: 'd73a4a' }, 'priority: high'],
    milestone: { number: 3, title: 'Sprint 7', state: 'open', due_on: '2026-03-20T07:00:00Z' },
    ...over,
  });
}

describe('GitHub issue mapping', () => {
  it('maps an issue onto a valid WorkItem (labels as tags, first assignee, milestone as iteration, rev from updated_at)', () => {
    const item = toWorkItem(issue(), 'contoso/web');
    WorkItemSchema.parse(item);
    assert.equal(item.tracker, 'github');
    assert.equal(item.repository, 'contoso/web');
    assert.equal(item.type, 'Issue');
    assert.equal(item.state, 'Open');
    assert.equal(item.assignedTo, 'sandbox-user');
    assert.deepEqual(item.tags, ['bug', 'priority: high']);
    assert.equal(item.iterationPath, 'Sprint 7');
    assert.equal(item.rev, Date.parse('2026-03-02T11:30:00Z') / 1000);
    assert.equal(item.parentId, undefined);
  });

  it('names states: closed as completed is Closed, not planned and duplicate apart, a merged PR Merged', () => {
    assert.equal(stateOf({ state: 'closed', state_reason: 'completed' }), 'Closed');
    assert.equal(stateOf({ state: 'closed', state_reason: null }), 'Closed');
    assert.equal(stateOf({ state: 'closed', state_reason: 'not_planned' }), 'Not planned');
    assert.equal(stateOf({ state: 'closed', state_reason: 'duplicate' }), 'Duplicate');
    assert.equal(stateOf({ state: 'closed', pull_request: { merged_at: '2026-03-01T00:00:00Z' } }), 'Merged');
    assert.equal(stateOf({ state: 'closed', pull_request: { merged_at: null } }), 'Closed');
    assert.equal(toWorkItem(issue({ pull_request: { merged_at: null } }), 'contoso/web').type, 'Pull Request');
  });

  it('reads the parent from parent_issue_url of the same repository only, and fills childIds', () => {
    assert.equal(parentNumberOf('https://api.github.com/repos/contoso/web/issues/4', 'contoso/web'), 4);
    assert.equal(parentNumberOf('http://127.0.0.1:9/github/repos/Contoso/Web/issues/4', 'contoso/web'), 4);
    assert.equal(parentNumberOf('https://api.github.com/repos/other/repo/issues/4', 'contoso/web'), undefined);
    assert.equal(parentNumberOf('https://api.github.com/repos/contoso/web/pulls/4', 'contoso/web'), undefined);
    const child = toWorkItem(issue({ number: 13, parent_issue_url: 'https://api.github.com/repos/contoso/web/issues/12' }), 'contoso/web');
    const parent = toWorkItem(issue(), 'contoso/web');
    const [p] = withChildren([parent, child]);
    assert.equal(child.parentId, 12);
    assert.deepEqual(p?.childIds, [13]);
  });

  it('rejects an issue missing a field the mapping needs (zod at the boundary)', () => {
    assert.throws(() => IssueSchema.parse({ number: 1, title: 'x' }), ZodError);
    assert.throws(() => issue({ updated_at: 'yesterday' }), ZodError);
  });

  it('offers only the moves GitHub allows', () => {
    assert.deepEqual(allowedStatesFor({ type: 'Issue', state: 'Open' }).map((c) => c.state), ['Closed', 'Not planned']);
    assert.deepEqual(allowedStatesFor({ type: 'Pull Request', state: 'Open' }).map((c) => c.state), ['Closed']);
    assert.deepEqual(allowedStatesFor({ type: 'Issue', state: 'Not planned' }).map((c) => c.state), ['Open']);
    assert.deepEqual(allowedStatesFor({ type: 'Pull Request', state: 'Merged' }), []);
  });

  it('turns state names into PATCH bodies and recognises a write already made', () => {
    assert.deepEqual(stateWriteFor('Closed'), { state: 'closed', state_reason: 'completed' });
    assert.deepEqual(stateWriteFor('Not planned'), { state: 'closed', state_reason: 'not_planned' });
    assert.deepEqual(stateWriteFor('open'), { state: 'open', state_reason: 'reopened' });
    assert.equal(stateWriteFor('Active'), undefined);
    assert.equal(isInState({ state: 'Closed' }, stateWriteFor('Closed')!), true);
    assert.equal(isInState({ state: 'Not planned' }, stateWriteFor('Closed')!), false);
    assert.equal(isInState({ state: 'Open' }, stateWriteFor('Open')!), true);
  });

  it('hides the client id in an HTML comment, finds it again and strips it from descriptions', () => {
    const body = withClientIdMarker('Looks good.\n\n', 'c-123');
    assert.equal(body, 'Looks good.\n\n<!-- ai-devops:client-id=c-123 -->');
    assert.equal(clientIdOf(body), 'c-123');
    assert.equal(clientIdOf('no marker here'), undefined);
    assert.equal(clientIdOf('<!-- ai-devops:client-id=x --> then text'), undefined, 'only a trailing marker counts');
    assert.equal(stripClientIdMarker(body), 'Looks good.');
    assert.equal(toWorkItem(issue({ body }), 'contoso/web').description, 'Looks good.');
    assert.throws(() => withClientIdMarker('x', 'bad id -->'), /Invalid client id/);
  });

  it('picks the current milestone: due soonest from today, else the latest overdue, never one without a date', () => {
    const m = (number: number, due: string | null, state: 'open' | 'closed' = 'open') => ({ number, title: `M${number}`, state, due_on: due });
    const now = new Date('2026-03-18T15:00:00Z');
    assert.equal(currentMilestone([m(1, '2026-03-25T00:00:00Z'), m(2, '2026-03-20T00:00:00Z'), m(3, null)], now)?.number, 2);
    assert.equal(currentMilestone([m(1, '2026-03-18T00:00:00Z'), m(2, '2026-03-20T00:00:00Z')], now)?.number, 1, 'due today is current');
    assert.equal(currentMilestone([m(1, '2026-03-01T00:00:00Z'), m(2, '2026-03-10T00:00:00Z')], now)?.number, 2);
    assert.equal(currentMilestone([m(1, '2026-03-20T00:00:00Z', 'closed'), m(2, null)], now), undefined);
    assert.equal(currentMilestone([], now), undefined);
  });

  it('derives a revision that grows with updated_at', () => {
    assert.ok(revOf('2026-03-02T11:30:01Z') > revOf('2026-03-02T11:30:00Z'));
    assert.equal(revOf('1970-01-01T00:00:00Z'), 0);
  });

  it('maps project items: issue, pull request, draft and content the viewer cannot see', () => {
    const issueItem = toProjectItem({
      id: 'PVTI_1',
      status: { name: 'In Progress' },
      content: { __typename: 'Issue', number: 4, title: 'Bug', url: 'https://github.com/contoso/web/issues/4', issueState: 'OPEN', repository: { nameWithOwner: 'contoso/web' }, assignees: { nodes: [{ login: 'a' }, null] }, labels: { nodes: [{ name: 'bug' }] } },
    });
    assert.deepEqual(issueItem, { itemId: 'PVTI_1', contentType: 'issue', number: 4, repository: 'contoso/web', title: 'Bug', status: 'In Progress', assignees: ['a'], labels: ['bug'], url: 'https://github.com/contoso/web/issues/4', state: 'Open' });
    const pr = toProjectItem({ id: 'PVTI_2', status: null, content: { __typename: 'PullRequest', number: 5, title: 'Fix', url: 'https://github.com/contoso/web/pull/5', prState: 'MERGED', repository: { nameWithOwner: 'contoso/web' } } });
    assert.equal(pr.contentType, 'pullRequest');
    assert.equal(pr.state, 'Merged');
    assert.equal(pr.status, undefined);
    const draft = toProjectItem({ id: 'PVTI_3', status: { name: 'Todo' }, content: { __typename: 'DraftIssue', title: 'Plan', assignees: { nodes: [] } } });
    assert.equal(draft.contentType, 'draft');
    assert.equal(draft.number, undefined);
    assert.equal(toProjectItem({ id: 'PVTI_4', content: null }).title, '(not visible to you)');
  });

  it('validates a board page on the fields it reads: a mistyped one is an error naming its path; a non-web link is refused', () => {
    const page = (node: unknown) => ({ owner: { projectV2: { id: 'P', number: 1, title: 'T', url: 'https://github.com/orgs/contoso/projects/1', closed: false, items: { totalCount: 1, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [node] } } } });
    const good = { id: 'PVTI_1', isArchived: false, status: { name: 'Todo', optionId: 'unread' }, content: { __typename: 'Issue', number: 4, title: 'Bug', url: 'https://github.com/contoso/web/issues/4', issueState: 'OPEN', repository: { nameWithOwner: 'contoso/web' }, extra: 1 } };
    assert.ok(ProjectPageSchema.safeParse(page(good)).success, 'unread fields are allowed and dropped');
    const mistyped = ProjectPageSchema.safeParse(page({ ...good, content: { ...good.content, number: '4' } }));
    assert.ok(!mistyped.success);
    const error = toDevOpsError(mistyped.error, { action: 'reading project 1' });
    assert.equal(error.code, 'badResponse');
    assert.match(error.message, /owner\.projectV2\.items\.nodes\.0\.content/);
    assert.ok(!ProjectPageSchema.safeParse(page({ ...good, content: { ...good.content, url: 'command:workbench.action.terminal.new' } })).success);
    assert.ok(!ProjectPageSchema.safeParse(page({ ...good, id: 7 })).success);
  });

  it('a board read again is changed only when an item, its order or a Status option differs', () => {
    const item = (n: number, over: Partial<ProjectItem> = {}): ProjectItem => ({ itemId: `I${n}`, contentType: 'issue', number: n, repository: 'o/r', title: `T${n}`, status: 'Todo', assignees: ['a'], labels: ['x'], url: `https://github.com/o/r/issues/${n}`, state: 'Open', ...over });
    const options = [{ id: 'o1', name: 'Todo' }];
    const board = { items: [item(1), item(2)], options };
    assert.equal(boardChanged(board, { items: [item(1), item(2)], options: [{ id: 'o1', name: 'Todo' }] }), false);
    assert.equal(boardChanged(board, { items: [item(2), item(1)], options }), true, 'order');
    assert.equal(boardChanged(board, { items: [item(1)], options }), true, 'one gone');
    assert.equal(boardChanged(board, { items: [item(1), item(2, { status: 'Done' })], options }), true);
    assert.equal(boardChanged(board, { items: [item(1), item(2, { assignees: ['a', 'b'] })], options }), true);
    assert.equal(boardChanged(board, { items: [item(1), item(2, { labels: [] })], options }), true);
    assert.equal(boardChanged(board, { items: [item(1), item(2, { title: 'T2 renamed' })], options }), true);
    assert.equal(boardChanged(board, { items: board.items, options: [{ id: 'o1', name: 'To do' }] }), true, 'an option renamed');
    assert.ok(sameProjectItem(item(3), item(3)));
  });
});

describe('GitHub errors', () => {
  const request = { method: 'GET', url: 'https://api.github.com/repos/contoso/web/issues', headers: {} } as const;
  const fail = (status: number, headers: Record<string, string> = {}, message = 'Boom') =>
    new RequestError(message, status, { request: { ...request, headers: {} }, response: { status, url: request.url, headers, data: { message } } });

  it('401 says how to sign in again', () => {
    const e = toDevOpsError(fail(401, {}, 'Bad credentials'), { action: 'listing issues' });
    assert.equal(e.code, 'unauthorized');
    assert.ok(e.message.includes(SIGN_IN_AGAIN));
  });

  it('403 names the missing scope from X-Accepted-OAuth-Scopes', () => {
    const e = toDevOpsError(fail(403, { 'x-accepted-oauth-scopes': 'repo', 'x-oauth-scopes': 'read:user, gist' }, 'Resource not accessible by integration'), { action: 'closing contoso/web#4' });
    assert.equal(e.code, 'forbidden');
    assert.match(e.message, /lacks the `repo` scope/);
    assert.deepEqual(missingScopes('repo, public_repo', 'public_repo'), []);
    assert.deepEqual(missingScopes('project, read:project', 'repo'), ['project', 'read:project']);
    const plain = toDevOpsError(fail(403, {}, 'Must have admin rights'), { action: 'x' });
    assert.equal(plain.code, 'forbidden');
    assert.match(plain.message, /Must have admin rights/);
  });

  it('403 with the rate limit used up, and 429, are rate limits with the wait', () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 30);
    const primary = toDevOpsError(fail(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, 'API rate limit exceeded'), { action: 'x' });
    assert.equal(primary.code, 'rateLimited');
    assert.ok(primary.transient);
    assert.ok((primary.options.retryAfterMs ?? 0) > 25_000);
    const secondary = toDevOpsError(fail(429, { 'retry-after': '7' }, 'You have exceeded a secondary rate limit'), { action: 'x' });
    assert.equal(secondary.code, 'rateLimited');
    assert.equal(secondary.options.retryAfterMs, 7000);
  });

  it('404, 410, 409, 422 and 5xx map to what the user can do', () => {
    assert.equal(toDevOpsError(fail(404), { action: 'x' }).code, 'notFound');
    assert.match(toDevOpsError(fail(410), { action: 'x' }).message, /deleted or transferred/);
    assert.equal(toDevOpsError(fail(409), { action: 'x' }).code, 'conflict');
    const invalid = toDevOpsError(fail(422, {}, 'Validation Failed'), { action: 'creating an issue' });
    assert.equal(invalid.code, 'invalidInput');
    assert.match(invalid.message, /Validation Failed/);
    const down = toDevOpsError(fail(503), { action: 'x' });
    assert.equal(down.code, 'unavailable');
    assert.ok(down.transient);
  });

  it('keeps a token out of the message', () => {
    const e = toDevOpsError(fail(422, {}, `Body contains ${GITHUB_TOKEN_CANARY}`), { action: 'x' });
    assert.ok(!e.message.includes(GITHUB_TOKEN_CANARY));
  });

  it('GraphQL errors by type, zod errors as bad responses, aborts as cancelled or time-out', () => {
    const gql = (type: string) => Object.assign(new Error('x'), { name: 'GraphqlResponseError', errors: [{ type, message: `${type} happened` }] });
    assert.equal(toDevOpsError(gql('NOT_FOUND'), { action: 'x' }).code, 'notFound');
    assert.equal(toDevOpsError(gql('INSUFFICIENT_SCOPES'), { action: 'x' }).code, 'forbidden');
    assert.equal(toDevOpsError(gql('RATE_LIMITED'), { action: 'x' }).code, 'rateLimited');
    assert.equal(toDevOpsError(gql('SOMETHING'), { action: 'x' }).code, 'badResponse');
    const zod = z.object({ a: z.string() }).safeParse({});
    assert.equal(toDevOpsError(zod.error, { action: 'x' }).code, 'badResponse');
    const controller = new AbortController();
    controller.abort();
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(toDevOpsError(abort, { action: 'x', signal: controller.signal }).code, 'cancelled');
    assert.equal(toDevOpsError(abort, { action: 'x' }).code, 'timeout');
  });
});
