import { type GhContext } from '../http/context';
import { unprocessable, validationFailed } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { comment, issue } from '../render/issue';
import { urlsFor } from '../render/urls';
import { type IssueRecord, type RepoRecord } from '../state/model';
import { issueTypeFromBody } from './issueTypes';

const D = 'https://docs.github.com/rest/issues';
const STATE_REASONS = ['completed', 'not_planned', 'reopened', 'duplicate'] as const;

function sinceOf(ctx: GhContext): number | undefined {
  const raw = ctx.query('since');
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw validationFailed([{ resource: 'Issue', field: 'since', code: 'invalid', value: raw }], ctx.docs);
  return t;
}

/** The list filters GET /repos/{owner}/{repo}/issues understands, applied as github.com applies them. */
function listIssues(ctx: GhContext, repo: RepoRecord): IssueRecord[] {
  const state = ctx.query('state') ?? 'open';
  const labels = (ctx.query('labels') ?? '').split(',').map((l) => l.trim().toLowerCase()).filter((l) => l !== '');
  const assignee = ctx.query('assignee');
  const creator = ctx.query('creator');
  const since = sinceOf(ctx);
  const sort = ctx.query('sort') ?? 'created';
  const asc = ctx.query('direction') === 'asc';
  const list = repo.issues.filter((i) => {
    if (state !== 'all' && i.state !== state) return false;
    if (labels.some((l) => !i.labels.some((x) => x.toLowerCase() === l))) return false;
    if (assignee === 'none' && i.assignees.length > 0) return false;
    if (assignee === '*' && i.assignees.length === 0) return false;
    if (assignee && assignee !== 'none' && assignee !== '*' && !i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase())) return false;
    if (creator && i.user.toLowerCase() !== creator.toLowerCase()) return false;
    if (since !== undefined && Date.parse(i.updatedAt) < since) return false;
    return true;
  });
  const key = (i: IssueRecord): number => (sort === 'updated' ? Date.parse(i.updatedAt) : sort === 'comments' ? i.comments.length : Date.parse(i.createdAt));
  return list.sort((a, b) => (asc ? 1 : -1) * (key(a) - key(b) || a.number - b.number));
}

/** Assignees must be able to be assigned (collaborators); GitHub refuses others with 422. */
function checkAssignees(ctx: GhContext, repo: RepoRecord, logins: readonly string[]): string[] {
  return logins.map((login) => {
    const found = repo.assignable.find((a) => a.toLowerCase() === login.toLowerCase());
    if (!found) throw validationFailed([{ resource: 'Issue', field: 'assignees', code: 'invalid', value: login }], ctx.docs);
    return found;
  });
}

/** Label names as the repository spells them; unknown names are created, as GitHub does for a user with push access. */
export function resolveLabels(ctx: GhContext, repo: RepoRecord, names: readonly string[]): string[] {
  return [...new Set(names)].map((name) => {
    const found = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
    if (found) return found.name;
    repo.labels.push({ id: ctx.state.nextId(), name, color: 'ededed', description: null, default: false });
    return name;
  });
}

/** `labels` as GitHub takes it: names, or objects with a `name`. */
function labelNames(ctx: GhContext, body: Record<string, unknown>): string[] | undefined {
  const raw = body['labels'];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw unprocessable(`Invalid request.\n\nFor 'properties/labels', ${JSON.stringify(raw)} is not an array.`, ctx.docs);
  return raw.map((l: unknown) => {
    if (typeof l === 'string') return l;
    if (typeof l === 'object' && l !== null && typeof (l as { name?: unknown }).name === 'string') return (l as { name: string }).name;
    throw unprocessable(`Invalid request.\n\nFor 'items', ${JSON.stringify(l)} is not a string or an object.`, ctx.docs);
  });
}

function assigneesOf(ctx: GhContext, body: Record<string, unknown>): string[] | undefined {
  const many = ctx.stringArray(body, 'assignees', 'Issue');
  if (many !== undefined) return many;
  if ('assignee' in body) {
    const one = body['assignee'];
    if (one === null || one === '') return [];
    if (typeof one !== 'string') throw unprocessable(`Invalid request.\n\nFor 'properties/assignee', ${JSON.stringify(one)} is not a string or null.`, ctx.docs);
    return [one];
  }
  return undefined;
}

function titleOf(ctx: GhContext, body: Record<string, unknown>, required: boolean): string | undefined {
  const t = body['title'];
  if (t === undefined || t === null) {
    if (required) throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }], ctx.docs);
    return undefined;
  }
  if (typeof t !== 'string' && typeof t !== 'number') throw unprocessable(`Invalid request.\n\nFor 'properties/title', ${JSON.stringify(t)} is not a string or an integer.`, ctx.docs);
  const s = String(t);
  if (s.trim() === '') throw validationFailed([{ resource: 'Issue', code: 'missing_field', field: 'title' }], ctx.docs);
  return s;
}

