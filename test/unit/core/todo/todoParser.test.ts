import { strict as assert } from 'node:assert';
import { KNOWN_LANGUAGE_IDS, languageIdForPath } from '../../../../src/core/todo/languages';
import { compileTodoMatcher, parseTodosForLanguage, parseTodosForPath } from '../../../../src/core/todo/todoParser';

const matcher = compileTodoMatcher(['TODO', 'FIXME', 'HACK', 'XXX'], { defaultTracker: 'azureBoards', patterns: [] });

/** [tag, line, title] of each TODO found. */
const found = (languageId: string, text: string): [string, number, string][] =>
  parseTodosForLanguage(text, languageId, matcher).map((t) => [t.tag, t.line, t.title]);

interface Case {
  readonly language: string;
  readonly source: string;
  readonly expected: [string, number, string][];
}

/**
 * One row per language: real comments in each of its syntaxes, and the same words inside string
 * literals (and other traps of that language) that must not be reported.
 */
const CASES: readonly Case[] = [
  {
    language: 'typescript',
    source: [
      'const a = "// TODO not a comment"; // TODO line comment',
      "const b = '/* FIXME not */'; const r = /\"/g; // FIXME after a regex with a quote",
      'const t = `',
      '  // TODO inside a template literal',
      '`;',
      '/* HACK block',
      ' * XXX second line of the block',
      ' */ const after = 1; // TODO code then comment',
      'x = y / 2; // TODO after division',
    ].join('\n'),
    expected: [
      ['TODO', 0, 'line comment'],
      ['FIXME', 1, 'after a regex with a quote'],
      ['HACK', 5, 'block'],
      ['XXX', 6, 'second line of the block'],
      ['TODO', 7, 'code then comment'],
      ['TODO', 8, 'after division'],
    ],
  },
  {
    language: 'javascriptreact',
    source: 'return <div title="// TODO no">{/* TODO jsx comment */}</div>;',
    expected: [['TODO', 0, 'jsx comment']],
  },
  {
    language: 'python',
    source: [
      'x = "# TODO not a comment"  # TODO real',
      'def f():',
      '    """TODO: docstring counts',
      '    FIXME second docstring line',
      '    """',
      '    y = """TODO assigned string is not a docstring"""',
      "    z = r'\\d # FIXME raw string'  # HACK after raw string",
    ].join('\n'),
    expected: [
      ['TODO', 0, 'real'],
      ['TODO', 2, 'docstring counts'],
      ['FIXME', 3, 'second docstring line'],
      ['HACK', 6, 'after raw string'],
    ],
  },
  {
    language: 'go',
    source: ['s := "// TODO no"', 'r := `', '// TODO raw string', '` // FIXME yes', "c := '\"' // TODO rune then comment"].join('\n'),
    expected: [
      ['FIXME', 3, 'yes'],
      ['TODO', 4, 'rune then comment'],
    ],
  },
  {
    language: 'rust',
    source: [
      "fn f<'a>(x: &'a str) -> char { '\"' } // TODO lifetimes are not strings",
      'let s = r#"// TODO raw"#; let t = "/* FIXME */";',
      '/* outer /* nested */ HACK is still inside */ // XXX outside',
      '/// TODO doc comment',
    ].join('\n'),
    expected: [
      ['TODO', 0, 'lifetimes are not strings'],
      ['XXX', 2, 'outside'],
      ['TODO', 3, 'doc comment'],
    ],
  },
  {
    language: 'java',
    source: ['String s = "// TODO no";', 'String b = """', '  // FIXME text block', '  """; // TODO after text block', "char c = '/'; // HACK char"].join('\n'),
    expected: [
      ['TODO', 3, 'after text block'],
      ['HACK', 4, 'char'],
    ],
  },
  {
    language: 'csharp',
    source: ['var p = @"C:\\temp\\ // TODO verbatim";', 'var q = $"{x} // FIXME interpolated"; // TODO real', 'var r = """', '// HACK raw', '""";'].join('\n'),
    expected: [['TODO', 1, 'real']],
  },
  {
    language: 'cpp',
    source: ['auto s = R"delim(// TODO raw )" still raw)delim"; // FIXME after raw', '#include "todo.h" // TODO include'].join('\n'),
    expected: [
      ['FIXME', 0, 'after raw'],
      ['TODO', 1, 'include'],
    ],
  },
  { language: 'c', source: 'printf("/* TODO */"); /* FIXME c block */', expected: [['FIXME', 0, 'c block']] },
  {
    language: 'kotlin',
    source: 'val s = """// TODO no"""\n/* a /* b */ TODO nested */ // FIXME kotlin',
    expected: [['FIXME', 1, 'kotlin']],
  },
  {
    language: 'swift',
    source: 'let s = #"// TODO raw "quoted""#\nlet m = """\n// FIXME multiline\n""" // HACK swift',
    expected: [['HACK', 3, 'swift']],
  },
  {
    language: 'ruby',
    source: ['s = "# TODO no" # TODO ruby', '=begin', 'FIXME in =begin block', '=end'].join('\n'),
    expected: [
      ['TODO', 0, 'ruby'],
      ['FIXME', 2, 'in =begin block'],
    ],
  },
  {
    language: 'php',
    source: "<?php\n$s = '// TODO no'; # FIXME hash comment\n#[Attribute] // TODO after attribute\n/* HACK php block */",
    expected: [
      ['FIXME', 1, 'hash comment'],
      ['TODO', 2, 'after attribute'],
      ['HACK', 3, 'php block'],
    ],
  },
  {
    language: 'shellscript',
    source: ['echo "# TODO no" \'# TODO no\' a#b $# # TODO shell', 'url=http://x/#TODO', '# FIXME whole line'].join('\n'),
    expected: [
      ['TODO', 0, 'shell'],
      ['FIXME', 2, 'whole line'],
    ],
  },
  {
    language: 'powershell',
    source: ['$s = "# TODO no"; $t = \'it\'\'s # TODO no\' # TODO ps', '<#', ' FIXME block help', '#>'].join('\n'),
    expected: [
      ['TODO', 0, 'ps'],
      ['FIXME', 2, 'block help'],
    ],
  },
  {
    language: 'yaml',
    source: ['title: "# TODO no" # TODO yaml', "note: don't # FIXME apostrophe is text", 'url: http://host/#TODO'].join('\n'),
    expected: [
      ['TODO', 0, 'yaml'],
      ['FIXME', 1, 'apostrophe is text'],
    ],
  },
  {
    language: 'dockerfile',
    source: '# TODO pin the base image\nRUN echo "#TODO" # FIXME not a comment in a Dockerfile',
    expected: [['TODO', 0, 'pin the base image']],
  },
  {
    language: 'terraform',
    source: 'name = "# TODO no" # TODO hash\nsize = 2 // FIXME slashes\n/* HACK block */',
    expected: [
      ['TODO', 0, 'hash'],
      ['FIXME', 1, 'slashes'],
      ['HACK', 2, 'block'],
    ],
  },
  {
    language: 'sql',
    source: "SELECT '-- TODO no', 'it''s -- TODO no' -- TODO sql\n/* FIXME sql block */",
    expected: [
      ['TODO', 0, 'sql'],
      ['FIXME', 1, 'sql block'],
    ],
  },
  {
    language: 'lua',
    source: 'local s = "-- TODO no" -- TODO lua\n--[==[ FIXME long\n]==] local t = [[-- HACK long string]]',
    expected: [
      ['TODO', 0, 'lua'],
      ['FIXME', 1, 'long'],
    ],
  },
  {
    language: 'haskell',
    source: "f x' = x' -- TODO haskell\ns = \"-- FIXME no\"\n{- HACK {- nested -} still -}",
    expected: [
      ['TODO', 0, 'haskell'],
      ['HACK', 2, '{- nested -} still'],
    ],
  },
  {
    language: 'clojure',
    source: '(def s "; TODO no") ; TODO clojure\n(def c \\;) ; FIXME after char literal',
    expected: [
      ['TODO', 0, 'clojure'],
      ['FIXME', 1, 'after char literal'],
    ],
  },
  {
    language: 'lisp',
    source: '(setq s "; TODO no") ;; TODO lisp\n#| FIXME block |#',
    expected: [
      ['TODO', 0, 'lisp'],
      ['FIXME', 1, 'block'],
    ],
  },
  { language: 'asm', source: 'mov eax, ";" ; TODO asm\nmsg db "; FIXME no"', expected: [['TODO', 0, 'asm']] },
  {
    language: 'matlab',
    source: "a = b'; % TODO after transpose\ns = 'it''s % FIXME no';\n%{\nHACK block\n%}",
    expected: [
      ['TODO', 0, 'after transpose'],
      ['HACK', 3, 'block'],
    ],
  },
  { language: 'latex', source: '50\\% TODO escaped percent % TODO latex', expected: [['TODO', 0, 'latex']] },
  { language: 'erlang', source: 'X = $%, % TODO erlang\nS = "% FIXME no"', expected: [['TODO', 0, 'erlang']] },
  {
    language: 'bat',
    source: 'REM TODO batch\n:: FIXME colons\necho REM TODO not a comment\nrem HACK lower case',
    expected: [
      ['TODO', 0, 'batch'],
      ['FIXME', 1, 'colons'],
      ['HACK', 3, 'lower case'],
    ],
  },
  {
    language: 'html',
    source: '<p title="<!-- TODO no -->">x</p><!-- TODO html -->\n<script>const s = "<!-- FIXME no -->"; // HACK script\n</script><style>/* XXX style */</style>',
    expected: [
      ['TODO', 0, 'html'],
      ['HACK', 1, 'script'],
      ['XXX', 2, 'style'],
    ],
  },
  {
    language: 'xml',
    source: '<a><![CDATA[ <!-- TODO no --> ]]></a><!-- FIXME xml -->',
    expected: [['FIXME', 0, 'xml']],
  },
  { language: 'markdown', source: 'TODO prose is not a comment\n<!-- TODO markdown -->', expected: [['TODO', 1, 'markdown']] },
  { language: 'css', source: 'a { content: "/* TODO no */"; } /* FIXME css */', expected: [['FIXME', 0, 'css']] },
  {
    language: 'vue',
    source: '<template><!-- TODO template --></template>\n<script setup>\n// FIXME script\n</script>\n<style scoped>/* HACK style */</style>',
    expected: [
      ['TODO', 0, 'template'],
      ['FIXME', 2, 'script'],
      ['HACK', 4, 'style'],
    ],
  },
  { language: 'svelte', source: '<script>let s = "// TODO no"; // TODO svelte</script>', expected: [['TODO', 0, 'svelte']] },
  { language: 'ini', source: '; TODO ini\n# FIXME hash\nkey = value ; HACK not a comment mid-line', expected: [['TODO', 0, 'ini'], ['FIXME', 1, 'hash']] },
  { language: 'toml', source: 'a = "# TODO no" # TODO toml\nb = \'\'\'\n# FIXME no\n\'\'\'', expected: [['TODO', 0, 'toml']] },
  { language: 'fsharp', source: 'let s = "(* TODO no *)" (* TODO fsharp *)\n// FIXME line', expected: [['TODO', 0, 'fsharp'], ['FIXME', 1, 'line']] },
  { language: 'elixir', source: 's = "# TODO no" # TODO elixir', expected: [['TODO', 0, 'elixir']] },
  { language: 'r', source: 'x <- "# TODO no" # TODO r', expected: [['TODO', 0, 'r']] },
  { language: 'vb', source: "Dim s = \"' TODO no\" ' TODO vb\nREM FIXME rem", expected: [['TODO', 0, 'vb'], ['FIXME', 1, 'rem']] },
  { language: 'fortran', source: "print *, '! TODO no' ! TODO fortran", expected: [['TODO', 0, 'fortran']] },
];

