import assert from 'node:assert/strict';
import { clip, escapeMarkdown, fenced } from '../../../../src/core/chat/markdown';

describe('chat markdown helpers', () => {
  it('escapes what Markdown would interpret', () => {
    assert.equal(escapeMarkdown('[x](javascript:alert(1)) *b* `c` <img> a|b AB#7'), '\\[x\\](javascript:alert(1)) \\*b\\* \\`c\\` \\<img\\> a\\|b AB#7');
  });

  it('clips at a word and says how much is left', () => {
    assert.equal(clip('short', 10), 'short');
    assert.equal(clip('one two three four five', 14), 'one two three… (9 more characters)');
    assert.equal(clip('abcdefghijklmnop', 10), 'abcdefghij… (6 more characters)');
  });

  it('fences text whose backticks cannot close the block', () => {
    assert.equal(fenced('a ```b``` c'), '````\na ```b``` c\n````');
    assert.equal(fenced('plain', 'text'), '```text\nplain\n```');
  });
});
