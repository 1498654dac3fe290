import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { branchNameFor, slugify, workItemIdFromBranch } from '../../../../src/core/boards/branchName';

const isValidRef = (name: string): boolean => {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('branchName', () => {
  it('makes task-<id>-<slug> from the title', () => {
    assert.equal(branchNameFor(123, 'Fix login on Safari'), 'task-123-fix-login-on-safari');
  });

  it('folds accents to ascii and drops other characters', () => {
    assert.equal(slugify('Crème brûlée für Straße: "über" cool!'), 'creme-brulee-fur-strasse-uber-cool');
    assert.equal(slugify('日本語のタイトル'), '');
    assert.equal(branchNameFor(7, '日本語のタイトル'), 'task-7');
  });

  it('keeps the slug within the maximum, cut at a word', () => {
    const slug = slugify('Implement the new checkout flow with saved cards and wallets', 30);
    assert.ok(slug.length <= 30, slug);
    assert.equal(slug, 'implement-the-new-checkout');
    // One long word: cut inside it rather than losing everything.
    assert.equal(slugify('a'.repeat(50), 10), 'a'.repeat(10));
  });

  it('is always a valid git ref, whatever the title', () => {
    const titles = ['..', 'a..b', 'x.lock', '-leading', 'trailing.', '@{u}', 'a~b^c:d?e*f[g\\h', ' spaces  everywhere ', 'ends with -', '', '////', 'feat/x'];
    for (const title of titles) {
      const name = branchNameFor(42, title);
      assert.ok(isValidRef(name), `${JSON.stringify(title)} -> ${name}`);
      assert.match(name, /^task-42(-[a-z0-9]+)*$/);
    }
  });

  it('accepts a custom prefix and cleans it', () => {
    assert.equal(branchNameFor(5, 'Title', { prefix: 'users/Ann Lee' }), 'users/ann-lee-5-title');
    assert.equal(branchNameFor(5, 'Title', { prefix: '///' }), 'task-5-title');
    assert.ok(isValidRef(branchNameFor(5, 'Title', { prefix: 'users/Ann Lee' })));
  });

  it('refuses an id that is not a positive integer', () => {
    assert.throws(() => branchNameFor(0, 'x'), RangeError);
    assert.throws(() => branchNameFor(1.5, 'x'), RangeError);
  });

  it('reads the id back from a branch name', () => {
    assert.equal(workItemIdFromBranch('task-123-fix-login'), 123);
    assert.equal(workItemIdFromBranch('task-9'), 9);
    assert.equal(workItemIdFromBranch('feature/task-77-x'), 77);
    assert.equal(workItemIdFromBranch('main'), undefined);
    assert.equal(workItemIdFromBranch('mytask-12-x'), undefined);
  });
});
