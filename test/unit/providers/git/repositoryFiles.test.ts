import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseGitConfig, readRepositoryRefs } from '../../../../src/providers/git/repositoryFiles';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';

/**
 * The tag and remote read from the repository's files must say what git says, and must step aside
 * (undefined: git is asked) for every layout they do not read exactly as git does.
 */
describe('repositoryFiles: tags and a remote without a git process', () => {
  const dirs: string[] = [];
  let home: string;
  let repo: string;
  const fresh = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'repofiles-'));
    dirs.push(d);
    return d;
  };
  const env = (): NodeJS.ProcessEnv => ({ HOME: home, PATH: process.env['PATH'] });
  // git itself, reading the same home and no system config, is the reference.
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env['PATH'], HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' } });
  const gitUrl = (cwd: string, remote: string): string | undefined => {
    try {
      return git(cwd, 'remote', 'get-url', remote).trim();
    } catch {
      return undefined;
    }
  };
  const gitHasTag = (cwd: string, name: string): boolean => git(cwd, 'for-each-ref', '--format=%(refname:strip=2)', 'refs/tags/').split('\n').includes(name);

  beforeEach(() => {
    home = fresh();
    repo = fresh();
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'chore: init');
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  if (process.platform === 'win32') return;

  it('reads the remote URL and loose and packed tags as git does', async () => {
    git(repo, 'remote', 'add', 'origin', 'https://github.com/octo/app.git');
    git(repo, 'remote', 'add', 'Upper', 'git@ssh.dev.azure.com:v3/org/proj/repo');
    git(repo, 'tag', 'v1.0.0');
    git(repo, 'tag', '-a', 'v1.1.0', '-m', 'annotated');
    git(repo, 'pack-refs', '--all');
    git(repo, 'tag', 'v1.2.0');
    git(repo, 'tag', 'web@1.0.0');
    git(repo, 'tag', 'nested/v2.0.0');
    const refs = await readRepositoryRefs(repo, 'origin', env());
    assert.ok(refs, 'a plain clone is read from its files');
    assert.equal(refs.remoteUrl, gitUrl(repo, 'origin'));
    for (const name of ['v1.0.0', 'v1.1.0', 'v1.2.0', 'web@1.0.0', 'nested/v2.0.0', 'v9.9.9', 'nested', 'v1.0', 'V1.2.0x']) assert.equal(refs.hasTag(name), gitHasTag(repo, name), name);
    // Subsections are exact, as in git: "upper" is not "Upper".
    assert.equal((await readRepositoryRefs(repo, 'Upper', env()))?.remoteUrl, gitUrl(repo, 'Upper'));
    assert.equal((await readRepositoryRefs(repo, 'upper', env()))?.remoteUrl, undefined);
    assert.equal(gitUrl(repo, 'upper'), undefined);
  });

  it('says there is no remote when none is configured, and reads from a subfolder and a linked worktree', async () => {
    assert.equal((await readRepositoryRefs(repo, 'origin', env()))?.remoteUrl, undefined);
    git(repo, 'remote', 'add', 'origin', 'https://dev.azure.com/org/proj/_git/repo');
    git(repo, 'tag', 'v3.0.0');
    mkdirSync(path.join(repo, 'packages', 'web'), { recursive: true });
    const sub = await readRepositoryRefs(path.join(repo, 'packages', 'web'), 'origin', env());
    assert.equal(sub?.remoteUrl, 'https://dev.azure.com/org/proj/_git/repo');
    const wt = path.join(fresh(), 'wt');
    git(repo, 'worktree', 'add', '-q', wt);
    const linked = await readRepositoryRefs(wt, 'origin', env());
    assert.ok(linked, 'a linked worktree reads the shared refs and config');
    assert.equal(linked.remoteUrl, gitUrl(wt, 'origin'));
    assert.equal(linked.hasTag('v3.0.0'), true);
  });

  it('leaves to git whatever it does not read exactly: rewrites, includes, quoting, reftable, odd names', async () => {
    const config = path.join(repo, '.git', 'config');
    git(repo, 'remote', 'add', 'origin', 'https://github.com/octo/app.git');
    const base = await readRepositoryRefs(repo, 'origin', env());
    assert.ok(base);
    assert.equal(base.hasTag('../../config'), undefined, 'a name that leaves refs/tags is not looked up on disk');
    assert.equal(base.hasTag('.hidden/v1'), undefined);

    // url.<base>.insteadOf in the user's config changes what `git remote get-url` prints.
    writeFileSync(path.join(home, '.gitconfig'), '[url "https://mirror.example.com/"]\n\tinsteadOf = https://github.com/\n');
    assert.equal(await readRepositoryRefs(repo, 'origin', env()), undefined);
    assert.equal(gitUrl(repo, 'origin'), 'https://mirror.example.com/octo/app.git');
    rmSync(path.join(home, '.gitconfig'));

    const attempts: [string, string][] = [
      ['[include]\n\tpath = other.config\n', 'an include'],
      ['[includeIf "gitdir:/x/"]\n\tpath = other.config\n', 'a conditional include'],
      ['[remote "origin"]\n\tpushurl = "quoted # value"\n', 'a quoted value'],
      ['[extensions]\n\trefStorage = reftable\n', 'reftable'],
      ['[remote.origin]\n\tfetch = x\n', 'the old subsection form'],
    ];
    const original = git(repo, 'config', '--list', '--local');
    for (const [text, what] of attempts) {
      appendFileSync(config, text);
      assert.equal(await readRepositoryRefs(repo, 'origin', env()), undefined, what);
      rmSync(config);
      writeFileSync(config, '');
      for (const line of original.trim().split('\n')) {
        const eq = line.indexOf('=');
        git(repo, 'config', '--add', line.slice(0, eq), line.slice(eq + 1));
      }
    }
    assert.ok(await readRepositoryRefs(repo, 'origin', env()), 'the restored config reads again');
    // A remote of the same name in the user's config adds to this one.
    writeFileSync(path.join(home, '.gitconfig'), '[remote "origin"]\n\turl = https://elsewhere.example.com/r.git\n');
    assert.equal(await readRepositoryRefs(repo, 'origin', env()), undefined);
    rmSync(path.join(home, '.gitconfig'));
    // Variables that move the repository or its config.
    for (const v of ['GIT_DIR', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_COUNT', 'GIT_CEILING_DIRECTORIES']) assert.equal(await readRepositoryRefs(repo, 'origin', { ...env(), [v]: '/x' }), undefined, v);
    assert.equal(await readRepositoryRefs(repo, 'origin', { PATH: process.env['PATH'] }), undefined, 'no HOME');
    // Legacy remotes files.
    mkdirSync(path.join(repo, '.git', 'remotes'));
    writeFileSync(path.join(repo, '.git', 'remotes', 'origin'), 'URL: https://legacy.example.com/r.git\n');
    assert.equal(await readRepositoryRefs(repo, 'origin', env()), undefined);
  });

  it('finds no repository where there is none, and steps aside for a bare one', async () => {
    const plain = fresh();
    assert.equal(await readRepositoryRefs(plain, 'origin', env()), undefined);
    const bare = fresh();
    git(bare, 'init', '-q', '--bare');
    assert.equal(await readRepositoryRefs(bare, 'origin', env()), undefined);
  });

  it('parses git config sections, keys and values, and refuses what it cannot place', () => {
    assert.deepEqual(parseGitConfig('# c\n[Core]\n\tbare = false ; c\n[remote "Or igin"]\nURL=https://x/y\n\tfetch\n'), [
      { section: 'core', subsection: undefined, key: 'bare', value: 'false' },
      { section: 'remote', subsection: 'Or igin', key: 'url', value: 'https://x/y' },
      { section: 'remote', subsection: 'Or igin', key: 'fetch', value: 'true' },
    ]);
    for (const bad of ['url = x\n', '[remote "o"]\n\turl = a\\\n b\n', '[remote "o"]\n\turl = a # b\n', '[remote "o"] url = a\n', '[remote "o\\"x"]\n', '[core]\n\t= x\n']) assert.equal(parseGitConfig(bad), undefined, bad);
  });

  it('WorkspaceGit.tagsAndRemote gives the same answer from the files and from git', async () => {
    git(repo, 'remote', 'add', 'origin', 'https://user:secret@github.com/octo/app.git');
    git(repo, 'tag', 'v1.0.0');
    const ws = new WorkspaceGit(repo, { trusted: () => true });
    const fromFiles = await ws.tagsAndRemote('origin');
    assert.equal(fromFiles.remoteUrl, 'https://github.com/octo/app.git', 'credentials are stripped');
    assert.equal(await fromFiles.hasTag('v1.0.0'), true);
    assert.equal(await fromFiles.hasTag('v2.0.0'), false);
    assert.equal(await fromFiles.hasTag('.odd'), false, 'a name not looked up on disk is asked of git');
    // An include makes it ask git, with the same answers.
    appendFileSync(path.join(repo, '.git', 'config'), '[include]\n\tpath = nothing-here.config\n');
    const fromGit = await ws.tagsAndRemote('origin');
    assert.equal(fromGit.remoteUrl, 'https://github.com/octo/app.git');
    assert.equal(await fromGit.hasTag('v1.0.0'), true);
    assert.equal(await fromGit.hasTag('v2.0.0'), false);
    await assert.rejects(ws.tagsAndRemote('--upload-pack=evil'), /not a remote name/);
    await assert.rejects(new WorkspaceGit(repo, { trusted: () => false }).tagsAndRemote('origin'), /Restricted Mode/i);
  });
});
