import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandFailedError, runCommand } from '../../../scripts/vscode/runCommand';

describe('harness: install steps', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'aidevops-run-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('logs everything a step prints to its log file', async () => {
    const logFile = path.join(dir, 'logs', 'install.log');
    await runCommand('sh', ['-c', 'echo first; echo second >&2'], { logFile });
    const log = readFileSync(logFile, 'utf8');
    assert.match(log, /\$ sh -c echo first; echo second >&2/);
    assert.match(log, /first/);
    assert.match(log, /second/);
  });

  it('fails with the exit code, the last lines and where the full log is', async () => {
    const logFile = path.join(dir, 'install.log');
    const script = 'for i in $(seq 1 40); do echo line-$i; done; echo "gyp ERR! missing gssapi.h" >&2; exit 3';
    await assert.rejects(runCommand('sh', ['-c', script], { logFile }), (error: unknown) => {
      assert.ok(error instanceof CommandFailedError);
      assert.equal(error.exit, 3);
      assert.match(error.message, /failed \(exit 3\)/);
      assert.match(error.message, /gyp ERR! missing gssapi\.h/);
      assert.doesNotMatch(error.message, /line-1\n/, 'only the tail is shown');
      assert.match(error.message, new RegExp(`Full output: ${logFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      return true;
    });
  });

  it('gives the step an empty stdin so nothing waits for an answer', async () => {
    const logFile = path.join(dir, 'install.log');
    await runCommand('sh', ['-c', 'read answer || echo "no answer"'], { logFile });
    assert.match(readFileSync(logFile, 'utf8'), /no answer/);
  });
});
