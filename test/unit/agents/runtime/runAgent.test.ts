import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isDevOpsError } from '../../../../src/core/errors';
import { FsEditApplier } from '../../../../src/agents/runtime/fsEditApplier';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { sha256 } from '../../../../src/agents/runtime/workspaceFiles';
import { type Harness, makeHarness, ScriptedUi } from './harness';
import { planAgent, planOf } from './testAgents';

describe('agent runtime: run lifecycle', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  const newFile = { path: 'src/app.py', action: 'create' as const, content: 'print("hi")\n' };

  it('plan mode previews only: nothing written, the run audited from start to end', async () => {
    h = await makeHarness();
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [newFile] })), action: 'go', input: {}, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded');
    assert.equal(await h.read('src/app.py'), undefined);
    assert.equal(h.ui.reviews.length, 0);
    const events = await h.events();
    assert.deepEqual(events.map((e) => e.eventType), ['run.started', 'run.planned', 'run.completed']);
    assert.ok(events.every((e) => e.correlationId === result.runId && e.service === 'scaffold'));
    assert.deepEqual(events[1]!.metadata.edits, ['create src/app.py']);
  });

  it('Ask: shows the plan with the edits and their current text, writes what was approved, audits each file', async () => {
    h = await makeHarness();
    await h.write('README.md', 'old\n');
    const base = sha256('old\n');
    const result = await runAgent(h.services, {
      agent: planAgent(() => planOf({ edits: [newFile, { path: 'README.md', action: 'modify', content: 'new\n', baseSha256: base }] })),
      action: 'go',
      input: {},
    });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.equal(h.ui.reviews.length, 1);
    assert.deepEqual(h.ui.reviews[0]!.ask, ['writeFiles']);
    assert.deepEqual(h.ui.reviews[0]!.edits.map((e) => [e.path, e.original]), [['src/app.py', undefined], ['README.md', 'old\n']]);
    assert.equal(await h.read('src/app.py'), 'print("hi")\n');
    assert.equal(await h.read('README.md'), 'new\n');
    const types = (await h.events()).map((e) => e.eventType);
    assert.deepEqual(types, ['run.started', 'run.planned', 'run.approved', 'file.written', 'file.written', 'run.completed']);
  });

  it('unticked edits are left out and listed as skipped', async () => {
    const ui = new ScriptedUi((r) => ({ edits: [r.edits[0]!.path], commands: [], remote: [] }));
    h = await makeHarness({ ui });
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [newFile, { path: 'b.txt', action: 'create', content: 'b' }] })), action: 'go', input: {} });
    assert.deepEqual(result.applied.edits, ['src/app.py']);
    assert.equal(await h.read('b.txt'), undefined);
    assert.deepEqual(result.skipped, [{ what: 'b.txt', why: 'not ticked in the review' }]);
  });

  it('Allow (user settings): applies without asking', async () => {
    h = await makeHarness({ user: { agents: { scaffold: { writeFiles: 'allow' } } } });
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [newFile] })), action: 'go', input: {} });
    assert.equal(result.outcome, 'succeeded');
    assert.equal(h.ui.reviews.length, 0);
    assert.equal(await h.read('src/app.py'), newFile.content);
  });

  it('Never: that kind of action is left out whatever the user ticks, and said so', async () => {
    h = await makeHarness({ user: { defaults: { writeFiles: 'never' } } });
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [newFile] })), action: 'go', input: {} });
    assert.equal(result.outcome, 'succeeded');
    assert.equal(await h.read('src/app.py'), undefined);
    assert.match(result.skipped[0]!.why, /Never \(user settings\)/);
  });

  it('declining the review applies nothing', async () => {
    h = await makeHarness({ ui: new ScriptedUi('none') });
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [newFile] })), action: 'go', input: {} });
    assert.equal(result.outcome, 'declined');
    assert.equal(await h.read('src/app.py'), undefined);
    assert.ok((await h.events()).some((e) => e.eventType === 'run.declined'));
  });

  it('Restricted Mode: refuses before anything happens, not even an audit line', async () => {
    h = await makeHarness({ trusted: false });
    let planned = false;
    await assert.rejects(
      runAgent(h.services, { agent: planAgent(() => ((planned = true), planOf({ edits: [newFile] }))), action: 'go', input: {} }),
      (e: unknown) => isDevOpsError(e) && e.code === 'refused' && /Restricted Mode/.test(e.message),
    );
    assert.equal(planned, false);
    assert.deepEqual(await h.events(), []);
  });

  it('bad input is refused naming the field; an unknown action lists the real ones', async () => {
    h = await makeHarness();
    await assert.rejects(runAgent(h.services, { agent: planAgent(() => planOf({})), action: 'go', input: { note: 3 } }), /scaffold go: note: /);
    await assert.rejects(runAgent(h.services, { agent: planAgent(() => planOf({})), action: 'nope', input: {} }), /has no action "nope"\. It has: go/);
  });

  it('never overwrites an existing file with a create, and then writes nothing at all', async () => {
    h = await makeHarness();
    await h.write('README.md', 'mine\n');
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [newFile, { path: 'README.md', action: 'create', content: 'theirs' }] })), action: 'go', input: {} });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /README\.md already exists; it is never overwritten/);
    assert.equal(await h.read('README.md'), 'mine\n');
    assert.equal(await h.read('src/app.py'), undefined, 'all or nothing');
    assert.equal(h.ui.reviews.length, 0);
  });

  it('refuses a modification of a file that changed since the agent read it', async () => {
    h = await makeHarness();
    await h.write('a.txt', 'v1');
    const result = await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        const read = await ctx.files.read('a.txt');
        await fs.writeFile(path.join(ctx.workspaceRoot, 'a.txt'), 'v2 by the user');
        return planOf({ edits: [{ path: 'a.txt', action: 'modify', content: 'agent', baseSha256: read!.sha256 }] });
      }),
      action: 'go',
      input: {},
    });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /changed after the agent read it/);
    assert.equal(await h.read('a.txt'), 'v2 by the user');
  });

  it('refuses writes outside the workspace, into .git and into the audit trail, and through a symlink', async () => {
    h = await makeHarness();
    await fs.mkdir(path.join(h.root, '.git', 'hooks'), { recursive: true });
    const outside = await fs.mkdtemp(path.join(path.dirname(h.root), 'outside-'));
    await fs.symlink(outside, path.join(h.root, 'link'));
    try {
      for (const bad of ['.git/hooks/pre-commit', '.devops/audit/audit-x.jsonl', 'link/escape.txt']) {
        const result = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [{ path: bad, action: 'create', content: 'x' }] })), action: 'go', input: {} });
        assert.equal(result.outcome, 'failed', bad);
        assert.match(result.error ?? '', /refused/, bad);
      }
      assert.deepEqual(await fs.readdir(outside), []);
      assert.equal(await h.read('.git/hooks/pre-commit'), undefined);
      // A path that climbs out is not even a valid plan.
      const climbing = await runAgent(h.services, { agent: planAgent(() => planOf({ edits: [{ path: '../x', action: 'create', content: 'x' }] })), action: 'go', input: {} });
      assert.equal(climbing.outcome, 'failed');
      assert.match(climbing.error ?? '', /plan the runtime cannot use .*without "\.\."/);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('a crash in the middle of applying leaves no file half-written, no temporary file, and the originals back', async () => {
    let renames = 0;
    const crashing = new FsEditApplier((_edit, index) => {
      renames++;
      if (index === 2) throw new Error('power cut');
    });
    h = await makeHarness({ edits: crashing });
    await h.write('keep.txt', 'original');
    const result = await runAgent(h.services, {
      agent: planAgent(() =>
        planOf({
          edits: [
            { path: 'keep.txt', action: 'modify', content: 'changed' },
            { path: 'new/a.txt', action: 'create', content: 'a' },
            { path: 'new/b.txt', action: 'create', content: 'b' },
          ],
        }),
      ),
      action: 'go',
      input: {},
    });
    assert.equal(renames, 3);
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /power cut/);
    assert.equal(await h.read('keep.txt'), 'original');
    assert.deepEqual((await fs.readdir(h.root)).filter((f) => f !== '.devops').sort(), ['keep.txt']);
  });

  it('a plan the agent got wrong (schema) fails the run with the field, nothing applied', async () => {
    h = await makeHarness();
    const result = await runAgent(h.services, { agent: planAgent(() => ({ ...planOf({}), findings: [{ ruleId: 'x' }] }) as never), action: 'go', input: {} });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /findings\.0\.severity/);
  });

  it('an agent that throws fails the run with its message and says nothing was changed', async () => {
    h = await makeHarness();
    const result = await runAgent(h.services, {
      agent: planAgent(() => {
        throw new Error('template missing');
      }),
      action: 'go',
      input: {},
    });
    assert.equal(result.outcome, 'failed');
    assert.equal(result.error, 'template missing Nothing was changed.');
    const last = (await h.events()).at(-1)!;
    assert.equal(last.eventType, 'run.failed');
  });

  it('planning that outlasts its deadline fails with a time-out', async () => {
    h = await makeHarness({ timeouts: { planMs: 50 } });
    const result = await runAgent(h.services, { agent: planAgent(() => new Promise(() => undefined)), action: 'go', input: {} });
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /did not finish planning/);
  });

  it('cancelling during planning ends the run as cancelled', async () => {
    h = await makeHarness();
    const controller = new AbortController();
    const result = await runAgent(h.services, {
      agent: planAgent(() => {
        setTimeout(() => controller.abort(), 10);
        return new Promise(() => undefined);
      }),
      action: 'go',
      input: {},
      signal: controller.signal,
    });
    assert.equal(result.outcome, 'cancelled');
    assert.equal((await h.events()).at(-1)!.eventType, 'run.cancelled');
  });
});

