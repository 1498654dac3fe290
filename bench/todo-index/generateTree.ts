import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A deterministic source tree for the TODO index benchmark: mixed languages, a realistic share of
 * TODOs (about one file in eight, a third of them linked to a work item), TODO-looking text inside
 * string literals that a comment-aware parser must not report, an ignored build directory, a few
 * binary and non-UTF-8 files. Same seed, same tree, byte for byte.
 */
export interface TreeSpec {
  readonly files: number;
  readonly seed: number;
}

/** mulberry32: tiny, fast, good enough for picking words. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Lang {
  readonly ext: string;
  readonly weight: number;
  readonly line: string;
  readonly str: (s: string) => string;
  readonly fn: (name: string, body: string[]) => string[];
  readonly stmt: (v: string, e: string) => string;
}

const cLike = (ext: string, weight: number, decl = 'const'): Lang => ({
  ext,
  weight,
  line: '//',
  str: (s) => `"${s}"`,
  fn: (n, b) => [`function ${n}(input, options) {`, ...b.map((l) => `  ${l}`), '}'],
  stmt: (v, e) => `${decl} ${v} = ${e};`,
});

const LANGS: readonly Lang[] = [
  cLike('ts', 22),
  cLike('js', 8),
  cLike('tsx', 4),
  { ext: 'py', weight: 12, line: '#', str: (s) => `'${s}'`, fn: (n, b) => [`def ${n}(input, options):`, `    """Handle ${n}."""`, ...b.map((l) => `    ${l}`)], stmt: (v, e) => `${v} = ${e}` },
  { ext: 'go', weight: 8, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`func ${n}(input string) error {`, ...b.map((l) => `\t${l}`), '\treturn nil', '}'], stmt: (v, e) => `${v} := ${e}` },
  { ext: 'java', weight: 7, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`  public void ${n}(String input) {`, ...b.map((l) => `    ${l}`), '  }'], stmt: (v, e) => `var ${v} = ${e};` },
  { ext: 'cs', weight: 6, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`    public void ${n}(string input)`, '    {', ...b.map((l) => `        ${l}`), '    }'], stmt: (v, e) => `var ${v} = ${e};` },
  { ext: 'rs', weight: 5, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`fn ${n}<'a>(input: &'a str) -> Result<(), Error> {`, ...b.map((l) => `    ${l}`), '    Ok(())', '}'], stmt: (v, e) => `let ${v} = ${e};` },
  { ext: 'rb', weight: 4, line: '#', str: (s) => `'${s}'`, fn: (n, b) => [`def ${n}(input)`, ...b.map((l) => `  ${l}`), 'end'], stmt: (v, e) => `${v} = ${e}` },
  { ext: 'php', weight: 3, line: '//', str: (s) => `'${s}'`, fn: (n, b) => [`function ${n}($input) {`, ...b.map((l) => `    ${l}`), '}'], stmt: (v, e) => `$${v} = ${e};` },
  { ext: 'sh', weight: 3, line: '#', str: (s) => `"${s}"`, fn: (n, b) => [`${n}() {`, ...b.map((l) => `  ${l}`), '}'], stmt: (v, e) => `local ${v}=${e}` },
  { ext: 'yaml', weight: 4, line: '#', str: (s) => `"${s}"`, fn: (n, b) => [`${n}:`, ...b.map((l) => `  ${l}`)], stmt: (v, e) => `${v}: ${e}` },
  { ext: 'sql', weight: 2, line: '--', str: (s) => `'${s}'`, fn: (n, b) => [`CREATE VIEW ${n} AS`, ...b.map((l) => `  ${l}`), ';'], stmt: (v, e) => `SELECT ${e} AS ${v}` },
  { ext: 'lua', weight: 2, line: '--', str: (s) => `"${s}"`, fn: (n, b) => [`local function ${n}(input)`, ...b.map((l) => `  ${l}`), 'end'], stmt: (v, e) => `local ${v} = ${e}` },
  { ext: 'c', weight: 3, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`int ${n}(const char *input) {`, ...b.map((l) => `    ${l}`), '    return 0;', '}'], stmt: (v, e) => `int ${v} = ${e};` },
  { ext: 'kt', weight: 2, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`fun ${n}(input: String) {`, ...b.map((l) => `    ${l}`), '}'], stmt: (v, e) => `val ${v} = ${e}` },
  { ext: 'swift', weight: 2, line: '//', str: (s) => `"${s}"`, fn: (n, b) => [`func ${n}(input: String) {`, ...b.map((l) => `    ${l}`), '}'], stmt: (v, e) => `let ${v} = ${e}` },
  { ext: 'tf', weight: 1, line: '#', str: (s) => `"${s}"`, fn: (n, b) => [`resource "null_resource" "${n}" {`, ...b.map((l) => `  ${l}`), '}'], stmt: (v, e) => `${v} = ${e}` },
  { ext: 'css', weight: 2, line: '', str: (s) => `"${s}"`, fn: (n, b) => [`.${n} {`, ...b.map((l) => `  ${l}`), '}'], stmt: (v, e) => `--${v}: ${e};` },
];

const WORDS = 'retry cache token parse fetch queue render batch limit user order index stream buffer config session widget report invoice sync timeout'.split(' ');
const TASKS = [
  'handle the 429 from the API',
  'remove once the migration is done',
  'this is quadratic for large inputs',
  'validate the input before saving',
  'support pagination here',
  'log the correlation id',
  'make the timeout configurable',
  'free the buffer on the error path',
  'translate these messages',
  'replace with the shared helper',
];
const TAGS = ['TODO', 'TODO', 'TODO', 'FIXME', 'HACK', 'XXX'];
const REFS = (r: () => number): string => {
  const n = 1 + Math.floor(r() * 5000);
  const kinds = [`AB#${n}`, `#${n}`, `GH-${n}`, `contoso/web#${n}`, `(AB#${n})`];
  return kinds[Math.floor(r() * kinds.length)]!;
};

function commentLine(lang: Lang, text: string): string {
  return lang.line === '' ? `/* ${text} */` : `${lang.line} ${text}`;
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function sourceFile(lang: Lang, r: () => number): { text: string; todos: number } {
  const out: string[] = [commentLine(lang, `Module ${pick(r, WORDS)} ${pick(r, WORDS)}: generated for the index benchmark.`), ''];
  let todos = 0;
  const functions = 2 + Math.floor(r() * 5);
  const withTodo = r() < 0.12;
  const todoAt = withTodo ? Math.floor(r() * functions) : -1;
  for (let f = 0; f < functions; f++) {
    const body: string[] = [];
    const statements = 4 + Math.floor(r() * 10);
    for (let s = 0; s < statements; s++) {
      const v = `${pick(r, WORDS)}${s}`;
      const roll = r();
      if (roll < 0.06) body.push(commentLine(lang, `${pick(r, WORDS)} the ${pick(r, WORDS)} before the ${pick(r, WORDS)}`));
      // A tag inside a string literal: ripgrep counts it, a comment-aware parser must not.
      if (roll > 0.999) body.push(lang.stmt(v, lang.str(`TODO list for ${pick(r, WORDS)}`)));
      else body.push(lang.stmt(v, `${pick(r, WORDS)}(${lang.str(pick(r, WORDS))}, ${Math.floor(r() * 1000)})`));
      if (f === todoAt && s === 1) {
        const count = 1 + Math.floor(r() * 3);
        for (let t = 0; t < count; t++) {
          const linked = r() < 0.35 ? ` ${REFS(r)}` : '';
          body.push(commentLine(lang, `${pick(r, TAGS)}${linked}: ${pick(r, TASKS)}`));
          todos++;
        }
      }
    }
    out.push(...lang.fn(`${pick(r, WORDS)}_${f}`, body), '');
  }
  return { text: out.join('\n'), todos };
}

/** Generates the tree under `dir` unless a tree of the same spec is already there. Returns the TODOs written. */
export function generateTree(dir: string, spec: TreeSpec): { files: number; todos: number; ignoredFiles: number } {
  const marker = path.join(dir, '.bench-tree.json');
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { spec: TreeSpec; files: number; todos: number; ignoredFiles: number };
    if (saved.spec.files === spec.files && saved.spec.seed === spec.seed) return saved;
  }
  const r = rng(spec.seed);
  const totalWeight = LANGS.reduce((s, l) => s + l.weight, 0);
  const langFor = (): Lang => {
    let x = r() * totalWeight;
    for (const l of LANGS) if ((x -= l.weight) < 0) return l;
    return LANGS[0]!;
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), 'build/\n*.log\n');
  let todos = 0;
  const perDir = 20;
  for (let i = 0; i < spec.files; i++) {
    const d = Math.floor(i / perDir);
    const sub = path.join(dir, 'src', `pkg${Math.floor(d / 50)}`, `mod${d % 50}`);
    if (i % perDir === 0) mkdirSync(sub, { recursive: true });
    const lang = langFor();
    const file = sourceFile(lang, r);
    todos += file.todos;
    writeFileSync(path.join(sub, `${pick(r, WORDS)}_${i}.${lang.ext}`), file.text);
  }
  // An ignored build output full of TODOs: a walker that ignores .gitignore reports them.
  const build = path.join(dir, 'build');
  mkdirSync(build, { recursive: true });
  const ignoredFiles = Math.floor(spec.files / 25);
  for (let i = 0; i < ignoredFiles; i++) writeFileSync(path.join(build, `bundle_${i}.js`), `// TODO generated copy ${i}\nconst x = 1;\n`);
  // A nested .gitignore, binary files with tag bytes, and Windows-1252 text.
  const nested = path.join(dir, 'src', 'pkg0');
  writeFileSync(path.join(nested, '.gitignore'), 'generated/\n');
  mkdirSync(path.join(nested, 'generated'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(path.join(nested, 'generated', `g${i}.ts`), '// TODO ignored by a nested .gitignore\n');
  for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, 'src', `blob${i}.bin.ts`), Buffer.concat([Buffer.from('\0\0\0TODO binary\n'), Buffer.alloc(2048, 7)]));
  for (let i = 0; i < 10; i++) {
    writeFileSync(path.join(dir, 'src', `legacy${i}.py`), Buffer.from(`# TODO caf\xe9 na\xefve encoding ${i}\nx = 1\n`, 'latin1'));
    todos++;
  }
  const summary = { spec, files: spec.files + 20 + 10, todos, ignoredFiles: ignoredFiles + 50 };
  writeFileSync(marker, JSON.stringify(summary));
  return summary;
}
