import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { chatServices, createChatHandler } from '../../../src/chat/registerChatFeature';
import { type RunResult } from '../../../src/agents/runtime/runAgent';
import { StoredFileApprovals } from '../../../src/core/approvals/fileApprovals';
import { type Logger } from '../../../src/core/host';
import { defaultPolicy } from '../../../src/core/policy/commandPolicy';
import { ModelRegistry } from '../../../src/providers/ai/modelRegistry';
import { FileAuditSink } from '../../../src/providers/audit';
import { AgentRunner } from '../../../src/views/agents/agentRunner';
import { FindingsDiagnostics } from '../../../src/views/agents/findingsDiagnostics';
import { ProposedContent } from '../../../src/views/agents/proposedContent';
import { type AuditTrailModel } from '../../../src/views/audit/auditTrailModel';
import { activated, waitFor } from '../helpers/extension';

/**
 * The platform agent in the real extension host: `@devops /iac` through the chat handler with
 * the editor's agent runner (plan mode: nothing written, the plan shown with its Review and
 * Apply button), and `AI DevOps: Harden…` putting its findings in the Problems panel with quick
 * fixes that VS Code offers and applies. Commands are set to Never for the platform agent here
 * (a run asks with a modal dialog otherwise): the tool checks say they were skipped.
 */
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const root = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

describe('platform agent in the extension host', () => {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('aiDevops');
  let previous: unknown;

  before(async () => {
    await activated();
    previous = config().inspect('agents.approval')?.globalValue;
    await config().update('agents.approval', { agents: { platform: { writeFiles: 'allow', runCommand: 'never' } } }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('agents.approval', previous, vscode.ConfigurationTarget.Global);
    await fs.rm(path.join(root(), 'hardening-sample'), { recursive: true, force: true });
  });

  it('@devops /iac says what it understood, plans Terraform and manifests without writing, and offers Review and Apply', async () => {
    const sink = new FileAuditSink({ workspaceRoot: root(), log: quiet });
    const records: Record<string, unknown> = {};
    const runner = new AgentRunner({
      log: quiet,
      audit: sink,
      trackers: { azure: () => undefined, github: () => undefined },
      defaultTracker: () => 'azureBoards',
      model: async () => undefined,
      workspaceRoot: root,
      approvals: new StoredFileApprovals({ read: async () => records as never, update: async () => undefined }),
      askApproval: async () => false,
      commandPolicy: async () => defaultPolicy(),
      diagnostics: new FindingsDiagnostics(),
      proposed: new ProposedContent(),
    });
    const registry = new ModelRegistry({ host: { log: quiet, fetch: globalThis.fetch.bind(globalThis), getCredential: async () => undefined, getConfig: () => undefined, workspaceRoot: root(), storageDir: path.join(root(), '.devops', 'platform-it') }, cacheDir: null });
    const model = { state: 'loaded', error: undefined, events: [], runs: [], refresh: async () => undefined } as unknown as AuditTrailModel;
    const agents = { applyCommand: 'aiDevops.agents.applyPlan', plan: (agent: string, action: string, input: unknown, o: { signal: AbortSignal; onProgress: (m: string) => void }) => runner.run(agent, action, input, { mode: 'plan', notify: false, signal: o.signal, onProgress: o.onProgress }) };
    const { services, tools } = chatServices({ log: quiet, models: registry, trackers: { azure: () => undefined, github: () => undefined }, outbox: undefined, audit: { sink, model }, workspaceRoot: root(), agents });
    const handler = createChatHandler(services, tools, registry);
    const markdowns: string[] = [];
    const buttons: vscode.Command[] = [];
    // The handler uses these methods of the stream; a real one has more that it never calls.
    const stream = { markdown: (v: string | vscode.MarkdownString) => markdowns.push(typeof v === 'string' ? v : v.value), button: (c: vscode.Command) => buttons.push(c), progress: () => undefined, reference: () => undefined, anchor: () => undefined, push: () => undefined } as unknown as vscode.ChatResponseStream;
    const request = { prompt: 'on AKS for staging and prod in northeurope', command: 'iac', references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
    try {
      await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
      const text = markdowns.join('');
      assert.match(text, /\*\*What I understood:\*\* target: aks · environments: staging, prod · region: northeurope/);
      assert.match(text, /infra\/terraform\/aks\.tf/);
      assert.match(text, /deploy\/k8s\/overlays\/staging\/kustomization\.yaml/);
      assert.match(text, /Skipped the terraform check/);
      assert.deepEqual(buttons.map((b) => [b.command, b.title]), [['aiDevops.agents.applyPlan', 'Review and Apply…']]);
      await assert.rejects(fs.stat(path.join(root(), 'infra', 'terraform', 'aks.tf')), 'plan mode writes nothing');
    } finally {
      await sink.close();
    }
  });

  it('AI DevOps: Harden… puts findings in the Problems panel, and their quick fixes apply as one edit', async () => {
    const dir = path.join(root(), 'hardening-sample');
    await fs.mkdir(dir, { recursive: true });
    const dockerfile = path.join(dir, 'Dockerfile');
    await fs.writeFile(dockerfile, 'FROM node:22-slim\nRUN apk add git\nCMD ["node", "server.js"]\n');
    const result = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.platform.harden', { fix: false });
    assert.equal(result?.outcome, 'succeeded', result?.error);
    const uri = vscode.Uri.file(dockerfile);
    const diagnostics = await waitFor('hardening diagnostics', async () => {
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI DevOps platform');
      return found.length >= 3 ? found : undefined;
    });
    const codes = diagnostics.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)).sort();
    assert.deepEqual(codes, ['dockerfile/no-healthcheck', 'dockerfile/package-cache', 'dockerfile/runs-as-root']);
    const document = await vscode.workspace.openTextDocument(uri);
    const asRoot = diagnostics.find((d) => (d.code as { value: string }).value === 'dockerfile/runs-as-root')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, asRoot.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /dockerfile\/runs-as-root/.test(a.title));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.getText(), 'FROM node:22-slim\nRUN apk add git\nUSER 10001\nCMD ["node", "server.js"]\n');
    await document.save();
  });
});
