import lcovParse from 'lcov-parse';
import { DevOpsError } from '../../../core/errors';
import { type CoverageReport, type FileCoverage } from '../model';
import { workspaceRelative } from './paths';

/**
 * lcov tracefiles (c8, nyc, jest, vitest, node:test's lcov reporter, coverage.py's lcov, genhtml's
 * input) through lcov-parse's string reader (never its file-path mode: the report's text is data).
 */
export function parseLcov(text: string, root: string, base: string, detail: boolean, what = 'The lcov report'): CoverageReport {
  let parsed: lcovParse.LcovFile[] | undefined;
  let failure: string | undefined;
  lcovParse.source(text, (error, data) => {
    if (error) failure = String(error);
    parsed = data;
  });
  if (!parsed) {
    if (/^\s*$/.test(text)) return { format: 'lcov', files: [] };
    throw new DevOpsError('badResponse', `${what} holds no lcov records (SF:…end_of_record)${failure ? `: ${failure}` : ''}.`);
  }
  const files: FileCoverage[] = [];
  for (const f of parsed) {
    const file = workspaceRelative(root, base, f.file);
    if (!file) continue;
    files.push({
      file,
      lines: counts(f.lines.found, f.lines.hit, f.lines.details.length, f.lines.details.filter((d) => d.hit > 0).length),
      branches: counts(f.branches.found, f.branches.hit, f.branches.details.length, f.branches.details.filter((d) => d.taken > 0).length),
      functions: counts(f.functions.found, f.functions.hit, f.functions.details.length, f.functions.details.filter((d) => (d.hit ?? 0) > 0).length),
      ...(detail
        ? {
            detail: {
              lines: f.lines.details.map((d) => [d.line, d.hit] as const),
              branches: f.branches.details.map((d) => [d.line, d.block, d.branch, d.taken] as const),
              functions: f.functions.details.map((d) => [d.name, d.line, d.hit ?? 0] as const),
            },
          }
        : {}),
    });
  }
  return { format: 'lcov', files: merge(files) };
}

/** LF/LH when the report has them, else counted from the records (some writers omit the totals). */
function counts(found: number, hit: number, detailFound: number, detailHit: number): { found: number; hit: number } {
  return found > 0 || hit > 0 ? { found, hit } : { found: detailFound, hit: detailHit };
}

/** One entry per file: tracefiles of several test runs name a file more than once. */
export function merge(files: readonly FileCoverage[]): FileCoverage[] {
  const byFile = new Map<string, FileCoverage>();
  for (const f of files) {
    const prev = byFile.get(f.file);
    if (!prev) {
      byFile.set(f.file, f);
      continue;
    }
    const lines = new Map<number, number>();
    for (const [l, h] of [...(prev.detail?.lines ?? []), ...(f.detail?.lines ?? [])]) lines.set(l, (lines.get(l) ?? 0) + h);
    const hasDetail = prev.detail !== undefined && f.detail !== undefined;
    byFile.set(f.file, {
      file: f.file,
      lines: hasDetail ? { found: lines.size, hit: [...lines.values()].filter((h) => h > 0).length } : { found: Math.max(prev.lines.found, f.lines.found), hit: Math.max(prev.lines.hit, f.lines.hit) },
      branches: { found: Math.max(prev.branches.found, f.branches.found), hit: Math.max(prev.branches.hit, f.branches.hit) },
      functions: { found: Math.max(prev.functions.found, f.functions.found), hit: Math.max(prev.functions.hit, f.functions.hit) },
      ...(hasDetail
        ? { detail: { lines: [...lines.entries()].sort((a, b) => a[0] - b[0]), branches: [...prev.detail!.branches, ...f.detail!.branches], functions: [...prev.detail!.functions, ...f.detail!.functions] } }
        : {}),
    });
  }
  return [...byFile.values()];
}
