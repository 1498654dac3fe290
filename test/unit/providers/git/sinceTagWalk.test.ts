import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isReleaseTag, lastReleaseTag } from '../../../../src/agents/release/history';
import { parseWalkRecord, SinceTagWalk } from '../../../../src/providers/git/sinceTagWalk';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { random } from '../../core/todo/randomText';

/**
 * The one-walk history read must pick exactly the commits of `git rev-list tag..HEAD` and the tag
 * the two-step read (tags in `git log --date-order`, then the range) picks. Histories are random:
 * branches off random commits, merges, tags on any line (release tags and others), and commit
 * dates that sometimes go backwards (clock skew), which is where `--date-order` and plain date
 * order part ways.
 */
function randomHistory(seed: number): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'since-tag-walk-')));
  const next = random(seed);
  const pick = (n: number): number => 1 + Math.floor(next() * n);
  // Written with git fast-import in one process: any shape of history, dates chosen freely.
  const lines: string[] = [];
  let t = 1_767_225_600;
  let releases = 0;
  const COMMITS = 120;
  for (let i = 1; i <= COMMITS; i++) {
    // Mostly forward, sometimes an hour back (a commit made on a machine with a wrong clock).
    t += next() < 0.2 ? -3600 : 60 + Math.floor(next() * 600);
    const message = `${['feat', 'fix', 'chore'][i % 3]}: change ${i}`;
    lines.push('commit refs/heads/main', `mark :${i}`, `author R <r@example.com> ${t} +0000`, `committer R <r@example.com> ${t} +0000`, `data ${Buffer.byteLength(message)}`, message);
    if (i > 1) {
      // A parent among the recent commits (branches), sometimes a second one (a merge).
      const first = i - pick(Math.min(i - 1, 8));
      lines.push(`from :${first}`);
      if (i > 3 && next() < 0.3) {
        const second = i - pick(Math.min(i - 1, 20));
        if (second !== first) lines.push(`merge :${second}`);
      }
    }
    lines.push(`M 644 inline f${i}.txt`, `data ${String(i).length}`, String(i), '');
    if (next() < 0.12) lines.push(`reset refs/tags/v1.${++releases}.0`, `from :${i}`, '');
    else if (next() < 0.05) lines.push(`reset refs/tags/nightly-${i}`, `from :${i}`, '');
  }
  // HEAD merges the last commit with a few older lines, so most of the history is reachable.
  lines.push('commit refs/heads/main', `mark :${COMMITS + 1}`, `author R <r@example.com> ${t + 60} +0000`, `committer R <r@example.com> ${t + 60} +0000`, 'data 5', 'merge', `from :${COMMITS}`, `merge :${COMMITS - 9}`, `merge :${COMMITS - 17}`, '');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: lines.join('\n') + '\n' });
  return dir;
}

