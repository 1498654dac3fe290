import { KNOWN_LANGUAGE_IDS, syntaxForLanguageId } from '../../../../src/core/todo/languages';
import { compileReferencePatterns } from '../../../../src/core/todo/references';
import { compileTodoMatcher, parseTodos } from '../../../../src/core/todo/todoParser';
import { random, randomText } from './randomText';
import { GoldenDigests } from './goldenDigests';

/** Comment openers, tags with owners and references, brackets, odd white space and dashes: what titles are cut from. */
const FRAGMENTS = [
  '//', '/*', '*/', '#', '--', ';', '%', '<!--', '-->', '"', "'", '"""', '`', '\n', '\r\n', ' ', '  ', '\t', '\u00a0', '\u2003', '\u3000',
  '\ufeff', '\u2028', 'TODO', 'FIXME', 'HACK', 'XXX', 'NOTE', 'TODO(alice)', 'TODO(AB#12)', 'FIXME(', ')', '(', '[', ']', '()', '( , )',
  '[;]', '[ ]', ':', ': ', ',', '.', '...', '-', ' - ', '\u2013', '\u2014', '>', '*', ' * ', '@', '|', '=', '!', 'AB#7', '#45', '&#12;',
  'GH-9', 'owner/repo#3', 'https://dev.azure.com/org/Proj/_workitems/edit/5', 'https://github.com/o/r/issues/8', 'http://x', 'JIRA-77',
  'fix the retry', 'word', 'x', 'TODOS', '_TODO', 'TODO1',
];

describe('TODO parser against its recorded answers', () => {
  it('returns the same items for random texts in every language', function () {
    this.timeout(60_000);
    const { patterns } = compileReferencePatterns(['JIRA-(?<id>\\d+)']);
    const matchers = [
      compileTodoMatcher(['TODO', 'FIXME', 'HACK', 'XXX'], { defaultTracker: 'azureBoards', patterns: [] }),
      compileTodoMatcher(['TODO', 'NOTE', 'TODO(alice)'], { defaultTracker: 'github', patterns }),
    ];
    const golden = new GoldenDigests('TODO parser: random texts');
    const next = random(424242);
    for (const id of KNOWN_LANGUAGE_IDS) {
      const syntax = syntaxForLanguageId(id)!;
      for (let round = 0; round < 120; round++) {
        const text = randomText(next, FRAGMENTS, 1 + Math.floor(next() * 50));
        const matcher = matchers[round % matchers.length]!;
        golden.add(id, parseTodos(text, syntax, matcher));
      }
    }
    golden.check();
  });

  it('cuts titles as recorded around every character', () => {
    const matcher = compileTodoMatcher(['TODO'], { defaultTracker: 'azureBoards', patterns: [] });
    const syntax = syntaxForLanguageId('typescript')!;
    const golden = new GoldenDigests('TODO parser: every character around a TODO');
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      const text = `// ${c}TODO${c}: a${c}${c}b ${c}AB#1${c}(${c})${c}-${c}`;
      golden.add(`U+${(code & 0xf000).toString(16).padStart(4, '0')}`, parseTodos(text, syntax, matcher));
    }
    golden.check();
  });
});
