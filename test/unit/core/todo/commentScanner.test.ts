import { strict as assert } from 'node:assert';
import { scanComments } from '../../../../src/core/todo/commentScanner';
import { KNOWN_LANGUAGE_IDS, syntaxForLanguageId } from '../../../../src/core/todo/languages';
import { regexFirstChars } from '../../../../src/core/todo/regexFirstChars';
import { type CommentSyntax, type SyntaxToken } from '../../../../src/core/todo/syntax';
import { random, randomText } from './randomText';
import { GoldenDigests } from './goldenDigests';

/** Pieces of every opener, closer and trap the languages have, glued at random into texts. */
const FRAGMENTS = [
  '//', '/*', '*/', '/', '"', "'", '"""', "'''", '`', '#', '##', '\n', '\r\n', ' ', '  ', '\t', '\\', '\\\\', 'r#"', '"#', 'br"', 'R"x(', ')x"',
  '$"""', '@"', '$@"', '--', '---', '--[[', '--[==[', ']]', ']==]', '[[', '{-', '-}', '(*', '*)', '<!--', '-->', '<script>', '</script>',
  '</SCRIPT>', '<style type="x">', '</style>', '<div a="<!-- x -->">', '<br/>', '=begin', '=end', '=pod', '=cut', '%{', '%}', '%', '\\%',
  'REM ', 'rem', 'Rem\t', '::', '$', '$%', '$\\', '@', ';', '\\;', '#\\;', '<#', '#>', '#|', '|#', '#=', '=#', '#[', ']#', '#[==[', "''",
  '{{!--', '--}}', '{{!', '}}', '@*', '*@', '{#', '#}', '<![CDATA[', ']]>', '\u00a0', '\u2028', 'return', 'typeof ', '(', ')', ']', '[',
  '=', '.', ',', 'b', 'u', 'f', 'x', 'a1', ' TODO fix', 'FIXME', 'word', "'a'", "'\\n'", "'\\x41'", '1/2', 'a / b', '/re[/]x/g', ': ',
];

const randomFragments = (next: () => number, pieces: number): string => randomText(next, FRAGMENTS, pieces);

const openerOf = (token: SyntaxToken): string => (token.kind === 'char' ? "'" : token.kind === 'regex' ? '/' : token.open);

describe('comment scanner', () => {
  it('finds the same comments as recorded in random texts of every language', function () {
    this.timeout(60_000);
    const golden = new GoldenDigests('comment scanner: random texts');
    const next = random(20261129);
    for (const id of KNOWN_LANGUAGE_IDS) {
      const syntax = syntaxForLanguageId(id)!;
      for (let round = 0; round < 150; round++) {
        const text = randomFragments(next, 1 + Math.floor(next() * 40));
        const from = next() < 0.3 ? Math.floor(next() * text.length) : 0;
        const to = next() < 0.3 ? from + Math.floor(next() * (text.length - from + 1)) : text.length;
        const stopAfter = next() < 0.3 ? Math.floor(next() * (text.length + 1)) : to;
        golden.add(id, scanComments(text, syntax, from, to, [], stopAfter));
      }
    }
    golden.check();
  });

  it('finds the same comments as recorded for a syntax it cannot dispatch by first character', () => {
    // `.` and `\d` start these openers, so the scanner falls back to trying every token everywhere.
    const odd: CommentSyntax = {
      name: 'odd',
      tokens: [
        { kind: 'line', open: '\\d\\d' },
        { kind: 'block', open: '.<', close: '>' },
        { kind: 'string', open: '(q+)"', close: (m) => `"${m[1] ?? ''}`, escape: 'none', multiline: true },
      ],
    };
    const golden = new GoldenDigests('comment scanner: a syntax without first-character dispatch');
    const next = random(7);
    for (let round = 0; round < 500; round++) {
      const text = randomFragments(next, 30).replace(/a1/g, '12').replace(/b/g, 'qq"').replace(/=/g, 'x<');
      golden.add(String(Math.floor(round / 100)), scanComments(text, odd));
    }
    golden.check();
  });

  it('steps over millions of strings in one file without running out of regex stack', () => {
    const c = syntaxForLanguageId('c')!;
    const text = `${'x = "a\\"b" + \'c\';\n'.repeat(500_000)}// TODO end`;
    const start = text.lastIndexOf('//');
    assert.deepEqual(scanComments(text, c), [{ start, end: text.length, bodyStart: start + 2, bodyEnd: text.length }]);
  });

  it('knows the first characters of every opener of every known language', () => {
    for (const id of KNOWN_LANGUAGE_IDS) {
      const syntax = syntaxForLanguageId(id)!;
      for (const token of syntax.tokens) {
        assert.notEqual(regexFirstChars(openerOf(token), syntax.caseInsensitive === true), undefined, `${id}: ${openerOf(token)}`);
      }
    }
  });

  it('treats exactly the characters of \\s as white space before a shell comment', () => {
    const shell = syntaxForLanguageId('shellscript')!;
    for (let code = 0; code < 0x10000; code++) {
      const c = String.fromCharCode(code);
      if (c === '#' || c === '"' || c === "'") continue;
      const text = `a${c}# x`;
      assert.equal(scanComments(text, shell).length, /\s/.test(c) ? 1 : 0, `U+${code.toString(16)}`);
    }
  });
});

