import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevOpsError } from '../../../../src/core/errors';
import { capText, WorkspaceGit } from '../../../../src/providers/git/workspaceGit';

const TRUSTED = { trusted: () => true };

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
}

async function rejectsWith(promise: Promise<unknown>, code: DevOpsError['code'], pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DevOpsError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('WorkspaceGit (real temp repositories)', () => {
  let dir: string;
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'wsgit-'));
    dirs.push(d);
    return d;
  };
  const initRepo = (d: string, branch = 'main'): void => {
    git(d, 'init', '-q', '-b', branch);
    git(d, 'config', 'commit.gpgsign', 'false');
  };
  const commit = (d: string, file: string, content: string, message: string): void => {
    writeFileSync(path.join(d, file), content);
    git(d, 'add', file);
    git(d, 'commit', '-q', '-m', message);
  };

  beforeEach(() => {
    dir = fresh();
    initRepo(dir);
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('tells a repository from a plain folder and a missing one', async () => {
    assert.equal(await new WorkspaceGit(dir, TRUSTED).isRepository(), true);
    const plain = fresh();
    assert.equal(await new WorkspaceGit(plain, TRUSTED).isRepository(), false);
    assert.equal(await new WorkspaceGit(path.join(plain, 'missing'), TRUSTED).isRepository(), false);
  });

  it('gives a clear error outside a repository', async () => {
    const plain = fresh();
    const g = new WorkspaceGit(plain, TRUSTED);
    await rejectsWith(g.currentBranch(), 'notConfigured', /not in a git repository.*git init/);
    await rejectsWith(g.status(), 'notConfigured', /not in a git repository/);
    await rejectsWith(g.createBranch('task-1-x', 'main'), 'notConfigured', /not in a git repository/);
    await rejectsWith(g.diff(), 'notConfigured', /not in a git repository/);
  });

  it('gives a clear error on a repository with no commits', async () => {
    const g = new WorkspaceGit(dir, TRUSTED);
    assert.equal(await g.currentBranch(), 'main');
    const status = await g.status();
    assert.equal(status.unborn, true);
    await rejectsWith(g.defaultBranch(), 'refused', /no commits yet.*first commit/);
    await rejectsWith(g.createBranch('task-1-x', 'main'), 'refused', /no commits yet/);
    await rejectsWith(g.recentCommits(), 'refused', /no commits yet/);
  });

  it('reads the current branch, detached HEAD as undefined', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    commit(dir, 'a.txt', 'b\n', 'second');
    const g = new WorkspaceGit(dir, TRUSTED);
    assert.equal(await g.currentBranch(), 'main');
    git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    assert.equal(await g.currentBranch(), undefined);
    assert.equal((await g.status()).branch, undefined);
  });

  it('finds the default branch: origin/HEAD first, else main, else master', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    assert.equal(await new WorkspaceGit(dir, TRUSTED).defaultBranch(), 'main');

    const master = fresh();
    initRepo(master, 'master');
    commit(master, 'a.txt', 'a\n', 'first');
    git(master, 'checkout', '-q', '-b', 'topic');
    assert.equal(await new WorkspaceGit(master, TRUSTED).defaultBranch(), 'master');

    // A clone of a repository whose default branch is "develop" gets origin/HEAD -> origin/develop.
    const upstream = fresh();
    initRepo(upstream, 'develop');
    commit(upstream, 'a.txt', 'a\n', 'first');
    const clone = fresh();
    git(clone, 'clone', '-q', upstream, 'c');
    const cloneDir = path.join(clone, 'c');
    git(cloneDir, 'checkout', '-q', '-b', 'main');
    assert.equal(await new WorkspaceGit(cloneDir, TRUSTED).defaultBranch(), 'develop');

    const other = fresh();
    initRepo(other, 'trunk');
    commit(other, 'a.txt', 'a\n', 'first');
    await rejectsWith(new WorkspaceGit(other, TRUSTED).defaultBranch(), 'notFound', /origin\/HEAD is not set.*no main or master/);
  });

  it('summarises the status', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    commit(dir, 'b.txt', 'b\n', 'second');
    writeFileSync(path.join(dir, 'a.txt'), 'changed\n');
    writeFileSync(path.join(dir, 'new.txt'), 'n\n');
    writeFileSync(path.join(dir, 'staged.txt'), 's\n');
    git(dir, 'add', 'staged.txt');
    const s = await new WorkspaceGit(dir, TRUSTED).status();
    assert.equal(s.branch, 'main');
    assert.deepEqual(s.staged, ['staged.txt']);
    assert.deepEqual(s.modified, ['a.txt']);
    assert.deepEqual(s.untracked, ['new.txt']);
    assert.deepEqual(s.conflicted, []);
    assert.equal(s.clean, false);
    assert.equal(s.unborn, false);
    assert.equal(s.operation, undefined);
  });

  it('creates a branch from the default branch and checks it out', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    git(dir, 'checkout', '-q', '-b', 'elsewhere');
    commit(dir, 'b.txt', 'b\n', 'on elsewhere');
    const g = new WorkspaceGit(dir, TRUSTED);
    const result = await g.createBranch('task-12-fix-login', 'main');
    assert.deepEqual(result, { branch: 'task-12-fix-login', from: 'main', created: true });
    assert.equal(await g.currentBranch(), 'task-12-fix-login');
    // Made from main, not from the branch that was checked out.
    assert.equal(git(dir, 'rev-parse', 'HEAD').trim(), git(dir, 'rev-parse', 'main').trim());
    // Again: the existing branch is checked out, not re-created.
    git(dir, 'checkout', '-q', 'elsewhere');
    assert.deepEqual(await g.createBranch('task-12-fix-login', 'main'), { branch: 'task-12-fix-login', from: 'main', created: false });
    assert.deepEqual(await g.createBranch('task-12-fix-login', 'main'), { branch: 'task-12-fix-login', from: 'main', created: false });
  });

  it('starts from origin/<branch> when there is no local branch of that name', async () => {
    const upstream = fresh();
    initRepo(upstream, 'main');
    commit(upstream, 'a.txt', 'a\n', 'first');
    const holder = fresh();
    git(holder, 'clone', '-q', upstream, 'c');
    const cloneDir = path.join(holder, 'c');
    git(cloneDir, 'checkout', '-q', '-b', 'topic');
    git(cloneDir, 'branch', '-q', '-D', 'main');
    const result = await new WorkspaceGit(cloneDir, TRUSTED).createBranch('task-3-x', 'main');
    assert.equal(result.from, 'origin/main');
    assert.equal(result.created, true);
  });

  it('carries uncommitted changes that do not clash', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    writeFileSync(path.join(dir, 'a.txt'), 'local edit\n');
    const g = new WorkspaceGit(dir, TRUSTED);
    await g.createBranch('task-1-carry', 'main');
    assert.equal(await g.currentBranch(), 'task-1-carry');
    assert.deepEqual((await g.status()).modified, ['a.txt']);
  });

  it('refuses when the switch would overwrite uncommitted changes, and changes nothing', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    git(dir, 'checkout', '-q', '-b', 'topic');
    commit(dir, 'a.txt', 'topic version\n', 'topic change');
    writeFileSync(path.join(dir, 'a.txt'), 'uncommitted\n');
    const g = new WorkspaceGit(dir, TRUSTED);
    await rejectsWith(g.createBranch('task-2-x', 'main'), 'refused', /uncommitted changes to a\.txt would be overwritten.*Commit or stash/);
    assert.equal(await g.currentBranch(), 'topic');
    assert.equal(git(dir, 'branch', '--list', 'task-2-x').trim(), '');
  });

  it('refuses during a merge with conflicts', async () => {
    commit(dir, 'a.txt', 'base\n', 'first');
    git(dir, 'checkout', '-q', '-b', 'other');
    commit(dir, 'a.txt', 'other\n', 'other');
    git(dir, 'checkout', '-q', 'main');
    commit(dir, 'a.txt', 'main\n', 'main');
    try {
      git(dir, 'merge', '-q', 'other');
    } catch {
      // The conflict is the point.
    }
    const g = new WorkspaceGit(dir, TRUSTED);
    const s = await g.status();
    assert.equal(s.operation, 'merge');
    assert.deepEqual(s.conflicted, ['a.txt']);
    await rejectsWith(g.createBranch('task-4-x', 'main'), 'refused', /merge is in progress.*git merge --abort/);
  });

  it('refuses an invalid branch name and an unknown base', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    const g = new WorkspaceGit(dir, TRUSTED);
    await rejectsWith(g.createBranch('bad..name', 'main'), 'invalidInput', /not a valid branch name/);
    await rejectsWith(g.createBranch('task-5-x', 'nope'), 'notFound', /nope does not exist/);
  });

  it('diffs the staged changes, else the working tree, capped in size', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    commit(dir, 'b.txt', 'b\n', 'second');
    const g = new WorkspaceGit(dir, TRUSTED);
    const none = await g.diff();
    assert.equal(none.text, '');
    assert.equal(none.source, 'workingTree');

    writeFileSync(path.join(dir, 'a.txt'), 'a changed\n');
    const work = await g.diff();
    assert.equal(work.source, 'workingTree');
    assert.deepEqual(work.files, ['a.txt']);
    assert.match(work.text, /\+a changed/);

    writeFileSync(path.join(dir, 'b.txt'), 'b changed\n');
    git(dir, 'add', 'b.txt');
    const staged = await g.diff();
    assert.equal(staged.source, 'staged');
    assert.deepEqual(staged.files, ['b.txt']);
    assert.match(staged.text, /\+b changed/);
    assert.doesNotMatch(staged.text, /a changed/);

    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} é`).join('\n');
    writeFileSync(path.join(dir, 'a.txt'), lines);
    git(dir, 'add', 'a.txt');
    const capped = await new WorkspaceGit(dir, { ...TRUSTED, maxDiffBytes: 1000 }).diff();
    assert.equal(capped.truncated, true);
    assert.ok(Buffer.byteLength(capped.text) <= 1000);
    assert.ok(capped.totalBytes > 1000);
    assert.ok(capped.text.endsWith('\n'));
  });

  it('lists recent commits, newest first', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    commit(dir, 'a.txt', 'b\n', 'second');
    commit(dir, 'a.txt', 'c\n', 'third');
    const commits = await new WorkspaceGit(dir, TRUSTED).recentCommits(2);
    assert.deepEqual(commits.map((c) => c.subject), ['third', 'second']);
    assert.equal(commits[0]!.shortHash, commits[0]!.hash.slice(0, 7));
    assert.equal(commits[0]!.author, 'Test');
    assert.ok(!Number.isNaN(Date.parse(commits[0]!.date)));
  });

  it('stops on cancellation', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(new WorkspaceGit(dir, TRUSTED).status(controller.signal), 'cancelled', /Cancelled/);
  });

  describe('Restricted Mode: a .git/config core.fsmonitor payload (issue 10, item 2)', () => {
    let marker: string;
    beforeEach(() => {
      commit(dir, 'a.txt', 'a\n', 'first');
      marker = path.join(fresh(), 'fsmonitor-ran');
      const payload = path.join(fresh(), 'payload.cjs');
      writeFileSync(payload, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
      // What a copied folder or an unpacked archive can carry: git runs this on every status.
      git(dir, 'config', 'core.fsmonitor', `"${process.execPath}" "${payload}"`);
    });

    it('the payload is real: git runs it when the folder is trusted (what every call did before)', async () => {
      await new WorkspaceGit(dir, TRUSTED).status();
      assert.equal(existsSync(marker), true, 'git status ran core.fsmonitor');
    });

    it('in an untrusted folder no git process starts, so the payload never runs', async () => {
      const g = new WorkspaceGit(dir, { trusted: () => false });
      for (const call of [() => g.isRepository(), () => g.status(), () => g.currentBranch(), () => g.defaultBranch(), () => g.diff(), () => g.recentCommits(3), () => g.createBranch('task-1-x', 'main'), () => g.push('origin', ['main'])]) {
        await rejectsWith(call(), 'refused', /Restricted Mode, so AI DevOps runs no program in it, git included.*Manage Workspace Trust/);
      }
      assert.equal(existsSync(marker), false, 'the fsmonitor payload ran');
    });

    it('trust is asked at each call: granting it later lets git run', async () => {
      let trusted = false;
      const g = new WorkspaceGit(dir, { trusted: () => trusted });
      await rejectsWith(g.status(), 'refused', /Restricted Mode/);
      trusted = true;
      assert.equal((await g.status()).clean, true);
    });
  });

  it('works from a subfolder of the repository', async () => {
    commit(dir, 'a.txt', 'a\n', 'first');
    const sub = path.join(dir, 'packages', 'web');
    mkdirSync(sub, { recursive: true });
    const g = new WorkspaceGit(sub, TRUSTED);
    assert.equal(await g.isRepository(), true);
    assert.equal(await g.defaultBranch(), 'main');
  });
});

describe('capText', () => {
  it('leaves short text alone and cuts long text at a line end', () => {
    assert.deepEqual(capText('abc\n', 10), { text: 'abc\n', truncated: false, totalBytes: 4 });
    assert.deepEqual(capText('abc\ndef\nghi\n', 9), { text: 'abc\ndef\n', truncated: true, totalBytes: 12 });
  });
  it('never splits a multi-byte character', () => {
    const r = capText('ééééé', 5);
    assert.equal(r.text, 'éé');
    assert.equal(r.truncated, true);
  });
});