describe('agent runtime: applying a plan made earlier', () => {
  it('reviews and applies the kept plan without planning again, still checked against the disk', async () => {
    const h = await makeHarness();
    try {
      let planned = 0;
      const agent = planAgent(() => (planned++, planOf({ edits: [{ path: 'a.txt', action: 'create', content: 'a' }] })));
      const preview = await runAgent(h.services, { agent, action: 'go', input: {}, mode: 'plan' });
      const applied = await runAgent(h.services, { agent, action: 'go', input: {}, plan: { plan: preview.plan!, plannedIn: preview.runId } });
      assert.equal(planned, 1);
      assert.equal(applied.outcome, 'succeeded');
      assert.equal(await h.read('a.txt'), 'a');
      const started = (await h.events()).filter((e) => e.eventType === 'run.started');
      assert.equal(started[1]!.metadata.planFrom, preview.runId);
      // The same plan again: the file exists now, so the create is refused and nothing changes.
      const again = await runAgent(h.services, { agent, action: 'go', input: {}, plan: { plan: preview.plan!, plannedIn: preview.runId } });
      assert.equal(again.outcome, 'failed');
      await assert.rejects(runAgent(h.services, { agent: planAgent(() => planOf({}), 'qa'), action: 'go', input: {}, plan: { plan: preview.plan!, plannedIn: preview.runId } }), /was made by scaffold go, not qa go/);
    } finally {
      await h.dispose();
    }
  });
});
