import { type WorkspaceFiles } from '../runtime/context';
import { caseId, type TestCase } from './model';

/** What locating needs of a test: a run's case or a listed one. */
export type Locatable = Pick<TestCase, 'id' | 'framework' | 'file' | 'line' | 'suite' | 'name'>;

/**
 * Runners that name no file or line for a test (node:test's JUnit, pytest's xunit2, unittest) get
 * them from the test files themselves: where the test's name is declared. The id is made from the
 * file found this way for passing and failing runs alike, so it stays the same across runs.
 */
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function declaration(name: string, framework: string): RegExp {
  const bare = name.replace(/\[.*\]$/, ''); // pytest parameters: test_add[1-2]
  if (framework === 'pytest' || framework === 'unittest') return new RegExp(`^[ \\t]*(?:async\\s+)?def\\s+${escape(bare)}\\s*\\(`, 'm');
  if (framework === 'go') return new RegExp(`^func\\s+${escape(bare)}\\s*\\(`, 'm');
  if (framework === 'cargo') return new RegExp(`^[ \\t]*(?:pub\\s+)?(?:async\\s+)?fn\\s+${escape(bare)}\\s*\\(`, 'm');
  return new RegExp(`\\b(?:it|test|specify|describe|suite|context)(?:\\.(?:only|skip|todo|each\\([^)]*\\)))?\\s*\\(\\s*(['"\`])${escape(name).replace(/'/g, "\\\\?'").replace(/"/g, '\\\\?"')}\\1`, 'm');
}

const DESCRIBE = /\b(?:describe|context|suite)(?:\.(?:only|skip))?\s*\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g;

function describeTitles(text: string): string[] {
  const titles = new Set<string>();
  DESCRIBE.lastIndex = 0;
  for (let m = DESCRIBE.exec(text); m; m = DESCRIBE.exec(text)) titles.add(m[2]!.replace(/\\(.)/g, '$1'));
  return [...titles].sort((a, b) => b.length - a.length);
}

/** "outer inner" into ["outer", "inner"] when both are describe titles of the file. */
export function splitTitles(joined: string, titles: readonly string[], depth = 0): string[] | undefined {
  if (depth > 20) return undefined;
  for (const t of titles) {
    if (joined === t) return [t];
    if (joined.startsWith(`${t} `)) {
      const rest = splitTitles(joined.slice(t.length + 1), titles, depth + 1);
      if (rest) return [t, ...rest];
    }
  }
  return undefined;
}

const lineAt = (text: string, index: number): number => {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

export async function locateCases<T extends Locatable>(cases: readonly T[], files: WorkspaceFiles, candidates: readonly string[], fallbackPlace: (c: T) => string): Promise<T[]> {
  const texts = new Map<string, string | undefined>();
  const text = async (f: string): Promise<string | undefined> => {
    if (!texts.has(f)) texts.set(f, (await files.read(f).catch(() => undefined))?.text);
    return texts.get(f);
  };
  const out: T[] = [];
  for (const original of cases) {
    let c = original;
    // mocha's reports join the suites into one title; the file's describe() titles split it again.
    if (c.framework === 'mocha' && c.suite.length === 1 && c.file) {
      const t = await text(c.file);
      const parts = t === undefined ? undefined : splitTitles(c.suite[0]!, describeTitles(t));
      if (parts) c = { ...c, suite: parts };
    }
    let { file, line } = c;
    if (!file || !line) {
      const re = declaration(c.name, c.framework);
      const pool = file ? [file] : candidates;
      const hits: { file: string; index: number; score: number }[] = [];
      for (const f of pool) {
        const t = await text(f);
        if (t === undefined) continue;
        const m = re.exec(t);
        if (!m) continue;
        const score = c.suite.filter((s) => t.includes(s)).length;
        hits.push({ file: f, index: m.index, score });
      }
      hits.sort((a, b) => b.score - a.score);
      const best = hits[0];
      if (best && (file || hits.length === 1 || best.score > (hits[1]?.score ?? -1))) {
        file ??= best.file;
        line ??= lineAt((await text(best.file))!, best.index);
      }
    }
    out.push({ ...c, ...(file ? { file } : {}), ...(line ? { line } : {}), id: caseId(file ?? fallbackPlace(c), c.suite, c.name) });
  }
  return out;
}
