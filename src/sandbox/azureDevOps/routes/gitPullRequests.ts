import { z } from 'zod';
import { type AdoContext, created, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { gitUser, identityRef } from '../render/identity';
import { addCommit, branchRef, commitOf, mergeChanges, refOf } from '../state/gitOps';
import { objectId } from '../state/ids';
import { type PullRequest, type Repository } from '../state/model';
import { updateWorkItem } from '../state/workItemOps';
import { gitContract, repoJson, repoOf, repoUrl } from './gitShared';

const STATUS_BY_NUMBER: Readonly<Record<string, string>> = { '0': 'notSet', '1': 'active', '2': 'abandoned', '3': 'completed', '4': 'all' };

function mergeCommitJson(ctx: AdoContext, repo: Repository, pr: PullRequest): Record<string, unknown> {
  const real = pr.mergeCommitId ? commitOf(repo, pr.mergeCommitId) : undefined;
  const creator = ctx.state.identity(pr.createdById);
  const person = real?.author ?? { name: creator.displayName, email: creator.uniqueName, date: pr.creationDate };
  const id = real?.commitId ?? objectId('merge', pr.sourceCommitId, pr.targetCommitId);
  return {
    commitId: id,
    author: gitUser(person),
    committer: gitUser(real?.committer ?? person),
    comment: real?.comment ?? `Merge pull request ${pr.pullRequestId} from ${pr.sourceRefName.replace('refs/heads/', '')} into ${pr.targetRefName.replace('refs/heads/', '')}`,
    url: `${repoUrl(ctx, repo)}/commits/${id}`,
  };
}

function prJson(ctx: AdoContext, repo: Repository, pr: PullRequest): Record<string, unknown> {
  const url = `${repoUrl(ctx, repo)}/pullRequests/${pr.pullRequestId}`;
  const commitRef = (id: string) => ({ commitId: id, url: `${repoUrl(ctx, repo)}/commits/${id}` });
  return {
    repository: repoJson(ctx, repo),
    pullRequestId: pr.pullRequestId,
    codeReviewId: pr.pullRequestId,
    status: pr.status,
    createdBy: identityRef(ctx.orgUrl, ctx.state.identity(pr.createdById)),
    creationDate: pr.creationDate,
    ...(pr.closedDate ? { closedDate: pr.closedDate, closedBy: identityRef(ctx.orgUrl, ctx.state.identity(pr.createdById)) } : {}),
    title: pr.title,
    description: pr.description,
    sourceRefName: pr.sourceRefName,
    targetRefName: pr.targetRefName,
    mergeStatus: 'succeeded',
    isDraft: pr.isDraft,
    mergeId: pr.mergeCommitId ?? pr.sourceCommitId,
    lastMergeSourceCommit: commitRef(pr.sourceCommitId),
    lastMergeTargetCommit: commitRef(pr.targetCommitId),
    // An active pull request has a trial merge commit; a completed one the real merge.
    lastMergeCommit: mergeCommitJson(ctx, repo, pr),
    artifactId: `vstfs:///Git/PullRequestId/${repo.projectId}%2F${repo.id}%2F${pr.pullRequestId}`,
    reviewers: pr.reviewers.map((r) => ({ ...identityRef(ctx.orgUrl, ctx.state.identity(r.id)), vote: r.vote, isRequired: r.isRequired, reviewerUrl: `${url}/reviewers/${r.id}` })),
    url,
    supportsIterations: true,
    _links: { self: { href: url }, repository: { href: repoUrl(ctx, repo) }, workItems: { href: `${url}/workitems` }, sourceBranch: { href: `${repoUrl(ctx, repo)}/refs/${pr.sourceRefName.replace(/^refs\//, '')}` } },
  };
}

function prOf(ctx: AdoContext, repo: Repository): PullRequest {
  const id = Number(ctx.param('pullRequestId'));
  const pr = repo.pullRequests.find((p) => p.pullRequestId === id);
  if (!pr) throw notFound('GitPullRequestNotFoundException', `TF401180: The requested pull request was not found.`);
  return pr;
}

/** Links a work item to a pull request the way the service does: an ArtifactLink on the work item. */
function linkWorkItem(ctx: AdoContext, repo: Repository, pr: PullRequest, workItemId: number): void {
  const item = ctx.state.workItem(workItemId);
  if (!item) throw badRequest('WorkItemUnauthorizedAccessException', `TF401232: Work item ${workItemId} does not exist, or you do not have permissions to read it.`);
  const url = `vstfs:///Git/PullRequestId/${repo.projectId}%2F${repo.id}%2F${pr.pullRequestId}`;
  if (item.relations.some((r) => r.url === url)) return;
  updateWorkItem(ctx.state, item, [{ op: 'add', path: '/relations/-', value: { rel: 'ArtifactLink', url, attributes: { name: 'Pull Request' } } }], ctx.user);
}

const CreateSchema = z.object({
  sourceRefName: z.string(),
  targetRefName: z.string(),
  title: z.string(),
  description: z.string().nullish(),
  isDraft: z.boolean().nullish(),
  workItemRefs: z.array(z.object({ id: z.union([z.string(), z.number()]) })).nullish(),
  reviewers: z.array(z.object({ id: z.string(), isRequired: z.boolean().nullish() })).nullish(),
});

const UpdateSchema = z.object({
  status: z.union([z.string(), z.number()]).nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  isDraft: z.boolean().nullish(),
  lastMergeSourceCommit: z.object({ commitId: z.string() }).nullish(),
  completionOptions: z.object({ deleteSourceBranch: z.boolean().nullish(), mergeCommitMessage: z.string().nullish() }).nullish(),
});

function complete(ctx: AdoContext, repo: Repository, pr: PullRequest, options: z.infer<typeof UpdateSchema>['completionOptions']): void {
  const source = refOf(repo, pr.sourceRefName);
  const target = refOf(repo, pr.targetRefName);
  if (!source || !target) throw badRequest('GitPullRequestRefsNotFoundException', 'TF401398: The pull request cannot be completed because the source and/or the target branch no longer exists.');
  const at = ctx.state.nowIso();
  const me = ctx.user;
  const person = { name: me.displayName, email: me.uniqueName, date: at };
  const message = options?.mergeCommitMessage ?? `Merged PR ${pr.pullRequestId}: ${pr.title}`;
  const merge = addCommit(repo, [target.objectId, source.objectId], message, person, person, mergeChanges(repo, source.objectId, target.objectId));
  target.objectId = merge.commitId;
  pr.status = 'completed';
  pr.closedDate = at;
  pr.mergeCommitId = merge.commitId;
  pr.sourceCommitId = source.objectId;
  if (options?.deleteSourceBranch) repo.refs = repo.refs.filter((r) => r !== source);
}

export const gitPullRequestRoutes: readonly AdoRouteDef[] = [
  {
    name: 'git.pullRequests.create',
    method: 'POST',
    location: '9946fd70-0d40-406e-b686-b4744cbbcc37',
    contract: gitContract('repositories/{repositoryId}/pullrequests', 201),
    without: ['pullRequestId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const body = ctx.json(CreateSchema);
      const sourceRefName = branchRef(body.sourceRefName);
      const targetRefName = branchRef(body.targetRefName);
      const source = refOf(repo, sourceRefName);
      const target = refOf(repo, targetRefName);
      if (!source || !target) throw badRequest('GitPullRequestRefsNotFoundException', 'TF401398: The pull request cannot be activated because the source and/or the target branch no longer exists, or the requested refs are not branches.');
      if (sourceRefName === targetRefName) throw badRequest('InvalidArgumentValueException', 'TF401396: The source and target branch of a pull request must differ.');
      if (!body.title.trim()) throw badRequest('InvalidArgumentValueException', 'A pull request needs a title.');
      if (repo.pullRequests.some((p) => p.status === 'active' && p.sourceRefName === sourceRefName && p.targetRefName === targetRefName)) {
        throw new AdoHttpError(409, 'GitPullRequestExistsException', 'TF401179: An active pull request for the source and target branch already exists.');
      }
      const pr: PullRequest = {
        pullRequestId: ctx.state.next('pullRequest'),
        title: body.title,
        description: body.description ?? '',
        sourceRefName,
        targetRefName,
        status: 'active',
        createdById: ctx.user.id,
        creationDate: ctx.state.nowIso(),
        isDraft: body.isDraft ?? false,
        workItemIds: [],
        reviewers: (body.reviewers ?? []).map((r) => ({ id: r.id, vote: 0, isRequired: r.isRequired ?? false })),
        sourceCommitId: source.objectId,
        targetCommitId: target.objectId,
      };
      for (const ref of body.workItemRefs ?? []) {
        const id = Number(ref.id);
        linkWorkItem(ctx, repo, pr, id);
        pr.workItemIds.push(id);
      }
      repo.pullRequests.push(pr);
      ctx.state.changed();
      return created(prJson(ctx, repo, pr));
    },
  },
  {
    name: 'git.pullRequests.list',
    method: 'GET',
    location: '9946fd70-0d40-406e-b686-b4744cbbcc37',
    contract: gitContract('repositories/{repositoryId}/pullrequests'),
    without: ['pullRequestId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const rawStatus = ctx.query('searchCriteria.status') ?? 'active';
      const status = (STATUS_BY_NUMBER[rawStatus] ?? rawStatus).toLowerCase();
      const source = ctx.query('searchCriteria.sourceRefName');
      const target = ctx.query('searchCriteria.targetRefName');
      const creator = ctx.query('searchCriteria.creatorId')?.toLowerCase();
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 101;
      const prs = [...repo.pullRequests]
        .reverse()
        .filter((p) => (status === 'all' || p.status === status) && (!source || p.sourceRefName === source) && (!target || p.targetRefName === target) && (!creator || p.createdById.toLowerCase() === creator));
      return list(prs.slice(skip, skip + top).map((p) => prJson(ctx, repo, p)));
    },
  },
  {
    name: 'git.pullRequests.get',
    method: 'GET',
    location: '9946fd70-0d40-406e-b686-b4744cbbcc37',
    contract: gitContract('repositories/{repositoryId}/pullrequests/{pullRequestId}'),
    with: ['pullRequestId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      return ok(prJson(ctx, repo, prOf(ctx, repo)));
    },
  },
  {
    name: 'git.pullRequests.getById',
    method: 'GET',
    location: '01a46dea-7d46-4d40-bc84-319e7c260d99',
    contract: gitContract('pullrequests/{pullRequestId}'),
    with: ['pullRequestId'],
    handler: (ctx) => {
      const project = ctx.project();
      const id = Number(ctx.param('pullRequestId'));
      const repo = ctx.state.doc.repositories.find((r) => (!project || r.projectId === project.id) && r.pullRequests.some((p) => p.pullRequestId === id));
      if (!repo) throw notFound('GitPullRequestNotFoundException', 'TF401180: The requested pull request was not found.');
      return ok(prJson(ctx, repo, prOf(ctx, repo)));
    },
  },
  {
    name: 'git.pullRequests.update',
    method: 'PATCH',
    location: '9946fd70-0d40-406e-b686-b4744cbbcc37',
    contract: gitContract('repositories/{repositoryId}/pullrequests/{pullRequestId}'),
    with: ['pullRequestId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const pr = prOf(ctx, repo);
      const body = ctx.json(UpdateSchema);
      const status = body.status === undefined || body.status === null ? undefined : (STATUS_BY_NUMBER[String(body.status)] ?? String(body.status)).toLowerCase();
      if (pr.status !== 'active' && status !== 'active') throw badRequest('InvalidArgumentValueException', `TF401181: The pull request ${pr.pullRequestId} is ${pr.status}; reactivate it (status active) before changing it.`);
      if (body.title !== undefined && body.title !== null) pr.title = body.title;
      if (body.description !== undefined && body.description !== null) pr.description = body.description;
      if (body.isDraft !== undefined && body.isDraft !== null) pr.isDraft = body.isDraft;
      if (status === 'completed') {
        const source = refOf(repo, pr.sourceRefName);
        if (body.lastMergeSourceCommit && source && body.lastMergeSourceCommit.commitId.toLowerCase() !== source.objectId) {
          throw new AdoHttpError(409, 'GitPullRequestStaleException', `TF401192: The source branch moved to ${source.objectId} since ${body.lastMergeSourceCommit.commitId}; get the pull request again and complete with the new lastMergeSourceCommit.`);
        }
        if (pr.isDraft) throw badRequest('InvalidArgumentValueException', 'TF401190: A draft pull request cannot be completed; publish it first (isDraft false).');
        complete(ctx, repo, pr, body.completionOptions);
      } else if (status === 'abandoned') {
        pr.status = 'abandoned';
        pr.closedDate = ctx.state.nowIso();
      } else if (status === 'active') {
        pr.status = 'active';
        delete pr.closedDate;
      } else if (status !== undefined) throw badRequest('InvalidArgumentValueException', `The status '${status}' is not valid; use active, abandoned or completed.`);
      if (!commitOf(repo, pr.sourceCommitId)) throw new Error('Pull request source commit is missing from the repository.');
      ctx.state.changed();
      return ok(prJson(ctx, repo, pr));
    },
  },
  {
    name: 'git.pullRequests.workItems',
    method: 'GET',
    location: '0a637fcc-5370-4ce8-b0e8-98091f5f9482',
    contract: gitContract('repositories/{repositoryId}/pullRequests/{pullRequestId}/workitems'),
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const pr = prOf(ctx, repo);
      return list(pr.workItemIds.map((id) => ({ id: String(id), url: `${ctx.orgUrl}/_apis/wit/workItems/${id}` })));
    },
  },
];
