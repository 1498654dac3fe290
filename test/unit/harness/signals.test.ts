import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { groupMembers } from '../../../scripts/vscode/processGroup';

const FIXTURE = path.join(__dirname, 'fixtures', 'holdsGroups.ts');

/** Starts the fixture, waits for its group ids, sends `signal`, and returns its exit code and output. */
async function signalFixture(signal: NodeJS.Signals, mode = ''): Promise<{ groups: number[]; code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const groups = await new Promise<number[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /\{"groups":\[[\d,]+\]\}/.exec(output);
      if (line) resolve((JSON.parse(line[0]) as { groups: number[] }).groups);
    });
    child.once('exit', () => reject(new Error(`the fixture exited early: ${output}`)));
  });
  // Wait until the grandchild of the first group exists, as it would for code-server's extension host.
  for (let i = 0; i < 50 && groupMembers(groups[0]!).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(groupMembers(groups[0]!).length, 2);
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.kill(signal);
  });
  return { groups, code, output };
}

describe('harness: Ctrl-C and termination', () => {
  it('stops every process group it started when interrupted, and exits 130', async () => {
    const { groups, code, output } = await signalFixture('SIGINT');
    assert.equal(code, 130);
    assert.match(output, /stopping on SIGINT/);
    for (const pgid of groups) assert.deepEqual(groupMembers(pgid), [], `group ${pgid} is gone`);
  });

  it('does the same on SIGTERM (exit 143), and lets the caller choose the exit code', async () => {
    const term = await signalFixture('SIGTERM');
    assert.equal(term.code, 143);
    for (const pgid of term.groups) assert.deepEqual(groupMembers(pgid), []);
    const quiet = await signalFixture('SIGINT', 'zero-on-sigint');
    assert.equal(quiet.code, 0);
    for (const pgid of quiet.groups) assert.deepEqual(groupMembers(pgid), []);
  });
});
