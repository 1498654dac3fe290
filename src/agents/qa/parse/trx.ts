import { caseId, type TestCase } from '../model';
import { expectedActual } from './failureText';
import { attr, children, parseXml, textOf, type XmlNode } from './xml';

/** Visual Studio's TRX (`dotnet test --logger trx`): results joined to their definitions by test id. */
const ARRAYS = new Set(['UnitTestResult', 'UnitTest', 'Message']);

const durationMs = (d: string | undefined): number | undefined => {
  const m = d ? /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(d) : null;
  return m ? (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 : undefined;
};

export function parseTrx(text: string, base: string, what = 'The TRX report'): TestCase[] {
  const doc = parseXml(text, what, ARRAYS);
  const run = children(doc, 'TestRun')[0] ?? {};
  const classOf = new Map<string, string>();
  for (const t of children(children(run, 'TestDefinitions')[0] ?? {}, 'UnitTest')) {
    const method = children(t, 'TestMethod')[0];
    const id = attr(t, 'id');
    if (id && method) classOf.set(id, attr(method, 'className') ?? '');
  }
  return children(children(run, 'Results')[0] ?? {}, 'UnitTestResult').map((r: XmlNode) => {
    const className = classOf.get(attr(r, 'testId') ?? '') ?? '';
    const suite = className ? className.split('.') : [];
    const full = attr(r, 'testName') ?? '';
    const name = className && full.startsWith(`${className}.`) ? full.slice(className.length + 1) : full;
    const outcome = attr(r, 'outcome') ?? '';
    const status = outcome === 'Passed' ? 'passed' : outcome === 'Failed' || outcome === 'Error' || outcome === 'Timeout' || outcome === 'Aborted' ? 'failed' : 'skipped';
    const output = children(r, 'Output')[0] ?? {};
    const info = children(output, 'ErrorInfo')[0] ?? {};
    const message = textOf(children(info, 'Message')[0]).trim();
    const stack = textOf(children(info, 'StackTrace')[0]).trim();
    const where = /in (.+\.(?:cs|fs)):line (\d+)/.exec(stack);
    const file = where ? where[1]!.replace(/\\/g, '/') : undefined;
    const d = durationMs(attr(r, 'duration'));
    return {
      id: caseId(className || base || '.', [], name),
      framework: 'dotnet',
      suite,
      name,
      status,
      ...(d !== undefined ? { durationMs: d } : {}),
      ...(status === 'failed' ? { failure: { message: message.split('\n')[0] || outcome, ...expectedActual(message), ...(stack ? { stack: `${message}\n${stack}` } : {}), ...(file && where ? { line: Number(where[2]) } : {}) } } : {}),
      ...(textOf(children(output, 'StdOut')[0]).trim() ? { output: textOf(children(output, 'StdOut')[0]).trim().slice(0, 20_000) } : {}),
    } satisfies TestCase;
  });
}
