import { strict as assert } from 'node:assert';
import { parseBootstrapRequest } from '../../../../src/agents/orchestrator/parseRequest';

describe('@devops /bootstrap sentences', () => {
  const input = (prompt: string) => {
    const parsed = parseBootstrapRequest(prompt);
    if (!parsed.ok) assert.fail(parsed.message);
    return parsed.input;
  };

  it('nothing said: the connected project with the defaults, and says so', () => {
    const parsed = parseBootstrapRequest('');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.input, { process: 'Agile', areas: [], sprints: 6, sprintDays: 14, minimumReviewers: 2 });
    assert.deepEqual(parsed.understood, ['the connected project', 'process: Agile (for a new project; an existing one keeps its own)', '6 sprints of 14 days from next Monday', 'no area paths', '2 reviewers on main']);
  });

  it('a named project, its process, sprints, areas and reviewers', () => {
    assert.deepEqual(input('project "Orders Platform" with Scrum, 4 three-week sprints, areas Web, API and Mobile, 1 reviewer'), {
      project: 'Orders Platform',
      process: 'Scrum',
      areas: ['Web', 'API', 'Mobile'],
      sprints: 4,
      sprintDays: 21,
      minimumReviewers: 1,
    });
    assert.equal(input('a new project called Shop using cmmi').project, 'Shop');
    assert.equal(input('a new project called Shop using cmmi').process, 'CMMI');
    assert.deepEqual(input('no sprints, area paths: Payments.'), { process: 'Agile', areas: ['Payments'], sprints: 0, sprintDays: 14, minimumReviewers: 2 });
    assert.equal(input('2 sprints starting 2027-01-04').start, '2027-01-04');
    assert.equal(input('build validation with orders-ci').pipeline, 'orders-ci');
  });

  it('on GitHub: the Project, its sprints, and what it will get', () => {
    const parsed = parseBootstrapRequest('the GitHub project "Orders board" with 4 one-week sprints');
    assert.ok(parsed.ok);
    assert.equal(parsed.input.tracker, 'github');
    assert.equal(parsed.input.project, 'Orders board');
    assert.deepEqual([parsed.input.sprints, parsed.input.sprintDays], [4, 7]);
    assert.deepEqual(parsed.understood, ['the GitHub Project titled Orders board', 'an iteration field with 4 sprints of 7 days from next Monday', 'Status options for every lifecycle state', 'an Estimate number field']);
    assert.equal(input('in Azure DevOps, 2 sprints').tracker, 'azureBoards');
    assert.equal(input('2 sprints').tracker, undefined, 'not said: the configured default tracker decides');
  });

  it('refuses what Azure DevOps would refuse, saying what and how to ask', () => {
    const bad = parseBootstrapRequest('project "Web/../etc" please');
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.message : '', /^I could not use that: project: a name without .*Try for example `@devops \/bootstrap`/);
    const many = parseBootstrapRequest('40 sprints');
    assert.equal(many.ok, false);
    assert.match(!many.ok ? many.message : '', /sprints/);
  });
});
