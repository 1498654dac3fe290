import { type GhContext } from '../http/context';
import { badRequest, errorBody, GitHubHttpError, notFound, unprocessable, validationFailed } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { issue, label, userOrGhost } from '../render/issue';
import { urlsFor } from '../render/urls';
import { type LabelRecord, type RepoRecord } from '../state/model';
import { resolveLabels } from './issues';

const D = 'https://docs.github.com/rest/issues';

function findLabel(ctx: GhContext, repo: RepoRecord, name: string): LabelRecord {
  const found = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (!found) throw notFound(ctx.docs);
  return found;
}

function colorOf(ctx: GhContext, body: Record<string, unknown>): string | undefined {
  const c = ctx.string(body, 'color', 'Label');
  if (c === undefined) return undefined;
  const hex = c.replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}$/.test(hex)) throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }], ctx.docs);
  return hex.toLowerCase();
}

/** `labels` for the issue label endpoints: a list of names, or `{ labels: [...] }`. */
function namesOf(ctx: GhContext): string[] {
  let raw: unknown = [];
  try {
    if (ctx.req.body.length > 0) raw = JSON.parse(ctx.req.body.toString('utf8'));
  } catch {
    throw badRequest('Problems parsing JSON', ctx.docs);
  }
  const list = Array.isArray(raw) ? raw : typeof raw === 'object' && raw !== null ? (raw as { labels?: unknown }).labels : undefined;
  if (!Array.isArray(list)) throw unprocessable(`Invalid request.\n\nFor 'properties/labels', ${JSON.stringify(list ?? null)} is not an array.`, ctx.docs);
  return list.map((l: unknown) => (typeof l === 'object' && l !== null && typeof (l as { name?: unknown }).name === 'string' ? (l as { name: string }).name : String(l)));
}

const labelsAnswer = (ctx: GhContext, repo: RepoRecord, names: readonly string[]) => {
  const urls = urlsFor(ctx.apiBase);
  return names.map((n) => repo.labels.find((l) => l.name === n)).filter((l) => l !== undefined).map((l) => label(repo, l, urls));
};

