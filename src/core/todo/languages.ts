import { type CommentSyntax, lit, type StringToken, type SyntaxToken } from './syntax';

/**
 * Comment syntax of the languages the TODO parser knows, by VS Code language id and by file name.
 * Presets are shared: most languages are one of a few families (C-like, hash, dash-dash, ...).
 */

const line = (open: string, at: 'anywhere' | 'lineStart' | 'afterSpace' = 'anywhere'): SyntaxToken => ({ kind: 'line', open: lit(open), at });
const block = (open: string, close: string, nested = false): SyntaxToken => ({ kind: 'block', open: lit(open), close, nested });
const str = (quote: string, escape: StringToken['escape'] = 'backslash', multiline = false): SyntaxToken => ({
  kind: 'string',
  open: lit(quote),
  close: quote,
  escape,
  multiline,
});
const CHAR: SyntaxToken = { kind: 'char' };
const cLine = line('//');
const cBlock = block('/*', '*/');
const dq = str('"');
const sq = str("'");

const syntax = (name: string, tokens: SyntaxToken[], caseInsensitive = false): CommentSyntax => ({ name, tokens, caseInsensitive });

// C family. C++ raw strings R"delim( ... )delim" carry their own closer.
const cppRaw: SyntaxToken = { kind: 'string', open: 'R"([^(\\s"\\\\]{0,16})\\(', close: (m) => `)${m[1] ?? ''}"`, escape: 'none', multiline: true };
const c = syntax('c', [cLine, cBlock, dq, CHAR]);
const cpp = syntax('cpp', [cLine, cBlock, cppRaw, dq, CHAR]);
const java = syntax('java', [cLine, cBlock, str('"""', 'backslash', true), dq, CHAR]);
const kotlin = syntax('kotlin', [cLine, block('/*', '*/', true), str('"""', 'none', true), dq, CHAR]);
const scala = syntax('scala', [cLine, block('/*', '*/', true), str('"""', 'none', true), dq, CHAR]);
const csharp = syntax('csharp', [
  cLine,
  cBlock,
  { kind: 'string', open: '\\$*"""', close: '"""', escape: 'none', multiline: true },
  { kind: 'string', open: '\\$?@\\$?"', close: '"', escape: 'double', multiline: true },
  dq,
  CHAR,
]);
const go = syntax('go', [cLine, cBlock, dq, str('`', 'none', true), CHAR]);
const rustRaw: SyntaxToken = { kind: 'string', open: '\\bb?r(#*)"', close: (m) => `"${m[1] ?? ''}`, escape: 'none', multiline: true };
const rust = syntax('rust', [cLine, block('/*', '*/', true), rustRaw, str('"', 'backslash', true), CHAR]);
const swiftRaw: SyntaxToken = { kind: 'string', open: '(#+)"', close: (m) => `"${m[1] ?? ''}`, escape: 'none', multiline: true };
const swift = syntax('swift', [cLine, block('/*', '*/', true), str('"""', 'backslash', true), swiftRaw, dq]);
const dart = syntax('dart', [cLine, block('/*', '*/', true), str("'''", 'backslash', true), str('"""', 'backslash', true), dq, sq]);
const js = syntax('javascript', [cLine, cBlock, dq, sq, str('`', 'backslash', true), { kind: 'regex' }]);
const zig = syntax('zig', [cLine, dq, CHAR]);
const css = syntax('css', [cBlock, dq, sq]);
const scss = syntax('scss', [cLine, cBlock, dq, sq]);
const protobuf = syntax('proto', [cLine, cBlock, dq, sq]);
const groovy = syntax('groovy', [cLine, cBlock, str("'''", 'backslash', true), str('"""', 'backslash', true), dq, sq]);
const fsharp = syntax('fsharp', [cLine, block('(*', '*)', true), str('"""', 'none', true), dq, CHAR]);
const ocaml = syntax('ocaml', [block('(*', '*)', true), dq, CHAR]);
const verilog = syntax('verilog', [cLine, cBlock, dq]);