describe('TODO parser: comment syntax by language', () => {
  it('knows at least 20 languages', () => {
    assert.ok(KNOWN_LANGUAGE_IDS.length >= 20, `${KNOWN_LANGUAGE_IDS.length} languages`);
    assert.ok(new Set(CASES.map((c) => c.language)).size >= 30);
  });

  for (const c of CASES) {
    it(`${c.language}: finds comments, not strings`, () => {
      assert.deepEqual(found(c.language, c.source), c.expected);
    });
  }
});

describe('TODO parser: tags and text', () => {
  it('needs the tag as a whole word at the start of a comment line', () => {
    const text = ['// TODOS is another word', '// see the TODO list', '// XXXL size', '//TODO no space', '// @TODO at-sign', '// * FIXME decorated'].join('\n');
    assert.deepEqual(found('typescript', text), [
      ['TODO', 3, 'no space'],
      ['TODO', 4, 'at-sign'],
      ['FIXME', 5, 'decorated'],
    ]);
  });

  it('uses the configured tags only, case-sensitively', () => {
    const custom = compileTodoMatcher(['NOTE', 'BUG'], { defaultTracker: 'azureBoards', patterns: [] });
    const items = parseTodosForLanguage('// NOTE one\n// TODO not configured\n// bug lower case\n// BUG two', 'typescript', custom);
    assert.deepEqual(items.map((t) => [t.tag, t.title]), [['NOTE', 'one'], ['BUG', 'two']]);
  });

  it('finds nothing, and ends, with no tags configured', () => {
    const none = compileTodoMatcher(['', ''], { defaultTracker: 'azureBoards', patterns: [] });
    assert.deepEqual(parseTodosForLanguage('// TODO x', 'typescript', none), []);
  });

  it('escapes tags that look like regular expressions', () => {
    const custom = compileTodoMatcher(['TO.DO', 'A+B'], { defaultTracker: 'azureBoards', patterns: [] });
    assert.deepEqual(parseTodosForLanguage('// TOXDO no\n// TO.DO yes', 'typescript', custom).map((t) => t.line), [1]);
  });

  it('reports columns of the tag, the text, the comment and each reference', () => {
    const line = '  foo(); // TODO(AB#12): retry on 429 see owner/repo#7';
    const [todo] = parseTodosForLanguage(line, 'typescript', matcher);
    assert.ok(todo);
    assert.deepEqual(todo.tagSpan, { line: 0, start: line.indexOf('TODO'), end: line.indexOf('TODO') + 4 });
    assert.deepEqual(todo.comment, { start: { line: 0, character: line.indexOf('//') }, end: { line: 0, character: line.length } });
    assert.equal(todo.text, '(AB#12): retry on 429 see owner/repo#7');
    assert.equal(todo.title, 'retry on 429 see');
    assert.deepEqual(
      todo.references.map((r) => [r.raw, r.span.start, r.span.end]),
      [
        ['AB#12', line.indexOf('AB#12'), line.indexOf('AB#12') + 5],
        ['owner/repo#7', line.indexOf('owner/repo#7'), line.length],
      ],
    );
    // A new reference goes after the tag's `(...)` group.
    assert.deepEqual(todo.insertAt, { line: 0, character: line.indexOf('):') + 1 });
  });

  it('handles CRLF line ends and block comments over several lines', () => {
    const text = 'a();\r\n/*\r\n * TODO first\r\n * FIXME AB#5 second\r\n */\r\nb(); // HACK third\r\n';
    const items = parseTodosForLanguage(text, 'c', matcher);
    assert.deepEqual(items.map((t) => [t.tag, t.line, t.title, t.text]), [
      ['TODO', 2, 'first', 'first'],
      ['FIXME', 3, 'second', 'AB#5 second'],
      ['HACK', 5, 'third', 'third'],
    ]);
    assert.deepEqual(items[0]!.comment, { start: { line: 1, character: 0 }, end: { line: 4, character: 3 } });
  });

  it('runs an unterminated comment or string to the end without throwing', () => {
    assert.deepEqual(found('typescript', '/* TODO never closed'), [['TODO', 0, 'never closed']]);
    assert.deepEqual(found('typescript', 'const s = "open string // TODO no'), []);
    assert.deepEqual(found('python', '"""TODO never closed'), [['TODO', 0, 'never closed']]);
  });

  it('returns nothing for unknown languages and text without tags', () => {
    assert.deepEqual(parseTodosForLanguage('// TODO x', 'plaintext', matcher), []);
    assert.deepEqual(parseTodosForLanguage('// nothing to do here', 'typescript', matcher), []);
  });

  it('picks the language from a file name', () => {
    assert.equal(languageIdForPath('/a/b/Dockerfile'), 'dockerfile');
    assert.equal(languageIdForPath('/a/b/api.Dockerfile'), 'dockerfile');
    assert.equal(languageIdForPath('C:\\x\\Main.JAVA'), 'java');
    assert.equal(languageIdForPath('/a/CMakeLists.txt'), 'cmake');
    assert.equal(languageIdForPath('/a/x.constructor'), undefined);
    assert.equal(languageIdForPath('/a/notes'), undefined);
    assert.deepEqual(parseTodosForPath('# TODO infra', 'main.tf', matcher).map((t) => t.title), ['infra']);
  });
});
