import { strict as assert } from 'node:assert';
import { type ProjectItem } from '../../../../src/core/boards/workTracker';
import {
  contextValue,
  descriptionLine,
  displayName,
  escapeMarkdown,
  itemLabel,
  projectItemContextValue,
  projectItemDescription,
  projectItemIcon,
  projectItemTooltip,
  safeLinkTarget,
  tooltipMarkdown,
  typeIcon,
} from '../../../../src/core/boards/itemPresentation';
import { workItem } from './workItemBuilder';

const projectItem = (fields: Partial<ProjectItem> = {}): ProjectItem => ({
  itemId: 'PVTI_1',
  contentType: 'issue',
  number: 12,
  repository: 'contoso/contoso-web',
  title: 'Fix login',
  status: 'Todo',
  assignees: [],
  labels: [],
  url: 'https://github.com/contoso/contoso-web/issues/12',
  state: 'open',
  ...fields,
});

describe('itemPresentation', () => {
  it('describes a row as state · assignee', () => {
    assert.equal(descriptionLine(workItem(1, { state: 'Active', assignedTo: 'Jordan Patel <jordan@contoso.example>' })), 'Active · Jordan Patel');
    assert.equal(descriptionLine(workItem(1, { state: 'New' })), 'New · Unassigned');
    assert.equal(displayName('octocat'), 'octocat');
    assert.equal(displayName('<only@mail>'), '<only@mail>');
  });

  it('labels Azure items by id and GitHub items by #number', () => {
    assert.equal(itemLabel(workItem(7, { title: 'Email the reset link' })), '7 Email the reset link');
    assert.equal(itemLabel(workItem(7, { tracker: 'github', repository: 'o/r', title: 'x' })), '#7 x');
  });

  it('maps types to codicons, unknown types to a plain circle', () => {
    assert.equal(typeIcon('Epic').id, 'rocket');
    assert.equal(typeIcon('Feature').id, 'milestone');
    assert.equal(typeIcon('product backlog item').id, 'book');
    assert.equal(typeIcon('User Story').id, 'book');
    assert.equal(typeIcon('Bug').id, 'bug');
    assert.equal(typeIcon('Bug').color, 'charts.red');
    assert.equal(typeIcon('Task').id, 'tasklist');
    assert.equal(typeIcon('Something Custom').id, 'circle-large-outline');
  });

  it('escapes every value in the tooltip so nothing becomes a link or a command', () => {
    const md = tooltipMarkdown(
      workItem(9, {
        title: '[click](command:workbench.action.terminal.new) *bold* <img src=x>',
        description: '<p>Steps: <b>1</b> &amp; [x](command:evil)</p><script>alert(1)</script>',
        tags: ['a_b'],
        assignedTo: 'Eve <eve@x>',
      }),
    );
    assert.ok(!md.includes('[click](command:'), md);
    assert.ok(md.includes('\\[click\\]\\(command:workbench'), md);
    assert.ok(!/(^|[^\\])<img/.test(md), md);
    assert.ok(!md.includes('alert'), md);
    assert.ok(md.includes('Steps: 1 \\& \\[x\\]\\(command:evil\\)'), md);
    assert.ok(md.includes('Tags: a\\_b'), md);
    assert.match(md, /\[Open in browser\]\(https:\/\/dev\.azure\.com\/contoso\/Contoso%20Web\/_workitems\/edit\/9\)$/);
  });

  it('links only http(s) URLs, with parentheses encoded', () => {
    assert.equal(safeLinkTarget('javascript:alert(1)'), undefined);
    assert.equal(safeLinkTarget('command:x'), undefined);
    assert.equal(safeLinkTarget('not a url'), undefined);
    assert.equal(safeLinkTarget('https://x.test/a(b) c'), 'https://x.test/a%28b%29%20c');
  });

  it('shows a description holding an invalid code point (&#1114112;) in the tooltip instead of throwing (issue 10, item 7)', () => {
    assert.match(tooltipMarkdown(workItem(1, { description: '<p>before &#1114112; after</p>' })), /before \uFFFD after/);
  });

  it('clips a long description in the tooltip', () => {
    const md = tooltipMarkdown(workItem(1, { tracker: 'github', repository: 'o/r', description: 'word '.repeat(500) }));
    assert.ok(md.length < 1200, String(md.length));
    assert.ok(md.includes('…'));
  });

  it('keeps line breaks when escaping', () => {
    assert.equal(escapeMarkdown('a\nb'), 'a  \nb');
  });

  it('gives the context values the manifest menus match', () => {
    assert.equal(contextValue(workItem(1, { type: 'User Story', state: 'Active' })), 'workItem.azureBoards.open.canHaveChildren');
    assert.equal(contextValue(workItem(1, { type: 'Task', state: 'Closed' })), 'workItem.azureBoards.closed');
    const value = contextValue(workItem(1, { type: 'Task', state: 'New' }));
    assert.match(value, /workItem/);
    assert.match(value, /open/);
    assert.doesNotMatch(value, /canHaveChildren/);
  });

  it('draws issue, PR and draft items with their own icons', () => {
    assert.equal(projectItemIcon(projectItem()).id, 'issues');
    assert.equal(projectItemIcon(projectItem({ state: 'closed' })).id, 'issue-closed');
    assert.equal(projectItemIcon(projectItem({ contentType: 'pullRequest', state: 'open' })).id, 'git-pull-request');
    assert.equal(projectItemIcon(projectItem({ contentType: 'pullRequest', state: 'merged' })).id, 'git-merge');
    assert.equal(projectItemIcon(projectItem({ contentType: 'pullRequest', state: 'closed' })).id, 'git-pull-request-closed');
    assert.equal(projectItemIcon(projectItem({ contentType: 'draft', number: undefined })).id, 'note');
  });

  it('describes project items with repository, assignees and labels', () => {
    assert.equal(projectItemDescription(projectItem({ assignees: ['alice', 'bob'], labels: ['bug'] })), 'contoso/contoso-web · @alice, @bob · bug');
    assert.equal(projectItemDescription(projectItem({ contentType: 'draft', number: undefined, repository: undefined })), 'Draft');
    const tip = projectItemTooltip(projectItem({ title: '*x*', status: undefined }));
    assert.ok(tip.includes('\\*x\\*'));
    assert.ok(tip.includes('Status: No Status'));
    assert.equal(projectItemContextValue(projectItem()), 'workItem.github.issue.open.canHaveChildren');
    assert.equal(projectItemContextValue(projectItem({ contentType: 'pullRequest', state: 'merged' })), 'workItem.github.pullRequest.closed');
    assert.equal(projectItemContextValue(projectItem({ contentType: 'draft', number: undefined })), 'projectItem.draft');
  });
});
