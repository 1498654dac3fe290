import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Log as SarifLog } from 'sarif';
import { z } from 'zod';
import { type AgentDefinition } from '../../../src/agents/runtime/context';
import { emptyPlan } from '../../../src/agents/runtime/plan';
import { main } from '../../../src/cli/main';

/** A small agent with two actions: `write` creates a file; `check` reports findings. */
const demoAgent: AgentDefinition = {
  id: 'demo',
  title: 'Demo',
  description: 'an agent for the command line tests',
  defaultAction: 'write',
  actions: [
    {
      name: 'write',
      description: 'write a file named after the kind',
      input: z.object({ kind: z.enum(['a', 'b']), loud: z.boolean().optional() }).strict(),
      positionals: ['kind'],
      options: { loud: { type: 'boolean', description: 'shout' } },
      createsWorkspace: true,
      plan: async (_ctx, input: { kind: 'a' | 'b'; loud?: boolean }) => ({
        ...emptyPlan('demo', 'write', `Write ${input.kind}`),
        edits: [{ path: `${input.kind}.txt`, action: 'create', content: input.loud ? 'A!' : 'a' }],
        result: { files: [`${input.kind}.txt`], testCommand: 'cat a.txt' },
      }),
    },
    {
      name: 'greet',
      description: 'run a command only a repository rule allows',
      input: z.object({}).strict(),
      plan: async () => ({ ...emptyPlan('demo', 'greet', 'Greet'), commands: [{ file: 'echo', args: ['hello-from-rule'], why: 'say hello' }] }),
    },
    {
      name: 'check',
      description: 'report findings',
      input: z.object({ severity: z.enum(['low', 'high']).default('high') }).strict(),
      options: { severity: { type: 'string', description: 'how bad' } },
      plan: async (_ctx, input: { severity: 'low' | 'high' }) => ({
        ...emptyPlan('demo', 'check', 'Check'),
        findings: [{ ruleId: 'demo/rule', severity: input.severity, message: 'found it', file: 'x.txt', line: 1, fingerprint: 'fp1' }],
      }),
    },
  ],
};

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const code = await main({ argv, env: { XDG_STATE_HOME: path.join(cwd, '..', 'state'), ...env }, cwd, stdout, stderr, stdin, agents: { demo: async () => demoAgent } });
  return { code, stdout: out, stderr: err };
}

