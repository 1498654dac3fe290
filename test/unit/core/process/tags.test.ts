import assert from 'node:assert/strict';
import { applyTags, hasTag, parseTags } from '../../../../src/core/process';

describe('System.Tags helpers', () => {
  it('parses the `a; b` form, dropping blanks', () => {
    assert.deepEqual(parseTags(' ui;  Blocked ;;backend '), ['ui', 'Blocked', 'backend']);
    assert.deepEqual(parseTags(undefined), []);
  });

  it('adds and removes tags case-insensitively, keeping spelling and order', () => {
    assert.equal(applyTags('ui; blocked; api', ['Blocked', 'release'], []), 'ui; blocked; api; release');
    assert.equal(applyTags('ui; blocked; api', [], ['BLOCKED']), 'ui; api');
    assert.equal(applyTags('', ['Blocked'], []), 'Blocked');
    assert.ok(hasTag(['Blocked'], 'blocked'));
  });
});
