import { z } from 'zod';
import { type AdoContext, created, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { gitUser, identityRef } from '../render/identity';
import { addCommit, commitOf, history, isZero, peel, refOf, resolveVersion, treeAt } from '../state/gitOps';
import { EMPTY_OBJECT_ID, newGuid, objectId } from '../state/ids';
import { type GitChange, type GitUser, type Repository } from '../state/model';
import { blockingPoliciesFor, POLICY_TYPES } from '../state/policyOps';
import { commitRefJson, gitContract, repoJson, repoOf, repoUrl } from './gitShared';

const REF_NAME = /^refs\/(heads|tags)\/[^\s~^:?*[\\]+$/;

function refJson(ctx: AdoContext, repo: Repository, ref: Repository['refs'][number], peelTags: boolean): Record<string, unknown> {
  const tag = repo.annotatedTags.find((t) => t.objectId === ref.objectId);
  return {
    name: ref.name,
    objectId: ref.objectId,
    ...(peelTags && tag ? { peeledObjectId: tag.taggedObjectId } : {}),
    creator: identityRef(ctx.orgUrl, ctx.state.identity(ref.creatorId)),
    url: `${repoUrl(ctx, repo)}/refs?filter=${encodeURIComponent(ref.name.replace(/^refs\//, ''))}`,
  };
}

function protectedBy(ctx: AdoContext, repo: Repository, refName: string): string | undefined {
  const policies = blockingPoliciesFor(ctx.state, repo, refName);
  return policies.length ? policies.map((p) => POLICY_TYPES.find((t) => t.id === p.typeId)?.displayName ?? p.typeId).join(', ') : undefined;
}

/** VersionControlChangeType as a name or the client's flags enum (Add=1, Edit=2, Delete=16). */
function changeTypeOf(raw: string | number): GitChange['changeType'] {
  const text = String(raw).toLowerCase();
  if (text === 'add' || text === '1') return 'add';
  if (text === 'edit' || text === '2') return 'edit';
  if (text === 'delete' || text === '16') return 'delete';
  throw badRequest('InvalidArgumentValueException', `The change type '${raw}' is not supported by the sandbox; use add, edit or delete.`);
}

const UserSchema = z.object({ name: z.string(), email: z.string(), date: z.string().nullish() });
const PushSchema = z.object({
  refUpdates: z.array(z.object({ name: z.string(), oldObjectId: z.string() })).min(1),
  commits: z
    .array(
      z.object({
        comment: z.string(),
        parents: z.array(z.string()).nullish(),
        author: UserSchema.nullish(),
        committer: UserSchema.nullish(),
        changes: z.array(
          z.object({
            changeType: z.union([z.string(), z.number()]),
            item: z.object({ path: z.string() }),
            newContent: z.object({ content: z.string(), contentType: z.union([z.string(), z.number()]).nullish() }).nullish(),
          }),
        ),
      }),
    )
    .min(1),
});

function decode(content: { content: string; contentType?: string | number | null | undefined }): string {
  const type = String(content.contentType ?? 'rawtext').toLowerCase();
  if (type === 'base64encoded' || type === '1') return Buffer.from(content.content, 'base64').toString('utf8');
  return content.content;
}

function pushJson(ctx: AdoContext, repo: Repository, push: Repository['pushes'][number], withCommits: boolean): Record<string, unknown> {
  const url = `${repoUrl(ctx, repo)}/pushes/${push.pushId}`;
  return {
    pushId: push.pushId,
    date: push.date,
    pushedBy: identityRef(ctx.orgUrl, ctx.state.identity(push.pushedById)),
    ...(withCommits
      ? {
          commits: push.commitIds
            .map((id) => commitOf(repo, id))
            .filter((c) => c !== undefined)
            .map((c) => ({ ...commitRefJson(ctx, repo, c), treeId: objectId('tree', JSON.stringify([...treeAt(repo, c.commitId)])) })),
          refUpdates: push.refUpdates.map((u) => ({ ...u, repositoryId: repo.id })),
        }
      : {}),
    repository: repoJson(ctx, repo),
    url,
    _links: { self: { href: url }, repository: { href: repoUrl(ctx, repo) }, pusher: { href: `${ctx.orgUrl}/_apis/Identities/${push.pushedById}` } },
  };
}

const TagSchema = z.object({ name: z.string(), taggedObject: z.object({ objectId: z.string() }), message: z.string() });

function tagJson(ctx: AdoContext, repo: Repository, tag: Repository['annotatedTags'][number]): Record<string, unknown> {
  return {
    name: tag.name,
    objectId: tag.objectId,
    taggedObject: { objectId: tag.taggedObjectId, objectType: 'commit' },
    taggedBy: gitUser(tag.tagger),
    message: tag.message,
    url: `${repoUrl(ctx, repo)}/annotatedtags/${tag.objectId}`,
  };
}

export const gitRepoRoutes: readonly AdoRouteDef[] = [
  {
    name: 'git.repositories.list',
    method: 'GET',
    location: '225f7195-f9c7-4d14-ab28-a83f7ff77e1f',
    contract: gitContract('repositories'),
    without: ['repositoryId'],
    handler: (ctx) => {
      const project = ctx.project();
      return list(ctx.state.doc.repositories.filter((r) => !project || r.projectId === project.id).map((r) => repoJson(ctx, r)));
    },
  },
  {
    name: 'git.repositories.get',
    method: 'GET',
    location: '225f7195-f9c7-4d14-ab28-a83f7ff77e1f',
    contract: gitContract('repositories/{repositoryId}'),
    with: ['repositoryId'],
    handler: (ctx) => ok(repoJson(ctx, repoOf(ctx))),
  },
  {
    name: 'git.repositories.create',
    method: 'POST',
    location: '225f7195-f9c7-4d14-ab28-a83f7ff77e1f',
    contract: gitContract('repositories', 201),
    without: ['repositoryId'],
    handler: (ctx) => {
      const body = ctx.json(z.object({ name: z.string(), project: z.object({ id: z.string() }).nullish() }));
      const project = body.project ? ctx.state.findProject(body.project.id) : ctx.project();
      if (!project) throw badRequest('InvalidArgumentValueException', 'A repository needs a project: pass project.id in the body or call {project}/_apis/git/repositories.');
      if (!/^[^\\/:*?"<>|;#$*{},+=[\]]{1,64}$/.test(body.name) || body.name.startsWith('.') || body.name.startsWith('_')) {
        throw badRequest('InvalidGitRepositoryNameException', `TF401025: '${body.name}' is not a valid name. Repository names cannot start with . or _ or contain \\ / : * ? " < > | ; # $ { } , + = [ ].`);
      }
      if (ctx.state.doc.repositories.some((r) => r.projectId === project.id && r.name.toLowerCase() === body.name.toLowerCase())) {
        throw new AdoHttpError(409, 'GitRepositoryNameAlreadyExistsException', `TF400948: A Git repository with the name ${body.name} already exists.`);
      }
      const repo: Repository = { id: newGuid(), projectId: project.id, name: body.name, defaultBranch: 'refs/heads/main', refs: [], commits: [], pushes: [], pullRequests: [], annotatedTags: [] };
      ctx.state.doc.repositories.push(repo);
      ctx.state.changed();
      return created(repoJson(ctx, repo));
    },
  },
  {
    name: 'git.refs.list',
    method: 'GET',
    location: '2d874a60-a811-4f62-9c9f-963a6ea0a55b',
    contract: gitContract('repositories/{repositoryId}/refs'),
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const filter = ctx.query('filter') ?? ctx.param('filter');
      const contains = ctx.query('filterContains')?.toLowerCase();
      const peelTags = ctx.query('peelTags') === 'true';
      const refs = repo.refs
        .filter((r) => !filter || r.name.startsWith(`refs/${filter.replace(/^refs\//, '')}`))
        .filter((r) => !contains || r.name.toLowerCase().includes(contains))
        .sort((a, b) => a.name.localeCompare(b.name));
      const top = ctx.queryInt('$top');
      return list(refs.slice(0, top ?? refs.length).map((r) => refJson(ctx, repo, r, peelTags)));
    },
  },
  {
    name: 'git.refs.update',
    method: 'POST',
    location: '2d874a60-a811-4f62-9c9f-963a6ea0a55b',
    contract: gitContract('repositories/{repositoryId}/refs'),
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const updates = ctx.json(z.array(z.object({ name: z.string(), oldObjectId: z.string(), newObjectId: z.string() })).min(1));
      const results = updates.map((u) => {
        const current = refOf(repo, u.name);
        const result = (updateStatus: string) => ({
          repositoryId: repo.id,
          name: u.name,
          oldObjectId: u.oldObjectId,
          newObjectId: u.newObjectId,
          isLocked: false,
          updateStatus,
          success: updateStatus === 'succeeded',
          rejectedBy: null,
          customMessage: null,
        });
        if (!REF_NAME.test(u.name)) return result('invalidRefName');
        if ((current?.objectId ?? EMPTY_OBJECT_ID) !== u.oldObjectId.toLowerCase()) return result('staleOldObjectId');
        if (!isZero(u.newObjectId) && !commitOf(repo, peel(repo, u.newObjectId))) return result('unresolvableToCommit');
        if (u.name.startsWith('refs/heads/') && current && protectedBy(ctx, repo, u.name)) return result('rejectedByPolicy');
        if (isZero(u.newObjectId)) repo.refs = repo.refs.filter((r) => r !== current);
        else if (current) current.objectId = u.newObjectId.toLowerCase();
        else repo.refs.push({ name: u.name, objectId: u.newObjectId.toLowerCase(), creatorId: ctx.user.id });
        return result('succeeded');
      });
      if (results.some((r) => r.success)) ctx.state.changed();
      return list(results);
    },
  },
  {
    name: 'git.pushes.create',
    method: 'POST',
    location: 'ea98d07b-3c87-4971-8ede-a613694ffb55',
    contract: gitContract('repositories/{repositoryId}/pushes', 201),
    without: ['pushId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const body = ctx.json(PushSchema);
      if (body.refUpdates.length !== 1) throw badRequest('InvalidArgumentValueException', 'The sandbox takes pushes that update exactly one ref.');
      const update = body.refUpdates[0] as { name: string; oldObjectId: string };
      if (!/^refs\/heads\/[^\s~^:?*[\\]+$/.test(update.name)) throw badRequest('InvalidArgumentValueException', `TF401025: '${update.name}' is not a valid branch name; use refs/heads/<name>.`);
      const current = refOf(repo, update.name);
      const oldId = update.oldObjectId.toLowerCase();
      // A new branch may name the commit it starts from as its oldObjectId (how the service creates a branch in a push).
      const startsFrom = !current && !isZero(oldId) ? commitOf(repo, oldId)?.commitId : undefined;
      if ((current?.objectId ?? EMPTY_OBJECT_ID) !== oldId && !startsFrom) {
        throw new AdoHttpError(409, 'GitReferenceStaleException', `TF402424: The ref ${update.name} was updated since ${update.oldObjectId}; fetch it (GET refs) and push on top of ${current?.objectId ?? 'nothing'}.`);
      }
      const guard = current ? protectedBy(ctx, repo, update.name) : undefined;
      if (guard) throw new AdoHttpError(403, 'GitPushRejectedByPolicyException', `TF402455: Pushes to this branch are not permitted; you must use a pull request to update this branch. (Policies: ${guard}.)`);
      const at = ctx.state.nowIso();
      const me = ctx.user;
      const person = (u: z.infer<typeof UserSchema> | null | undefined): GitUser => ({ name: u?.name ?? me.displayName, email: u?.email ?? me.uniqueName, date: u?.date ?? at });
      let parent = current?.objectId ?? startsFrom;
      const commits = body.commits.map((c) => {
        const changes = c.changes.map((ch) => {
          const changeType = changeTypeOf(ch.changeType);
          if (changeType !== 'delete' && !ch.newContent) throw badRequest('InvalidArgumentValueException', `The ${changeType} of ${ch.item.path} needs newContent.`);
          return { changeType, path: ch.item.path, ...(ch.newContent ? { content: decode(ch.newContent) } : {}) };
        });
        const parents = c.parents?.length ? c.parents.map((x) => x.toLowerCase()) : parent ? [parent] : [];
        for (const id of parents) if (!commitOf(repo, id)) throw badRequest('GitCommitDoesNotExistException', `TF401029: The parent commit ${id} does not exist in repository ${repo.name}.`);
        const commit = addCommit(repo, parents, c.comment, person(c.author), person(c.committer), changes);
        parent = commit.commitId;
        return commit;
      });
      const newObjectId = parent as string;
      if (current) current.objectId = newObjectId;
      else repo.refs.push({ name: update.name, objectId: newObjectId, creatorId: me.id });
      const push = { pushId: ctx.state.next('push'), date: at, pushedById: me.id, commitIds: commits.map((c) => c.commitId), refUpdates: [{ name: update.name, oldObjectId: update.oldObjectId.toLowerCase(), newObjectId }] };
      repo.pushes.push(push);
      ctx.state.changed();
      return created(pushJson(ctx, repo, push, true));
    },
  },
  {
    name: 'git.pushes.list',
    method: 'GET',
    location: 'ea98d07b-3c87-4971-8ede-a613694ffb55',
    contract: gitContract('repositories/{repositoryId}/pushes'),
    without: ['pushId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 100;
      const refName = ctx.query('searchCriteria.refName');
      const pushes = [...repo.pushes].reverse().filter((p) => !refName || p.refUpdates.some((u) => u.name === refName));
      return list(pushes.slice(skip, skip + top).map((p) => pushJson(ctx, repo, p, false)));
    },
  },
  {
    name: 'git.pushes.get',
    method: 'GET',
    location: 'ea98d07b-3c87-4971-8ede-a613694ffb55',
    contract: gitContract('repositories/{repositoryId}/pushes/{pushId}'),
    with: ['pushId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const push = repo.pushes.find((p) => p.pushId === Number(ctx.param('pushId')));
      if (!push) throw notFound('GitPushNotFoundException', `TF401180: The push ${ctx.param('pushId')} does not exist in repository ${repo.name}.`);
      return ok(pushJson(ctx, repo, push, true));
    },
  },
  {
    name: 'git.commits.list',
    method: 'GET',
    location: 'c2570c3b-5b3f-41b8-98bf-5407bfde8d58',
    contract: gitContract('repositories/{repositoryId}/commits'),
    without: ['commitId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const version = ctx.query('searchCriteria.itemVersion.version');
      const start = resolveVersion(repo, version);
      if (version && !start) throw notFound('GitUnresolvableToCommitException', `TF401175: The version descriptor <Branch: ${version}> could not be resolved to a version in the repository ${repo.name}.`);
      const author = ctx.query('searchCriteria.author')?.toLowerCase();
      const from = ctx.query('searchCriteria.fromDate');
      const to = ctx.query('searchCriteria.toDate');
      const skip = ctx.queryInt('$skip') ?? ctx.queryInt('searchCriteria.$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? ctx.queryInt('searchCriteria.$top') ?? 100;
      const commits = history(repo, start).filter(
        (c) =>
          (!author || c.author.name.toLowerCase().includes(author) || c.author.email.toLowerCase().includes(author)) &&
          (!from || Date.parse(c.committer.date) >= Date.parse(from)) &&
          (!to || Date.parse(c.committer.date) <= Date.parse(to)),
      );
      return list(commits.slice(skip, skip + top).map((c) => commitRefJson(ctx, repo, c)));
    },
  },
  {
    name: 'git.commits.get',
    method: 'GET',
    location: 'c2570c3b-5b3f-41b8-98bf-5407bfde8d58',
    contract: gitContract('repositories/{repositoryId}/commits/{commitId}'),
    with: ['commitId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const commit = commitOf(repo, ctx.param('commitId') ?? '');
      if (!commit) throw notFound('GitCommitDoesNotExistException', `TF401029: The commit ${ctx.param('commitId')} does not exist in repository ${repo.name}.`);
      const json = commitRefJson(ctx, repo, commit);
      const push = repo.pushes.find((p) => p.commitIds.includes(commit.commitId));
      return ok({
        ...json,
        comment: commit.comment,
        treeId: objectId('tree', JSON.stringify([...treeAt(repo, commit.commitId)])),
        ...(push ? { push: { pushId: push.pushId, date: push.date, pushedBy: identityRef(ctx.orgUrl, ctx.state.identity(push.pushedById)) } } : {}),
        _links: { self: { href: json.url }, repository: { href: repoUrl(ctx, repo) }, changes: { href: `${json.url as string}/changes` } },
      });
    },
  },
  {
    name: 'git.items.get',
    method: 'GET',
    location: 'fb93c0db-47ed-4a31-8c20-47552878fb44',
    contract: gitContract('repositories/{repositoryId}/items?path={path}'),
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const path = ctx.query('path') ?? ctx.param('path');
      if (!path) throw badRequest('InvalidArgumentValueException', 'The path query parameter is required.');
      const normalized = path.startsWith('/') ? path : `/${path}`;
      const version = ctx.query('versionDescriptor.version');
      const commitId = resolveVersion(repo, version);
      const tree = treeAt(repo, commitId);
      const content = tree.get(normalized);
      if (content === undefined || !commitId) throw notFound('GitItemNotFoundException', `TF401174: The item '${normalized}' could not be found in the repository '${repo.name}' at the version specified by <Branch: ${version ?? repo.defaultBranch.replace('refs/heads/', '')}>.`);
      const accept = String(ctx.req.headers.accept ?? '');
      if (/text\/plain|application\/octet-stream/.test(accept) || ctx.query('download') === 'true') return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: content };
      return ok({
        objectId: objectId('blob', content),
        gitObjectType: 'blob',
        commitId,
        path: normalized,
        ...(ctx.query('includeContent') === 'true' ? { content } : {}),
        url: `${repoUrl(ctx, repo)}/items?path=${encodeURIComponent(normalized)}&versionType=Commit&version=${commitId}`,
      });
    },
  },
  {
    name: 'git.annotatedTags.create',
    method: 'POST',
    location: '5e8a8081-3851-4626-b677-9891cc04102e',
    contract: gitContract('repositories/{repositoryId}/annotatedtags', 201),
    without: ['objectId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const body = ctx.json(TagSchema);
      const refName = `refs/tags/${body.name}`;
      if (!REF_NAME.test(refName)) throw badRequest('InvalidArgumentValueException', `TF401025: '${body.name}' is not a valid tag name.`);
      if (refOf(repo, refName)) throw new AdoHttpError(409, 'GitRefNameConflictException', `TF401035: The tag ${body.name} already exists in repository ${repo.name}.`);
      const target = commitOf(repo, body.taggedObject.objectId);
      if (!target) throw badRequest('GitCommitDoesNotExistException', `TF401029: The commit ${body.taggedObject.objectId} does not exist in repository ${repo.name}.`);
      const me = ctx.user;
      const tagger = { name: me.displayName, email: me.uniqueName, date: ctx.state.nowIso() };
      const tag = { objectId: objectId('tag', body.name, target.commitId, body.message, tagger.date), name: body.name, taggedObjectId: target.commitId, message: body.message, tagger };
      repo.annotatedTags.push(tag);
      repo.refs.push({ name: refName, objectId: tag.objectId, creatorId: me.id });
      ctx.state.changed();
      return created(tagJson(ctx, repo, tag));
    },
  },
  {
    name: 'git.annotatedTags.get',
    method: 'GET',
    location: '5e8a8081-3851-4626-b677-9891cc04102e',
    contract: gitContract('repositories/{repositoryId}/annotatedtags/{objectId}'),
    with: ['objectId'],
    handler: (ctx) => {
      const repo = repoOf(ctx);
      const tag = repo.annotatedTags.find((t) => t.objectId === (ctx.param('objectId') ?? '').toLowerCase());
      if (!tag) throw notFound('GitObjectNotFoundException', `TF401174: The annotated tag ${ctx.param('objectId')} does not exist in repository ${repo.name}.`);
      return ok(tagJson(ctx, repo, tag));
    },
  },
];
