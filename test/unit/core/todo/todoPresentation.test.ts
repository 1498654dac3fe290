import { strict as assert } from 'node:assert';
import { DevOpsError } from '../../../../src/core/errors';
import { referenceKey } from '../../../../src/core/todo/references';
import { STALE_TODO_CODE, staleFindings } from '../../../../src/core/todo/staleTodos';
import { compileTodoMatcher, parseTodosForLanguage } from '../../../../src/core/todo/todoParser';
import { escapeMarkdown, hoverMarkdown, lensesForTodo, resolutionSummary } from '../../../../src/core/todo/todoPresentation';
import { isStale, type Resolution } from '../../../../src/core/todo/workItemResolver';
import { workItem } from './fakeWorkItemResolver';

const matcher = compileTodoMatcher(['TODO'], { defaultTracker: 'azureBoards', patterns: [] });
const todo = parseTodosForLanguage('// TODO AB#1 and AB#1 again, AB#2', 'typescript', matcher)[0]!;
const target = { uri: 'file:///w/a.ts', line: 0 };
const at = (entries: [number, Resolution][]): Map<string, Resolution> => new Map(entries.map(([id, r]) => [referenceKey({ tracker: 'azureBoards', id }), r]));

describe('TODO lenses, hovers and stale flags', () => {
  it('shows id, state and title with open / change state / mark done / hand to an agent, once per item', () => {
    const lenses = lensesForTodo(todo, at([[1, { kind: 'found', item: workItem({ id: 1, title: 'Handle retries', state: 'Active' }) }]]), target);
    assert.deepEqual(
      lenses.map((l) => [l.title, l.command]),
      [
        ['AB#1 · Active · Handle retries', 'aiDevops.workItem.openInBrowser'],
        ['Change state…', 'aiDevops.workItem.changeState'],
        ['Mark done', 'aiDevops.workItem.markDone'],
        ['Hand to an agent…', 'aiDevops.workItem.handToAgent'],
        ['AB#2 · loading…', ''],
      ],
    );
    assert.deepEqual(lenses[0]!.arguments, [{ reference: { tracker: 'azureBoards', id: 1 }, key: 'AB#1' }]);
    assert.deepEqual(lenses[3]!.arguments, lenses[0]!.arguments, 'the hand-off gets the item, as the work item commands do');
  });

  it('flags a finished item as stale, with remove and relink', () => {
    const lenses = lensesForTodo(todo, at([[1, { kind: 'found', item: workItem({ id: 1, title: 'Old', state: 'Closed' }) }]]), target);
    assert.deepEqual(lenses.slice(0, 3).map((l) => l.title), ['$(warning) AB#1 · Closed · Old — stale TODO', 'Remove reference', 'Relink…']);
    assert.deepEqual(lenses[1]!.arguments, [{ uri: 'file:///w/a.ts', line: 0, referenceIndex: 0 }]);
  });

  it('says so when an item is unknown, deleted, or no tracker is connected', () => {
    const resolutions = at([
      [1, { kind: 'notFound' }],
      [2, { kind: 'deleted' }],
    ]);
    assert.deepEqual(lensesForTodo(todo, resolutions, target).filter((l) => l.command === '').map((l) => l.title), ['$(warning) AB#1 · not found', '$(warning) AB#2 · deleted']);
    const notConnected = at([[1, { kind: 'error', error: new DevOpsError('notConfigured', 'Azure Boards is not connected.') }]]);
    const [lens] = lensesForTodo(todo, notConnected, target);
    assert.equal(lens!.title, 'AB#1 · not connected — Sign in');
    assert.equal(lens!.command, 'aiDevops.signIn');
  });

  it('summarises every kind of answer', () => {
    assert.equal(resolutionSummary(undefined), undefined);
    assert.equal(resolutionSummary({ kind: 'error', error: new DevOpsError('rateLimited', 'x') })!.text, 'rate limited — retrying later');
    assert.equal(resolutionSummary({ kind: 'error', error: new DevOpsError('forbidden', 'x') })!.text, 'no access');
    assert.equal(resolutionSummary({ kind: 'error', error: new DevOpsError('unavailable', 'x') })!.text, 'could not load (unavailable)');
    assert.equal(isStale({ kind: 'found', item: workItem({ id: 1, state: 'Done' }) }), true);
    assert.equal(isStale({ kind: 'found', item: workItem({ id: 1, state: 'closed' }) }), true);
    assert.equal(isStale({ kind: 'found', item: workItem({ id: 1, state: 'Removed' }) }), true);
    assert.equal(isStale({ kind: 'found', item: workItem({ id: 1, state: 'Resolved' }) }), false);
    assert.equal(isStale({ kind: 'notFound' }), false);
  });

  it('shows a description with an invalid code point (&#1114112;) instead of throwing (issue 10, item 7)', () => {
    const item = workItem({ id: 1, title: 'x', state: 'Active', description: 'before &#1114112; after' });
    const markdown = hoverMarkdown({ tracker: 'azureBoards', id: 1 }, { kind: 'found', item }, { ...target, referenceIndex: 0 });
    assert.ok(markdown.includes('before \uFFFD after'));
  });

  it('escapes tracker text in hovers so it cannot inject links or commands', () => {
    const item = workItem({ id: 1, title: '[click](command:evil)', state: 'Active', description: '<b>Bold</b> &amp; <script>x</script>', assignedTo: 'Ann *A*' });
    const markdown = hoverMarkdown({ tracker: 'azureBoards', id: 1 }, { kind: 'found', item }, { ...target, referenceIndex: 0 });
    assert.ok(markdown.includes('\\[click\\]\\(command:evil\\)'));
    assert.ok(!markdown.includes('<b>'));
    assert.ok(markdown.includes('Assigned to Ann \\*A\\*'));
    assert.ok(markdown.includes('command:aiDevops.workItem.markDone?'));
    // Scaffold a project linked to the item, with the lens's own argument (the item's reference).
    assert.ok(markdown.includes(`[Scaffold project…](command:aiDevops.agents.scaffold?${encodeURIComponent(JSON.stringify([{ reference: { tracker: 'azureBoards', id: 1 }, key: 'AB#1' }]))})`));
    assert.ok(markdown.includes(`[Hand to an agent…](command:aiDevops.workItem.handToAgent?${encodeURIComponent(JSON.stringify([{ reference: { tracker: 'azureBoards', id: 1 }, key: 'AB#1' }]))})`));
    assert.equal(escapeMarkdown('a_b'), 'a\\_b');
  });

  it('offers remove / relink in the hover of a deleted item and sign-in for a missing connection', () => {
    const deleted = hoverMarkdown({ tracker: 'azureBoards', id: 2 }, { kind: 'deleted' }, { ...target, referenceIndex: 1 });
    assert.ok(deleted.includes('was deleted') && deleted.includes('aiDevops.todo.removeReference'));
    const offline = hoverMarkdown({ tracker: 'azureBoards', id: 2 }, { kind: 'error', error: new DevOpsError('notConfigured', 'Not connected.') }, { ...target, referenceIndex: 1 });
    assert.ok(offline.includes('command:aiDevops.signIn'));
  });

  it('finds stale references for Warning diagnostics', () => {
    const findings = staleFindings([{ file: '/w/a.ts', relativePath: 'a.ts', todo }], at([[1, { kind: 'found', item: workItem({ id: 1, state: 'Done' }) }], [2, { kind: 'deleted' }]]));
    const list = findings.get('/w/a.ts')!;
    assert.deepEqual(list.map((f) => [f.referenceIndex, f.span.start]), [[0, 8], [1, 17], [2, 29]]);
    assert.match(list[0]!.message, /AB#1, which is Done/);
    assert.match(list[2]!.message, /AB#2, which was deleted/);
    assert.equal(STALE_TODO_CODE, 'staleTodo');
  });
});
