import assert from 'node:assert/strict';
import { readSettings } from '../../../src/core/settings';

describe('settings: aiDevops.qa.generateRounds (the model rounds of Generate Tests)', () => {
  const rounds = (value: unknown) => readSettings((key) => (key === 'qa.generateRounds' ? value : undefined));

  it('is 3 when unset, and the value given when it is a whole number from 1 to 5', () => {
    assert.equal(rounds(undefined).settings.qa.generateRounds, 3);
    assert.equal(rounds(1).settings.qa.generateRounds, 1);
    assert.equal(rounds(5).settings.qa.generateRounds, 5);
  });

  it('falls back to 3 and names the setting when the value is out of range or not a whole number', () => {
    for (const bad of [0, 6, 2.5, '4', null]) {
      const { settings, invalid } = rounds(bad);
      assert.equal(settings.qa.generateRounds, 3, String(bad));
      assert.deepEqual(invalid, ['qa.generateRounds'], String(bad));
    }
  });
});

describe('settings: aiDevops.release.tagPrefix (the palette release commands\' tag prefix)', () => {
  const prefix = (value: unknown) => readSettings((key) => (key === 'release.tagPrefix' ? value : undefined));

  it('is v when unset, and the prefix given (empty for bare versions)', () => {
    assert.equal(prefix(undefined).settings.release.tagPrefix, 'v');
    assert.equal(prefix('web@').settings.release.tagPrefix, 'web@');
    assert.equal(prefix('').settings.release.tagPrefix, '');
  });

  it('falls back to v and names the setting for a prefix that could not be part of a tag name or an option', () => {
    for (const bad of ['v 1', 'x'.repeat(101), 3, 'a;b', '$(rm)']) {
      const { settings, invalid } = prefix(bad);
      assert.equal(settings.release.tagPrefix, 'v', String(bad));
      assert.deepEqual(invalid, ['release.tagPrefix'], String(bad));
    }
  });
});
