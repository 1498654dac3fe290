import { DevOpsError } from '../../../core/errors';
import { attr, children, numberAttr, parseXml, textOf, type XmlNode } from './xml';

/**
 * JUnit XML as the runners write it (pytest, node:test, vitest, jest-junit, mocha's xunit, Maven
 * Surefire, Gradle, go-junit-report): `<testsuites>` or a bare `<testsuite>`, suites nested or not,
 * each `<testcase>` with `<failure>`/`<error>`/`<skipped>` and `system-out`/`system-err`.
 */
export interface JUnitCase {
  /** Names of the enclosing `<testsuite>` elements, outermost first. */
  readonly suites: readonly string[];
  readonly classname: string | undefined;
  readonly name: string;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly timeSeconds: number | undefined;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** failure or error: the message attribute, the type, and the element's text (usually the stack). */
  readonly failure?: { readonly message: string; readonly type: string | undefined; readonly body: string; readonly error: boolean };
  readonly skippedMessage?: string;
  readonly output: string;
}

const ARRAYS = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped', 'system-out', 'system-err', 'property', 'rerunFailure', 'flakyFailure']);

export function parseJUnitXml(text: string, what = 'The JUnit report'): JUnitCase[] {
  const doc = parseXml(text, what, ARRAYS);
  const roots: XmlNode[] = [];
  for (const top of children(doc, 'testsuites')) roots.push(top);
  for (const s of children(doc, 'testsuite')) roots.push({ testsuite: [s] });
  if (roots.length === 0) throw new DevOpsError('badResponse', `${what} holds no <testsuites> or <testsuite> element.`);
  const out: JUnitCase[] = [];
  const walk = (node: XmlNode, suites: readonly string[]): void => {
    for (const c of children(node, 'testcase')) out.push(toCase(c, suites));
    for (const s of children(node, 'testsuite')) walk(s, [...suites, attr(s, 'name') ?? '']);
  };
  for (const r of roots) walk(r, []);
  return out;
}

function toCase(c: XmlNode, suites: readonly string[]): JUnitCase {
  const failures = children(c, 'failure');
  const errors = children(c, 'error');
  const skipped = children(c, 'skipped');
  const f = failures[0] ?? errors[0];
  const output = [...children(c, 'system-out'), ...children(c, 'system-err')].map(textOf).join('\n').trim();
  const base = {
    suites,
    classname: attr(c, 'classname'),
    name: attr(c, 'name') ?? '',
    file: attr(c, 'file'),
    line: numberAttr(c, 'line'),
    timeSeconds: numberAttr(c, 'time'),
    output,
  };
  if (f) {
    const message = attr(f, 'message') ?? textOf(f).split('\n')[0] ?? '';
    return { ...base, status: 'failed', failure: { message, type: attr(f, 'type'), body: textOf(f).trim(), error: failures.length === 0 } };
  }
  if (skipped.length > 0) return { ...base, status: 'skipped', skippedMessage: attr(skipped[0]!, 'message') ?? textOf(skipped[0]) };
  return { ...base, status: 'passed' };
}