describe('ai-devops command line', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-cli-')));
    await fs.mkdir(path.join(dir, 'ws'));
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));
  const ws = (): string => path.join(dir, 'ws');

  it('--help lists the agents; <agent> --help lists actions and options; no arguments is a usage error', async () => {
    const top = await run(['--help'], ws());
    assert.equal(top.code, 0);
    assert.match(top.stdout, /demo {10}an agent for the command line tests \(write, greet, check\)/);
    const agent = await run(['demo', '--help'], ws());
    assert.equal(agent.code, 0);
    assert.match(agent.stdout, /Usage: ai-devops demo \[write\] <kind> \[path\] \[options\]/);
    assert.match(agent.stdout, /--loud +shout/);
    assert.match(agent.stdout, /--json +Print one JSON document/);
    assert.equal((await run([], ws())).code, 2);
  });

  it('--yes --json: applies and prints one JSON document with the agent result at the top; exit 0', async () => {
    const r = await run(['demo', 'a', '--out', path.join(dir, 'new'), '--yes', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(doc.files, ['a.txt']);
    assert.equal(doc.testCommand, 'cat a.txt');
    assert.equal((doc.run as { outcome: string }).outcome, 'succeeded');
    assert.deepEqual((doc.applied as { edits: string[] }).edits, ['a.txt']);
    assert.equal(await fs.readFile(path.join(dir, 'new', 'a.txt'), 'utf8'), 'a');
    // Progress on stderr only; the audit trail in the folder worked on.
    assert.match(r.stderr, /Plan: Write a/);
    assert.ok((await fs.readdir(path.join(dir, 'new', '.devops', 'audit'))).length > 0);
  });

  it('without --yes and without a terminal nothing is written, it says how to approve, exit 1', async () => {
    const r = await run(['demo', 'write', 'b', ws()], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Not approved: write files in the workspace\. Run again with --yes/);
    await assert.rejects(fs.stat(path.join(ws(), 'b.txt')));
  });

  it('--plan changes nothing even with --yes', async () => {
    const r = await run(['demo', 'a', ws(), '--plan', '--yes', '--json'], dir);
    assert.equal(r.code, 0);
    assert.deepEqual((JSON.parse(r.stdout) as { plan: { edits: unknown[] } }).plan.edits, [{ path: 'a.txt', action: 'create' }]);
    await assert.rejects(fs.stat(path.join(ws(), 'a.txt')));
  });

  it('findings: exit 1 at or above --fail-on (default high), 0 below it', async () => {
    const high = await run(['demo', 'check', ws(), '--json'], dir);
    assert.equal(high.code, 1);
    assert.equal((JSON.parse(high.stdout) as { findings: { ruleId: string }[] }).findings[0]!.ruleId, 'demo/rule');
    assert.equal((await run(['demo', 'check', ws(), '--severity', 'low'], dir)).code, 0);
    assert.equal((await run(['demo', 'check', ws(), '--severity', 'low', '--fail-on', 'low'], dir)).code, 1);
  });

  it('--sarif writes the findings as SARIF 2.1.0 with the fingerprint as partialFingerprints', async () => {
    const r = await run(['demo', 'check', ws(), '--sarif', 'out/../report.sarif'], dir);
    assert.equal(r.code, 1);
    const log = JSON.parse(await fs.readFile(path.join(dir, 'report.sarif'), 'utf8')) as SarifLog;
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun!.tool.driver.name, 'ai-devops');
    assert.deepEqual(sarifRun!.tool.driver.rules!.map((rule) => [rule.id, rule.defaultConfiguration?.level]), [['demo/rule', 'error']]);
    assert.equal(sarifRun!.originalUriBaseIds!.SRCROOT!.uri, `${pathToFileURL(ws()).href}/`);
    const [result] = sarifRun!.results!;
    assert.deepEqual(result!.partialFingerprints, { 'aiDevops/v1': 'fp1' });
    assert.deepEqual(result!.locations![0]!.physicalLocation, { artifactLocation: { uri: 'x.txt', uriBaseId: 'SRCROOT' }, region: { startLine: 1 } });
    assert.equal(result!.message.text, 'found it');
    const unwritable = await run(['demo', 'check', ws(), '--sarif', path.join(dir, 'no', 'such', 'dir', 'r.sarif')], dir);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /The SARIF file .*r\.sarif cannot be written: ENOENT/);
  });

  it('bad usage is exit 2 with a message that says what to do', async () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /There is no agent "nope"\. Agents: demo/],
      [['demo', 'check', ws(), '--bogus'], /Unknown option '--bogus'/],
      [['demo', 'c', ws()], /write: kind: /],
      [['demo', 'check', ws(), '--fail-on', 'urgent'], /--fail-on takes one of critical, high, medium, low, info/],
      [['demo', 'check', path.join(dir, 'missing')], /does not exist/],
      [['demo', 'check', ws(), '--settings', path.join(dir, 'none.json')], /The settings file .* cannot be read: ENOENT/],
      [['demo', 'check', ws(), 'extra'], /Too many arguments: "extra"/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, message, argv.join(' '));
    }
  });

  it('a policy file in the repository that loosens counts only once approved (--approve-policy-file), remembered outside the workspace', async () => {
    await fs.mkdir(path.join(ws(), '.devops'));
    await fs.writeFile(path.join(ws(), '.devops', 'policy.json'), JSON.stringify({ version: 1, defaults: { writeFiles: 'allow' } }));
    const before = await run(['demo', 'a', ws()], dir);
    assert.equal(before.code, 1);
    assert.match(before.stderr, /counts only after you approve it/);
    const approved = await run(['demo', 'a', ws(), '--approve-policy-file'], dir);
    assert.equal(approved.code, 0, approved.stderr);
    assert.equal(await fs.readFile(path.join(ws(), 'a.txt'), 'utf8'), 'a');
    const again = await run(['demo', 'b', ws()], dir);
    assert.equal(again.code, 0, 'the approval is remembered while the file is unchanged');
    await fs.writeFile(path.join(ws(), '.devops', 'policy.json'), JSON.stringify({ version: 1, defaults: { writeFiles: 'allow', runCommand: 'allow' } }));
    await fs.rm(path.join(ws(), 'b.txt'));
    assert.equal((await run(['demo', 'b', ws()], dir)).code, 1, 'a changed file needs approving again');
  });

  it("a repository's command rules (.devops/commands.json) count only once approved (--approve-command-rules), and again after a change", async () => {
    await fs.mkdir(path.join(ws(), '.devops'));
    const rules = (args: string[]): string => JSON.stringify({ version: 1, rules: [{ id: 'echo-hello', executable: 'echo', args }] });
    await fs.writeFile(path.join(ws(), '.devops', 'commands.json'), rules(['hello-from-rule']));
    const before = await run(['demo', 'greet', ws(), '--yes', '--json'], dir);
    assert.notEqual(before.code, 0, 'an unapproved rule file allows nothing');
    assert.match(before.stderr, /count only after you approve the file's content \(--approve-command-rules\)/);
    assert.doesNotMatch(before.stdout, /hello-from-rule\n/);
    const approved = await run(['demo', 'greet', ws(), '--yes', '--json', '--approve-command-rules'], dir);
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout + approved.stderr, /hello-from-rule/);
    assert.equal((await run(['demo', 'greet', ws(), '--yes'], dir)).code, 0, 'remembered while the file is unchanged');
    await fs.writeFile(path.join(ws(), '.devops', 'commands.json'), rules(['hello-from-rule', 'and-more']));
    assert.notEqual((await run(['demo', 'greet', ws(), '--yes'], dir)).code, 0, 'a changed file needs approving again');
  });

  it('--approve-command-rules without a rules file says there is none and approves nothing', async () => {
    const r = await run(['demo', 'check', ws(), '--approve-command-rules', '--fail-on', 'critical'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /There is no \.devops\/commands\.json in .* to approve/);
  });

  it('the user policy (--policy) can allow; Never stays never even with --yes', async () => {
    await fs.writeFile(path.join(dir, 'mine.json'), JSON.stringify({ defaults: { writeFiles: 'never' } }));
    const r = await run(['demo', 'a', ws(), '--policy', path.join(dir, 'mine.json'), '--yes', '--json'], dir);
    assert.equal(r.code, 0);
    assert.match(JSON.stringify((JSON.parse(r.stdout) as { skipped: unknown }).skipped), /Never/);
    await assert.rejects(fs.stat(path.join(ws(), 'a.txt')));
  });
});
