import assert from 'node:assert/strict';
import {
  FLOW,
  getTemplate,
  lifecycleFor,
  lifecycleTable,
  PROCESS_TEMPLATES,
  planTransition,
  type LifecycleState,
  type ProcessTemplateName,
  findType,
} from '../../../../src/core/process';

type Row = readonly [New: string, Ready: string, InProgress: string, CodeReview: string, Testing: string, Staging: string, Production: string, Done: string];

/** Lifecycle -> real state, for every type of every template (columns in FLOW order). */
const EXPECTED: Readonly<Record<ProcessTemplateName, Readonly<Record<string, Row>>>> = {
  Basic: {
    Epic: ['To Do', 'To Do', 'Doing', 'Doing', 'Doing', 'Doing', 'Doing', 'Done'],
    Issue: ['To Do', 'To Do', 'Doing', 'Doing', 'Doing', 'Doing', 'Doing', 'Done'],
    Task: ['To Do', 'To Do', 'Doing', 'Doing', 'Doing', 'Doing', 'Doing', 'Done'],
  },
  Agile: {
    Epic: ['New', 'New', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    Feature: ['New', 'New', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    'User Story': ['New', 'New', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    Task: ['New', 'New', 'Active', 'Active', 'Active', 'Active', 'Active', 'Closed'],
    Bug: ['New', 'New', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
  },
  Scrum: {
    Epic: ['New', 'New', 'In Progress', 'In Progress', 'In Progress', 'In Progress', 'In Progress', 'Done'],
    Feature: ['New', 'New', 'In Progress', 'In Progress', 'In Progress', 'In Progress', 'In Progress', 'Done'],
    'Product Backlog Item': ['New', 'Approved', 'Committed', 'Committed', 'Committed', 'Committed', 'Committed', 'Done'],
    Bug: ['New', 'Approved', 'Committed', 'Committed', 'Committed', 'Committed', 'Committed', 'Done'],
    Task: ['To Do', 'To Do', 'In Progress', 'In Progress', 'In Progress', 'In Progress', 'In Progress', 'Done'],
  },
  CMMI: {
    Epic: ['Proposed', 'Proposed', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    Feature: ['Proposed', 'Proposed', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    Requirement: ['Proposed', 'Proposed', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    Task: ['Proposed', 'Proposed', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
    Bug: ['Proposed', 'Proposed', 'Active', 'Active', 'Resolved', 'Resolved', 'Resolved', 'Closed'],
  },
};

/** Real state -> lifecycle state, with no hint and no Blocked flag. */
const REVERSE: Readonly<Record<ProcessTemplateName, Readonly<Record<string, Readonly<Record<string, LifecycleState>>>>>> = {
  Basic: { Issue: { 'To Do': 'New', Doing: 'In Progress', Done: 'Done' } },
  Agile: { 'User Story': { New: 'New', Active: 'In Progress', Resolved: 'Testing', Closed: 'Done' }, Task: { New: 'New', Active: 'In Progress', Closed: 'Done' } },
  Scrum: { 'Product Backlog Item': { New: 'New', Approved: 'Ready', Committed: 'In Progress', Done: 'Done' }, Task: { 'To Do': 'New', 'In Progress': 'In Progress', Done: 'Done' } },
  CMMI: { Requirement: { Proposed: 'New', Active: 'In Progress', Resolved: 'Testing', Closed: 'Done' } },
};

/** What Blocked writes, per template and type. */
const BLOCKED: Readonly<Record<ProcessTemplateName, Readonly<Record<string, { field?: string | null; unblock?: string | null; tag?: boolean }>>>> = {
  Basic: { Epic: { tag: true }, Issue: { tag: true }, Task: { tag: true } },
  Agile: { Epic: { tag: true }, Feature: { tag: true }, 'User Story': { tag: true }, Task: { tag: true }, Bug: { tag: true } },
  Scrum: { Epic: { tag: true }, Feature: { tag: true }, 'Product Backlog Item': { tag: true }, Bug: { tag: true }, Task: { field: 'Yes', unblock: null } },
  CMMI: { Epic: { tag: true }, Feature: { tag: true }, Requirement: { field: 'Yes', unblock: 'No' }, Task: { field: 'Yes', unblock: 'No' }, Bug: { field: 'Yes', unblock: 'No' } },
};

const FIELD = 'Microsoft.VSTS.CMMI.Blocked';

describe('lifecycle <-> real state mapping', () => {
  for (const [templateName, types] of Object.entries(EXPECTED) as [ProcessTemplateName, Record<string, Row>][]) {
    const template = PROCESS_TEMPLATES[templateName];
    it(`${templateName}: the table covers every backlog type`, () => {
      assert.deepEqual(Object.keys(types).sort(), template.types.map((t) => t.name).sort());
    });
    for (const [typeName, row] of Object.entries(types)) {
      const type = findType(template, typeName)!;
      it(`${templateName} / ${typeName}: lifecycle -> state`, () => {
        assert.deepEqual(Object.values(lifecycleTable(type)), [...row]);
      });
      it(`${templateName} / ${typeName}: every mapped state is a real state of the type`, () => {
        for (const st of row) assert.ok(type.states.some((s) => s.name === st), `${st} is not a state of ${typeName}`);
      });
      it(`${templateName} / ${typeName}: a lifecycle state read back with its own hint round-trips`, () => {
        FLOW.forEach((l, i) => {
          const reading = lifecycleFor(type, row[i]!, { hint: l });
          assert.deepEqual(reading, { ok: true, state: l, blocked: false });
        });
      });
      const b = BLOCKED[templateName][typeName]!;
      it(`${templateName} / ${typeName}: Blocked writes ${b.tag ? 'the Blocked tag' : `${FIELD}=${b.field}`} and keeps the state`, () => {
        const active = row[2];
        const plan = planTransition({ template, type: typeName, currentState: active, to: 'Blocked', flags: { fields: {} } });
        assert.ok(plan.allowed, plan.allowed ? '' : plan.reason);
        assert.equal(plan.write.state, active);
        assert.equal(plan.write.stateChanged, false);
        if (b.tag) {
          assert.deepEqual(plan.write.addTags, ['Blocked']);
          assert.deepEqual(plan.write.fields, {});
        } else {
          assert.deepEqual(plan.write.fields, { [FIELD]: b.field });
          assert.deepEqual(plan.write.addTags, []);
        }
        const flags = b.tag ? { tags: ['Blocked'] } : { fields: { [FIELD]: 'Yes' } };
        assert.deepEqual(lifecycleFor(type, active, flags), { ok: true, state: 'Blocked', blocked: true });
        const back = planTransition({ template, type: typeName, currentState: active, to: 'Ready', flags });
        assert.ok(back.allowed);
        assert.equal(back.kind, 'unblock');
        assert.equal(back.write.state, row[1]);
        if (b.tag) assert.deepEqual(back.write.removeTags, ['Blocked']);
        else assert.deepEqual(back.write.fields, { [FIELD]: b.unblock });
      });
    }
  }

  for (const [templateName, types] of Object.entries(REVERSE) as [ProcessTemplateName, Record<string, Record<string, LifecycleState>>][]) {
    for (const [typeName, states] of Object.entries(types)) {
      for (const [real, lifecycle] of Object.entries(states)) {
        it(`${templateName} / ${typeName}: "${real}" reads as ${lifecycle}`, () => {
          const type = findType(PROCESS_TEMPLATES[templateName], typeName)!;
          assert.deepEqual(lifecycleFor(type, real), { ok: true, state: lifecycle, blocked: false });
        });
      }
    }
  }

  it('ignores a hint that no longer matches the real state', () => {
    const story = findType(PROCESS_TEMPLATES.Agile, 'User Story')!;
    assert.deepEqual(lifecycleFor(story, 'Closed', { hint: 'Code Review' }), { ok: true, state: 'Done', blocked: false });
  });

  it('reads a finished item with a stale Blocked tag as Done', () => {
    const story = findType(PROCESS_TEMPLATES.Agile, 'User Story')!;
    assert.deepEqual(lifecycleFor(story, 'Closed', { tags: ['blocked'] }), { ok: true, state: 'Done', blocked: false });
  });

  it('refuses unknown and Removed states', () => {
    const story = findType(PROCESS_TEMPLATES.Agile, 'User Story')!;
    const unknown = lifecycleFor(story, 'Approved');
    assert.ok(!unknown.ok && /not a state of User Story; its states are New, Active, Resolved, Closed, Removed/.test(unknown.reason));
    const removed = lifecycleFor(story, 'Removed');
    assert.ok(!removed.ok && /Removed/.test(removed.reason));
  });

  it('maps a custom process by category and by state name', () => {
    const custom = {
      name: 'Ticket',
      referenceName: 'Custom.Ticket',
      level: 'requirement' as const,
      isBug: false,
      states: [
        { name: 'Triage', category: 'Proposed' as const },
        { name: 'Ready', category: 'Proposed' as const },
        { name: 'Working', category: 'InProgress' as const },
        { name: 'Code Review', category: 'InProgress' as const },
        { name: 'Blocked', category: 'InProgress' as const },
        { name: 'Shipped', category: 'Completed' as const },
      ],
    };
    assert.deepEqual(Object.values(lifecycleTable(custom)), ['Triage', 'Ready', 'Working', 'Code Review', 'Code Review', 'Code Review', 'Code Review', 'Shipped']);
    const template = { name: 'Agile' as const, defaultBugsBehavior: 'off' as const, types: [custom] };
    const plan = planTransition({ template, type: 'Ticket', currentState: 'Working', to: 'Blocked' });
    assert.ok(plan.allowed);
    assert.deepEqual(plan.write, { state: 'Blocked', stateChanged: true, fields: {}, addTags: [], removeTags: [] });
    assert.deepEqual(lifecycleFor(custom, 'Blocked'), { ok: true, state: 'Blocked', blocked: true });
  });
});

describe('planTransition', () => {
  const agile = getTemplate('agile')!;

  it('says what to write for a forward move', () => {
    const plan = planTransition({ template: agile, type: 'User Story', currentState: 'Active', flags: { hint: 'Code Review' }, to: 'Testing' });
    assert.ok(plan.allowed);
    assert.equal(plan.from, 'Code Review');
    assert.deepEqual(plan.write, { state: 'Resolved', stateChanged: true, fields: {}, addTags: [], removeTags: [] });
    assert.equal(plan.summary, 'User Story: Code Review → Testing: set State to "Resolved".');
  });

  it('moves between lifecycle stages that share a real state without changing it', () => {
    const plan = planTransition({ template: agile, type: 'User Story', currentState: 'Active', to: 'Code Review' });
    assert.ok(plan.allowed);
    assert.equal(plan.write.stateChanged, false);
    assert.match(plan.summary, /keep State "Active"/);
  });

  it('refuses a skip, naming the skipped stages and the allowed targets', () => {
    const plan = planTransition({ template: agile, type: 'User Story', currentState: 'Active', to: 'Done' });
    assert.ok(!plan.allowed);
    assert.match(plan.reason, /In Progress to Done skips Code Review, Testing, Staging, Production/);
    assert.deepEqual(plan.allowedTargets, ['Ready', 'Code Review', 'Blocked']);
  });

  it('allows a skip when asked', () => {
    const plan = planTransition({ template: agile, type: 'Task', currentState: 'Active', to: 'Done', options: { allowSkip: true } });
    assert.ok(plan.allowed);
    assert.equal(plan.write.state, 'Closed');
  });

  it('refuses an unknown type and a state the type does not have', () => {
    const a = planTransition({ template: agile, type: 'Product Backlog Item', currentState: 'New', to: 'Ready' });
    assert.ok(!a.allowed && /not a backlog work item type of the Agile process/.test(a.reason));
    const b = planTransition({ template: agile, type: 'Task', currentState: 'Resolved', to: 'Done' });
    assert.ok(!b.allowed && /"Resolved" is not a state of Task/.test(b.reason));
  });

  it('refuses to leave Blocked anywhere but Ready', () => {
    const plan = planTransition({ template: agile, type: 'User Story', currentState: 'Active', flags: { tags: ['Blocked'] }, to: 'Code Review' });
    assert.ok(!plan.allowed);
    assert.match(plan.reason, /goes back to Ready/);
  });

  it('clears a stale Blocked tag when a Done item is reopened', () => {
    const plan = planTransition({ template: agile, type: 'User Story', currentState: 'Closed', flags: { tags: ['Blocked', 'ui'] }, to: 'In Progress' });
    assert.ok(plan.allowed);
    assert.equal(plan.kind, 'reopen');
    assert.deepEqual(plan.write.removeTags, ['Blocked']);
    assert.equal(plan.write.state, 'Active');
  });

  it('leaves an unset CMMI Blocked field alone when unblocking a tagged item', () => {
    const plan = planTransition({ template: PROCESS_TEMPLATES.CMMI, type: 'Task', currentState: 'Active', flags: { tags: ['Blocked'], fields: { [FIELD]: 'No' } }, to: 'Ready' });
    assert.ok(plan.allowed);
    assert.deepEqual(plan.write.fields, {});
    assert.deepEqual(plan.write.removeTags, ['Blocked']);
  });
});
