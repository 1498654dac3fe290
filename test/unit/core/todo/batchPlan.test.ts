import { strict as assert } from 'node:assert';
import { entryFor, isComplete, newJournal, parseJournal, withEntry } from '../../../../src/core/todo/batchJournal';
import { inScope, locateTodo, planBatch, todoFingerprint } from '../../../../src/core/todo/batchPlan';
import { groupTodos, referencesOf, type LocatedTodo } from '../../../../src/core/todo/todoGroups';
import { compileTodoMatcher, parseTodosForLanguage } from '../../../../src/core/todo/todoParser';
import { draftTitle, draftWorkItem, MAX_TITLE_LENGTH } from '../../../../src/core/todo/workItemDraft';
import { workItem } from './fakeWorkItemResolver';
import { canaries } from '../redact/canaries';

// A token-shaped canary built at run time, so no token-like literal lands in the repository.
const GITHUB_TOKEN_CANARY = canaries.githubClassic('p');

const matcher = compileTodoMatcher(['TODO', 'FIXME'], { defaultTracker: 'azureBoards', patterns: [] });
const located = (relativePath: string, source: string): LocatedTodo[] =>
  parseTodosForLanguage(source, 'typescript', matcher).map((todo) => ({ file: `/w/${relativePath}`, relativePath, todo }));

