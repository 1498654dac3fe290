import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDevOpsError } from '../../../../src/core/errors';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { childEnvironment, runProcess } from '../../../../src/providers/process/processRunner';
import { type Harness, makeHarness, ScriptedUi } from './harness';
import { planAgent, planOf } from './testAgents';

/** A node script that starts a child that starts a grandchild; each writes its pid, then all sleep. */
const TREE = `
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const depth = Number(process.argv[2] || 0);
fs.appendFileSync('pids.txt', process.pid + '\\n');
if (depth < 2) spawn(process.execPath, [__filename, String(depth + 1)], { stdio: 'ignore' });
setInterval(() => {}, 1000);
`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pidsIn = (root: string): number[] =>
  existsSync(path.join(root, 'pids.txt'))
    ? readFileSync(path.join(root, 'pids.txt'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(Number)
    : [];

describe('agent runtime: commands', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    for (const pid of h ? pidsIn(h.root) : []) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await h?.dispose();
    h = undefined;
  });

  async function treeProject(harness: Harness): Promise<void> {
    await harness.write('tree.js', TREE);
    await harness.write('package.json', JSON.stringify({ name: 't', version: '1.0.0', scripts: { test: 'node tree.js' } }));
  }

  it('cancelling a run stops the whole process tree the command started, not only its first process', async () => {
    h = await makeHarness({ user: { defaults: { runCommand: 'allow' } } });
    await treeProject(h);
    const controller = new AbortController();
    const root = h.root;
    const run = runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.commands.run({ file: 'npm', args: ['test'], why: 'run the tests' });
        return planOf({});
      }),
      action: 'go',
      input: {},
      signal: controller.signal,
    });
    await waitFor(() => pidsIn(root).length === 3);
    const pids = pidsIn(root);
    assert.ok(pids.every(alive));
    controller.abort();
    const result = await run;
    assert.equal(result.outcome, 'cancelled');
    await waitFor(() => pids.every((p) => !alive(p)));
    const commandEvent = (await h.events()).find((e) => e.eventType === 'command.run');
    assert.equal(commandEvent?.metadata.cancelled, true);
  });

  it('a command that outlasts its time-out is stopped with its children and reported as timed out', async () => {
    h = await makeHarness({ user: { defaults: { runCommand: 'allow' } } });
    await treeProject(h);
    const root = h.root;
    let timedOut: boolean | undefined;
    const result = await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        const r = await ctx.commands.run({ file: 'npm', args: ['test'], why: 'tests', timeoutMs: 6000 });
        timedOut = r.timedOut;
        return planOf({ notes: [`exit ${r.exitCode}`] });
      }),
      action: 'go',
      input: {},
    });
    assert.equal(result.outcome, 'succeeded');
    assert.equal(timedOut, true);
    const pids = pidsIn(root);
    assert.ok(pids.length >= 1);
    await waitFor(() => pids.every((p) => !alive(p)));
  });

  it('the command policy refuses what no approval can allow (shell, interpreter code, outside paths), audited', async () => {
    h = await makeHarness({ user: { defaults: { runCommand: 'allow' } } });
    const tried: string[] = [];
    const result = await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        for (const c of [
          { file: 'sh', args: ['-c', 'echo pwned > /tmp/pwned'] },
          { file: 'node', args: ['-e', 'process.exit(0)'] },
          { file: '/bin/echo', args: ['x'] },
          { file: 'curl', args: ['https://evil.example'] },
        ]) {
          await ctx.commands.run({ ...c, why: 'attack' }).catch((e: unknown) => {
            assert.ok(isDevOpsError(e) && e.code === 'refused', String(e));
            tried.push(e.message);
          });
        }
        return planOf({});
      }),
      action: 'go',
      input: {},
    });
    assert.equal(result.outcome, 'succeeded');
    assert.equal(tried.length, 4);
    const refusals = (await h.events()).filter((e) => e.eventType === 'command.refused');
    assert.equal(refusals.length, 4);
  });

  it('Ask: asks once per command line in a run; declining refuses that command; Never refuses without asking', async () => {
    const ui = new ScriptedUi();
    h = await makeHarness({ ui });
    await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.commands.run({ file: 'git', args: ['status'], why: 'which node' });
        await ctx.commands.run({ file: 'git', args: ['status'], why: 'again' });
        return planOf({});
      }),
      action: 'go',
      input: {},
    });
    assert.equal(ui.confirms.length, 1);
    assert.match(ui.confirms[0]!.detail, /^git status\nwhich node$/);
    ui.confirmAnswer = false;
    const declined = await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.commands.run({ file: 'git', args: ['status'], why: 'which node' });
        return planOf({});
      }),
      action: 'go',
      input: {},
    });
    assert.equal(declined.outcome, 'failed');
    assert.match(declined.error ?? '', /Did not run git status: you declined to run it/);
    await h.dispose();
    h = await makeHarness({ ui, user: { defaults: { runCommand: 'never' } } });
    const never = await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.commands.run({ file: 'git', args: ['status'], why: 'x' });
        return planOf({});
      }),
      action: 'go',
      input: {},
    });
    assert.match(never.error ?? '', /approval policy says Never/);
    assert.equal(ui.confirms.length, 2);
  });

  it("planned commands run after the files, in order; the first failure stops the rest and every remote change", async () => {
    h = await makeHarness({ user: { defaults: { runCommand: 'allow', writeFiles: 'allow', trackerWrite: 'allow' } } });
    await h.write('package.json', JSON.stringify({ name: 't', version: '1.0.0', scripts: { a: 'node -e "process.exit(3)"', b: 'node -e ""' } }));
    const result = await runAgent(h.services, {
      agent: planAgent(() =>
        planOf({
          edits: [{ path: 'x.txt', action: 'create', content: 'x' }],
          commands: [
            { file: 'npm', args: ['run', 'a'], why: 'fails' },
            { file: 'npm', args: ['run', 'b'], why: 'never reached' },
          ],
          remote: [{ id: 'c', kind: 'workItem.comment', approval: 'trackerWrite', target: 'AB#1', summary: 'comment', payload: {} }],
        }),
      ),
      action: 'go',
      input: {},
    });
    assert.equal(result.outcome, 'failed');
    assert.equal(await h.read('x.txt'), 'x');
    assert.deepEqual(result.applied.commands.map((c) => [c.command, c.exitCode]), [['npm run a', 3]]);
    assert.match(result.error ?? '', /npm run a exited with 3 \(step 1 of 2\)\. Before that: 1 file was written \(x\.txt\)/);
    assert.deepEqual(result.applied.remote.map((r) => r.outcome), ['skipped']);
  });

  it('children never see the secrets in the environment', async () => {
    const env = childEnvironment({ PATH: '/bin', GITHUB_TOKEN: 'x', SYSTEM_ACCESSTOKEN: 'y', OPENAI_API_KEY: 'z', AZURE_DEVOPS_EXT_PAT: 'p', HOME: '/h' });
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'PATH']);
    assert.throws(() => childEnvironment({}, { NPM_TOKEN: 'x' }), /looks like a secret/);
    const root = await fs.mkdtemp(path.join(process.env.TMPDIR ?? '/tmp', 'env-'));
    process.env.AIDEVOPS_TEST_SECRET_TOKEN = 'canary-value';
    try {
      const r = await runProcess({ file: process.execPath, args: ['-p', 'JSON.stringify(process.env)'], cwd: root, timeoutMs: 10_000 });
      assert.doesNotMatch(r.stdout, /canary-value/);
    } finally {
      delete process.env.AIDEVOPS_TEST_SECRET_TOKEN;
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it('a program that is not installed is a clear error, not a crash', async () => {
    await assert.rejects(runProcess({ file: 'definitely-not-installed-tool', args: [], cwd: process.cwd(), timeoutMs: 5000 }), /was not found on PATH/);
  });
});
