import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { caseId, type TestCase } from '../model';
import { failureLocation } from './failureText';
import { workspaceRelative } from './paths';

/**
 * mocha's built-in `json` reporter, printed on stdout at the end of the run (after anything the
 * tests printed; a coverage wrapper may print after it): the object is found by its opening
 * `{ "stats":` and read to its matching brace.
 */
const Err = z.object({ message: z.string().optional(), stack: z.string().optional(), actual: z.unknown().optional(), expected: z.unknown().optional(), showDiff: z.boolean().optional() }).passthrough();
const Test = z.object({ title: z.string(), fullTitle: z.string(), file: z.string().optional(), duration: z.number().optional(), err: Err.optional() }).passthrough();
const Report = z.object({ stats: z.object({ tests: z.number() }).passthrough(), tests: z.array(Test), pending: z.array(Test).default([]), failures: z.array(Test).default([]) }).passthrough();

export function extractJsonObject(text: string, opening: RegExp): string | undefined {
  const m = opening.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].indexOf('{');
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

const show = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v, null, 2));

export function parseMochaJson(stdout: string, root: string, base: string): TestCase[] {
  const json = extractJsonObject(stdout, /(?:^|\n)\{\s*"stats":\s*\{/);
  if (!json) throw new DevOpsError('badResponse', 'mocha printed no JSON report (its output was cut, or the script prints it elsewhere).');
  let parsed: z.infer<typeof Report>;
  try {
    const r = Report.safeParse(JSON.parse(json));
    if (!r.success) throw new Error(`${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    parsed = r.data;
  } catch (error) {
    throw new DevOpsError('badResponse', `mocha's JSON report is malformed (${(error as Error).message}).`);
  }
  const key = (t: z.infer<typeof Test>): string => `${t.file ?? ''}\0${t.fullTitle}`;
  const pending = new Set(parsed.pending.map(key));
  const failed = new Map(parsed.failures.map((t) => [key(t), t]));
  const seen = new Set<string>();
  const cases: TestCase[] = [];
  // `tests` lists every test that ran or was skipped; failures in hooks appear only in `failures`.
  for (const t of [...parsed.tests, ...parsed.failures.filter((f) => !parsed.tests.some((x) => key(x) === key(f)))]) {
    const k = key(t);
    if (seen.has(k)) continue;
    seen.add(k);
    const file = t.file ? workspaceRelative(root, base, t.file) : undefined;
    const suiteTitle = t.fullTitle.endsWith(t.title) ? t.fullTitle.slice(0, t.fullTitle.length - t.title.length).trim() : '';
    const suite = suiteTitle ? [suiteTitle] : [];
    const f = failed.get(k);
    const err = f?.err ?? t.err;
    const status = pending.has(k) ? 'skipped' : f || (err && err.message !== undefined) ? 'failed' : 'passed';
    const where = status === 'failed' && err?.stack ? failureLocation(err.stack, root, base, file) : undefined;
    cases.push({
      id: caseId(file ?? (base || '.'), suite, t.title),
      framework: 'mocha',
      ...(file ? { file } : {}),
      suite,
      name: t.title,
      status,
      ...(t.duration !== undefined ? { durationMs: t.duration } : {}),
      ...(status === 'failed'
        ? {
            failure: {
              message: err?.message ?? 'failed',
              ...(err?.showDiff !== false && err?.expected !== undefined ? { expected: show(err.expected), actual: show(err.actual) } : {}),
              ...(err?.stack ? { stack: err.stack } : {}),
              ...(where ? { file: where.file, line: where.line } : {}),
            },
          }
        : {}),
    });
  }
  return cases;
}
