import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../src/core/errors';
import { SANDBOX_GITHUB, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { GitHubState } from '../../../../src/sandbox/github';
import { DEMO_NOW, startGitHub } from './harness';

describe('GitHub stand-in: state, demo data and persistence', () => {
  it('seeds contoso/contoso-web and Project 1 "Contoso Web Roadmap" owned by the organization', () => {
    const s = GitHubState.demo(DEMO_NOW);
    const repo = s.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
    const issues = repo.issues.filter((i) => !i.pull);
    const pulls = repo.issues.filter((i) => i.pull);
    assert.equal(issues.length, 15);
    assert.equal(pulls.length, 3);
    assert.ok(issues.some((i) => i.state === 'closed'));
    assert.ok(issues.some((i) => i.assignees.includes(SANDBOX_USER.githubLogin)));
    assert.ok(issues.every((i) => i.labels.length > 0));
    const p = s.project(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.projectNumber)!;
    assert.equal(p.title, 'Contoso Web Roadmap');
    assert.equal(s.user(p.owner)?.type, 'Organization');
    assert.deepEqual(p.fields.find((f) => f.name === 'Status')?.options.map((o) => o.name), ['Todo', 'In Progress', 'In Review', 'Done']);
    assert.deepEqual([...new Set(p.items.map((i) => i.contentType))].sort(), ['DRAFT_ISSUE', 'ISSUE', 'PULL_REQUEST']);
    assert.ok(p.items.every((i) => new Date(i.createdAt) <= DEMO_NOW));
  });

  it('empty() has the people and organization and nothing else', () => {
    const s = GitHubState.empty();
    assert.equal(s.doc.repos.length, 0);
    assert.equal(s.doc.projects.length, 0);
    assert.ok(s.user(SANDBOX_USER.githubLogin));
    assert.equal(s.user('contoso')?.type, 'Organization');
  });

  it('round-trips through JSON, changes included, and serves the reloaded state', async () => {
    const h = await startGitHub();
    await h.rest().rest.issues.create({ owner: 'contoso', repo: 'contoso-web', title: 'Survives a restart' });
    const saved = JSON.parse(JSON.stringify(h.state.toJSON())) as unknown;
    await h.stop();
    const reloaded = GitHubState.fromJSON(saved);
    assert.deepEqual(reloaded.toJSON(), saved);
    const h2 = await startGitHub(reloaded);
    try {
      const got = await h2.rest().rest.issues.get({ owner: 'contoso', repo: 'contoso-web', issue_number: 19 });
      assert.equal(got.data.title, 'Survives a restart');
      const next = await h2.rest().rest.issues.create({ owner: 'contoso', repo: 'contoso-web', title: 'Numbering goes on' });
      assert.equal(next.data.number, 20);
      assert.ok(next.data.id > (saved as { lastId: number }).lastId, 'ids go on from the saved sequence');
    } finally {
      await h2.stop();
    }
  });

  it('refuses a damaged document with the path of the first problem', () => {
    const doc = GitHubState.demo(DEMO_NOW).toJSON() as unknown as { repos: { issues: { state: string }[] }[] };
    doc.repos[0]!.issues[2]!.state = 'half-open';
    assert.throws(
      () => GitHubState.fromJSON(doc),
      (e: unknown) => e instanceof DevOpsError && e.code === 'invalidInput' && /repos\.0\.issues\.2\.state/.test(e.message) && /Delete \.devops\/sandbox\//.test(e.message),
    );
    assert.throws(() => GitHubState.fromJSON('not json'), DevOpsError);
    assert.throws(() => GitHubState.fromJSON({ format: 'ai-devops.sandbox.github/0' }), DevOpsError);
  });

  it('onDidChange fires on writes only and stops after dispose', async () => {
    const h = await startGitHub();
    try {
      let n = 0;
      const sub = h.state.onDidChange(() => (n += 1));
      const o = h.rest();
      await o.rest.issues.listForRepo({ owner: 'contoso', repo: 'contoso-web' });
      await o.rest.issues.get({ owner: 'contoso', repo: 'contoso-web', issue_number: 1 });
      assert.equal(n, 0);
      await o.rest.issues.createComment({ owner: 'contoso', repo: 'contoso-web', issue_number: 1, body: 'hi' });
      assert.equal(n, 1);
      sub.dispose();
      await o.rest.issues.createComment({ owner: 'contoso', repo: 'contoso-web', issue_number: 1, body: 'again' });
      assert.equal(n, 1);
    } finally {
      await h.stop();
    }
  });
});
