import assert from 'node:assert/strict';
import { allowedChildTypes, checkParentChild, hierarchyLine, PROCESS_TEMPLATES, type BugsBehavior, type ProcessTemplateName } from '../../../../src/core/process';

/** Every allowed parent > child pair per template, with the template's default bug setting. */
const ALLOWED: Readonly<Record<ProcessTemplateName, readonly (readonly [string, string])[]>> = {
  Basic: [['Epic', 'Issue'], ['Issue', 'Task']],
  Agile: [['Epic', 'Feature'], ['Feature', 'User Story'], ['User Story', 'Task'], ['User Story', 'Bug']],
  Scrum: [['Epic', 'Feature'], ['Feature', 'Product Backlog Item'], ['Feature', 'Bug'], ['Product Backlog Item', 'Task'], ['Bug', 'Task']],
  CMMI: [['Epic', 'Feature'], ['Feature', 'Requirement'], ['Requirement', 'Task'], ['Requirement', 'Bug']],
};

const LINES: Readonly<Record<ProcessTemplateName, string>> = {
  Basic: 'Epic > Issue > Task',
  Agile: 'Epic > Feature > User Story > Task/Bug',
  Scrum: 'Epic > Feature > Product Backlog Item/Bug > Task',
  CMMI: 'Epic > Feature > Requirement > Task/Bug',
};

describe('backlog hierarchy', () => {
  for (const [name, pairs] of Object.entries(ALLOWED) as [ProcessTemplateName, (readonly [string, string])[]][]) {
    const template = PROCESS_TEMPLATES[name];
    it(`${name}: ${LINES[name]}`, () => assert.equal(hierarchyLine(template), LINES[name]));
    it(`${name}: allows exactly ${pairs.map((p) => p.join('>')).join(', ')}`, () => {
      for (const parent of template.types) {
        for (const child of template.types) {
          const expected = pairs.some(([p, c]) => p === parent.name && c === child.name);
          const check = checkParentChild(template, parent.name, child.name);
          assert.equal(check.ok, expected, `${parent.name} > ${child.name}`);
          if (!check.ok) assert.ok(check.reason.includes(parent.name) && check.reason.includes(child.name), check.reason);
        }
      }
    });
  }

  it('explains a skipped level and names the type in between', () => {
    const check = checkParentChild(PROCESS_TEMPLATES.Agile, 'Epic', 'User Story');
    assert.ok(!check.ok);
    assert.equal(check.reason, 'An Epic cannot be the direct parent of a User Story: put it under a Feature, which sits between them (Epic > Feature > User Story > Task/Bug).');
    assert.deepEqual(check.allowedParents, ['Feature']);
    assert.deepEqual(check.allowedChildren, ['Feature']);
  });

  it('explains an inverted pair', () => {
    const check = checkParentChild(PROCESS_TEMPLATES.CMMI, 'Task', 'Requirement');
    assert.ok(!check.ok);
    assert.match(check.reason, /the Requirement sits above it in the CMMI hierarchy \(Epic > Feature > Requirement > Task\/Bug\)\. A Requirement's parent must be a Feature\./);
  });

  it('explains a same-level pair', () => {
    const check = checkParentChild(PROCESS_TEMPLATES.Scrum, 'Product Backlog Item', 'Bug');
    assert.ok(!check.ok);
    assert.match(check.reason, /both sit on the requirement backlog level/);
  });

  it('explains a type the template does not have', () => {
    const check = checkParentChild(PROCESS_TEMPLATES.Scrum, 'Feature', 'User Story');
    assert.ok(!check.ok);
    assert.equal(check.reason, '"User Story" (the child) is not a backlog work item type of the Scrum process; its types are Epic, Feature, Product Backlog Item, Bug, Task.');
  });

  it('follows the team bug setting', () => {
    const cases: [BugsBehavior, string, string, boolean][] = [
      ['asRequirements', 'Feature', 'Bug', true],
      ['asRequirements', 'User Story', 'Bug', false],
      ['asRequirements', 'Bug', 'Task', true],
      ['asTasks', 'User Story', 'Bug', true],
      ['off', 'User Story', 'Bug', false],
    ];
    for (const [bugsBehavior, parent, child, ok] of cases) assert.equal(checkParentChild(PROCESS_TEMPLATES.Agile, parent, child, { bugsBehavior }).ok, ok, `${bugsBehavior}: ${parent} > ${child}`);
    const off = checkParentChild(PROCESS_TEMPLATES.Agile, 'User Story', 'Bug', { bugsBehavior: 'off' });
    assert.ok(!off.ok && /"Working with bugs" is off/.test(off.reason));
  });

  it('lists the children a type may have, matching names case-insensitively', () => {
    assert.deepEqual(allowedChildTypes(PROCESS_TEMPLATES.Scrum, 'feature'), ['Product Backlog Item', 'Bug']);
    assert.deepEqual(allowedChildTypes(PROCESS_TEMPLATES.Scrum, 'Task'), []);
    assert.ok(checkParentChild(PROCESS_TEMPLATES.Agile, 'microsoft.vsts.workitemtypes.userstory', 'task').ok);
  });
});
