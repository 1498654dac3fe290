import assert from 'node:assert/strict';
import { groupMembers, liveGroups, spawnGroup, stopAll } from '../../../scripts/vscode/processGroup';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('harness: process groups', () => {
  afterEach(() => stopAll(500));

  it('stops the leader and every process it forked', async () => {
    const proc = spawnGroup('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
    await settle(200);
    assert.equal(groupMembers(proc.pid).length, 3);
    await proc.stop();
    assert.deepEqual(groupMembers(proc.pid), []);
    assert.ok(!liveGroups().includes(proc.pid));
  });

  it('stops children left running after their leader exited', async () => {
    const proc = spawnGroup('sh', ['-c', 'sleep 30 & exit 0'], { stdio: 'ignore' });
    assert.equal(await proc.exited, 0);
    assert.equal(groupMembers(proc.pid).length, 1, 'the orphaned sleep is still in the group');
    await proc.stop();
    assert.deepEqual(groupMembers(proc.pid), []);
  });

  it('sends SIGKILL to a group that ignores SIGTERM once the grace period is over', async () => {
    const proc = spawnGroup('sh', ['-c', 'trap "" TERM; sleep 30'], { stdio: 'ignore' });
    await settle(200);
    const started = Date.now();
    await proc.stop(300);
    assert.deepEqual(groupMembers(proc.pid), []);
    assert.ok(Date.now() - started >= 300, 'waited for the grace period before SIGKILL');
  });

  it('stopAll stops every group still running', async () => {
    const a = spawnGroup('sleep', ['30'], { stdio: 'ignore' });
    const b = spawnGroup('sleep', ['30'], { stdio: 'ignore' });
    await stopAll(500);
    assert.deepEqual([...groupMembers(a.pid), ...groupMembers(b.pid)], []);
    assert.deepEqual(liveGroups(), []);
  });

  it('reports a command that does not exist', async () => {
    assert.throws(() => spawnGroup('/nonexistent/aidevops-no-such-command', [], { stdio: 'ignore' }), /Could not start \/nonexistent\/aidevops-no-such-command/);
  });
});