describe('git: the history since the last release tag in one walk', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    it(`picks the same tag and exactly tag..HEAD (random history, seed ${seed})`, async () => {
      const dir = randomHistory(seed);
      dirs.push(dir);
      const git = new WorkspaceGit(dir, { trusted: () => true });
      const walk = await git.historySinceTag((name) => isReleaseTag(name, 'v'));
      const expectedTag = lastReleaseTag(await git.reachableTags(), 'v');
      assert.equal(walk.tag?.name, expectedTag?.tag);
      assert.equal(walk.head, (await git.headCommit()).trim());
      const range = expectedTag ? `${expectedTag.tag}..HEAD` : 'HEAD';
      const expected = execFileSync('git', ['rev-list', range], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean).sort();
      assert.deepEqual(walk.commits.map((c) => c.hash).sort(), expected);
      // The same messages and parents as the two-step read.
      const twoStep = await git.commitsSince(expectedTag?.tag);
      const byHash = new Map(twoStep.map((c) => [c.hash, c]));
      for (const c of walk.commits) {
        const { hash, parents, message } = byHash.get(c.hash)!;
        assert.deepEqual(c, { hash, parents, message });
      }
    });
  }

  it('reads records that git\'s output splits across chunks: messages longer than a chunk, many records in one', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'since-tag-walk-chunks-')));
    dirs.push(dir);
    const lines: string[] = [];
    let t = 1_767_225_600;
    for (let i = 1; i <= 400; i++) {
      // Every 50th message is longer than a pipe's 64 KiB, with multi-byte characters in it.
      const body = i % 50 === 0 ? `\n\n${'Ünïcödé body line, ends here.\n'.repeat(4000)}` : i % 7 === 0 ? `\n\nRefs AB#${i}` : '';
      const message = `${['feat', 'fix', 'chore'][i % 3]}: change ${i}${body}`;
      lines.push('commit refs/heads/main', `mark :${i}`, `author R <r@example.com> ${(t += 60)} +0000`, `committer R <r@example.com> ${t} +0000`, `data ${Buffer.byteLength(message)}`, message);
      if (i > 1) lines.push(`from :${i - 1}`);
      lines.push(`M 644 inline f${i % 5}.txt`, `data ${String(i).length}`, String(i), '');
      if (i === 1) lines.push('reset refs/tags/v1.0.0', 'from :1', '');
    }
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: lines.join('\n') + '\n' });
    execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: dir });
    const git = new WorkspaceGit(dir, { trusted: () => true });
    const walk = await git.historySinceTag((name) => isReleaseTag(name, 'v'));
    const twoStep = await git.commitsSince('v1.0.0');
    assert.equal(walk.tag?.name, 'v1.0.0');
    assert.equal(walk.commits.length, 399);
    assert.deepEqual(walk.commits, twoStep.map(({ hash, parents, message }) => ({ hash, parents, message })));
  });

  it('stops reading once nothing later can be in the range', () => {
    const walk = new SinceTagWalk((n) => n === 'v1');
    const c = (hash: string, parents: string[]) => ({ hash, parents, message: 'm' });
    assert.equal(walk.add(c('d', ['c', 'x']), []), true);
    assert.equal(walk.add(c('c', ['b']), []), true);
    assert.equal(walk.add(c('x', ['b']), []), true);
    // b is the tag: its ancestors are out, and nothing in the range waits for a parent.
    assert.equal(walk.add(c('b', ['a']), ['v1']), false);
    assert.deepEqual(walk.result().commits.map((x) => x.hash), ['d', 'c', 'x']);
  });

  it('a repository without commits has no history; a folder that is not one is told so', async () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'since-tag-walk-empty-')));
    dirs.push(dir);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const walk = await new WorkspaceGit(dir, { trusted: () => true }).historySinceTag(() => true);
    assert.equal(walk.head, undefined);
    assert.deepEqual(walk.commits, []);
    const plain = realpathSync(mkdtempSync(path.join(tmpdir(), 'since-tag-walk-plain-')));
    dirs.push(plain);
    await assert.rejects(new WorkspaceGit(plain, { trusted: () => true }).historySinceTag(() => true), /not in a git repository/);
    await assert.rejects(new WorkspaceGit(dir, { trusted: () => false }).historySinceTag(() => true), /Restricted Mode/);
  });

  it('stops git when cancelled', async () => {
    const dir = dirs[0]!;
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(new WorkspaceGit(dir, { trusted: () => true }).historySinceTag(() => false, controller.signal), /Cancelled/);
  });
  it('reads a record by position: a message holding the separator stays whole, trailing new lines go, stray text is no record', () => {
    const hash = 'a'.repeat(40);
    const parent = 'b'.repeat(40);
    const r = parseWalkRecord(`\n${hash}\x1f${parent} ${'c'.repeat(40)}\x1ftag: v1.0.0, tag: web@2.0.0, HEAD -> main\x1ffeat: a\x1fb\n\nbody\n\n`);
    assert.deepEqual(r, { commit: { hash, parents: [parent, 'c'.repeat(40)], message: 'feat: a\x1fb\n\nbody' }, tags: ['v1.0.0', 'web@2.0.0'] });
    assert.deepEqual(parseWalkRecord(`${hash}\x1f\x1f\x1f`)?.commit.parents, []);
    assert.equal(parseWalkRecord('warning: something\x1fnot\x1fa\x1frecord'), undefined);
    assert.equal(parseWalkRecord(`${hash}\x1fonly two fields`), undefined);
    assert.equal(parseWalkRecord(`${'g'.repeat(40)}\x1f\x1f\x1fm`), undefined);
  });

  it('hands each commit of the range to onCommit as it streams, in the order it returns them, without keeping them too; a throwing onCommit stops the walk with its error', async () => {
    const dir = dirs[0]!;
    const seen: string[] = [];
    const git = new WorkspaceGit(dir, { trusted: () => true });
    const kept = await git.historySinceTag((name) => isReleaseTag(name, 'v'));
    const walk = await git.historySinceTag((name) => isReleaseTag(name, 'v'), undefined, (c) => seen.push(c.hash));
    assert.ok(seen.length > 0);
    assert.deepEqual(seen, kept.commits.map((c) => c.hash));
    assert.deepEqual(walk.commits, []);
    assert.equal(walk.tag?.name, kept.tag?.name);
    assert.equal(walk.head, kept.head);
    await assert.rejects(git.historySinceTag(() => false, undefined, () => { throw new Error('parser broke'); }), /parser broke/);
  });
});
