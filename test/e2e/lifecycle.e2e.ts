import assert from 'node:assert/strict';
import path from 'node:path';
import { startCodeServer } from '../../scripts/vscode/codeServer';
import { groupMembers } from '../../scripts/vscode/processGroup';
import { tempRun } from '../../scripts/vscode/workspace';
import { session } from './helpers/session';
import { waitForWorkbench } from './helpers/workbench';

describe('harness lifecycle against the real code-server', () => {
  it('fails clearly on a port that is taken, and starts nothing', async () => {
    const { server } = session();
    const run = tempRun('port-taken');
    try {
      await assert.rejects(
        startCodeServer({ stateDir: path.join(run.dir, 'state'), port: server.port }),
        (error: Error) => {
          assert.match(error.message, new RegExp(`Port ${server.port} on 127\\.0\\.0\\.1 is already in use`));
          return true;
        },
      );
    } finally {
      run.remove();
    }
  });

  it('stops a code-server and everything it forked (its extension host included) as one process group', async () => {
    const { browser } = session();
    const run = tempRun('stop-group');
    const page = await browser.newPage();
    try {
      const second = await startCodeServer({ stateDir: path.join(run.dir, 'state') });
      // The extension host starts only once a window connects.
      await page.goto(`${second.url}?folder=${encodeURIComponent(run.dir)}`);
      await waitForWorkbench(page);
      const members = await waitUntil(() => {
        const pids = groupMembers(second.pid);
        return pids.length >= 2 ? pids : undefined;
      });
      assert.ok(members.includes(second.pid));
      await page.close();
      await second.stop();
      assert.deepEqual(groupMembers(second.pid), [], 'no process of the stopped group is left');
      await assert.rejects(fetch(new URL('healthz', second.url)));
    } finally {
      await page.close().catch(() => undefined);
      run.remove();
    }
  });
});

async function waitUntil<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
