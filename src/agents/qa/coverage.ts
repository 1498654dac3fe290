import { DevOpsError } from '../../core/errors';
import { type CoverageReport, type FileCoverage, percent, totalsOf } from './model';
import { parseCobertura } from './parse/cobertura';
import { parseGoCoverProfile } from './parse/goTest';
import { parseIstanbulJson } from './parse/istanbul';
import { merge, parseLcov } from './parse/lcov';

export type CoverageFormat = CoverageReport['format'];

/** The format of a coverage file from its name and first bytes. */
export function sniffCoverageFormat(path: string, text: string): CoverageFormat | undefined {
  const head = text.slice(0, 2000).trimStart();
  if (/^(TN:|SF:)/m.test(head)) return 'lcov';
  if (head.startsWith('<') && /<coverage[\s>]/.test(head)) return 'cobertura';
  if (head.startsWith('{')) return 'istanbul';
  if (/^mode: (set|count|atomic)/.test(head)) return 'go';
  if (/\.(info|lcov)$/.test(path)) return 'lcov';
  return undefined;
}

export function parseCoverage(format: CoverageFormat, text: string, root: string, base: string, detail: boolean, what: string, goModule?: string): CoverageReport {
  switch (format) {
    case 'lcov':
      return parseLcov(text, root, base, detail, what);
    case 'cobertura':
      return parseCobertura(text, root, base, detail, what);
    case 'istanbul':
      return parseIstanbulJson(text, root, base, detail, what);
    case 'go':
      return parseGoCoverProfile(text, goModule, base, detail);
  }
}

export function mergeReports(reports: readonly CoverageReport[]): CoverageReport | undefined {
  if (reports.length === 0) return undefined;
  const files: FileCoverage[] = merge(reports.flatMap((r) => r.files));
  return { format: reports[0]!.format, files };
}

export interface CoverageSummary {
  readonly lines: number | null;
  readonly branches: number | null;
  readonly functions: number | null;
  readonly linesFound: number;
  readonly linesHit: number;
  readonly files: number;
}

export function summarize(report: CoverageReport): CoverageSummary {
  const t = totalsOf(report.files);
  return { lines: percent(t.lines), branches: percent(t.branches), functions: percent(t.functions), linesFound: t.lines.found, linesHit: t.lines.hit, files: report.files.length };
}

export function assertFormat(path: string, text: string): CoverageFormat {
  const f = sniffCoverageFormat(path, text);
  if (!f) throw new DevOpsError('invalidInput', `${path} is not a coverage report this agent reads (lcov, Cobertura or coverage.py XML, istanbul JSON, a Go cover profile).`);
  return f;
}
