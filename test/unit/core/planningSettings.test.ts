import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings } from '../../../src/core/settings';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { type: string; default: unknown; minimum?: number; maximum?: number }> } | { properties: Record<string, { type: string; default: unknown }> }[] };
};
const declared = (key: string) => {
  const c = manifest.contributes.configuration;
  const all = Array.isArray(c) ? c : [c];
  return all.map((s) => s.properties[key]).find((p) => p !== undefined);
};

describe('settings: aiDevops.planning.* (status report threshold, change notices)', () => {
  const read = (key: string, value: unknown) => readSettings((k) => (k === key ? value : undefined));

  it('blockedDays is 3 unset, a whole number of days from 0 to 365 otherwise; anything else falls back to 3 and is named', () => {
    assert.equal(read('planning.blockedDays', undefined).settings.planning.blockedDays, 3);
    assert.equal(read('planning.blockedDays', 0).settings.planning.blockedDays, 0);
    assert.equal(read('planning.blockedDays', 10).settings.planning.blockedDays, 10);
    for (const bad of [-1, 366, 1.5, '7', null]) {
      const { settings, invalid } = read('planning.blockedDays', bad);
      assert.equal(settings.planning.blockedDays, 3, String(bad));
      assert.deepEqual(invalid, ['planning.blockedDays'], String(bad));
    }
  });

  it('changeNotices is on unset and off only for false; a value that is not a boolean falls back to on and is named', () => {
    assert.equal(read('planning.changeNotices', undefined).settings.planning.changeNotices, true);
    assert.equal(read('planning.changeNotices', false).settings.planning.changeNotices, false);
    for (const bad of ['false', 0, null]) {
      const { settings, invalid } = read('planning.changeNotices', bad);
      assert.equal(settings.planning.changeNotices, true, String(bad));
      assert.deepEqual(invalid, ['planning.changeNotices'], String(bad));
    }
  });

  it('both are declared in package.json with the defaults zod falls back to', () => {
    const defaults = readSettings(() => undefined).settings.planning;
    assert.deepEqual(declared('aiDevops.planning.blockedDays'), { ...declared('aiDevops.planning.blockedDays'), type: 'integer', default: defaults.blockedDays, minimum: 0, maximum: 365 });
    assert.deepEqual(declared('aiDevops.planning.changeNotices'), { ...declared('aiDevops.planning.changeNotices'), type: 'boolean', default: defaults.changeNotices });
  });
});
