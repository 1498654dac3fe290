import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { chatServices, createChatHandler } from '../../../src/chat/registerChatFeature';
import { StoredFileApprovals } from '../../../src/core/approvals/fileApprovals';
import { type Logger } from '../../../src/core/host';
import { defaultPolicy } from '../../../src/core/policy/commandPolicy';
import { ModelRegistry } from '../../../src/providers/ai/modelRegistry';
import { FileAuditSink } from '../../../src/providers/audit';
import { AgentRunner } from '../../../src/views/agents/agentRunner';
import { FindingsDiagnostics } from '../../../src/views/agents/findingsDiagnostics';
import { ProposedContent } from '../../../src/views/agents/proposedContent';
import { type AuditTrailModel } from '../../../src/views/audit/auditTrailModel';
import { activated } from '../helpers/extension';

/**
 * The release agent in the real extension host: `@devops /release as minor` through the chat
 * handler with the editor's agent runner on a git repository the test builds (plan mode: nothing
 * written or tagged; the plan shown with its Review and Apply button), and `AI DevOps: Prepare
 * Release…` registered for the palette.
 */
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=Release Test', '-c', 'user.email=release@example.com', ...args], { cwd, encoding: 'utf8' });

describe('release agent in the extension host', () => {
  let repo: string;

  before(async () => {
    await activated();
    repo = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'release-it-')));
    git(repo, 'init', '-q', '-b', 'main');
    await fs.writeFile(path.join(repo, 'package.json'), '{\n  "name": "shop",\n  "version": "1.4.2"\n}\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'chore: init');
    git(repo, 'tag', '-a', 'v1.4.2', '-m', 'v1.4.2');
    await fs.writeFile(path.join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fix: rounding of the cart total');
  });
  after(async () => {
    await fs.rm(repo, { recursive: true, force: true });
  });

  it('@devops /release says what it understood, plans 1.5.0 without writing or tagging, and offers Review and Apply', async () => {
    const sink = new FileAuditSink({ workspaceRoot: repo, log: quiet });
    const records: Record<string, unknown> = {};
    const runner = new AgentRunner({
      log: quiet,
      audit: sink,
      trackers: { azure: () => undefined, github: () => undefined },
      defaultTracker: () => 'azureBoards',
      model: async () => undefined,
      workspaceRoot: () => repo,
      approvals: new StoredFileApprovals({ read: async () => records as never, update: async () => undefined }),
      askApproval: async () => false,
      commandPolicy: async () => defaultPolicy(),
      diagnostics: new FindingsDiagnostics(),
      proposed: new ProposedContent(),
    });
    const registry = new ModelRegistry({ host: { log: quiet, fetch: globalThis.fetch.bind(globalThis), getCredential: async () => undefined, getConfig: () => undefined, workspaceRoot: repo, storageDir: path.join(repo, '.devops', 'release-it') }, cacheDir: null });
    const model = { state: 'loaded', error: undefined, events: [], runs: [], refresh: async () => undefined } as unknown as AuditTrailModel;
    const agents = { applyCommand: 'aiDevops.agents.applyPlan', plan: (agent: string, action: string, input: unknown, o: { signal: AbortSignal; onProgress: (m: string) => void }) => runner.run(agent, action, input, { mode: 'plan', notify: false, signal: o.signal, onProgress: o.onProgress }) };
    const { services, tools } = chatServices({ log: quiet, models: registry, trackers: { azure: () => undefined, github: () => undefined }, outbox: undefined, audit: { sink, model }, workspaceRoot: repo, agents });
    const handler = createChatHandler(services, tools, registry);
    const markdowns: string[] = [];
    const buttons: vscode.Command[] = [];
    // The handler uses these methods of the stream; a real one has more that it never calls.
    const stream = { markdown: (v: string | vscode.MarkdownString) => markdowns.push(typeof v === 'string' ? v : v.value), button: (c: vscode.Command) => buttons.push(c), progress: () => undefined, reference: () => undefined, anchor: () => undefined, push: () => undefined } as unknown as vscode.ChatResponseStream;
    const request = { prompt: 'as minor, notes nowhere: without publishing', command: 'release', references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
    try {
      await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
      const text = markdowns.join('');
      assert.match(text, /\*\*What I understood:\*\* version: minor \(instead of the recommendation\) · notes: not published · no deployment/);
      assert.match(text, /1\.4\.2 → 1\.5\.0 \(minor\)/);
      assert.match(text, /CHANGELOG\.md/);
      assert.match(text, /v1\.5\.0/);
      assert.deepEqual(buttons.map((b) => [b.command, b.title]), [['aiDevops.agents.applyPlan', 'Review and Apply…']]);
      assert.equal(git(repo, 'tag', '--list', 'v1.5.0').trim(), '', 'plan mode tags nothing');
      assert.match(await fs.readFile(path.join(repo, 'package.json'), 'utf8'), /"version": "1\.4\.2"/);
      await assert.rejects(fs.stat(path.join(repo, 'CHANGELOG.md')), 'plan mode writes nothing');
    } finally {
      await sink.close();
    }
  });

  it('AI DevOps: Prepare Release… is registered for the palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('aiDevops.agents.release'));
  });
});
