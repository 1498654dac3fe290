import assert from 'node:assert/strict';
import { lifecycleForStatus, LIFECYCLE_STATES, statusOptionFor, type LifecycleState, type StatusOption } from '../../../../src/core/process';

const opts = (...names: string[]): StatusOption[] => names.map((name, i) => ({ id: `opt${i}`, name }));
const pick = (options: StatusOption[], state: LifecycleState): string => {
  const m = statusOptionFor(options, state);
  if (!m.ok) return `refused`;
  return m.option === null ? `label:${m.label}` : `${m.option.name}${m.matchedBy === 'fallback' ? ' (fallback)' : ''}`;
};

/** Lifecycle -> option for project layouts seen in the wild (columns in LIFECYCLE_STATES order). */
const LAYOUTS: readonly { name: string; options: StatusOption[]; expected: readonly string[] }[] = [
  {
    name: 'the default board (Todo, In Progress, Done)',
    options: opts('Todo', 'In Progress', 'Done'),
    expected: ['Todo (fallback)', 'Todo', 'In Progress', 'In Progress (fallback)', 'In Progress (fallback)', 'In Progress (fallback)', 'In Progress (fallback)', 'Done', 'label:blocked'],
  },
  {
    name: 'the team planning template (Backlog, Ready, In progress, In review, Done)',
    options: opts('Backlog', 'Ready', 'In progress', 'In review', 'Done'),
    expected: ['Backlog', 'Ready', 'In progress', 'In review', 'In review (fallback)', 'In review (fallback)', 'In review (fallback)', 'Done', 'label:blocked'],
  },
  {
    name: 'emoji and punctuation',
    options: opts('🆕 New', '🔖 Ready', '🏗 In Progress', '👀 In Review', '🧪 QA / Testing', '🚀 Ready to Deploy', '🌍 Released', '✅ Done', '⛔ Blocked'),
    expected: ['🆕 New', '🔖 Ready', '🏗 In Progress', '👀 In Review', '🧪 QA / Testing', '🚀 Ready to Deploy', '🌍 Released', '✅ Done', '⛔ Blocked'],
  },
  {
    name: 'other spellings',
    options: opts('Inbox', 'Up Next', 'Doing', 'Code review', 'QA', 'Staging', 'Live', 'Closed', 'On hold'),
    expected: ['Inbox', 'Up Next', 'Doing', 'Code review', 'QA', 'Staging', 'Live', 'Closed', 'On hold'],
  },
];

describe('GitHub Project status mapping', () => {
  for (const layout of LAYOUTS) {
    it(`maps ${layout.name}`, () => {
      assert.deepEqual(LIFECYCLE_STATES.map((s) => pick(layout.options, s)), [...layout.expected]);
    });
  }

  it('explains the fallback it used', () => {
    const m = statusOptionFor(opts('Todo', 'In Progress', 'Done'), 'Code Review');
    assert.ok(m.ok && m.option);
    assert.equal(m.note, 'The project has no status for Code Review; using "In Progress" (its In Progress status).');
    const b = statusOptionFor(opts('Todo', 'Done'), 'Blocked');
    assert.ok(b.ok && b.option === null && /keeps its status and gets the "blocked" label/.test(b.note));
  });

  it('refuses, naming the options, when a stage has neither an option nor a fallback', () => {
    const m = statusOptionFor(opts('Todo', 'Doing'), 'Done');
    assert.ok(!m.ok);
    assert.match(m.reason, /no option for Done .* its options are "Todo", "Doing"\. Add or rename an option/);
    const empty = statusOptionFor([], 'In Progress');
    assert.ok(!empty.ok && /its options are none/.test(empty.reason));
  });

  it('reads an option name back as a lifecycle state', () => {
    assert.equal(lifecycleForStatus('Todo'), 'Ready');
    assert.equal(lifecycleForStatus('🔍 In review'), 'Code Review');
    assert.equal(lifecycleForStatus('Backlog'), 'New');
    assert.equal(lifecycleForStatus('Done ✅'), 'Done');
    assert.equal(lifecycleForStatus('Parking lot'), undefined);
  });
});
