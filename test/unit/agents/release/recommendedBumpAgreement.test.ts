import { strict as assert } from 'node:assert';
import semver from 'semver';
import { nextVersion, recommendBump } from '../../../../src/core/release/bump';
import { WorkspaceGit } from '../../../../src/providers/git/workspaceGit';
import { readHistory } from '../../../../src/agents/release/history';
import { PARSER_OPTIONS, parseFully, parseHeaderOnly } from '../../../../src/core/release/conventionalCommits';
import { FixtureRepo } from './fixtureRepo';

/** conventional-recommended-bump on the same repository, with the preset in the strict mode we follow. */
async function theirs(dir: string, preMajor: boolean, prefix: string, pkgPath?: string): Promise<string | undefined> {
  const { Bumper } = await import('conventional-recommended-bump');
  const bumper = new Bumper(dir).loadPreset({ name: 'conventionalcommits', bumpStrict: true, preMajor }).tag({ prefix });
  if (pkgPath) bumper.commits({ path: pkgPath });
  const result = await bumper.bump();
  return 'releaseType' in result ? result.releaseType : undefined;
}

async function ours(dir: string, prefix: string, pkgPath?: string): Promise<{ releaseType: string | undefined; current: string; next: string | undefined; decidedBy: string[] }> {
  const history = await readHistory(new WorkspaceGit(dir, { trusted: () => true }), { tagPrefix: prefix, ...(pkgPath ? { path: pkgPath } : {}) }, new AbortController().signal);
  const current = history.lastVersion ?? '0.0.0';
  const bump = recommendBump(history.releasable, { preMajor: semver.lt(current, '1.0.0') });
  return { releaseType: bump.releaseType, current, next: bump.releaseType ? nextVersion(current, bump.releaseType) : undefined, decidedBy: bump.decidedBy.map((c) => c.header) };
}

interface Scenario {
  readonly name: string;
  readonly build: (r: FixtureRepo) => void;
  readonly expected: string | undefined;
  readonly next?: string;
  readonly decidedBy?: string[];
  readonly prefix?: string;
  readonly path?: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'a breaking change (! in the header) is major',
    build: (r) => {
      r.commit('feat: first').valueOf();
      r.tag('v1.2.3');
      r.commit('fix: a bug');
      r.commit('feat(api)!: drop the v1 endpoints');
      r.commit('feat: a feature');
    },
    expected: 'major',
    next: '2.0.0',
    decidedBy: ['feat(api)!: drop the v1 endpoints'],
  },
  {
    name: 'a BREAKING CHANGE footer is major',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v2.0.0');
      r.commit('refactor: config loading\n\nBREAKING CHANGE: the config file moved to .app/config.json');
    },
    expected: 'major',
    next: '3.0.0',
  },
  {
    name: 'a feature is minor',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v1.0.0');
      r.commit('fix: one');
      r.commit('feat(ui): dark mode');
      r.commit('docs: readme');
    },
    expected: 'minor',
    next: '1.1.0',
    decidedBy: ['feat(ui): dark mode'],
  },
  {
    name: 'fixes only are a patch',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v1.4.2');
      r.commit('fix: crash on empty input');
      r.commit('perf: faster parse');
      r.commit('test: more cases');
    },
    expected: 'patch',
    next: '1.4.3',
  },
  {
    name: 'below 1.0.0 a breaking change is minor (preMajor)',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v0.3.0');
      r.commit('feat!: new storage format');
    },
    expected: 'minor',
    next: '0.4.0',
  },
  {
    name: 'below 1.0.0 a feature is a patch (preMajor)',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v0.3.0');
      r.commit('feat: export to CSV');
    },
    expected: 'patch',
    next: '0.3.1',
  },
  {
    name: 'a pre-release tag is the last release and its series continues',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v1.0.0');
      r.commit('feat: search');
      r.tag('v1.1.0-rc.0');
      r.commit('fix: search paging');
    },
    expected: 'patch',
  },
  {
    name: 'nothing releasable since the tag (docs, chore, ci only)',
    build: (r) => {
      r.commit('feat: x');
      r.tag('v1.0.0');
      r.commit('docs: typo');
      r.commit('chore(deps): bump');
      r.commit('ci: cache');
    },
    expected: undefined,
  },
  {
    name: 'no commits at all since the tag',
    build: (r) => {
      r.commit('feat: x');
      r.tag('v1.0.0');
    },
    expected: undefined,
  },
  {
    name: 'merge commits are left out, the merged commits count',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v1.0.0');
      r.branch('topic');
      r.commit('feat: from a branch (#12)');
      r.checkout('main');
      r.commit('docs: meanwhile');
      r.merge('topic', 'Merge pull request #13 from contoso/topic');
    },
    expected: 'minor',
    next: '1.1.0',
  },
  {
    name: 'a feature reverted in the same range is dropped with its revert',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v1.0.0');
      const feat = r.commit('feat: risky thing');
      r.commit('fix: small');
      r.revert(feat);
    },
    expected: 'patch',
    next: '1.0.1',
  },
  {
    name: 'a revert of something released earlier counts',
    build: (r) => {
      const feat = r.commit('feat: old thing');
      r.tag('v1.0.0');
      r.commit('docs: x');
      r.revert(feat);
    },
    expected: 'patch',
  },
  {
    name: 'commits that are not conventional count as visible changes',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v3.1.0');
      r.commit('Update the login page');
    },
    expected: 'patch',
    next: '3.1.1',
  },
  {
    name: 'the nearest tag wins over a higher one on another line',
    build: (r) => {
      r.commit('chore: init');
      r.tag('v1.0.0');
      r.commit('feat: a');
      r.tag('v1.1.0');
      r.commit('fix: b');
    },
    expected: 'patch',
    next: '1.1.1',
  },
  {
    name: 'a monorepo package with its own tags and path',
    prefix: 'web@',
    path: 'packages/web',
    build: (r) => {
      r.commit('chore: init', 'packages/web/a.txt');
      r.tag('web@1.0.0');
      r.tag('v5.0.0');
      r.commit('feat(api): only the api package', 'packages/api/a.txt');
      r.commit('fix(web): only the web package', 'packages/web/a.txt');
    },
    expected: 'patch',
    next: '1.0.1',
  },
];