// Hash family.
const pyTriple = (q: string): SyntaxToken => ({ kind: 'string', open: lit(q), close: q, escape: 'backslash', multiline: true, docstring: true });
const python = syntax('python', [line('#'), pyTriple('"""'), pyTriple("'''"), dq, sq]);
const shell = syntax('shellscript', [line('#', 'afterSpace'), str('"', 'backslash', true), str("'", 'none', true)]);
const powershell = syntax('powershell', [block('<#', '#>'), line('#'), str('"', 'backtick', true), str("'", 'double', true)]);
// A YAML quote only opens a string at the start of a scalar: `title: don't` is plain text.
const yamlQuote = (q: string, escape: StringToken['escape']): SyntaxToken => ({ kind: 'string', open: q, close: q, escape, multiline: true, notAfter: '\\w' });
const yaml = syntax('yaml', [line('#', 'afterSpace'), yamlQuote('"', 'backslash'), yamlQuote("'", 'double')]);
const toml = syntax('toml', [line('#'), str('"""', 'backslash', true), str("'''", 'none', true), dq, str("'", 'none')]);
const ini = syntax('ini', [line(';', 'lineStart'), line('#', 'lineStart')]);
const dockerfile = syntax('dockerfile', [line('#', 'lineStart')]);
const makefile = syntax('makefile', [line('#')]);
const ruby = syntax('ruby', [{ kind: 'block', open: '=begin\\b', close: '=end', lineStart: true }, line('#'), str('"', 'backslash', true), str("'", 'backslash', true)]);
const perl = syntax('perl', [{ kind: 'block', open: '=(?:pod|head\\d|begin|over|item)\\b', close: '=cut', lineStart: true }, line('#'), str('"', 'backslash', true), str("'", 'backslash', true)]);
const php = syntax('php', [cLine, { kind: 'line', open: '#(?!\\[)' }, cBlock, str('"', 'backslash', true), str("'", 'backslash', true)]);
const hcl = syntax('terraform', [line('#'), cLine, cBlock, dq]);
const r = syntax('r', [line('#'), str('"', 'backslash', true), str("'", 'backslash', true)]);
const elixir = syntax('elixir', [line('#'), pyTriple('"""'), str('"', 'backslash', true), str("'", 'backslash', true)]);
const julia = syntax('julia', [block('#=', '=#', true), line('#'), str('"""', 'backslash', true), dq]);
const nim = syntax('nim', [block('#[', ']#', true), line('#'), str('"""', 'none', true), dq, CHAR]);
const nix = syntax('nix', [line('#'), cBlock, dq, str("''", 'none', true)]);
const cmake = syntax('cmake', [{ kind: 'block', open: '#\\[(=*)\\[', close: (m) => `]${m[1] ?? ''}]` }, line('#'), str('"', 'backslash', true)]);
const graphql = syntax('graphql', [line('#'), str('"""', 'none', true), dq]);

// Dash-dash family.
const sql = syntax('sql', [line('--'), cBlock, str("'", 'double', true), str('"', 'double')]);
const luaLong = (prefix: string, kind: 'block' | 'string'): SyntaxToken =>
  kind === 'block'
    ? { kind: 'block', open: `${lit(prefix)}\\[(=*)\\[`, close: (m) => `]${m[1] ?? ''}]` }
    : { kind: 'string', open: '\\[(=*)\\[', close: (m) => `]${m[1] ?? ''}]`, escape: 'none', multiline: true };
const lua = syntax('lua', [luaLong('--', 'block'), line('--'), luaLong('', 'string'), dq, sq]);
const haskell = syntax('haskell', [block('{-', '-}', true), { kind: 'line', open: '--+(?![!#$%&*+./<=>?@\\\\^|~:])' }, dq, CHAR]);
const elm = syntax('elm', [block('{-', '-}', true), line('--'), str('"""', 'backslash', true), dq, CHAR]);
const ada = syntax('ada', [line('--'), dq]);
const vhdl = syntax('vhdl', [line('--'), cBlock, dq]);

// Semicolon family.
const lisp = syntax('lisp', [block('#|', '|#', true), line(';'), { kind: 'skip', open: '#?\\\\.' }, str('"', 'backslash', true)]);
const clojure = syntax('clojure', [line(';'), { kind: 'skip', open: '\\\\.' }, str('"', 'backslash', true)]);
const asm = syntax('asm', [line(';'), cBlock, dq, CHAR]);

// Percent family.
const matlab = syntax('matlab', [
  { kind: 'block', open: '%\\{[ \\t]*$', close: '%}', lineStart: true, nested: true },
  line('%'),
  dq,
  { kind: 'string', open: "'", close: "'", escape: 'double', multiline: false, notAfter: "\\w)\\]}.'" },
]);
const latex = syntax('latex', [{ kind: 'line', open: '%', notAfter: '\\\\' }]);
const erlang = syntax('erlang', [line('%'), { kind: 'skip', open: '\\$\\\\?.' }, str('"', 'backslash', true), sq]);
const prolog = syntax('prolog', [line('%'), cBlock, dq, sq]);

