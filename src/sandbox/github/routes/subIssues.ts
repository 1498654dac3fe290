import { type SandboxResponse } from '../../http/types';
import { type GhContext } from '../http/context';
import { notFound, unprocessable, validationFailed } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { issue } from '../render/issue';
import { urlsFor } from '../render/urls';
import { type IssueRecord, type RepoRecord } from '../state/model';

const D = 'https://docs.github.com/rest/issues/sub-issues';
/** GitHub's limit on sub-issues per parent. */
export const MAX_SUB_ISSUES = 100;

/** The issue a body's `sub_issue_id` (a database id, not a number) names, in this repository. */
function subIssueOf(ctx: GhContext, repo: RepoRecord, body: Record<string, unknown>): IssueRecord {
  const id = body['sub_issue_id'];
  if (typeof id !== 'number' || !Number.isInteger(id)) throw unprocessable(`Invalid request.\n\nFor 'properties/sub_issue_id', ${JSON.stringify(id ?? null)} is not an integer.`, ctx.docs);
  const found = ctx.state.issueById(id);
  if (!found || found.repo.owner.toLowerCase() !== repo.owner.toLowerCase()) throw notFound(ctx.docs);
  return found.issue;
}

const answer = (ctx: GhContext, repo: RepoRecord, parent: IssueRecord, status = 200): SandboxResponse => {
  const rendered = issue(ctx.state, repo, parent, urlsFor(ctx.apiBase));
  const headers: Record<string, string> = status === 201 ? { location: `${ctx.apiBase}/repos/${repo.owner}/${repo.name}/issues/sub-issues/${parent.id}` } : {};
  return { status, headers, body: rendered };
};

function touch(ctx: GhContext, ...issues: IssueRecord[]): void {
  const now = ctx.state.nowIso();
  issues.forEach((i) => (i.updatedAt = now));
  ctx.state.changed();
}

export const subIssueRoutes: readonly GhRouteDef[] = [
  {
    name: 'issues.listSubIssues',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:issue_number/sub_issues',
    docs: `${D}#list-sub-issues`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const parent = ctx.issue(repo);
      const subs = parent.subIssues.map((n) => ctx.state.issue(repo, n)).filter((s) => s !== undefined);
      const { page, headers } = paginate(ctx, subs);
      const urls = urlsFor(ctx.apiBase);
      return { status: 200, headers, body: page.map((s) => issue(ctx.state, repo, s, urls)) };
    },
  },
  {
    name: 'issues.getParent',
    method: 'GET',
    pattern: '/repos/:owner/:repo/issues/:issue_number/parent',
    docs: `${D}#get-parent-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/parent', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const child = ctx.issue(repo);
      const parent = child.parent === null ? undefined : ctx.state.issue(repo, child.parent);
      if (!parent) throw notFound(ctx.docs);
      return { status: 200, body: issue(ctx.state, repo, parent, urlsFor(ctx.apiBase)) };
    },
  },
  {
    name: 'issues.addSubIssue',
    method: 'POST',
    pattern: '/repos/:owner/:repo/issues/:issue_number/sub_issues',
    docs: `${D}#add-sub-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const parent = ctx.issue(repo);
      const body = ctx.json();
      const sub = subIssueOf(ctx, repo, body);
      const replace = ctx.boolean(body, 'replace_parent', 'SubIssue') ?? false;
      const refuse = (message: string) => validationFailed([{ resource: 'SubIssue', code: 'custom', field: 'sub_issue_id', message }], ctx.docs);
      if (sub.number === parent.number) throw refuse('An issue cannot be a sub-issue of itself');
      if (parent.subIssues.includes(sub.number)) throw refuse('Issue may not contain duplicate sub-issues');
      if (sub.parent !== null && !replace) throw refuse('Sub-issue may only have one parent');
      for (let up: IssueRecord | undefined = parent; up; up = up.parent === null ? undefined : ctx.state.issue(repo, up.parent)) {
        if (up.number === sub.number) throw refuse('Sub-issue cannot be an ancestor of the parent issue');
      }
      if (parent.subIssues.length >= MAX_SUB_ISSUES) throw refuse(`Parent cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
      const old = sub.parent === null ? undefined : ctx.state.issue(repo, sub.parent);
      if (old) old.subIssues = old.subIssues.filter((n) => n !== sub.number);
      parent.subIssues.push(sub.number);
      sub.parent = parent.number;
      touch(ctx, parent, sub, ...(old ? [old] : []));
      return answer(ctx, repo, parent, 201);
    },
  },
  {
    name: 'issues.removeSubIssue',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/issues/:issue_number/sub_issue',
    docs: `${D}#remove-sub-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/sub_issue', method: 'delete', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const parent = ctx.issue(repo);
      const sub = subIssueOf(ctx, repo, ctx.json());
      if (!parent.subIssues.includes(sub.number)) throw notFound(ctx.docs);
      parent.subIssues = parent.subIssues.filter((n) => n !== sub.number);
      sub.parent = null;
      touch(ctx, parent, sub);
      return answer(ctx, repo, parent);
    },
  },
  {
    name: 'issues.reprioritizeSubIssue',
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/issues/:issue_number/sub_issues/priority',
    docs: `${D}#reprioritize-sub-issue`,
    contract: { path: '/repos/{owner}/{repo}/issues/{issue_number}/sub_issues/priority', method: 'patch', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const parent = ctx.issue(repo);
      const body = ctx.json();
      const sub = subIssueOf(ctx, repo, body);
      if (!parent.subIssues.includes(sub.number)) throw notFound(ctx.docs);
      const anchorId = body['after_id'] ?? body['before_id'];
      if ((body['after_id'] === undefined) === (body['before_id'] === undefined)) {
        throw validationFailed([{ resource: 'SubIssue', code: 'custom', message: 'Either after_id or before_id must be specified, not both' }], ctx.docs);
      }
      const anchor = typeof anchorId === 'number' ? ctx.state.issueById(anchorId)?.issue : undefined;
      if (!anchor || !parent.subIssues.includes(anchor.number) || anchor.number === sub.number) throw notFound(ctx.docs);
      const rest = parent.subIssues.filter((n) => n !== sub.number);
      const at = rest.indexOf(anchor.number) + (body['after_id'] !== undefined ? 1 : 0);
      rest.splice(at, 0, sub.number);
      parent.subIssues = rest;
      touch(ctx, parent);
      return answer(ctx, repo, parent);
    },
  },
];
