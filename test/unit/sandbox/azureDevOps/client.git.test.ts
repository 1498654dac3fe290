import assert from 'node:assert/strict';
import { GitRefUpdateStatus, ItemContentType, PullRequestStatus, VersionControlChangeType } from 'azure-devops-node-api/interfaces/GitInterfaces';
import { type IGitApi } from 'azure-devops-node-api/GitApi';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

const ZERO = '0000000000000000000000000000000000000000';
type HttpError = Error & { statusCode?: number };

describe('Azure DevOps stand-in: git and branch policies, through azure-devops-node-api', () => {
  let h: Harness;
  let git: IGitApi;
  let repoId = '';
  const head = async (name: string) => (await git.getRefs(repoId, SANDBOX_PROJECT, name.replace(/^refs\//, ''))).find((r) => r.name === name)?.objectId ?? '';

  before(async () => {
    h = await startHarness();
    git = await h.api().getGitApi();
    repoId = (await git.getRepositories(SANDBOX_PROJECT))[0]?.id ?? '';
  });
  after(() => h.stop());

  it('lists the demo repository with branches, tags and history', async () => {
    const repo = await git.getRepository(repoId, SANDBOX_PROJECT);
    assert.equal(repo.name, SANDBOX_PROJECT);
    assert.equal(repo.defaultBranch, 'refs/heads/main');
    const refs = await git.getRefs(repoId, SANDBOX_PROJECT, undefined, undefined, undefined, undefined, undefined, true);
    assert.deepEqual(refs.map((r) => r.name), ['refs/heads/feature/password-reset', 'refs/heads/feature/structured-logging', 'refs/heads/main', 'refs/tags/v1.0.0', 'refs/tags/v1.1.0']);
    const tag = refs.find((r) => r.name === 'refs/tags/v1.1.0');
    assert.ok(tag?.peeledObjectId && tag.peeledObjectId !== tag.objectId, 'annotated tags peel to their commit');
    const annotated = await git.getAnnotatedTag(SANDBOX_PROJECT, repoId, tag?.objectId ?? '');
    assert.equal(annotated.taggedObject?.objectId, tag?.peeledObjectId);
    const commits = await git.getCommits(repoId, { itemVersion: { version: 'main' } }, SANDBOX_PROJECT);
    assert.equal(commits.length, 6);
    assert.match(commits[0]?.comment ?? '', /correlation id/);
    const onFeature = await git.getCommits(repoId, { itemVersion: { version: 'feature/password-reset' }, $top: 2 }, SANDBOX_PROJECT);
    assert.equal(onFeature.length, 2);
    const commit = await git.getCommit(commits[0]?.commitId ?? '', repoId, SANDBOX_PROJECT);
    assert.equal(commit.parents?.[0], commits[1]?.commitId);
    const readme = await git.getItem(repoId, '/README.md', SANDBOX_PROJECT, undefined, undefined, undefined, undefined, undefined, undefined, true);
    assert.match(readme.content ?? '', /^# Contoso Web/);
  });

  it('creates a branch with updateRefs and refuses a stale or unknown one per ref', async () => {
    const main = await head('refs/heads/main');
    const [created] = await git.updateRefs([{ name: 'refs/heads/feature/invoices', oldObjectId: ZERO, newObjectId: main }], repoId, SANDBOX_PROJECT);
    assert.equal(created?.success, true);
    assert.equal(created?.updateStatus, GitRefUpdateStatus.Succeeded);
    const [stale] = await git.updateRefs([{ name: 'refs/heads/feature/invoices', oldObjectId: ZERO, newObjectId: main }], repoId, SANDBOX_PROJECT);
    assert.equal(stale?.updateStatus, GitRefUpdateStatus.StaleOldObjectId);
    const [unknown] = await git.updateRefs([{ name: 'refs/heads/other', oldObjectId: ZERO, newObjectId: 'f'.repeat(40) }], repoId, SANDBOX_PROJECT);
    assert.equal(unknown?.updateStatus, GitRefUpdateStatus.UnresolvableToCommit);
    const [protectedMain] = await git.updateRefs([{ name: 'refs/heads/main', oldObjectId: main, newObjectId: await head('refs/heads/feature/invoices') }], repoId, SANDBOX_PROJECT);
    assert.equal(protectedMain?.updateStatus, GitRefUpdateStatus.RejectedByPolicy);
  });

  it('pushes commits of file changes, and refuses stale pushes and pushes to protected main', async () => {
    const base = await head('refs/heads/feature/invoices');
    const push = await git.createPush(
      {
        refUpdates: [{ name: 'refs/heads/feature/invoices', oldObjectId: base }],
        commits: [
          {
            comment: 'Render invoices as PDF (AB#15)',
            changes: [
              { changeType: VersionControlChangeType.Add, item: { path: '/src/orders/invoice.ts' }, newContent: { content: 'export const invoice = () => "%PDF";\n', contentType: ItemContentType.RawText } },
              { changeType: VersionControlChangeType.Edit, item: { path: '/README.md' }, newContent: { content: Buffer.from('# Contoso Web\n\nNow with invoices.\n').toString('base64'), contentType: ItemContentType.Base64Encoded } },
            ],
          },
        ],
      },
      repoId,
      SANDBOX_PROJECT,
    );
    assert.equal(push.commits?.length, 1);
    const tip = push.refUpdates?.[0]?.newObjectId ?? '';
    assert.equal(await head('refs/heads/feature/invoices'), tip);
    const readme = await git.getItem(repoId, '/README.md', SANDBOX_PROJECT, undefined, undefined, undefined, undefined, undefined, { version: 'feature/invoices' }, true);
    assert.match(readme.content ?? '', /Now with invoices/);
    await assert.rejects(
      git.createPush({ refUpdates: [{ name: 'refs/heads/feature/invoices', oldObjectId: base }], commits: [{ comment: 'late', changes: [{ changeType: VersionControlChangeType.Delete, item: { path: '/README.md' } }] }] }, repoId, SANDBOX_PROJECT),
      (e: HttpError) => e.statusCode === 409 && /TF402424/.test(e.message),
    );
    await assert.rejects(
      git.createPush({ refUpdates: [{ name: 'refs/heads/feature/invoices', oldObjectId: tip }], commits: [{ comment: 'dup', changes: [{ changeType: VersionControlChangeType.Add, item: { path: '/README.md' }, newContent: { content: 'x', contentType: ItemContentType.RawText } }] }] }, repoId, SANDBOX_PROJECT),
      (e: HttpError) => e.statusCode === 409 && /already exists/.test(e.message),
    );
    await assert.rejects(
      git.createPush({ refUpdates: [{ name: 'refs/heads/main', oldObjectId: await head('refs/heads/main') }], commits: [{ comment: 'direct', changes: [{ changeType: VersionControlChangeType.Add, item: { path: '/x.md' }, newContent: { content: 'x', contentType: ItemContentType.RawText } }] }] }, repoId, SANDBOX_PROJECT),
      (e: HttpError) => e.statusCode === 403 && /TF402455: Pushes to this branch are not permitted/.test(e.message),
    );
    const pushes = await git.getPushes(repoId, SANDBOX_PROJECT);
    assert.equal(pushes[0]?.pushId, push.pushId);
  });

  it('opens a pull request linked to a work item, lists it, and completes it into main', async () => {
    const storyId = h.state.doc.workItems.find((w) => w.fields['System.Title'] === 'Download an invoice as PDF')?.id ?? 0;
    const pr = await git.createPullRequest(
      { sourceRefName: 'refs/heads/feature/invoices', targetRefName: 'refs/heads/main', title: 'Invoices as PDF', description: 'Adds PDF invoices.', workItemRefs: [{ id: String(storyId) }] },
      repoId,
      SANDBOX_PROJECT,
    );
    assert.equal(pr.status, PullRequestStatus.Active);
    const refs = await git.getPullRequestWorkItemRefs(repoId, pr.pullRequestId ?? 0, SANDBOX_PROJECT);
    assert.deepEqual(refs.map((r) => r.id), [String(storyId)]);
    const wit = await h.api().getWorkItemTrackingApi();
    const story = await wit.getWorkItem(storyId, undefined, undefined, 1);
    assert.ok(story.relations?.some((r) => r.rel === 'ArtifactLink' && r.attributes?.name === 'Pull Request' && r.url?.endsWith(`%2F${pr.pullRequestId}`)));
    const active = await git.getPullRequests(repoId, { status: PullRequestStatus.Active }, SANDBOX_PROJECT);
    assert.deepEqual(active.map((p) => p.title).sort(), ['Email the password reset link', 'Invoices as PDF']);
    await assert.rejects(
      git.createPullRequest({ sourceRefName: 'refs/heads/feature/invoices', targetRefName: 'refs/heads/main', title: 'again' }, repoId, SANDBOX_PROJECT),
      (e: HttpError) => e.statusCode === 409 && /TF401179/.test(e.message),
    );
    const byId = await git.getPullRequestById(pr.pullRequestId ?? 0, SANDBOX_PROJECT);
    assert.equal(byId.title, 'Invoices as PDF');
    const mainBefore = await head('refs/heads/main');
    const done = await git.updatePullRequest({ status: PullRequestStatus.Completed, completionOptions: { deleteSourceBranch: true } }, repoId, pr.pullRequestId ?? 0, SANDBOX_PROJECT);
    assert.equal(done.status, PullRequestStatus.Completed);
    const mainAfter = await head('refs/heads/main');
    assert.notEqual(mainAfter, mainBefore);
    const merge = await git.getCommit(mainAfter, repoId, SANDBOX_PROJECT);
    assert.deepEqual(merge.parents?.length, 2);
    const invoice = await git.getItem(repoId, '/src/orders/invoice.ts', SANDBOX_PROJECT, undefined, undefined, undefined, undefined, undefined, undefined, true);
    assert.match(invoice.content ?? '', /PDF/);
    assert.equal(await head('refs/heads/feature/invoices'), '', 'the source branch was deleted');
  });

  it('creates annotated tags and refuses a duplicate', async () => {
    const main = await head('refs/heads/main');
    const tag = await git.createAnnotatedTag({ name: 'v1.2.0', taggedObject: { objectId: main }, message: 'Release 1.2.0' }, SANDBOX_PROJECT, repoId);
    assert.equal(tag.taggedObject?.objectId, main);
    assert.equal(tag.taggedBy?.name, 'Sandbox User');
    await assert.rejects(git.createAnnotatedTag({ name: 'v1.2.0', taggedObject: { objectId: main }, message: 'again' }, SANDBOX_PROJECT, repoId), (e: HttpError) => e.statusCode === 409);
  });

  it('lists branch policies and creates one', async () => {
    const policy = await h.api().getPolicyApi();
    const configs = await policy.getPolicyConfigurations(SANDBOX_PROJECT);
    assert.deepEqual(configs.map((c) => [c.type?.displayName, c.isBlocking]), [['Minimum number of reviewers', false], ['Work item linking', true]]);
    const created = await policy.createPolicyConfiguration({ isEnabled: true, isBlocking: true, type: { id: 'c6a1889d-b943-4856-b76f-9e46bb6b0df2' }, settings: { scope: [{ repositoryId: repoId, refName: 'refs/heads/release', matchKind: 'prefix' }] } }, SANDBOX_PROJECT);
    assert.equal(created.type?.displayName, 'Comment requirements');
    assert.equal((await policy.getPolicyConfiguration(SANDBOX_PROJECT, created.id ?? 0)).id, created.id);
    const types = await policy.getPolicyTypes(SANDBOX_PROJECT);
    assert.ok(types.some((t) => t.displayName === 'Build'));
  });

  it('creates a repository', async () => {
    const repo = await git.createRepository({ name: 'contoso-infra' }, SANDBOX_PROJECT);
    assert.equal(repo.name, 'contoso-infra');
    assert.equal(repo.defaultBranch, undefined, 'an empty repository has no default branch yet');
    await assert.rejects(git.createRepository({ name: 'contoso-infra' }, SANDBOX_PROJECT), (e: HttpError) => e.statusCode === 409);
  });
});
