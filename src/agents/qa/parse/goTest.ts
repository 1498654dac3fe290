import { z } from 'zod';
import { caseId, type CoverageReport, type FileCoverage, type TestCase } from '../model';
import { merge } from './lcov';

/**
 * `go test -json` (test2json events, one JSON object a line) and `-coverprofile` files. Import
 * paths become folders by the module path in go.mod.
 */
const Event = z.object({ Action: z.string(), Package: z.string().optional(), Test: z.string().optional(), Elapsed: z.number().optional(), Output: z.string().optional() }).passthrough();

const folderOf = (pkg: string, module: string | undefined, base: string): string => {
  const rel = module && (pkg === module || pkg.startsWith(`${module}/`)) ? pkg.slice(module.length).replace(/^\//, '') : '';
  return [base, rel].filter(Boolean).join('/');
};

export function parseGoTestJson(stdout: string, module: string | undefined, base: string): TestCase[] {
  const byTest = new Map<string, { pkg: string; test: string; action?: string; elapsed?: number; output: string[] }>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let e: z.infer<typeof Event>;
    try {
      const r = Event.safeParse(JSON.parse(line));
      if (!r.success) continue;
      e = r.data;
    } catch {
      continue;
    }
    if (!e.Test || !e.Package) continue;
    const key = `${e.Package}\0${e.Test}`;
    let t = byTest.get(key);
    if (!t) byTest.set(key, (t = { pkg: e.Package, test: e.Test, output: [] }));
    if (e.Action === 'output' && e.Output) t.output.push(e.Output);
    if (e.Action === 'pass' || e.Action === 'fail' || e.Action === 'skip') {
      t.action = e.Action;
      t.elapsed = e.Elapsed;
    }
  }
  const names = new Set([...byTest.values()].map((t) => `${t.pkg}\0${t.test}`));
  const cases: TestCase[] = [];
  for (const t of byTest.values()) {
    if (!t.action) continue;
    // A parent test with subtests is a suite of them.
    if ([...names].some((n) => n.startsWith(`${t.pkg}\0${t.test}/`))) continue;
    const folder = folderOf(t.pkg, module, base);
    const output = t.output.join('');
    const loc = /^\s+([\w.-]+_test\.go):(\d+):/m.exec(output);
    const file = loc ? [folder, loc[1]].filter(Boolean).join('/') : undefined;
    const parts = t.test.split('/');
    const name = parts.pop()!;
    const status = t.action === 'pass' ? 'passed' : t.action === 'skip' ? 'skipped' : 'failed';
    const message = status === 'failed' ? (/^\s+[\w.-]+_test\.go:\d+: (.*)$/m.exec(output)?.[1] ?? output.split('\n').find((l) => l.trim() && !/^(=== RUN|--- FAIL)/.test(l.trim()))?.trim() ?? 'failed') : undefined;
    cases.push({
      id: caseId(file ?? (folder || t.pkg), parts, name),
      framework: 'go',
      ...(file ? { file } : {}),
      suite: parts,
      name,
      status,
      ...(t.elapsed !== undefined ? { durationMs: t.elapsed * 1000 } : {}),
      ...(message !== undefined ? { failure: { message, stack: output.trim(), ...(loc && file ? { file, line: Number(loc[2]) } : {}) } } : {}),
      ...(output ? { output: output.slice(0, 20_000) } : {}),
    });
  }
  return cases;
}

/** `mode: set` then `import/path/file.go:12.3,14.5 2 1` (statements, count) per block. */
export function parseGoCoverProfile(text: string, module: string | undefined, base: string, detail: boolean): CoverageReport {
  const files = new Map<string, Map<number, number>>();
  for (const line of text.split('\n')) {
    const m = /^(.+\.go):(\d+)\.\d+,(\d+)\.\d+ (\d+) (\d+)$/.exec(line.trim());
    if (!m) continue;
    const slash = m[1]!.lastIndexOf('/');
    const file = [folderOf(slash < 0 ? '' : m[1]!.slice(0, slash), module, base), m[1]!.slice(slash + 1)].filter(Boolean).join('/');
    let lines = files.get(file);
    if (!lines) files.set(file, (lines = new Map()));
    for (let l = Number(m[2]); l <= Number(m[3]); l++) lines.set(l, Math.max(lines.get(l) ?? 0, Number(m[5])));
  }
  const out: FileCoverage[] = [...files.entries()].map(([file, lines]) => ({
    file,
    lines: { found: lines.size, hit: [...lines.values()].filter((h) => h > 0).length },
    branches: { found: 0, hit: 0 },
    functions: { found: 0, hit: 0 },
    ...(detail ? { detail: { lines: [...lines.entries()].sort((a, b) => a[0] - b[0]), branches: [], functions: [] } } : {}),
  }));
  return { format: 'go', files: merge(out) };
}
