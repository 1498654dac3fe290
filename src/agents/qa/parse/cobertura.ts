import { DevOpsError } from '../../../core/errors';
import { type CoverageReport, type FileCoverage } from '../model';
import { merge } from './lcov';
import { workspaceRelative } from './paths';
import { attr, children, numberAttr, parseXml, textOf, type XmlNode } from './xml';

const ARRAYS = new Set(['source', 'package', 'class', 'line', 'method', 'condition']);

/**
 * Cobertura XML (coverage.py `coverage xml` / pytest-cov `--cov-report=xml`, .NET coverlet,
 * istanbul's cobertura reporter): `<sources>` name the roots class filenames are relative to.
 */
export function parseCobertura(text: string, root: string, base: string, detail: boolean, what = 'The Cobertura report'): CoverageReport {
  const doc = parseXml(text, what, ARRAYS);
  const coverage = children(doc, 'coverage')[0];
  if (!coverage) throw new DevOpsError('badResponse', `${what} has no <coverage> element.`);
  const sources = children(children(coverage, 'sources')[0] ?? {}, 'source').map((s) => textOf(s).trim()).filter(Boolean);
  const files: FileCoverage[] = [];
  for (const pkg of children(children(coverage, 'packages')[0] ?? {}, 'package')) {
    for (const cls of children(children(pkg, 'classes')[0] ?? {}, 'class')) {
      const filename = attr(cls, 'filename');
      if (!filename) continue;
      const file = resolve(root, base, sources, filename);
      if (!file) continue;
      files.push(fileOf(file, cls, detail));
    }
  }
  return { format: 'cobertura', files: merge(files) };
}

function resolve(root: string, base: string, sources: readonly string[], filename: string): string | undefined {
  for (const s of sources) {
    const r = workspaceRelative(root, base, `${s.replace(/[\\/]$/, '')}/${filename}`);
    if (r) return r;
  }
  return workspaceRelative(root, base, filename);
}

function fileOf(file: string, cls: XmlNode, detail: boolean): FileCoverage {
  const lines: [number, number][] = [];
  const branches: [number, number, number, number][] = [];
  let branchFound = 0;
  let branchHit = 0;
  for (const l of children(children(cls, 'lines')[0] ?? {}, 'line')) {
    const n = numberAttr(l, 'number');
    if (n === undefined) continue;
    const hits = numberAttr(l, 'hits') ?? 0;
    lines.push([n, hits]);
    // condition-coverage="50% (1/2)"
    const m = /\((\d+)\/(\d+)\)/.exec(attr(l, 'condition-coverage') ?? '');
    if (attr(l, 'branch') === 'true' && m) {
      const taken = Number(m[1]);
      const total = Number(m[2]);
      branchFound += total;
      branchHit += taken;
      for (let b = 0; b < total; b++) branches.push([n, 0, b, b < taken ? 1 : 0]);
    }
  }
  const methods = children(children(cls, 'methods')[0] ?? {}, 'method');
  const functions = methods.map((m) => {
    const first = children(children(m, 'lines')[0] ?? {}, 'line')[0];
    return [attr(m, 'name') ?? '', first ? (numberAttr(first, 'number') ?? 0) : 0, first ? (numberAttr(first, 'hits') ?? 0) : 0] as const;
  });
  return {
    file,
    lines: { found: lines.length, hit: lines.filter(([, h]) => h > 0).length },
    branches: { found: branchFound, hit: branchHit },
    functions: { found: functions.length, hit: functions.filter(([, , h]) => h > 0).length },
    ...(detail ? { detail: { lines, branches, functions } } : {}),
  };
}