describe('release: the recommended version agrees with conventional-recommended-bump', function () {
  this.timeout(60_000);
  for (const s of SCENARIOS) {
    it(s.name, async () => {
      const repo = new FixtureRepo();
      try {
        s.build(repo);
        const prefix = s.prefix ?? 'v';
        const mine = await ours(repo.dir, prefix, s.path);
        const reference = await theirs(repo.dir, semver.lt(mine.current, '1.0.0'), prefix, s.path);
        assert.equal(mine.releaseType, reference, `ours ${mine.releaseType}, conventional-recommended-bump ${reference}`);
        assert.equal(mine.releaseType, s.expected);
        if (s.next) assert.equal(mine.next, s.next);
        if (s.decidedBy) assert.deepEqual(mine.decidedBy, s.decidedBy);
        // Every commit read by its header alone reads as the parser reads it.
        const { CommitParser } = await import('conventional-commits-parser');
        const parser = new CommitParser(PARSER_OPTIONS);
        for (const raw of await new WorkspaceGit(repo.dir, { trusted: () => true }).commitsSince(undefined)) {
          const fast = parseHeaderOnly(raw);
          if (fast) assert.deepEqual(fast, parseFully(parser, raw), raw.message);
        }
      } finally {
        repo.dispose();
      }
    });
  }

  it('continues a pre-release series, starts one, and leaves it when asked', () => {
    assert.equal(nextVersion('1.1.0-rc.0', 'patch'), '1.1.0-rc.1');
    assert.equal(nextVersion('1.1.0-rc.0', 'minor'), '1.1.0-rc.1');
    assert.equal(nextVersion('1.1.0-rc.3', 'major'), '2.0.0-rc.0');
    assert.equal(nextVersion('1.0.0', 'minor', { preid: 'rc' }), '1.1.0-rc.0');
    assert.equal(nextVersion('1.1.0-rc.1', 'minor', { stable: true }), '1.1.0');
    assert.equal(nextVersion('1.1.0-beta.1', 'patch', { preid: 'rc' }), '1.1.1-rc.0');
    assert.equal(nextVersion('2.0.0-rc.1', 'minor'), '2.0.0-rc.2');
  });
});