export const labelRoutes: readonly GhRouteDef[] = [
  {
    name: 'issues.listLabelsForRepo',
    method: 'GET',
    pattern: '/repos/:owner/:repo/labels',
    docs: `${D}/labels#list-labels-for-a-repository`,
    contract: { path: '/repos/{owner}/{repo}/labels', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const { page, headers } = paginate(ctx, repo.labels);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((l) => label(repo, l, urls)) };
    },
  },
  {
    name: 'issues.getLabel',
    method: 'GET',
    pattern: '/repos/:owner/:repo/labels/:name',
    docs: `${D}/labels#get-a-label`,
    contract: { path: '/repos/{owner}/{repo}/labels/{name}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: label(repo, findLabel(ctx, repo, ctx.param('name')), urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'issues.createLabel',
    method: 'POST',
    pattern: '/repos/:owner/:repo/labels',
    docs: `${D}/labels#create-a-label`,
    contract: { path: '/repos/{owner}/{repo}/labels', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const body = ctx.json();
      const name = ctx.string(body, 'name', 'Label', true)!;
      const color = colorOf(ctx, body) ?? 'ededed';
      if (repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], ctx.docs);
      const record: LabelRecord = { id: ctx.state.nextId(), name, color, description: ctx.string(body, 'description', 'Label') ?? null, default: false };
      repo.labels.push(record);
      ctx.state.changed();
      const rendered = label(repo, record, urlsFor(ctx.apiBase));
      return { status: 201, headers: { location: String(rendered['url']) }, body: rendered };
    },
  },
  {
    name: 'issues.updateLabel',
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/labels/:name',
    docs: `${D}/labels#update-a-label`,
    contract: { path: '/repos/{owner}/{repo}/labels/{name}', method: 'patch', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const record = findLabel(ctx, repo, ctx.param('name'));
      const body = ctx.json();
      const newName = ctx.string(body, 'new_name', 'Label');
      const color = colorOf(ctx, body);
      const description = ctx.string(body, 'description', 'Label');
      if (newName !== undefined && newName.toLowerCase() !== record.name.toLowerCase() && repo.labels.some((l) => l.name.toLowerCase() === newName.toLowerCase())) {
        throw validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], ctx.docs);
      }
      if (newName !== undefined) {
        for (const i of repo.issues) i.labels = i.labels.map((n) => (n === record.name ? newName : n));
        record.name = newName;
      }
      if (color !== undefined) record.color = color;
      if (description !== undefined) record.description = description;
      ctx.state.changed();
      return { status: 200, body: label(repo, record, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'issues.deleteLabel',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/labels/:name',
    docs: `${D}/labels#delete-a-label`,
    contract: { path: '/repos/{owner}/{repo}/labels/{name}', method: 'delete', status: 204 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const record = findLabel(ctx, repo, ctx.param('name'));
      repo.labels = repo.labels.filter((l) => l !== record);
      for (const i of repo.issues) i.labels = i.labels.filter((n) => n !== record.name);
      ctx.state.changed();
      return { status: 204 };
    },
  },
  {
    name: 'issues.listLabelsOnIssue',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
    docs: `${D}/labels#list-labels-for-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/labels', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const { page, headers } = paginate(ctx, labelsAnswer(ctx, repo, i.labels));
      return { status: 200, headers, body: page };
    },
  },
  {
    name: 'issues.addLabels',
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
    docs: `${D}/labels#add-labels-to-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/labels', method: 'post', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const names = resolveLabels(ctx, repo, namesOf(ctx));
      const before = i.labels;
      i.labels = [...new Set([...i.labels, ...names])];
      ctx.state.recordLabelChanges(repo, i, before, i.labels, ctx.login);
      i.updatedAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 200, body: labelsAnswer(ctx, repo, i.labels) };
    },
  },
  {
    name: 'issues.setLabels',
    method: 'PUT',
    pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
    docs: `${D}/labels#set-labels-for-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/labels', method: 'put', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const before = i.labels;
      i.labels = resolveLabels(ctx, repo, namesOf(ctx));
      ctx.state.recordLabelChanges(repo, i, before, i.labels, ctx.login);
      i.updatedAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 200, body: labelsAnswer(ctx, repo, i.labels) };
    },
  },
  {
    name: 'issues.removeAllLabels',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/issues/:issue_number/labels',
    docs: `${D}/labels#remove-all-labels-from-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/labels', method: 'delete', status: 204 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      ctx.state.recordLabelChanges(repo, i, i.labels, [], ctx.login);
      i.labels = [];
      i.updatedAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 204 };
    },
  },
  {
    name: 'issues.removeLabel',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/issues/:issue_number/labels/:name',
    docs: `${D}/labels#remove-a-label-from-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', method: 'delete', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const name = ctx.param('name');
      const on = i.labels.find((n) => n.toLowerCase() === name.toLowerCase());
      if (!on) throw notFoundLabel(ctx);
      const before = i.labels;
      i.labels = i.labels.filter((n) => n !== on);
      ctx.state.recordLabelChanges(repo, i, before, i.labels, ctx.login);
      i.updatedAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 200, body: labelsAnswer(ctx, repo, i.labels) };
    },
  },
  {
    name: 'issues.listAssignees',
    method: 'GET',
    pattern: '/repos/:owner/:repo/assignees',
    docs: `${D}/assignees#list-assignees`,
    contract: { path: '/repos/{owner}/{repo}/assignees', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const { page, headers } = paginate(ctx, repo.assignable);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((login) => userOrGhost(ctx.state, login, urls)) };
    },
  },
  {
    name: 'issues.checkUserCanBeAssigned',
    method: 'GET',
    pattern: '/repos/:owner/:repo/assignees/:assignee',
    docs: `${D}/assignees#check-if-a-user-can-be-assigned`,
    handler: (ctx) => {
      const repo = ctx.repo();
      const ok = repo.assignable.some((a) => a.toLowerCase() === ctx.param('assignee').toLowerCase());
      if (!ok) throw notFound(ctx.docs);
      return { status: 204 };
    },
  },
  {
    name: 'issues.addAssignees',
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:issue_number/assignees',
    docs: `${D}/assignees#add-assignees-to-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/assignees', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      // GitHub silently skips logins that cannot be assigned here (unlike create/update).
      const wanted = ctx.stringArray(ctx.json(), 'assignees', 'Issue') ?? [];
      const ok = wanted.map((w) => repo.assignable.find((a) => a.toLowerCase() === w.toLowerCase())).filter((a) => a !== undefined);
      i.assignees = [...new Set([...i.assignees, ...ok])].slice(0, 10);
      i.updatedAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 201, body: issue(ctx.state, repo, i, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'issues.removeAssignees',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/issues/:issue_number/assignees',
    docs: `${D}/assignees#remove-assignees-from-an-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/assignees', method: 'delete', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const i = ctx.issue(repo);
      const gone = (ctx.stringArray(ctx.json(), 'assignees', 'Issue') ?? []).map((a) => a.toLowerCase());
      i.assignees = i.assignees.filter((a) => !gone.includes(a.toLowerCase()));
      i.updatedAt = ctx.state.nowIso();
      ctx.state.changed();
      return { status: 200, body: issue(ctx.state, repo, i, urlsFor(ctx.apiBase)) };
    },
  },
];

/** 404 with GitHub's "Label does not exist" message. */
function notFoundLabel(ctx: GhContext): GitHubHttpError {
  return new GitHubHttpError(404, errorBody(404, 'Label does not exist', ctx.docs));
}
