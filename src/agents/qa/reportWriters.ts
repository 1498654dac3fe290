import { XMLBuilder } from 'fast-xml-parser';
import { type CoverageReport, type TestCase } from './model';

/**
 * What `--junit FILE` and `--lcov FILE` write: every framework's results as one JUnit XML (the
 * format Azure Pipelines' PublishTestResults and GitHub's test reporters read; flaky tests are
 * passed with a `<flakyFailure>` as Surefire writes them) and coverage as one lcov tracefile.
 */
export function toJUnitXml(cases: readonly TestCase[], name = 'ai-devops qa'): string {
  const suites = new Map<string, TestCase[]>();
  for (const c of cases) {
    const key = c.file ?? c.framework;
    const list = suites.get(key);
    if (list) list.push(c);
    else suites.set(key, [c]);
  }
  const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);
  const suite = [...suites.entries()].map(([key, list]) => ({
    '@_name': key,
    '@_tests': list.length,
    '@_failures': list.filter((c) => c.status === 'failed').length,
    '@_skipped': list.filter((c) => c.status === 'skipped').length,
    '@_errors': 0,
    '@_time': seconds(list.reduce((s, c) => s + (c.durationMs ?? 0), 0)),
    testcase: list.map((c) => ({
      '@_name': c.name,
      '@_classname': [...c.suite].join(' > ') || c.framework,
      ...(c.file ? { '@_file': c.file } : {}),
      ...(c.line ? { '@_line': c.line } : {}),
      '@_time': seconds(c.durationMs),
      ...(c.status === 'failed' && c.failure ? { failure: { '@_message': c.failure.message, '#text': c.failure.stack ?? c.failure.message } } : {}),
      ...(c.flaky && c.failure ? { flakyFailure: { '@_message': c.failure.message, '#text': c.failure.stack ?? c.failure.message } } : {}),
      ...(c.status === 'skipped' ? { skipped: '' } : {}),
      ...(c.output ? { 'system-out': c.output } : {}),
    })),
  }));
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, processEntities: true });
  const body = builder.build({
    testsuites: {
      '@_name': name,
      '@_tests': cases.length,
      '@_failures': cases.filter((c) => c.status === 'failed').length,
      '@_skipped': cases.filter((c) => c.status === 'skipped').length,
      '@_time': seconds(cases.reduce((s, c) => s + (c.durationMs ?? 0), 0)),
      testsuite: suite,
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export function toLcov(report: CoverageReport): string {
  const out: string[] = [];
  for (const f of report.files) {
    out.push('TN:', `SF:${f.file}`);
    for (const [name, line] of f.detail?.functions ?? []) out.push(`FN:${line},${name}`);
    for (const [name, , hits] of f.detail?.functions ?? []) out.push(`FNDA:${hits},${name}`);
    out.push(`FNF:${f.functions.found}`, `FNH:${f.functions.hit}`);
    for (const [line, block, branch, taken] of f.detail?.branches ?? []) out.push(`BRDA:${line},${block},${branch},${taken}`);
    out.push(`BRF:${f.branches.found}`, `BRH:${f.branches.hit}`);
    for (const [line, hits] of f.detail?.lines ?? []) out.push(`DA:${line},${hits}`);
    out.push(`LF:${f.lines.found}`, `LH:${f.lines.hit}`, 'end_of_record');
  }
  return `${out.join('\n')}\n`;
}
