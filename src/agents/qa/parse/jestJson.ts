import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { caseId, type TestCase } from '../model';
import { expectedActual, failureLocation, stripAnsi } from './failureText';
import { workspaceRelative } from './paths';

/** Jest's `--json` result, which Vitest's `json` reporter writes in the same shape. */
const Assertion = z
  .object({
    ancestorTitles: z.array(z.string()).default([]),
    title: z.string(),
    fullName: z.string().optional(),
    status: z.string(),
    duration: z.number().nullable().optional(),
    failureMessages: z.array(z.string()).nullable().optional(),
    location: z.object({ line: z.number(), column: z.number().optional() }).nullable().optional(),
  })
  .passthrough();
const FileResult = z.object({ name: z.string(), status: z.string().optional(), message: z.string().optional(), assertionResults: z.array(Assertion).default([]) }).passthrough();
const Report = z.object({ testResults: z.array(FileResult) }).passthrough();

export function parseJestJson(text: string, framework: 'jest' | 'vitest', root: string, base: string): TestCase[] {
  let parsed: z.infer<typeof Report>;
  try {
    const r = Report.safeParse(JSON.parse(text));
    if (!r.success) throw new Error(`${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    parsed = r.data;
  } catch (error) {
    throw new DevOpsError('badResponse', `The ${framework} JSON report is malformed (${(error as Error).message}).`);
  }
  const cases: TestCase[] = [];
  for (const fr of parsed.testResults) {
    const file = workspaceRelative(root, base, fr.name);
    if (fr.assertionResults.length === 0 && fr.status === 'failed') {
      // The file failed before any test ran (a syntax error, a failing import).
      const message = stripAnsi(fr.message ?? 'the test file failed to run').trim();
      cases.push({ id: caseId(file ?? fr.name, [], '(file)'), framework, ...(file ? { file } : {}), suite: [], name: '(file)', status: 'failed', failure: { message: message.split('\n').find((l) => l.trim()) ?? message, stack: message } });
      continue;
    }
    for (const a of fr.assertionResults) {
      const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      const text = stripAnsi((a.failureMessages ?? []).join('\n'));
      const where = status === 'failed' ? failureLocation(text, root, base, file) : undefined;
      cases.push({
        id: caseId(file ?? fr.name, a.ancestorTitles, a.title),
        framework,
        ...(file ? { file } : {}),
        ...(a.location?.line ? { line: a.location.line } : {}),
        suite: a.ancestorTitles,
        name: a.title,
        status,
        ...(typeof a.duration === 'number' ? { durationMs: a.duration } : {}),
        ...(status === 'failed'
          ? { failure: { message: text.split('\n').find((l) => l.trim())?.trim() ?? 'failed', ...expectedActual(text), stack: text, ...(where ? { file: where.file, line: where.line } : {}) } }
          : {}),
      });
    }
  }
  return cases;
}
