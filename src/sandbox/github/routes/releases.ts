import { type GhContext } from '../http/context';
import { notFound, validationFailed } from '../http/errors';
import { paginate } from '../http/paginate';
import { type GhRouteDef } from '../http/routes';
import { release } from '../render/delivery';
import { urlsFor } from '../render/urls';
import { type ReleaseRecord, type RepoRecord } from '../state/model';

const D = 'https://docs.github.com/rest/releases/releases';

function releaseOf(ctx: GhContext, repo: RepoRecord): ReleaseRecord {
  const id = Number(ctx.param('release_id'));
  const r = repo.releases.find((x) => x.id === id);
  if (!r) throw notFound(ctx.docs);
  return r;
}

/** The commit a tag or `target_commitish` (branch or sha) names. */
function commitFor(repo: RepoRecord, commitish: string): string | undefined {
  return repo.refs.find((r) => r.ref === `refs/heads/${commitish}`)?.sha ?? repo.commits.find((c) => c.sha === commitish)?.sha;
}

const answer = (ctx: GhContext, repo: RepoRecord, r: ReleaseRecord) => release(ctx.state, repo, r, urlsFor(ctx.apiBase));

/** Published releases newest first; drafts only for people with push access (the sandbox user has it). */
const ordered = (repo: RepoRecord) => [...repo.releases].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);

export const releaseRoutes: readonly GhRouteDef[] = [
  {
    name: 'repos.listReleases',
    method: 'GET',
    pattern: '/repos/:owner/:repo/releases',
    docs: `${D}#list-releases`,
    contract: { path: '/repos/{owner}/{repo}/releases', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const { page, headers } = paginate(ctx, ordered(repo));
      return { status: 200, headers, body: page.map((r) => answer(ctx, repo, r)) };
    },
  },
  {
    name: 'repos.getLatestRelease',
    method: 'GET',
    pattern: '/repos/:owner/:repo/releases/latest',
    docs: `${D}#get-the-latest-release`,
    contract: { path: '/repos/{owner}/{repo}/releases/latest', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const latest = ordered(repo).find((r) => !r.draft && !r.prerelease);
      if (!latest) throw notFound(ctx.docs);
      return { status: 200, body: answer(ctx, repo, latest) };
    },
  },
  {
    name: 'repos.getReleaseByTag',
    method: 'GET',
    pattern: '/repos/:owner/:repo/releases/tags/:tag',
    docs: `${D}#get-a-release-by-tag-name`,
    contract: { path: '/repos/{owner}/{repo}/releases/tags/{tag}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const r = repo.releases.find((x) => x.tagName === ctx.param('tag') && !x.draft);
      if (!r) throw notFound(ctx.docs);
      return { status: 200, body: answer(ctx, repo, r) };
    },
  },
  {
    name: 'repos.getRelease',
    method: 'GET',
    pattern: '/repos/:owner/:repo/releases/:release_id',
    docs: `${D}#get-a-release`,
    contract: { path: '/repos/{owner}/{repo}/releases/{release_id}', method: 'get', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      return { status: 200, body: answer(ctx, repo, releaseOf(ctx, repo)) };
    },
  },
  {
    name: 'repos.createRelease',
    method: 'POST',
    pattern: '/repos/:owner/:repo/releases',
    docs: `${D}#create-a-release`,
    contract: { path: '/repos/{owner}/{repo}/releases', method: 'post', status: 201 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const body = ctx.json();
      const tag = ctx.string(body, 'tag_name', 'Release', true)!;
      if (tag.trim() === '') throw validationFailed([{ resource: 'Release', code: 'missing_field', field: 'tag_name' }], ctx.docs);
      const target = ctx.string(body, 'target_commitish', 'Release') ?? repo.defaultBranch;
      if (repo.releases.some((r) => r.tagName === tag)) throw validationFailed([{ resource: 'Release', code: 'already_exists', field: 'tag_name' }], ctx.docs);
      const tagRef = `refs/tags/${tag}`;
      if (!repo.refs.some((r) => r.ref === tagRef)) {
        const sha = commitFor(repo, target);
        if (!sha) throw validationFailed([{ resource: 'Release', code: 'invalid', field: 'target_commitish' }], ctx.docs);
        const draft = ctx.boolean(body, 'draft', 'Release') ?? false;
        // A draft release creates its tag only when published, as on GitHub.
        if (!draft) repo.refs.push({ ref: tagRef, sha });
      }
      const now = ctx.state.nowIso();
      const draft = ctx.boolean(body, 'draft', 'Release') ?? false;
      const record: ReleaseRecord = {
        id: ctx.state.nextId(),
        tagName: tag,
        targetCommitish: target,
        name: ctx.string(body, 'name', 'Release') ?? tag,
        body: ctx.string(body, 'body', 'Release') ?? null,
        draft,
        prerelease: ctx.boolean(body, 'prerelease', 'Release') ?? false,
        author: ctx.login,
        createdAt: now,
        publishedAt: draft ? null : now,
      };
      repo.releases.push(record);
      ctx.state.changed();
      const rendered = answer(ctx, repo, record);
      return { status: 201, headers: { location: String(rendered['url']) }, body: rendered };
    },
  },
  {
    name: 'repos.updateRelease',
    method: 'PATCH',
    pattern: '/repos/:owner/:repo/releases/:release_id',
    docs: `${D}#update-a-release`,
    contract: { path: '/repos/{owner}/{repo}/releases/{release_id}', method: 'patch', status: 200 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const r = releaseOf(ctx, repo);
      const body = ctx.json();
      const name = ctx.string(body, 'name', 'Release');
      const text = ctx.string(body, 'body', 'Release');
      const draft = ctx.boolean(body, 'draft', 'Release');
      const prerelease = ctx.boolean(body, 'prerelease', 'Release');
      if (name !== undefined) r.name = name;
      if (text !== undefined) r.body = text;
      if (prerelease !== undefined) r.prerelease = prerelease;
      if (draft === false && r.draft) {
        r.draft = false;
        r.publishedAt = ctx.state.nowIso();
        const sha = commitFor(repo, r.targetCommitish);
        if (sha && !repo.refs.some((x) => x.ref === `refs/tags/${r.tagName}`)) repo.refs.push({ ref: `refs/tags/${r.tagName}`, sha });
      }
      ctx.state.changed();
      return { status: 200, body: answer(ctx, repo, r) };
    },
  },
  {
    name: 'repos.deleteRelease',
    method: 'DELETE',
    pattern: '/repos/:owner/:repo/releases/:release_id',
    docs: `${D}#delete-a-release`,
    contract: { path: '/repos/{owner}/{repo}/releases/{release_id}', method: 'delete', status: 204 },
    handler: (ctx) => {
      const repo = ctx.repo();
      const r = releaseOf(ctx, repo);
      repo.releases = repo.releases.filter((x) => x !== r);
      ctx.state.changed();
      return { status: 204 };
    },
  },
];
