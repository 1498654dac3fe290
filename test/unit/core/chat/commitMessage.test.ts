import assert from 'node:assert/strict';
import { cleanCommitMessage, draftCommitMessage, withReference } from '../../../../src/core/chat/commitMessage';

describe('commit messages', () => {
  it('adds the reference once, on its own line', () => {
    assert.equal(withReference('fix: x', 'AB#7'), 'fix: x\n\nAB#7');
    assert.equal(withReference('fix: x\n\nAB#7', 'AB#7'), 'fix: x\n\nAB#7');
    assert.equal(withReference('fix: x (AB#77)', 'AB#7'), 'fix: x (AB#77)\n\nAB#7');
    assert.equal(withReference('fix: x', undefined), 'fix: x');
  });

  it('cleans a model reply: fences and a "Commit message:" label go', () => {
    assert.equal(cleanCommitMessage('```\nfeat: add reset\n\nWhy.\n```', 'AB#7'), 'feat: add reset\n\nWhy.\n\nAB#7');
    assert.equal(cleanCommitMessage('Commit message: fix: typo', undefined), 'fix: typo');
  });

  it('drafts from the file list when no model answers', () => {
    assert.equal(draftCommitMessage([{ path: 'test/a.test.ts', status: 'M' }], 'AB#7', undefined), 'test: update a.test.ts\n\nChanges: M test/a.test.ts.\n\nAB#7');
    assert.match(draftCommitMessage([{ path: 'docs/x.md', status: 'M' }, { path: 'README.md', status: 'M' }], undefined, undefined), /^docs: update x\.md, README\.md/);
    assert.match(draftCommitMessage([{ path: 'src/new.ts', status: '?' }], 'AB#9', 'Email the reset link'), /^feat: email the reset link\n[\s\S]*AB#9$/);
    assert.match(draftCommitMessage(Array.from({ length: 25 }, (_, i) => ({ path: `src/f${i}.ts`, status: 'M' })), undefined, undefined), /^chore: update 25 files[\s\S]*and 5 more\.$/);
  });
});
