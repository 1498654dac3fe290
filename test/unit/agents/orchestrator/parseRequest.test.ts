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

  it('refuses what Azure DevOps would refuse, saying what and how to ask', () => {
    const bad = parseBootstrapRequest('project "Web/../etc" please');
    assert.equal(bad.ok, false);
    assert.match(!bad.ok ? bad.message : '', /^I could not use that: project: a name without .*Try for example `@devops \/bootstrap`/);
    const many = parseBootstrapRequest('40 sprints');
    assert.equal(many.ok, false);
    assert.match(!many.ok ? many.message : '', /sprints/);
  });
});
