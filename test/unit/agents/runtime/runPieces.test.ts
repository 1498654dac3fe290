import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { FileAgentRecords } from '../../../../src/agents/runtime/agentRecords';
import { type AgentDefinition } from '../../../../src/agents/runtime/context';
import { emptyPlan } from '../../../../src/agents/runtime/plan';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { findPythonInterpreter, pythonLauncher } from '../../../../src/agents/runtime/toolLauncher';
import { NodeWorkspaceFiles } from '../../../../src/agents/runtime/workspaceFiles';
import { isDevOpsError } from '../../../../src/core/errors';
import { type Harness, makeHarness, ScriptedUi } from './harness';

/** An agent whose plan() runs the given steps on its context and reports what they returned. */
function probe(steps: (ctx: Parameters<AgentDefinition['actions'][number]['plan']>[0]) => Promise<Record<string, unknown>>): AgentDefinition {
  return {
    id: 'probe',
    title: 'Probe',
    description: 'runs steps on its context',
    actions: [{ name: 'go', description: 'go', input: z.object({}).strict(), plan: async (ctx) => ({ ...emptyPlan('probe', 'go', 'Probe'), result: (await steps(ctx)) as never }) }],
  };
}

describe('agent runtime: scratch folder, records, temporary files, Python tools, folder entries', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());
  const go = (agent: AgentDefinition) => runAgent(h.services, { agent, action: 'go', input: {}, mode: 'plan' });

  it('a run\'s scratch folder exists while it plans and is gone after, also when planning fails', async () => {
    h = await makeHarness();
    let seen = '';
    const ok = await go(probe(async (ctx) => {
      seen = await ctx.scratch();
      await fs.writeFile(path.join(h.root, seen, 'report.xml'), '<x/>');
      return { same: (await ctx.scratch()) === seen };
    }));
    assert.equal(ok.outcome, 'succeeded');
    assert.match(seen, /^\.devops\/tmp\/run-/);
    assert.equal(ok.plan!.result!.same, true);
    assert.equal(await fs.stat(path.join(h.root, '.devops/tmp')).then(() => true, () => false), false);
    const failed = await go(probe(async (ctx) => {
      seen = await ctx.scratch();
      throw new Error('planning broke');
    }));
    assert.equal(failed.outcome, 'failed');
    assert.equal(await fs.stat(path.join(h.root, seen)).then(() => true, () => false), false);
  });

  it('records: JSON under .devops/<agent>/, written atomically and audited; a damaged file reads as absent; names and symlinks are checked', async () => {
    h = await makeHarness();
    const r = await go(probe(async (ctx) => {
      const before = await ctx.records.read('history');
      await ctx.records.write('history', { runs: [1, 2] });
      return { before: before === undefined, after: (await ctx.records.read('history')) as never };
    }));
    assert.deepEqual(r.plan!.result, { before: true, after: { runs: [1, 2] } });
    assert.ok((await h.events()).some((e) => e.eventType === 'file.written' && (e.metadata as { path?: string }).path === '.devops/probe/history.json'));
    await h.write('.devops/probe/history.json', '{ broken');
    const records = new FileAgentRecords(h.root, 'probe');
    assert.equal(await records.read('history'), undefined);
    await assert.rejects(records.write('../escape', {}), (e: unknown) => isDevOpsError(e) && /not a record name/.test(e.message));
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'records-outside-'));
    await fs.rm(path.join(h.root, '.devops/probe'), { recursive: true });
    await fs.symlink(outside, path.join(h.root, '.devops/probe'));
    await assert.rejects(records.write('history', {}), (e: unknown) => isDevOpsError(e) && /symbolic link/.test(e.message));
    assert.deepEqual(await fs.readdir(outside), []);
    await fs.rm(outside, { recursive: true });
  });

  it('temporary files: written only where nothing is, there while the command runs, removed after (also when it fails); asked about each time; Never for writes refuses', async () => {
    const ui = new ScriptedUi();
    h = await makeHarness({ ui, user: { agents: { probe: { runCommand: 'allow', writeFiles: 'ask' } } } });
    await h.write('package.json', JSON.stringify({ scripts: { test: 'node --version' } }));
    await h.write('test/existing.test.js', 'x');
    const r = await go(probe(async (ctx) => {
      const first = await ctx.commands.run({ file: 'npm', args: ['test', '--silent'], why: 'try a generated test' }, { withFiles: [{ path: 'test/gen.test.js', content: 'generated' }] });
      const during = first.exitCode;
      const refused = await ctx.commands.run({ file: 'npm', args: ['test', '--silent'], why: 'again' }, { withFiles: [{ path: 'test/existing.test.js', content: 'over' }] }).then(() => 'ran', (e: unknown) => (e as Error).message);
      const escape = await ctx.commands.run({ file: 'npm', args: ['test', '--silent'], why: 'again' }, { withFiles: [{ path: '../outside.js', content: 'x' }] }).then(() => 'ran', (e: unknown) => (e as Error).message);
      return { during, refused, escape };
    }));
    const result = r.plan!.result as Record<string, unknown>;
    assert.equal(result.during, 0);
    assert.match(String(result.refused), /would replace a file that exists/);
    assert.match(String(result.escape), /not allowed/);
    assert.equal(await h.read('test/gen.test.js'), undefined);
    assert.equal(await h.read('test/existing.test.js'), 'x');
    assert.equal(ui.confirms.length, 1);
    assert.match(ui.confirms[0]!.detail, /With temporary files \(removed after the run\): test\/gen\.test\.js/);
    const run = (await h.events()).find((e) => e.eventType === 'command.run')!;
    assert.deepEqual((run.metadata as { temporaryFiles?: string[] }).temporaryFiles, ['test/gen.test.js']);
    await h.dispose();

    h = await makeHarness({ user: { agents: { probe: { runCommand: 'allow', writeFiles: 'never' } } } });
    await h.write('package.json', JSON.stringify({ scripts: { test: 'node --version' } }));
    const never = await go(probe(async (ctx) => ({ msg: await ctx.commands.run({ file: 'npm', args: ['test'], why: 'x' }, { withFiles: [{ path: 'a.test.js', content: 'x' }] }).then(() => 'ran', (e: unknown) => (e as Error).message) })));
    assert.match(String(never.plan!.result!.msg), /approval policy says Never for writing files/);
  });

  it('Python tools run as modules of the chosen interpreter, else a .venv of the project or workspace, else python3; other programs are left alone', async () => {
    h = await makeHarness();
    const root = h.root;
    assert.equal(await findPythonInterpreter(root, root, undefined), 'python3');
    assert.equal(await findPythonInterpreter(root, root, '/no/such/python'), 'python3');
    await h.write('.venv/bin/python', '');
    assert.equal(await findPythonInterpreter(root, path.join(root, 'svc'), undefined), path.join(root, '.venv/bin/python'));
    await h.write('svc/venv/bin/python', '');
    assert.equal(await findPythonInterpreter(root, path.join(root, 'svc'), undefined), path.join(root, 'svc/venv/bin/python'));
    const launch = pythonLauncher(root, async () => '/usr/bin/python3');
    assert.deepEqual(await launch('pytest', ['-q'], root), { file: '/usr/bin/python3', args: ['-m', 'pytest', '-q'] });
    assert.deepEqual(await launch('unittest', ['discover'], root), { file: '/usr/bin/python3', args: ['-m', 'unittest', 'discover'] });
    assert.deepEqual(await launch('npm', ['test'], root), { file: 'npm', args: ['test'] });
  });

  it('folder entries list what a folder holds without ignore rules (build output), with times; a missing folder is empty; outside is refused', async () => {
    h = await makeHarness();
    await h.write('.gitignore', 'target/\n');
    await h.write('target/surefire-reports/TEST-a.xml', '<x/>');
    const files = new NodeWorkspaceFiles(h.root);
    const entries = await files.entries('target/surefire-reports');
    assert.deepEqual(entries.map((e) => [e.name, e.kind]), [['TEST-a.xml', 'file']]);
    assert.ok(entries[0]!.modifiedMs > 0);
    assert.deepEqual(await files.entries('nowhere'), []);
    await assert.rejects(files.entries('../'), (e: unknown) => isDevOpsError(e));
  });
});
