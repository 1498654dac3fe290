import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { caseId, type TestCase } from '../model';
import { workspaceRelative } from './paths';

/**
 * What runners print when asked to list their tests without running them: pytest's
 * `--collect-only -q` node ids, `go test -list . -json` events, libtest's `--list`, Jest's
 * `--listTests --json`. Each becomes tests (or files) with the ids a run of the same tests gets.
 */
/** A test known by name and place only (no result): what a listing names. */
export type ListedTest = Pick<TestCase, 'id' | 'framework' | 'file' | 'line' | 'suite' | 'name'>;

const join = (...parts: string[]): string => parts.filter(Boolean).join('/');

/**
 * `tests/test_calc.py::TestAdd::test_adds` a line, relative to pytest's rootdir (the project's
 * folder: it runs there), then a blank line and `6 tests collected in 0.01s`.
 */
export function parsePytestCollect(stdout: string, base: string, exists: (file: string) => boolean): ListedTest[] {
  const out: ListedTest[] = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    const sep = line.indexOf('::');
    if (sep <= 0 || /\s/.test(line.slice(0, sep))) continue;
    const rel = line.slice(0, sep);
    if (!rel.endsWith('.py')) continue;
    const parts = line.slice(sep + 2).split('::');
    const name = parts.pop()!;
    if (!name) continue;
    // A rootdir above the project (a configuration higher up) names files from there instead.
    const file = exists(join(base, rel)) || !exists(rel) ? join(base, rel) : rel;
    out.push({ id: caseId(file, parts, name), framework: 'pytest', file, suite: parts, name });
  }
  return out;
}

const GoEvent = z.object({ Action: z.string(), Package: z.string().optional(), Output: z.string().optional() }).passthrough();

/** `go test -list . -json ./...`: the output events of each package name its top-level tests, one a line. */
export function parseGoList(stdout: string, module: string | undefined, base: string): ListedTest[] {
  const out: ListedTest[] = [];
  const seen = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    const e = GoEvent.safeParse(parsed);
    if (!e.success || e.data.Action !== 'output' || !e.data.Package || !e.data.Output) continue;
    const name = e.data.Output.trim();
    // Benchmarks only run with -bench; tests, examples and fuzz targets' seed corpora run in every go test.
    if (!/^(?:Test|Example|Fuzz)[A-Za-z0-9_]*$/.test(name)) continue;
    const pkg = e.data.Package;
    const rel = module && (pkg === module || pkg.startsWith(`${module}/`)) ? pkg.slice(module.length).replace(/^\//, '') : '';
    const folder = join(base, rel);
    const key = `${pkg}\0${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: caseId(folder || pkg, [], name), framework: 'go', suite: [], name });
  }
  return out;
}

/** libtest's `--list`: `tests::it_works: test` a line (benchmarks and doc tests, which name a file and line, left out). */
export function parseCargoList(stdout: string, base: string): ListedTest[] {
  const out: ListedTest[] = [];
  for (const m of stdout.matchAll(/^(\S+): test$/gm)) {
    const parts = m[1]!.split('::');
    const name = parts.pop()!;
    out.push({ id: caseId(base || '.', parts, name), framework: 'cargo', suite: parts, name });
  }
  return out;
}

/** Jest's `--listTests --json`: a JSON array of absolute test file paths (after whatever the script printed). */
export function parseJestListTests(stdout: string, root: string, base: string): string[] {
  const start = stdout.search(/(?:^|\n)\[/);
  if (start < 0) throw new DevOpsError('badResponse', 'Jest printed no list of test files (--listTests --json).');
  const text = stdout.slice(start).trim();
  const end = text.indexOf('\n]') >= 0 ? text.indexOf('\n]') + 2 : text.indexOf(']') + 1;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(0, end));
  } catch (error) {
    throw new DevOpsError('badResponse', `Jest's list of test files is not JSON: ${(error as Error).message}`);
  }
  const files = z.array(z.string()).safeParse(parsed);
  if (!files.success) throw new DevOpsError('badResponse', "Jest's list of test files is not a list of paths.");
  return files.data.map((f) => workspaceRelative(root, base, f)).filter((f): f is string => f !== undefined);
}