/** Applies state and state_reason as github.com does: closing stamps closed_at/by, reopening clears them. */
function applyState(ctx: GhContext, i: IssueRecord, body: Record<string, unknown>): void {
  const state = ctx.string(body, 'state', 'Issue');
  const reason = ctx.string(body, 'state_reason', 'Issue');
  if (state !== undefined && state !== 'open' && state !== 'closed') throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state' }], ctx.docs);
  if (reason !== undefined && !(STATE_REASONS as readonly string[]).includes(reason)) {
    throw unprocessable(`Invalid request.\n\nFor 'properties/state_reason', "${reason}" is not a member of ${JSON.stringify([...STATE_REASONS, null])}.`, ctx.docs);
  }
  const now = ctx.state.nowIso();
  if (state === 'closed' && i.state === 'open') {
    i.state = 'closed';
    i.closedAt = now;
    i.closedBy = ctx.login;
    i.stateReason = reason === 'not_planned' || reason === 'duplicate' ? reason : 'completed';
  } else if (state === 'open' && i.state === 'closed') {
    if (i.pull?.merged) throw validationFailed([{ resource: 'Issue', code: 'custom', field: 'state', message: 'state cannot be changed. The pull request has already been merged.' }], ctx.docs);
    i.state = 'open';
    i.closedAt = null;
    i.closedBy = null;
    i.stateReason = 'reopened';
  } else if (reason !== undefined && i.state === 'closed' && reason !== 'reopened') {
    i.stateReason = reason as IssueRecord['stateReason'];
  }
}

export const issueRoutes: readonly GhRouteDef[] = [
  {
    name: 'issues.listForRepo',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues',
    docs: `${D}/issues#list-repository-issues`,
    contract: { path: '/repos/{owner}/{repo}/issues', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const { page, headers } = paginate(ctx, listIssues(ctx, repo));
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((i) => issue(ctx.state, repo, i, urls)) };
    },
  },
  {
    name: 'issues.get',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:issue_number',
    docs: `${D}/issues#get-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: issue(ctx.state, repo, ctx.issue(repo), urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'issues.create',
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues',
    docs: `${D}/issues#create-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const body = ctx.json();
      const title = titleOf(ctx, body, true)!;
      const assignees = checkAssignees(ctx, repo, assigneesOf(ctx, body) ?? []);
      const type = issueTypeFromBody(ctx, repo, body);
      const labels = resolveLabels(ctx, repo, labelNames(ctx, body) ?? []);
      const record = ctx.state.openIssue(repo, ctx.login, { title, body: ctx.string(body, 'body', 'Issue') ?? null, labels, assignees });
      if (type !== undefined) record.type = type;
      ctx.state.changed();
      const rendered = issue(ctx.state, repo, record, urlsFor(ctx.apiBase));
      return { status: 201, headers: { location: String(rendered['url']) }, body: rendered };
    },
  },
  {
    name: 'issues.update',
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/issues/:issue_number',
    docs: `${D}/issues#update-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}', method: 'patch', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const body = ctx.json();
      // Everything is checked before anything is changed, so a refused update changes nothing.
      const title = titleOf(ctx, body, false);
      const text = 'body' in body && body['body'] === null ? null : ctx.string(body, 'body', 'Issue');
      const assignees = assigneesOf(ctx, body);
      const checked = assignees === undefined ? undefined : checkAssignees(ctx, repo, assignees);
      const names = labelNames(ctx, body);
      const type = issueTypeFromBody(ctx, repo, body);
      const before = JSON.stringify(i);
      const labelsBefore = i.labels;
      applyState(ctx, i, body);
      if (title !== undefined) i.title = title;
      if (text !== undefined) i.body = text;
      if (checked !== undefined) i.assignees = checked;
      if (names !== undefined) i.labels = resolveLabels(ctx, repo, names);
      if (type !== undefined) i.type = type;
      if (JSON.stringify(i) !== before) {
        ctx.state.recordLabelChanges(repo, i, labelsBefore, i.labels, ctx.login);
        i.updatedAt = ctx.state.nowIso();
        ctx.state.changed();
      }
      return { status: 200, body: issue(ctx.state, repo, i, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'issues.listComments',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:issue_number/comments',
    docs: `${D}/comments#list-issue-comments`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const since = sinceOf(ctx);
      const list = i.comments.filter((c) => since === undefined || Date.parse(c.updatedAt) >= since);
      const { page, headers } = paginate(ctx, list);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((c) => comment(ctx.state, repo, i, c, urls)) };
    },
  },
  {
    name: 'issues.createComment',
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:issue_number/comments',
    docs: `${D}/comments#create-an-issue-comment`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const body = ctx.json();
      const text = body['body'];
      if (text === undefined || text === null) throw unprocessable('Invalid request.\n\n"body" wasn\'t supplied.', ctx.docs);
      if (typeof text !== 'string') throw unprocessable(`Invalid request.\n\nFor 'properties/body', ${JSON.stringify(text)} is not a string.`, ctx.docs);
      if (text.trim() === '') throw validationFailed([{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body cannot be blank' }], ctx.docs);
      const now = ctx.state.nowIso();
      const record = { id: ctx.state.nextId(), body: text, user: ctx.login, createdAt: now, updatedAt: now };
      i.comments.push(record);
      i.updatedAt = now;
      ctx.state.changed();
      const rendered = comment(ctx.state, repo, i, record, urlsFor(ctx.apiBase));
      return { status: 201, headers: { location: String(rendered['url']) }, body: rendered };
    },
  },
];
