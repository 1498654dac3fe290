import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { answerGit } from '../../../../src/providers/chat/gitAnswer';
import { routeChatRequest } from '../../../../src/providers/chat/router';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { chatFixture, type ChatFixture, noModel, sandboxModels, type SandboxModels } from './chatHarness';
import { demoItems, FakeWorkTracker } from './fakeWorkTracker';

const TRUSTED = { trusted: () => true };
const ENV = { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });

describe('@devops /git (real temp repositories)', () => {
  let f: ChatFixture;
  let models: SandboxModels;
  let repo: string;
  before(async () => {
    models = await sandboxModels();
  });
  after(() => models.stop());
  beforeEach(() => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
    repo = mkdtempSync(path.join(tmpdir(), 'chat-git-'));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'commit.gpgsign', 'false');
    writeFileSync(path.join(repo, 'reset.ts'), 'export const ttl = 60;\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'init');
    f.git = new WorkspaceGit(repo, TRUSTED);
  });
  afterEach(async () => {
    await f.dispose();
    rmSync(repo, { recursive: true, force: true });
  });

  it('in Restricted Mode says why and runs no git: a core.fsmonitor payload in .git/config never runs', async () => {
    const marker = path.join(repo, '..', `${path.basename(repo)}-fsmonitor-ran`);
    const payload = path.join(repo, '..', `${path.basename(repo)}-payload.cjs`);
    writeFileSync(payload, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    git(repo, 'config', 'core.fsmonitor', `"${process.execPath}" "${payload}"`);
    f.git = new WorkspaceGit(repo, { trusted: () => false });
    for (const prompt of ['', 'status', 'branch AB#7', 'commit AB#7']) {
      const { req, output } = f.request('git', prompt, noModel);
      const answer = await routeChatRequest(req, f.services, f.tools);
      assert.match(output.text, /Could not answer:\*\* This folder is open in Restricted Mode, so AI DevOps runs no program in it, git included/, prompt);
      assert.ok(answer.error, prompt);
    }
    assert.equal(existsSync(marker), false, 'the fsmonitor payload ran');
    rmSync(payload, { force: true });
  });

  it('shows the status and the work item the branch is for', async () => {
    git(repo, 'switch', '-q', '-c', 'task-7-email-the-reset-link');
    writeFileSync(path.join(repo, 'reset.ts'), 'export const ttl = 3600;\n');
    writeFileSync(path.join(repo, 'mail.ts'), 'export {};\n');
    const { req, output } = f.request('git', '', noModel);
    const answer = await answerGit(req, f.services);
    assert.match(output.text, /\*\*Branch:\*\* `task-7-email-the-reset-link` \(not pushed: no upstream branch\)/);
    assert.match(output.text, /- modified, not staged \(1\):\n {2}- `reset\.ts`/);
    assert.match(output.text, /- untracked \(1\):\n {2}- `mail\.ts`/);
    assert.match(output.text, /This branch is for:\*\*\n- \[AB#7\]/);
    assert.deepEqual(answer.workItems, ['AB#7']);
  });

  it('says a clean tree is clean, and that main names no work item', async () => {
    const { req, output } = f.request('git', 'status', noModel);
    await answerGit(req, f.services);
    assert.match(output.text, /Working tree:\*\* clean/);
    assert.match(output.text, /names no work item; `\/git branch AB#<id>` proposes one/);
  });

  it('proposes the branch for a work item with a Start Work button', async () => {
    const { req, output } = f.request('git', 'branch AB#7', noModel);
    await answerGit(req, f.services);
    assert.match(output.text, /```\ntask-7-email-the-reset-link\n```/);
    assert.equal(output.buttons[0]?.command, 'aiDevops.workItem.startWork');
    assert.deepEqual(output.buttons[0]?.arguments, [{ reference: { tracker: 'azureBoards', id: 7 }, key: 'AB#7' }]);
    git(repo, 'switch', '-q', '-c', 'task-7-email-the-reset-link');
    const again = f.request('git', 'branch AB#7', noModel);
    await answerGit(again.req, f.services);
    assert.match(again.output.text, /You are already on `task-7-email-the-reset-link`/);
  });

  it('drafts a commit message with AB#id from the staged diff through the model', async () => {
    git(repo, 'switch', '-q', '-c', 'task-7-email-the-reset-link');
    writeFileSync(path.join(repo, 'reset.ts'), 'export const ttl = 3600; // password=hunter2hunter2\n');
    git(repo, 'add', 'reset.ts');
    const { req, output } = f.request('git', 'commit', models.access);
    const answer = await answerGit(req, f.services);
    assert.match(output.text, /drafted by .* from the staged changes/);
    assert.match(output.text, /```\nfeat: implement the change described in the diff\n\n[\s\S]*\nAB#7\n```/);
    const sent = JSON.stringify(models.registry.sentPrompts.list().at(-1));
    assert.match(sent, /ttl = 3600/);
    assert.doesNotMatch(sent, /hunter2hunter2/, 'the diff is redacted before it reaches the model');
    assert.equal(answer.usedModel, true);
  });

  it('drafts from the file list without a model, and says how to get a model', async () => {
    writeFileSync(path.join(repo, 'reset.ts'), 'export const ttl = 3600;\n');
    const { req, output } = f.request('git', 'commit AB#8', noModel);
    await answerGit(req, f.services);
    assert.match(output.text, /drafted from the names of the files changed in the working tree \(nothing is staged\)/);
    assert.match(output.text, /```\nchore: reset form validation\n\nChanges: M reset\.ts\.\n\nAB#8\n```/);
    assert.ok(output.buttons.some((b) => b.command === 'aiDevops.selectModel'));
  });

  it('has nothing to commit on a clean tree, and says so outside a repository', async () => {
    const clean = f.request('git', 'commit', noModel);
    await answerGit(clean.req, f.services);
    assert.match(clean.output.text, /nothing to commit/);
    const notRepo = mkdtempSync(path.join(tmpdir(), 'chat-norepo-'));
    try {
      f.git = new WorkspaceGit(notRepo, TRUSTED);
      const r = f.request('git', '', noModel);
      await answerGit(r.req, f.services);
      assert.match(r.output.text, /not in a git repository/);
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
    f.git = undefined;
    const none = f.request('git', '', noModel);
    await answerGit(none.req, f.services);
    assert.match(none.output.text, /No folder is open/);
  });
});
