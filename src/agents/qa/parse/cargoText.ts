import { caseId, type TestCase } from '../model';
import { expectedActual } from './failureText';

/**
 * `cargo test` on stable Rust (libtest's JSON output needs nightly): `test path::name ... ok`
 * per test, then `---- path::name stdout ----` blocks with the panic and its location.
 */
export function parseCargoText(text: string, base: string): TestCase[] {
  const blocks = new Map<string, string>();
  const blockRe = /^---- (\S+) stdout ----\n([\s\S]*?)(?=\n---- \S+ stdout ----|\n\nfailures:|\ntest result:)/gm;
  for (let m = blockRe.exec(text); m; m = blockRe.exec(text)) blocks.set(m[1]!, m[2]!.trim());
  const cases: TestCase[] = [];
  const lineRe = /^test (\S+)(?: - should panic)? \.\.\. (ok|FAILED|ignored(?:, .*)?)$/gm;
  for (let m = lineRe.exec(text); m; m = lineRe.exec(text)) {
    const parts = m[1]!.split('::');
    const name = parts.pop()!;
    const status = m[2] === 'ok' ? 'passed' : m[2] === 'FAILED' ? 'failed' : 'skipped';
    const block = blocks.get(m[1]!);
    const at = block ? /panicked at ([^:\s]+\.rs):(\d+):\d+/.exec(block) ?? /panicked at '.*', ([^:\s]+\.rs):(\d+):\d+/.exec(block) : null;
    const file = at ? [base, at[1]].filter(Boolean).join('/') : undefined;
    const message = block ? (block.split('\n').find((l, i, all) => i > 0 && /panicked at/.test(all[i - 1]!)) ?? block.split('\n')[0] ?? 'failed').trim() : 'failed';
    cases.push({
      id: caseId(base || '.', parts, name),
      framework: 'cargo',
      ...(file ? { file } : {}),
      suite: parts,
      name,
      status,
      ...(status === 'failed' ? { failure: { message, ...(block ? { stack: block, ...expectedActual(block) } : {}), ...(file && at ? { file, line: Number(at[2]) } : {}) } } : {}),
    });
  }
  return cases;
}
