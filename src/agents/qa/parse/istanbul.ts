import libCoverage from 'istanbul-lib-coverage';
import { DevOpsError } from '../../../core/errors';
import { type CoverageReport, type FileCoverage } from '../model';
import { merge } from './lcov';
import { workspaceRelative } from './paths';

/**
 * istanbul's `coverage-final.json` (jest, vitest, nyc, c8 --reporter=json) through
 * istanbul-lib-coverage, which owns the format (statement, branch and function maps).
 */
export function parseIstanbulJson(text: string, root: string, base: string, detail: boolean, what = 'The istanbul coverage JSON'): CoverageReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DevOpsError('badResponse', `${what} is not JSON (${(error as Error).message}).`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new DevOpsError('badResponse', `${what} is not an object of files.`);
  let map: libCoverage.CoverageMap;
  try {
    map = libCoverage.createCoverageMap(data as libCoverage.CoverageMapData);
  } catch (error) {
    throw new DevOpsError('badResponse', `${what} is not istanbul coverage: ${(error as Error).message}.`);
  }
  const files: FileCoverage[] = [];
  for (const name of map.files()) {
    const file = workspaceRelative(root, base, name);
    if (!file) continue;
    let fc: libCoverage.FileCoverage;
    let summary: libCoverage.CoverageSummary;
    try {
      fc = map.fileCoverageFor(name);
      summary = fc.toSummary();
    } catch (error) {
      throw new DevOpsError('badResponse', `${what}: the entry for ${name} is malformed (${(error as Error).message}).`);
    }
    const lineHits = fc.getLineCoverage();
    const branchDetail: [number, number, number, number][] = [];
    const b = fc.b;
    for (const [id, counts] of Object.entries(b)) {
      const line = fc.branchMap[id]?.loc?.start.line ?? fc.branchMap[id]?.line ?? 0;
      counts.forEach((taken, i) => branchDetail.push([line, Number(id), i, taken]));
    }
    files.push({
      file,
      lines: { found: summary.lines.total, hit: summary.lines.covered },
      branches: { found: summary.branches.total, hit: summary.branches.covered },
      functions: { found: summary.functions.total, hit: summary.functions.covered },
      ...(detail
        ? {
            detail: {
              lines: Object.entries(lineHits).map(([l, h]) => [Number(l), h] as const),
              branches: branchDetail,
              functions: Object.entries(fc.fnMap).map(([id, fn]) => [fn.name, fn.decl?.start.line ?? fn.loc.start.line, fc.f[id] ?? 0] as const),
            },
          }
        : {}),
    });
  }
  return { format: 'istanbul', files: merge(files) };
}
