import assert from 'node:assert/strict';
import { ModelError } from '../../../src/core/ai/modelErrors';
import type * as Errors from '../../../src/core/errors';
import { DevOpsError, isDevOpsError } from '../../../src/core/errors';

/**
 * A second copy of src/core/errors.ts, as a lazy chunk of the build (dist/lazy/*.js) bundles its
 * own: loaded again after dropping it from the require cache.
 */
function secondCopy(): typeof Errors {
  const file = require.resolve('../../../src/core/errors');
  const cached = require.cache[file];
  delete require.cache[file];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance is the point of this helper
    return require('../../../src/core/errors') as typeof Errors;
  } finally {
    if (cached) require.cache[file] = cached;
  }
}

describe('DevOpsError across bundled copies', () => {
  const other = secondCopy();

  it('loads a distinct class (the situation of a lazy chunk)', () => {
    assert.notEqual(other.DevOpsError, DevOpsError);
  });

  it('recognises an error made by another copy, keeping its code (a cancelled load stays cancelled)', () => {
    const e: unknown = new other.DevOpsError('cancelled', 'Cancelled.');
    assert.ok(e instanceof DevOpsError);
    assert.ok(isDevOpsError(e));
    assert.equal(e.code, 'cancelled');
    assert.ok(new DevOpsError('timeout', 'x') instanceof other.DevOpsError);
    assert.ok(other.isDevOpsError(new ModelError('badKey', 'p', 'm')));
  });

  it('refuses what is not one, even with the same name and a code', () => {
    const lookalike = Object.assign(new Error('Cancelled.'), { name: 'DevOpsError', code: 'cancelled' });
    assert.equal(isDevOpsError(lookalike), false);
    assert.equal(isDevOpsError(undefined), false);
    assert.equal(isDevOpsError(null), false);
    assert.equal(isDevOpsError('DevOpsError'), false);
  });

  it('keeps the ordinary check for subclasses: a plain DevOpsError is no ModelError', () => {
    assert.equal(new DevOpsError('timeout', 'x') instanceof ModelError, false);
    assert.equal(new other.DevOpsError('timeout', 'x') instanceof ModelError, false);
    assert.ok(new ModelError('badKey', 'p', 'm') instanceof ModelError);
    assert.ok(new ModelError('badKey', 'p', 'm') instanceof DevOpsError);
  });
});