describe('batch planning', () => {
  const a = located('src/a.ts', '// TODO retry on 429\n// TODO AB#5 cache it\n// TODO cache it\n// TODO retry on 429');
  const b = located('src/b.ts', '// FIXME cache it');
  const unlinked = [...a, ...b].filter((t) => t.todo.references.length === 0);
  const linked = [...a, ...b].filter((t) => t.todo.references.length > 0);

  it('creates, skips what is linked in the same file, and shares one item between twins', () => {
    const plan = planBatch(unlinked, linked, undefined);
    assert.deepEqual(
      plan.map((e) => [e.located.relativePath, e.located.todo.line, e.decision.kind]),
      [
        ['src/a.ts', 0, 'create'],
        ['src/a.ts', 2, 'skip'],
        ['src/a.ts', 3, 'sameAs'],
        ['src/b.ts', 0, 'create'],
      ],
    );
    assert.deepEqual(plan[2]!.decision, { kind: 'sameAs', index: 0 });
    assert.match(plan[1]!.decision.kind === 'skip' ? plan[1]!.decision.reason : '', /already linked to AB#5/);
  });

  it('resumes what an interrupted batch created, and re-checks what it only started', () => {
    let journal = newJournal('b1', 'azureBoards', new Date('2025-01-01T00:00:00Z'));
    const first = unlinked[0]!;
    journal = withEntry(journal, { fingerprint: todoFingerprint(first), relativePath: first.relativePath, line: 0, title: 'retry on 429', clientRequestId: 'c1', state: 'created', reference: { tracker: 'azureBoards', id: 9 } });
    journal = withEntry(journal, { fingerprint: todoFingerprint(unlinked[3]!), relativePath: 'src/b.ts', line: 0, title: 'cache it', clientRequestId: 'c2', state: 'pending' });
    const plan = planBatch(unlinked, linked, journal);
    assert.deepEqual(plan[0]!.decision, { kind: 'resume', reference: { tracker: 'azureBoards', id: 9 } });
    assert.equal(plan[3]!.decision.kind, 'create');
    assert.equal(isComplete(journal), false);
    assert.equal(entryFor(journal, todoFingerprint(first))?.clientRequestId, 'c1');
  });

  it('limits a batch to a folder or a file', () => {
    assert.equal(inScope(a[0]!, ''), true);
    assert.equal(inScope(a[0]!, 'src'), true);
    assert.equal(inScope(a[0]!, 'src/'), true);
    assert.equal(inScope(a[0]!, 'src/a.ts'), true);
    assert.equal(inScope(a[0]!, 'sr'), false);
    assert.equal(inScope(a[0]!, 'src/b.ts'), false);
  });

  it('finds a TODO again after lines moved', () => {
    const fingerprint = todoFingerprint(unlinked[0]!);
    const moved = parseTodosForLanguage('\n\n// TODO retry on 429\n// TODO other', 'typescript', matcher);
    assert.equal(locateTodo(moved, 'src/a.ts', fingerprint, 0)?.line, 2);
    assert.equal(locateTodo(moved, 'src/other.ts', fingerprint, 0), undefined);
    const linkedNow = parseTodosForLanguage('// TODO AB#3 retry on 429', 'typescript', matcher);
    assert.equal(locateTodo(linkedNow, 'src/a.ts', fingerprint, 0), undefined);
  });
});

describe('batch journal file', () => {
  it('round-trips and rejects damaged content with a reason', () => {
    const journal = withEntry(newJournal('b', 'github', new Date(0)), { fingerprint: 'f', relativePath: 'a.ts', line: 1, title: 't', clientRequestId: 'c', state: 'written', reference: { tracker: 'github', id: 4, owner: 'o', repo: 'r' } });
    assert.deepEqual(parseJournal(JSON.stringify(journal)).journal, journal);
    assert.equal(isComplete(journal), true);
    assert.match(parseJournal('{"version":1').problem ?? '', /not JSON/);
    assert.match(parseJournal('{"version":2}').problem ?? '', /version/);
    assert.match(parseJournal(JSON.stringify({ ...journal, entries: [{ ...journal.entries[0], state: 'maybe' }] })).problem ?? '', /state/);
  });
});

describe('work item draft from a TODO', () => {
  const [todo] = parseTodosForLanguage('a();\nb();\n// TODO(alice): handle ``` fences\nc();', 'typescript', matcher);

  it('takes the title from the comment and shows the code around it', () => {
    const draft = draftWorkItem(todo!, { relativePath: 'src/x.ts', lines: ['a();', 'b();', '// TODO(alice): handle ``` fences', 'c();'], fenceLanguage: 'typescript', contextLines: 1 });
    assert.equal(draft.title, 'handle ``` fences');
    assert.ok(draft.description.includes('`src/x.ts:3`'));
    assert.ok(draft.description.includes('````typescript\nb();\n// TODO(alice): handle ``` fences\nc();\n````'));
  });

  it('redacts secrets in the code it sends', () => {
    const [t] = parseTodosForLanguage(`const key = "${GITHUB_TOKEN_CANARY}"; // TODO move to secret storage`, 'typescript', matcher);
    const draft = draftWorkItem(t!, { relativePath: 'k.ts', lines: [`const key = "${GITHUB_TOKEN_CANARY}"; // TODO move to secret storage`] });
    assert.ok(!draft.description.includes(GITHUB_TOKEN_CANARY));
  });

  it('names an empty TODO by its place and clips long titles', () => {
    const [empty] = parseTodosForLanguage('\n// FIXME', 'typescript', matcher);
    assert.equal(draftTitle(empty!, 'src/deep/y.ts'), 'FIXME in y.ts:2');
    const [long] = parseTodosForLanguage(`// TODO ${'x'.repeat(400)}`, 'typescript', matcher);
    assert.equal(draftTitle(long!, 'a.ts').length, MAX_TITLE_LENGTH);
  });
});

describe('Linked TODOs grouping', () => {
  const todos = [...located('a.ts', '// TODO AB#1 one\n// TODO AB#2 two\n// TODO free'), ...located('b.ts', '// TODO AB#1 and AB#3 three')];

  it('groups by item, puts finished items apart and lists unlinked ones', () => {
    const model = groupTodos(todos, new Map([
      ['AB#1', { kind: 'found', item: workItem({ id: 1, title: 'First', state: 'Active' }) }],
      ['AB#2', { kind: 'found', item: workItem({ id: 2, title: 'Second', state: 'Done' }) }],
      ['AB#3', { kind: 'notFound' }],
    ]));
    assert.deepEqual(model.items.map((g) => [g.label, g.todos.map((t) => `${t.relativePath}:${t.todo.line}`)]), [
      ['AB#1 · Active · First', ['a.ts:0', 'b.ts:0']],
      ['AB#3 · not found', ['b.ts:0']],
    ]);
    assert.deepEqual(model.stale.map((g) => g.label), ['AB#2 · Done · Second']);
    assert.deepEqual(model.unlinked.map((t) => t.todo.title), ['free']);
    assert.equal(model.total, 4);
    assert.deepEqual(referencesOf(todos).map((r) => r.id), [1, 2, 3]);
  });

  it('shows items still loading', () => {
    assert.equal(groupTodos(todos, new Map()).items[0]!.label, 'AB#1 · loading…');
  });
});
