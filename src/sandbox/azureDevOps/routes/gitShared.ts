import { type AdoContext } from '../http/context';
import { notFound } from '../http/errors';
import { gitUser } from '../render/identity';
import { changeCounts } from '../state/gitOps';
import { type Commit, type Repository } from '../state/model';
import { projectRef } from './core';

export const gitContract = (path: string, status?: number) => ({ file: 'git', path: `/{organization}/{project}/_apis/git/${path}`, ...(status ? { status } : {}) });

/** The repository named in the route, by id or name, in the route's project when it has one. */
export function repoOf(ctx: AdoContext, raw = ctx.param('repositoryId')): Repository {
  const project = ctx.project();
  const wanted = (raw ?? '').toLowerCase();
  const repo = ctx.state.doc.repositories.find(
    (r) => (r.id.toLowerCase() === wanted || (r.name.toLowerCase() === wanted && (!project || r.projectId === project.id))) && (!project || r.projectId === project.id),
  );
  if (!repo) {
    throw notFound('GitRepositoryNotFoundException', `TF401019: The Git repository with name or identifier ${raw ?? ''} does not exist or you do not have permissions for the operation you are attempting.`);
  }
  return repo;
}

export function repoUrl(ctx: AdoContext, repo: Repository): string {
  return `${ctx.orgUrl}/${repo.projectId}/_apis/git/repositories/${repo.id}`;
}

export function repoJson(ctx: AdoContext, repo: Repository): Record<string, unknown> {
  const project = ctx.state.doc.projects.find((p) => p.id === repo.projectId);
  const url = repoUrl(ctx, repo);
  const web = `${ctx.orgUrl}/${encodeURIComponent(project?.name ?? '')}/_git/${encodeURIComponent(repo.name)}`;
  return {
    id: repo.id,
    name: repo.name,
    url,
    ...(project ? { project: projectRef(ctx, project) } : {}),
    ...(repo.refs.length > 0 ? { defaultBranch: repo.defaultBranch } : {}),
    size: repo.commits.reduce((sum, c) => sum + c.changes.reduce((s, ch) => s + (ch.content?.length ?? 0), 0), 0),
    remoteUrl: web,
    sshUrl: `git@ssh.sandbox.invalid:v3/sandbox-org/${encodeURIComponent(project?.name ?? '')}/${encodeURIComponent(repo.name)}`,
    webUrl: web,
    isDisabled: false,
    isInMaintenance: false,
    _links: { self: { href: url }, project: { href: `${ctx.orgUrl}/_apis/projects/${repo.projectId}` }, web: { href: web } },
  };
}

export function commitRefJson(ctx: AdoContext, repo: Repository, c: Commit): Record<string, unknown> {
  const url = `${repoUrl(ctx, repo)}/commits/${c.commitId}`;
  const firstLine = c.comment.split('\n')[0] ?? '';
  return {
    commitId: c.commitId,
    author: gitUser(c.author),
    committer: gitUser(c.committer),
    comment: c.comment.length > 80 ? firstLine.slice(0, 80) : c.comment,
    ...(c.comment.length > 80 ? { commentTruncated: true } : {}),
    changeCounts: changeCounts(c),
    parents: c.parents,
    url,
    remoteUrl: `${repoJson(ctx, repo).webUrl as string}/commit/${c.commitId}`,
  };
}
