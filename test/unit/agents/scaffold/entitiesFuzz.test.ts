import assert from 'node:assert/strict';
import { FIELD_TYPES } from '../../../../src/agents/scaffold/entities';
import { BACKEND_TEMPLATES, DATABASES } from '../../../../src/agents/scaffold/options';
import { renderProject } from '../../../../src/agents/scaffold/templates';
import { assertWellFormed } from './helpers';

/** A small seeded generator (mulberry32), so a failure names a case that can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['alpha', 'order', 'line', 'customer', 'note', 'total', 'box', 'city', 'day', 'status', 'x', 'q9', 'data', 'value'];

describe('scaffold templates with entities a model might propose', () => {
  it('render well-formed projects for 120 seeded random entity sets, or refuse them with a named field', () => {
    const next = random(20261207);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    let rendered = 0;
    for (let i = 0; i < 120; i++) {
      const entities = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
        name: Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(WORDS)).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
        fields: Array.from({ length: 1 + Math.floor(next() * 5) }, () => ({
          name: Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(WORDS)).join('_'),
          type: pick(FIELD_TYPES),
          required: next() < 0.6,
        })),
      }));
      const options = { template: pick(BACKEND_TEMPLATES), name: 'fuzz-api', database: pick(DATABASES), entities };
      try {
        const out = renderProject(options);
        assertWellFormed(out);
        rendered++;
      } catch (error) {
        // Duplicates, reserved words (order, data…) and clashing plurals are refused, never rendered half.
        assert.match((error as Error).message, /^The scaffold options are not valid: entities\.\d+/, `case ${i}: ${JSON.stringify(options)}`);
      }
    }
    assert.ok(rendered > 30, `only ${rendered} of 120 rendered: the generator makes too few valid cases to mean anything`);
  });
});