// Others.
const batch = syntax('bat', [{ kind: 'line', open: 'rem(?=[ \\t]|$)', at: 'lineStart' }, { kind: 'line', open: '::', at: 'lineStart' }, dq], true);
const vb = syntax('vb', [{ kind: 'line', open: "'" }, { kind: 'line', open: 'rem(?=[ \\t]|$)', at: 'lineStart' }, str('"', 'double')], true);
const fortran = syntax('fortran', [line('!'), str('"', 'double'), str("'", 'double')]);
const htmlComment = block('<!--', '-->');
// A start tag with its attributes is stepped over whole, so `title="<!-- x -->"` is not a comment.
const startTag: SyntaxToken = { kind: 'skip', open: `<[A-Za-z][\\w:.-]*(?:\\s+[^\\s=>/]+(?:\\s*=\\s*(?:"[^"]{0,2000}"|'[^']{0,2000}'|[^\\s>]+))?)*\\s*/?>` };
const markdown = syntax('markdown', [htmlComment]);
const xml = syntax('xml', [htmlComment, { kind: 'string', open: '<!\\[CDATA\\[', close: ']]>', escape: 'none', multiline: true }, startTag]);
const script = (open: string, close: string, inner: () => CommentSyntax): SyntaxToken => ({ kind: 'embed', open, close, syntax: inner });
const htmlEmbeds = [script('<script\\b[^>]*>', '</script>', () => js), script('<style\\b[^>]*>', '</style>', () => scss)];
const html = syntax('html', [htmlComment, ...htmlEmbeds, startTag]);
const vue = syntax('vue', [htmlComment, ...htmlEmbeds, startTag]);
const svelte = syntax('svelte', [htmlComment, ...htmlEmbeds, startTag]);
const razor = syntax('razor', [block('@*', '*@'), htmlComment, ...htmlEmbeds, startTag]);
const twigLike = syntax('jinja', [block('{#', '#}'), htmlComment, ...htmlEmbeds, startTag]);
const handlebars = syntax('handlebars', [block('{{!--', '--}}'), block('{{!', '}}'), htmlComment, startTag]);

/** VS Code language id → syntax. (Tables become Maps below, so `x.constructor` is not a language.) */
const LANGUAGE_TABLE: Readonly<Record<string, CommentSyntax>> = {
  c,
  cpp,
  'cuda-cpp': cpp,
  objective_c: c,
  'objective-c': c,
  'objective-cpp': cpp,
  java,
  kotlin,
  scala,
  csharp,
  go,
  rust,
  swift,
  dart,
  javascript: js,
  javascriptreact: js,
  typescript: js,
  typescriptreact: js,
  json: js,
  jsonc: js,
  zig,
  css,
  scss,
  less: scss,
  proto: protobuf,
  proto3: protobuf,
  groovy,
  fsharp,
  ocaml,
  verilog,
  systemverilog: verilog,
  python,
  shellscript: shell,
  powershell,
  yaml,
  'github-actions-workflow': yaml,
  'azure-pipelines': yaml,
  dockercompose: yaml,
  toml,
  ini,
  properties: ini,
  dockerfile,
  makefile,
  ruby,
  perl,
  perl6: perl,
  php,
  terraform: hcl,
  hcl,
  r,
  elixir,
  julia,
  nim,
  nix,
  cmake,
  graphql,
  sql,
  lua,
  haskell,
  elm,
  purescript: haskell,
  ada,
  vhdl,
  lisp,
  'commonlisp': lisp,
  scheme: lisp,
  racket: lisp,
  clojure,
  asm,
  'asm-intel-x86-generic': asm,
  nasm: asm,
  matlab,
  octave: matlab,
  latex,
  tex: latex,
  bibtex: latex,
  erlang,
  prolog,
  bat: batch,
  vb,
  fortran,
  'fortran-modern': fortran,
  markdown,
  xml,
  xsl: xml,
  svg: xml,
  html,
  vue,
  svelte,
  razor,
  aspnetcorerazor: razor,
  jinja: twigLike,
  twig: twigLike,
  'django-html': twigLike,
  handlebars,
};