describe('first characters of a regex source', () => {
  const sorted = (chars: ReadonlySet<string> | undefined): string[] | undefined => (chars === undefined ? undefined : [...chars].sort());
  const table: [string, boolean, string[] | undefined][] = [
    ['\\/\\/', false, ['/']],
    ['\\bb?r(#*)"', false, ['b', 'r']],
    ['\\$*"""', false, ['"', '$']],
    ['\\$?@\\$?"', false, ['$', '@']],
    ['(#+)"', false, ['#']],
    ['#(?!\\[)', false, ['#']],
    ['--+(?![!#$%&*+./<=>?@\\\\^|~:])', false, ['-']],
    ['#?\\\\.', false, ['#', '\\']],
    ['rem(?=[ \\t]|$)', true, ['R', 'r']],
    ['(?:x|y)+z', false, ['x', 'y']],
    ['(?<name>a)|b{0,2}c', false, ['a', 'b', 'c']],
    ['a{2}', false, ['a']],
    ['\\t', false, ['\t']],
    ['(?<=x)y', false, ['y']],
    ['{', false, ['{']],
    // Beyond the reader, or able to match '': undefined, so the scanner tries every token.
    ['[ab]c', false, undefined],
    ['.x', false, undefined],
    ['\\dx', false, undefined],
    ['\\x41', false, undefined],
    ['\\1', false, undefined],
    ['a?', false, undefined],
    ['(?:)', false, undefined],
    ['a|', false, undefined],
    ['(a', false, undefined],
    ['\u00e9', true, undefined],
  ];
  for (const [source, caseless, expected] of table) {
    it(`reads ${JSON.stringify(source)}${caseless ? ' without case' : ''}`, () => assert.deepEqual(sorted(regexFirstChars(source, caseless)), expected));
  }

  it('never misses the first character of a match', () => {
    const sources = ['\\bb?r(#*)"', '\\$*"""', '(?:ab|c)?d', 'x{0,3}y', '(#+)"', '--+(?!-)', 'rem(?=[ \\t]|$)'];
    const next = random(99);
    for (const source of sources) {
      const chars = regexFirstChars(source, true)!;
      const regex = new RegExp(source, 'gi');
      for (let round = 0; round < 200; round++) {
        const text = randomFragments(next, 20) + 'abcdxyREMrem#"$';
        for (const m of text.matchAll(regex)) if (m[0].length > 0) assert.ok(chars.has(m[0][0]!), `${source} matched ${JSON.stringify(m[0])}`);
      }
    }
  });
});
