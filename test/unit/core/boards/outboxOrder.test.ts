import { strict as assert } from 'node:assert';
import { type OutboxEntry } from '../../../../src/core/boards/outbox';
import { checkFields, composeBases, nextDue, unheld, waitsBehind } from '../../../../src/core/boards/outboxOrder';
import { type WriteTarget } from '../../../../src/core/boards/writeTarget';

const ACME: WriteTarget = { service: 'github', host: 'github.com', owner: 'acme', repo: 'web', account: 'alice' };
const OTHER: WriteTarget = { service: 'github', host: 'github.com', owner: 'acme', repo: 'api', account: 'alice' };

let n = 0;
function entry(over: Partial<OutboxEntry> = {}): OutboxEntry {
  n++;
  return {
    id: `e${n}`,
    clientId: `c${n}`,
    tracker: 'github',
    target: ACME,
    subject: '#1',
    touches: ['State'],
    changes: [{ field: 'State', bases: ['Open'], want: 'Closed' }],
    kind: 'changeState',
    payload: {},
    description: `change ${n}`,
    createdAt: '2026-12-01T10:00:00.000Z',
    attempts: 0,
    state: 'pending',
    ...over,
  };
}

const due = (entries: OutboxEntry[], over: Partial<Parameters<typeof nextDue>[1]> = {}) =>
  nextDue(entries, { now: Date.parse('2026-12-01T12:00:00Z'), respectBackoff: true, skipHomes: new Set(), tried: new Set(), ...over })?.id;

describe('outbox order and field checks (core)', () => {
  describe('checkFields: fields compared, not revisions', () => {
    const change = [{ field: 'State', bases: ['Active'], want: 'Resolved' }];
    it('is made when every field holds what was asked', () => {
      assert.deepEqual(checkFields(change, { State: 'Resolved', Title: 'anything' }, false), { kind: 'made' });
    });
    it('sends when the field holds what the user saw, whatever else changed', () => {
      assert.deepEqual(checkFields(change, { State: 'Active', Title: 'renamed' }, false), { kind: 'send' });
    });
    it('is a conflict, per field, when someone else changed the field; not when the user chose to overwrite', () => {
      assert.deepEqual(checkFields(change, { State: 'Closed' }, false), { kind: 'conflict', fields: [{ field: 'State', theirs: 'Closed', seen: 'Active', yours: 'Resolved' }] });
      assert.deepEqual(checkFields(change, { State: 'Closed' }, true), { kind: 'send' });
    });
    it('reads a missing field as empty, and compares values structurally', () => {
      assert.deepEqual(checkFields([{ field: 'Assignee', bases: [null], want: 'me' }], {}, false), { kind: 'send' });
      assert.deepEqual(checkFields([{ field: 'Tags', bases: [{ a: 1, b: 2 }], want: { a: 2 } }], { Tags: { b: 2, a: 1 } }, false), { kind: 'send' });
      assert.deepEqual(checkFields([{ field: 'Done', bases: [false], want: true }], { Done: true }, false), { kind: 'made' });
    });
  });

  describe('composeBases: a change composes with the user\'s own earlier ones', () => {
    it('adds what earlier queued changes to the same field of the same item set, and what this window wrote lately', () => {
      const earlier = [entry({ changes: [{ field: 'State', bases: ['New'], want: 'Active' }] }), entry({ subject: '#2', changes: [{ field: 'State', bases: ['New'], want: 'Removed' }] })];
      const composed = composeBases({ target: ACME, subject: '#1', changes: [{ field: 'State', bases: ['New'], want: 'Resolved' }] }, earlier, (field) => (field === 'State' ? ['Blocked', 'New'] : []));
      assert.deepEqual(composed, [{ field: 'State', bases: ['New', 'Active', 'Blocked'], want: 'Resolved' }]);
    });
    it('leaves other targets and other fields alone', () => {
      const earlier = [entry({ target: OTHER, changes: [{ field: 'State', bases: ['New'], want: 'Active' }] }), entry({ changes: [{ field: 'Owner', bases: [null], want: 'bob' }] })];
      assert.deepEqual(composeBases({ target: ACME, subject: '#1', changes: [{ field: 'State', bases: ['New'], want: 'Closed' }] }, earlier, () => []), [{ field: 'State', bases: ['New'], want: 'Closed' }]);
    });
  });

  describe('nextDue and waitsBehind: the order of changes to the same thing', () => {
    it('takes the oldest pending change; a later one to the same field waits behind it', () => {
      const a = entry();
      const b = entry();
      assert.equal(due([a, b]), a.id);
      assert.equal(due([a, b], { tried: new Set([a.id]) }), undefined, 'b waits for a even when a was tried');
    });
    it('a change to another field, another item or another repository does not wait', () => {
      const a = entry({ state: 'conflict' });
      const other = [entry({ touches: ['Owner'], changes: [] }), entry({ subject: '#2' }), entry({ target: OTHER })];
      for (const e of other) assert.equal(due([a, e]), e.id);
    });
    it('a conflict or refusal holds later changes to its field, but a refused comment holds nothing', () => {
      const refusedState = entry({ state: 'refused' });
      assert.equal(due([refusedState, entry()]), undefined);
      const refusedComment = entry({ touches: ['comments'], changes: [], state: 'refused' });
      const next = entry({ touches: ['comments'], changes: [] });
      assert.equal(due([refusedComment, next]), next.id);
      const pendingComment = entry({ touches: ['comments'], changes: [], notBefore: '2026-12-01T13:00:00.000Z' });
      assert.equal(due([pendingComment, entry({ touches: ['comments'], changes: [] })]), undefined, 'comments keep their order while one backs off');
    });
    it('skips changes backing off (unless the user asked), of a connection to leave alone, and without a recorded connection', () => {
      const later = entry({ notBefore: '2026-12-01T13:00:00.000Z' });
      assert.equal(due([later]), undefined);
      assert.equal(due([later], { respectBackoff: false }), later.id);
      assert.equal(due([entry()], { skipHomes: new Set(['github|github.com|acme|web']) }), undefined);
      const { target: _t, ...legacy } = entry();
      assert.equal(due([legacy as OutboxEntry]), undefined);
    });
    it('the timer waits only for changes a pass would send: not those held behind a conflict, nor those without a connection', () => {
      const conflict = entry({ state: 'conflict' });
      const held = entry();
      const free = entry({ subject: '#2' });
      const { target: _t, ...legacy } = entry({ subject: '#3' });
      assert.deepEqual(unheld([conflict, held, free, legacy as OutboxEntry]).map((e) => e.id), [free.id]);
    });
    it('a first attempt waits behind a waiting change to the same field, not behind a refused comment', () => {
      const waiting = entry();
      assert.equal(waitsBehind([waiting], { target: ACME, subject: '#1', touches: ['State'] })?.id, waiting.id);
      assert.equal(waitsBehind([waiting], { target: { ...ACME, owner: 'ACME' }, subject: '#1', touches: ['State'] })?.id, waiting.id, 'names compare as GitHub does');
      assert.equal(waitsBehind([waiting], { target: ACME, subject: '#1', touches: ['Owner'] }), undefined);
      assert.equal(waitsBehind([entry({ touches: ['comments'], changes: [], state: 'refused' })], { target: ACME, subject: '#1', touches: ['comments'] }), undefined);
      assert.equal(waitsBehind([waiting], { target: ACME, subject: 'new', touches: [] }), undefined);
    });
  });
});
