import { Parser, type Result } from 'tap-parser';
import { DevOpsError } from '../../../core/errors';
import { caseId, type TestCase } from '../model';
import { failureLocation } from './failureText';
import { workspaceRelative } from './paths';

/**
 * TAP 13/14 with subtests (node --test's output when its reporter cannot be chosen: Node 20 and 22
 * print TAP when the output is not a terminal), through tap-parser. A subtest's asserts come
 * before the assert that closes it, so a point that had children is a suite, not a test.
 */
interface Point {
  readonly result: Result;
  readonly children: Point[];
}

export function parseTap(text: string, framework: string, root: string, base: string): TestCase[] {
  if (!/^TAP version \d+|^\s*(?:not )?ok \d+/m.test(text)) throw new DevOpsError('badResponse', `${framework} printed no TAP (newer Node.js versions print their spec reporter instead).`);
  const top: Point[] = [];
  const attach = (parser: Parser, into: Point[]): void => {
    let pending: Point[] = [];
    parser.on('child', (child: Parser) => {
      pending = [];
      attach(child, pending);
    });
    parser.on('assert', (result: Result) => {
      into.push({ result, children: pending });
      pending = [];
    });
  };
  const parser = new Parser();
  attach(parser, top);
  parser.end(text);
  const cases: TestCase[] = [];
  const walk = (points: readonly Point[], suite: readonly string[]): void => {
    for (const p of points) {
      if (p.children.length > 0) {
        walk(p.children, [...suite, p.result.name]);
        continue;
      }
      const diag = (p.result.diag ?? {}) as Record<string, unknown>;
      const loc = typeof diag.location === 'string' ? /^(.*):(\d+):\d+$/.exec(diag.location) : null;
      const file = loc ? workspaceRelative(root, base, loc[1]!) : undefined;
      const line = loc ? Number(loc[2]) : undefined;
      const status = p.result.skip || p.result.todo ? 'skipped' : p.result.ok ? 'passed' : 'failed';
      const stack = typeof diag.stack === 'string' ? diag.stack : undefined;
      const where = status === 'failed' && stack ? failureLocation(stack, root, base, file) : undefined;
      const duration = typeof diag.duration_ms === 'number' ? diag.duration_ms : typeof p.result.time === 'number' ? p.result.time : undefined;
      cases.push({
        id: caseId(file ?? (base || '.'), suite, p.result.name),
        framework,
        ...(file ? { file } : {}),
        ...(line ? { line } : {}),
        suite,
        name: p.result.name,
        status,
        ...(duration !== undefined ? { durationMs: duration } : {}),
        ...(status === 'failed'
          ? {
              failure: {
                message: typeof diag.error === 'string' ? diag.error.trim().slice(0, 1000) : 'failed',
                ...(diag.expected !== undefined ? { expected: show(diag.expected), actual: show(diag.actual) } : {}),
                ...(stack ? { stack: `${typeof diag.error === 'string' ? `${diag.error}\n` : ''}${stack}` } : {}),
                ...(where ? { file: where.file, line: where.line } : {}),
              },
            }
          : {}),
      });
    }
  };
  walk(top, []);
  return cases;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
