import assert from 'node:assert/strict';
import { AgentPlanSchema, emptyPlan, isJsonObject } from '../../../../src/agents/runtime/plan';

describe("agent runtime: a plan's result is plain JSON", () => {
  it('accepts nested objects, arrays, strings, finite numbers, booleans and null', () => {
    assert.equal(isJsonObject({ a: 1, b: 'x', c: [true, null, { d: [1.5, -2, { e: 'f' }] }], g: {}, h: [] }), true);
    assert.equal(isJsonObject(Object.assign(Object.create(null) as object, { a: 1 })), true);
    const commits = Array.from({ length: 10_000 }, (_, i) => ({ hash: 'a'.repeat(40), type: 'feat', scope: null, subject: `change ${i}`, breaking: false, workItems: i % 5 ? [] : ['AB#1'] }));
    assert.equal(AgentPlanSchema.safeParse({ ...emptyPlan('release', 'plan', 'Release'), result: { commits } }).success, true);
  });

  it('refuses anything JSON cannot hold, however deep', () => {
    const deep = (v: unknown): unknown => ({ a: [{ b: [v] }] });
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, undefined, () => 1, Symbol('s'), 1n, new Date(0), new Map(), /x/, new (class Thing {})()]) {
      assert.equal(isJsonObject(deep(bad)), false, String(typeof bad === 'symbol' ? bad.description : bad));
    }
    for (const top of [null, [], 'x', 1, new Date(0)]) assert.equal(isJsonObject(top), false);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = [cycle];
    assert.equal(isJsonObject(cycle), false, 'a cycle ends, answered no');
    assert.equal(AgentPlanSchema.safeParse({ ...emptyPlan('a', 'b', 'c'), result: { x: [1, Number.NaN] } }).success, false);
  });
});
