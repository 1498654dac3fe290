/** Reports in the runners' own formats, built (not pasted) so each test shows what matters to it. */

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');

export interface JUnitCaseSpec {
  name: string;
  classname?: string;
  file?: string;
  line?: number;
  time?: number;
  failure?: { message: string; body?: string; error?: boolean };
  skipped?: boolean;
  out?: string;
}

export function junitCase(c: JUnitCaseSpec): string {
  const attrs = [`name="${esc(c.name)}"`, c.classname !== undefined ? `classname="${esc(c.classname)}"` : '', c.file ? `file="${esc(c.file)}"` : '', c.line ? `line="${c.line}"` : '', `time="${c.time ?? 0.001}"`].filter(Boolean).join(' ');
  const inner = [
    c.failure ? `<${c.failure.error ? 'error' : 'failure'} message="${esc(c.failure.message)}">${(c.failure.body ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${c.failure.error ? 'error' : 'failure'}>` : '',
    c.skipped ? '<skipped message="skipped"/>' : '',
    c.out ? `<system-out><![CDATA[${c.out}]]></system-out>` : '',
  ].join('');
  return inner ? `<testcase ${attrs}>${inner}</testcase>` : `<testcase ${attrs}/>`;
}

export const junitSuite = (name: string, body: string): string => `<testsuite name="${esc(name)}" tests="1">${body}</testsuite>`;
export const junitDoc = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>${body}</testsuites>`;

export interface LcovFileSpec {
  file: string;
  lines: [number, number][];
  branches?: [number, number, number, number][];
  functions?: [string, number, number][];
  totals?: boolean;
}

export function lcov(files: readonly LcovFileSpec[]): string {
  return files
    .map((f) => {
      const out = ['TN:', `SF:${f.file}`];
      for (const [name, line] of f.functions ?? []) out.push(`FN:${line},${name}`);
      for (const [name, , hits] of f.functions ?? []) out.push(`FNDA:${hits},${name}`);
      for (const [l, b, br, t] of f.branches ?? []) out.push(`BRDA:${l},${b},${br},${t === 0 ? '-' : t}`);
      for (const [l, h] of f.lines) out.push(`DA:${l},${h}`);
      if (f.totals !== false) out.push(`LF:${f.lines.length}`, `LH:${f.lines.filter(([, h]) => h > 0).length}`);
      out.push('end_of_record');
      return out.join('\n');
    })
    .join('\n');
}

export function cobertura(sources: readonly string[], classes: readonly { filename: string; lines: [number, number, string?][] }[]): string {
  const cls = classes
    .map((c) => `<class name="${c.filename}" filename="${c.filename}"><methods/><lines>${c.lines.map(([n, h, cond]) => `<line number="${n}" hits="${h}"${cond ? ` branch="true" condition-coverage="${cond}"` : ''}/>`).join('')}</lines></class>`)
    .join('');
  return `<?xml version="1.0" ?><coverage version="6.5.0" line-rate="0.5"><sources>${sources.map((s) => `<source>${s}</source>`).join('')}</sources><packages><package name="p"><classes>${cls}</classes></package></packages></coverage>`;
}

export function mochaJson(tests: { title: string; fullTitle: string; file: string; duration?: number; err?: Record<string, unknown> }[], pending: string[] = []): string {
  const all = tests.map((t) => ({ ...t, err: t.err ?? {} }));
  return JSON.stringify({ stats: { tests: all.length }, tests: all, pending: all.filter((t) => pending.includes(t.fullTitle)), failures: all.filter((t) => t.err && Object.keys(t.err).length > 0), passes: [] }, null, 2);
}

export function jestJson(files: { name: string; status?: string; message?: string; tests: { ancestorTitles: string[]; title: string; status: string; duration?: number; failureMessages?: string[]; location?: { line: number; column: number } }[] }[]): string {
  return JSON.stringify({ numFailedTests: 0, success: true, testResults: files.map((f) => ({ name: f.name, status: f.status ?? 'passed', message: f.message ?? '', assertionResults: f.tests.map((t) => ({ fullName: [...t.ancestorTitles, t.title].join(' '), ...t })) })) });
}

export const goEvent = (e: Record<string, unknown>): string => JSON.stringify({ Time: '2026-12-07T00:00:00Z', ...e });