/** File extension (lower case, no dot) → language id. */
const EXTENSION_TABLE: Readonly<Record<string, string>> = {
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp', ino: 'cpp', cu: 'cuda-cpp', m: 'objective-c', mm: 'objective-cpp',
  java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', sc: 'scala', cs: 'csharp', csx: 'csharp', go: 'go', rs: 'rust', swift: 'swift', dart: 'dart',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascriptreact', ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'typescriptreact',
  jsonc: 'jsonc', json5: 'jsonc', zig: 'zig', css: 'css', scss: 'scss', sass: 'scss', less: 'less', proto: 'proto', groovy: 'groovy', gradle: 'groovy', gvy: 'groovy',
  fs: 'fsharp', fsi: 'fsharp', fsx: 'fsharp', ml: 'ocaml', mli: 'ocaml', v: 'verilog', sv: 'systemverilog', svh: 'systemverilog',
  py: 'python', pyi: 'python', pyw: 'python', sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', ksh: 'shellscript', fish: 'shellscript',
  ps1: 'powershell', psm1: 'powershell', psd1: 'powershell', yml: 'yaml', yaml: 'yaml', toml: 'toml', ini: 'ini', cfg: 'ini', conf: 'ini', properties: 'properties',
  editorconfig: 'ini', dockerfile: 'dockerfile', containerfile: 'dockerfile', mk: 'makefile', rb: 'ruby', rake: 'ruby', gemspec: 'ruby', pl: 'perl', pm: 'perl',
  php: 'php', phtml: 'php', tf: 'terraform', tfvars: 'terraform', hcl: 'hcl', r: 'r', ex: 'elixir', exs: 'elixir', jl: 'julia', nim: 'nim', nix: 'nix',
  cmake: 'cmake', graphql: 'graphql', gql: 'graphql', sql: 'sql', psql: 'sql', lua: 'lua', hs: 'haskell', lhs: 'haskell', elm: 'elm', purs: 'purescript',
  adb: 'ada', ads: 'ada', vhd: 'vhdl', vhdl: 'vhdl', lisp: 'lisp', lsp: 'lisp', cl: 'lisp', el: 'lisp', scm: 'scheme', ss: 'scheme', rkt: 'racket',
  clj: 'clojure', cljs: 'clojure', cljc: 'clojure', edn: 'clojure', asm: 'asm', s: 'asm', nasm: 'asm', matlab: 'matlab',
  tex: 'latex', sty: 'latex', cls: 'latex', bib: 'bibtex', erl: 'erlang', hrl: 'erlang', pro: 'prolog', bat: 'bat', cmd: 'bat', vb: 'vb', vbs: 'vb', bas: 'vb',
  f: 'fortran', f90: 'fortran-modern', f95: 'fortran-modern', f03: 'fortran-modern', for: 'fortran',
  md: 'markdown', markdown: 'markdown', mdx: 'markdown', xml: 'xml', xsd: 'xml', xsl: 'xsl', xslt: 'xsl', svg: 'svg', csproj: 'xml', fsproj: 'xml', vbproj: 'xml',
  props: 'xml', targets: 'xml', plist: 'xml', resx: 'xml', xaml: 'xml', html: 'html', htm: 'html', xhtml: 'html', vue: 'vue', svelte: 'svelte',
  cshtml: 'razor', razor: 'razor', j2: 'jinja', jinja: 'jinja', jinja2: 'jinja', twig: 'twig', hbs: 'handlebars', handlebars: 'handlebars',
};

/** Whole file names (lower case) that say their language without an extension. */
const BASENAME_TABLE: Readonly<Record<string, string>> = {
  dockerfile: 'dockerfile', containerfile: 'dockerfile', makefile: 'makefile', gnumakefile: 'makefile', 'cmakelists.txt': 'cmake', rakefile: 'ruby',
  gemfile: 'ruby', '.gitignore': 'ini', '.gitattributes': 'ini', '.dockerignore': 'ini', '.bashrc': 'shellscript', '.zshrc': 'shellscript',
  '.profile': 'shellscript', '.env': 'shellscript', jenkinsfile: 'groovy', vagrantfile: 'ruby', brewfile: 'ruby', justfile: 'makefile',
};

const BY_LANGUAGE_ID: ReadonlyMap<string, CommentSyntax> = new Map(Object.entries(LANGUAGE_TABLE));
const BY_EXTENSION: ReadonlyMap<string, string> = new Map(Object.entries(EXTENSION_TABLE));
const BY_BASENAME: ReadonlyMap<string, string> = new Map(Object.entries(BASENAME_TABLE));

export function syntaxForLanguageId(languageId: string): CommentSyntax | undefined {
  return BY_LANGUAGE_ID.get(languageId);
}

/** Language id from a path's file name, or undefined when the name says nothing we know. */
export function languageIdForPath(filePath: string): string | undefined {
  const slash = Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\'));
  const dot = filePath.lastIndexOf('.');
  // Fast path, taken by almost every file: a known extension as written.
  if (dot > slash + 1) {
    const byExtension = BY_EXTENSION.get(filePath.slice(dot + 1));
    if (byExtension !== undefined) return byExtension;
  }
  const base = filePath.slice(slash + 1).toLowerCase();
  const byName = BY_BASENAME.get(base);
  if (byName !== undefined) return byName;
  if (base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return 'dockerfile';
  const baseDot = base.lastIndexOf('.');
  if (baseDot < 0) return undefined;
  return BY_EXTENSION.get(base.slice(baseDot + 1));
}

export function syntaxForPath(filePath: string): CommentSyntax | undefined {
  const id = languageIdForPath(filePath);
  return id === undefined ? undefined : BY_LANGUAGE_ID.get(id);
}

/** Every language id the parser knows (for docs and tests). */
export const KNOWN_LANGUAGE_IDS: readonly string[] = [...BY_LANGUAGE_ID.keys()];
