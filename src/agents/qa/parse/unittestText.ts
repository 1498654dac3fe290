import { caseId, type TestCase } from '../model';
import { expectedActual, failureLocation } from './failureText';

/**
 * `python -m unittest -v` (what it prints on stderr): one line per test,
 * `test_add (pkg.test_math.TestMath.test_add) ... ok` (Python 3.11+; older ones omit the method),
 * then a block per failure or error with its traceback. The module path gives the file.
 */
const LINE = /^(\w+) \(([\w.]+)\)(?:\n.*?)?\s\.\.\.\s(ok|FAIL|ERROR|skipped(?: .*)?|expected failure|unexpected success)$/gm;
const BLOCK = /^(FAIL|ERROR): (\w+) \(([\w.]+)\)\n-{20,}\n([\s\S]*?)(?=\n={20,}\n|\n-{20,}\nRan )/gm;

export function parseUnittestText(text: string, root: string, base: string, moduleFile: (module: string) => string | undefined): TestCase[] {
  const failures = new Map<string, string>();
  BLOCK.lastIndex = 0;
  for (let m = BLOCK.exec(text); m; m = BLOCK.exec(text)) failures.set(`${m[3]}:${m[2]}`, m[4]!.trim());
  const cases: TestCase[] = [];
  LINE.lastIndex = 0;
  for (let m = LINE.exec(text); m; m = LINE.exec(text)) {
    const name = m[1]!;
    const dotted = m[2]!.endsWith(`.${name}`) ? m[2]!.slice(0, -name.length - 1) : m[2]!;
    const parts = dotted.split('.');
    let file: string | undefined;
    let suite: string[] = [];
    for (let i = parts.length; i > 0; i--) {
      file = moduleFile(parts.slice(0, i).join('.'));
      if (file) {
        suite = parts.slice(i);
        break;
      }
    }
    const outcome = m[3]!;
    const status = outcome === 'ok' || outcome === 'expected failure' ? 'passed' : outcome.startsWith('skipped') ? 'skipped' : 'failed';
    const trace = failures.get(`${m[2]}:${name}`) ?? failures.get(`${dotted}:${name}`);
    const where = trace ? failureLocation(trace, root, base, file) : undefined;
    // The exception line, not the diff marker lines assertEqual prints after it.
    const lines = trace?.trim().split('\n') ?? [];
    const lastLine = lines.find((l) => /^[A-Za-z_][\w.]*(?:Error|Exception|Failure|Exit|Interrupt)\b/.test(l)) ?? lines.pop() ?? (outcome === 'unexpected success' ? 'unexpected success' : 'failed');
    cases.push({
      id: caseId(file ?? dotted, suite, name),
      framework: 'unittest',
      ...(file ? { file } : {}),
      suite,
      name,
      status,
      ...(status === 'failed' ? { failure: { message: lastLine, ...(trace ? { stack: trace, ...expectedActual(trace) } : {}), ...(where ? { file: where.file, line: where.line } : {}) } } : {}),
    });
  }
  return cases;
}
