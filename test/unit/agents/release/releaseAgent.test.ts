import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { promises as fs, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { releaseAgent } from '../../../../src/agents/release/releaseAgent';
import { gitExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { main } from '../../../../src/cli/main';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { FakeLogger } from '../../fakes/fakeLogger';
import { makeHarness, type Harness } from '../runtime/harness';
import { FixtureRepo } from './fixtureRepo';

const GOLDEN = path.join(__dirname, 'golden');
const golden = (name: string): string => readFileSync(path.join(GOLDEN, name), 'utf8');
/** Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change of format. */
function matchesGolden(actual: string, name: string): void {
  if (process.env.UPDATE_GOLDEN) writeFileSync(path.join(GOLDEN, name), actual);
  assert.equal(actual, golden(name));
}

const PACKAGE_JSON = '{\n  "name": "demo-app",\n  "version": "1.2.3",\n  "private": true,\n  "scripts": { "test": "node test.js" }\n}\n';
const LOCK = '{\n  "name": "demo-app",\n  "version": "1.2.3",\n  "lockfileVersion": 3,\n  "requires": true,\n  "packages": {\n    "": {\n      "name": "demo-app",\n      "version": "1.2.3"\n    },\n    "node_modules/dep": {\n      "version": "1.2.3"\n    }\n  }\n}\n';
const CSPROJ = '\uFEFF<Project Sdk="Microsoft.NET.Sdk">\r\n  <PropertyGroup>\r\n    <Version>1.2.3</Version>\r\n  </PropertyGroup>\r\n</Project>\r\n';
const CHANGELOG = '# Changelog\n\nNotes by hand stay as they are.\n\n## [Unreleased]\n\n- something not released yet\n\n## [1.2.3] - 2025-12-01\n\n### Fixed\n\n- an old fix\n';

/** A workspace with a release history: v1.2.3 tagged, then a feature, fixes, a docs change, a merged PR. */
function buildHistory(repo: FixtureRepo): void {
  repo.write('package.json', PACKAGE_JSON).write('package-lock.json', LOCK).write('CHANGELOG.md', CHANGELOG).write('src/App/App.csproj', CSPROJ);
  repo.commit('chore: init');
  repo.tag('v1.2.3');
  repo.commit('feat(search): search by tag AB#12');
  repo.commit('fix: crash when the list is empty\n\nFixes AB#15');
  repo.commit('docs: explain search');
  repo.branch('topic');
  repo.commit('perf: cache the index');
  repo.checkout('main');
  repo.merge('topic', 'Merge pull request #7 from contoso/topic');
}

describe('release agent (plan and apply on a fixture repository)', function () {
  this.timeout(60_000);
  let h: Harness;
  let repo: FixtureRepo;
  let bare: string;

  beforeEach(async () => {
    h = await makeHarness({ executors: gitExecutors({ trackers: { azure: () => undefined, github: () => undefined }, git: (r) => new WorkspaceGit(r, { trusted: () => true }), log: new FakeLogger() }) });
    (h.services as { git: unknown }).git = async (root: string) => new WorkspaceGit(root, { trusted: () => true });
    repo = new FixtureRepo(h.root);
    buildHistory(repo);
    bare = realpathSync(mkdtempSync(path.join(tmpdir(), 'release-remote-')));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    repo.git('remote', 'add', 'origin', bare);
    repo.git('push', '-q', 'origin', 'main', 'v1.2.3');
  });
  afterEach(async () => {
    await h.dispose();
    rmSync(bare, { recursive: true, force: true });
  });

  it('plans 1.3.0 from the commits since v1.2.3 and changes nothing', async () => {
    const status = (): string => execFileSync('git', ['status', '--porcelain'], { cwd: h.root, encoding: 'utf8' }).split('\n').filter((l) => !l.includes('.devops/')).join('\n');
    const before = status();
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: {}, mode: 'apply' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const r = result.plan!.result!;
    assert.equal(r.currentVersion, '1.2.3');
    assert.equal(r.nextVersion, '1.3.0');
    assert.equal(r.releaseType, 'minor');
    const commits = r.commits as { hash: string; type: string; subject: string; breaking: boolean; workItems: string[] }[];
    assert.deepEqual(commits.map((c) => `${c.type}: ${c.subject}`), ['perf: cache the index', 'docs: explain search', 'fix: crash when the list is empty', 'feat: search by tag AB#12']);
    assert.deepEqual(commits.map((c) => c.workItems), [[], [], ['AB#15'], ['AB#12']]);
    assert.equal(result.plan!.edits.length, 0);
    assert.equal(result.plan!.remote.length, 0);
    assert.deepEqual(result.applied, { edits: [], commands: [], remote: [] });
    assert.equal(status(), before);
    assert.match(result.plan!.notes.join('\n'), /Azure Boards is not connected/);
    matchesGolden((r.notes as string).replace(/\d{4}-\d{2}-\d{2}/, 'DATE'), 'notes-1.3.0.md');
  });

  it('applies: CHANGELOG.md (golden), package.json and its lockfile byte-exact but the version, a release commit, an annotated tag pushed to the remote', async () => {
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'apply', input: {}, mode: 'apply' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual([...result.applied.edits].sort(), ['CHANGELOG.md', 'package-lock.json', 'package.json', 'src/App/App.csproj']);
    // The byte order mark and CRLF line ends of the project file stay; only the version's characters change.
    assert.deepEqual(await fs.readFile(path.join(h.root, 'src/App/App.csproj')), Buffer.from(CSPROJ.replace('1.2.3', '1.3.0'), 'utf8'));
    assert.equal(await h.read('package.json'), PACKAGE_JSON.replace('"1.2.3"', '"1.3.0"'));
    assert.equal(await h.read('package-lock.json'), LOCK.replace('"version": "1.2.3",\n  "lockfileVersion"', '"version": "1.3.0",\n  "lockfileVersion"').replace('"name": "demo-app",\n      "version": "1.2.3"', '"name": "demo-app",\n      "version": "1.3.0"'));
    assert.match((await h.read('package-lock.json'))!, /"node_modules\/dep": \{\n {6}"version": "1\.2\.3"/, 'a dependency with the same version is left alone');
    matchesGolden((await h.read('CHANGELOG.md'))!.replace(/\d{4}-\d{2}-\d{2}(?=\n)/, 'DATE'), 'CHANGELOG-after-1.3.0.md');
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'chore(release): 1.3.0');
    assert.equal(repo.git('cat-file', '-t', 'v1.3.0').trim(), 'tag', 'an annotated tag');
    assert.equal(execFileSync('git', ['rev-parse', 'v1.3.0^{commit}'], { cwd: bare, encoding: 'utf8' }).trim(), repo.git('rev-parse', 'HEAD').trim());
    assert.equal(execFileSync('git', ['rev-parse', 'main'], { cwd: bare, encoding: 'utf8' }).trim(), repo.git('rev-parse', 'HEAD').trim());
    assert.deepEqual(result.applied.remote.map((x) => `${x.kind}:${x.outcome}`), ['git.tag:applied', 'git.push:applied']);
    const events = await h.events();
    assert.ok(events.some((e) => e.eventType === 'remote.applied' && (e.metadata as { kind?: string }).kind === 'git.tag'));

    // The next plan starts from the new tag: nothing to release.
    const again = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.equal(again.plan!.result!.nextVersion, null);
    assert.equal(again.plan!.result!.currentVersion, '1.3.0');
  });

  it('declined: nothing is written, committed or tagged', async () => {
    h.ui.review = async () => undefined;
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'apply', input: {}, mode: 'apply' });
    assert.equal(result.outcome, 'declined');
    assert.equal(await h.read('package.json'), PACKAGE_JSON);
    assert.equal(repo.git('tag', '--list', 'v1.3.0').trim(), '');
  });

  it('a rejected push (the remote moved on) fails the run and says so; the tag stays local', async () => {
    const other = realpathSync(mkdtempSync(path.join(tmpdir(), 'release-other-')));
    try {
      execFileSync('git', ['clone', '-q', bare, other]);
      writeFileSync(path.join(other, 'x.txt'), 'x');
      execFileSync('git', ['-c', 'user.name=o', '-c', 'user.email=o@x', 'commit', '-qam', 'x', '--allow-empty'], { cwd: other });
      execFileSync('git', ['add', '-A'], { cwd: other });
      execFileSync('git', ['-c', 'user.name=o', '-c', 'user.email=o@x', 'commit', '-qm', 'fix: elsewhere'], { cwd: other });
      execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: other });
      const result = await runAgent(h.services, { agent: releaseAgent, action: 'apply', input: {}, mode: 'apply' });
      assert.equal(result.outcome, 'failed');
      assert.match(result.error!, /refused the push because it has commits this copy does not/);
      assert.equal(execFileSync('git', ['tag', '--list', 'v1.3.0'], { cwd: bare, encoding: 'utf8' }).trim(), '');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('a commit subject cannot inject Markdown links or HTML into the notes', async () => {
    repo.commit('fix: [click](https://evil.example) <img src=x onerror=alert(1)>');
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    const notes = result.plan!.result!.notes as string;
    assert.doesNotMatch(notes, /[^\\]\]\(https:\/\/evil/);
    assert.doesNotMatch(notes, /[^\\]<img/);
    assert.match(notes, /\\\[click\\\]\(https:\/\/evil\.example\) \\<img src=x onerror=alert\(1\)\\>/);
  });

  it('a pre-release continues its series and --stable leaves it', async () => {
    repo.git('tag', '-a', 'v1.3.0-rc.0', '-m', 'rc');
    repo.commit('fix: rc feedback');
    let result = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.equal(result.plan!.result!.nextVersion, '1.3.0-rc.1');
    result = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: { stable: true }, mode: 'plan' });
    assert.equal(result.plan!.result!.nextVersion, '1.3.0');
  });

  it('refuses bad input with the field named', async () => {
    await assert.rejects(runAgent(h.services, { agent: releaseAgent, action: 'plan', input: { package: '../outside' }, mode: 'plan' }), /package: a folder inside the workspace/);
    await assert.rejects(runAgent(h.services, { agent: releaseAgent, action: 'plan', input: { releaseAs: 'huge' }, mode: 'plan' }), /releaseAs/);
    const past = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: { releaseAs: '1.0.0' }, mode: 'plan' });
    assert.equal(past.outcome, 'failed');
    assert.match(past.error!, /not after the current version 1\.2\.3/);
  });

  it('without git history it says what to do', async () => {
    (h.services as { git: unknown }).git = async () => undefined;
    const result = await runAgent(h.services, { agent: releaseAgent, action: 'plan', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error!, /not a git repository/);
  });

  it('ai-devops release plan --json prints the release document', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const stderr = new PassThrough();
    stderr.resume();
    const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const code = await main({ argv: ['release', 'plan', h.root, '--json'], env: { XDG_STATE_HOME: path.join(h.root, '..', `state-${path.basename(h.root)}`) }, cwd: h.root, stdout, stderr, stdin });
    assert.equal(code, 0);
    const doc = JSON.parse(out) as Record<string, unknown>;
    assert.equal(doc.currentVersion, '1.2.3');
    assert.equal(doc.nextVersion, '1.3.0');
    assert.equal(doc.releaseType, 'minor');
    assert.ok(Array.isArray(doc.commits) && (doc.commits as { hash: string }[]).every((c) => /^[0-9a-f]{40}$/.test(c.hash)));
    assert.match(String(doc.notes), /### Features/);
    assert.equal((doc.run as { outcome: string }).outcome, 'succeeded');
    await fs.rm(path.join(h.root, '..', `state-${path.basename(h.root)}`), { recursive: true, force: true });
  });
});
