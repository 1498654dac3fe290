import { strict as assert } from 'node:assert';
import { insertReferenceEdit, removeReferenceEdit, replaceReferenceEdit, type TextEditData } from '../../../../src/core/todo/todoEdits';
import { compileTodoMatcher, parseTodosForLanguage } from '../../../../src/core/todo/todoParser';

const matcher = compileTodoMatcher(['TODO', 'FIXME'], { defaultTracker: 'azureBoards', patterns: [] });

/** Applies single-line edits to a one-line text, as the editor would. */
function apply(line: string, edit: TextEditData): string {
  return line.slice(0, edit.start.character) + edit.newText + line.slice(edit.end.character);
}
const todoOf = (line: string) => parseTodosForLanguage(line, 'typescript', matcher)[0]!;

describe('TODO edits as data', () => {
  const inserts: [string, string][] = [
    ['// TODO: retry', '// TODO AB#77: retry'],
    ['// TODO retry', '// TODO AB#77 retry'],
    ['// TODO(alice): retry', '// TODO(alice) AB#77: retry'],
    ['x(); // FIXME', 'x(); // FIXME AB#77'],
  ];
  for (const [before, after] of inserts) {
    it(`links "${before}"`, () => assert.equal(apply(before, insertReferenceEdit(todoOf(before), { tracker: 'azureBoards', id: 77 })), after));
  }

  const removals: [string, string][] = [
    ['// TODO(AB#12): retry', '// TODO: retry'],
    ['// TODO [AB#12] retry', '// TODO retry'],
    ['// TODO AB#12 retry', '// TODO retry'],
    ['// TODO retry AB#12', '// TODO retry'],
    ['// TODO: retry, see o/r#3 and AB#12', '// TODO: retry, see o/r#3 and'],
  ];
  for (const [before, after] of removals) {
    it(`removes the last reference from "${before}"`, () => {
      const todo = todoOf(before);
      assert.equal(apply(before, removeReferenceEdit(todo.references[todo.references.length - 1]!, before)), after);
    });
  }

  it('replaces a reference and nothing around it', () => {
    const line = '// TODO(AB#12): retry';
    assert.equal(apply(line, replaceReferenceEdit(todoOf(line).references[0]!, { tracker: 'github', id: 5, owner: 'o', repo: 'r' })), '// TODO(o/r#5): retry');
  });
});
