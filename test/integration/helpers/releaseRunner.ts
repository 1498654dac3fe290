import { promises as fs } from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { chatServices, createChatHandler } from '../../../src/chat/registerChatFeature';
import { type AuditEvent } from '../../../src/core/audit';
import { StoredFileApprovals } from '../../../src/core/approvals/fileApprovals';
import { type Logger } from '../../../src/core/host';
import { defaultPolicy } from '../../../src/core/policy/commandPolicy';
import { ModelRegistry } from '../../../src/providers/ai/modelRegistry';
import { type FileAuditSink } from '../../../src/providers/audit';
import { AgentRunner, type AgentRunnerDeps } from '../../../src/views/agents/agentRunner';
import { FindingsDiagnostics } from '../../../src/views/agents/findingsDiagnostics';
import { ProposedContent } from '../../../src/views/agents/proposedContent';
import { type AuditTrailModel } from '../../../src/views/audit/auditTrailModel';
import { ourExtension } from './extension';

/**
 * What the release suites (release, releaseApprovals, releaseRollback, pendingApprovalsView) share:
 * the editor's agent runner on a folder the test builds, with no trackers unless given, no model,
 * the default command policy and approvals kept in memory; the window's pickers answered by the
 * test and put back; the run's audit events; `@devops` through the chat handler.
 */
export const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function releaseRunner(workspace: string, sink: FileAuditSink, more: Partial<AgentRunnerDeps> = {}): AgentRunner {
  const records: Record<string, unknown> = {};
  return new AgentRunner({
    log: quiet,
    audit: sink,
    trackers: { azure: () => undefined, github: () => undefined },
    defaultTracker: () => 'azureBoards',
    model: async () => undefined,
    workspaceRoot: () => workspace,
    approvals: new StoredFileApprovals({ read: async () => records as never, update: async () => undefined }),
    askApproval: async () => false,
    commandPolicy: async () => defaultPolicy(),
    diagnostics: new FindingsDiagnostics(),
    proposed: new ProposedContent(),
    ...more,
  });
}

/** The window's quick pick and input box as the test answers them; `restore` puts VS Code's back (call it in afterEach). */
export class WindowPickers {
  private readonly original = { pick: vscode.window.showQuickPick, input: vscode.window.showInputBox };
  /** Every list a quick pick was shown with, in order. */
  readonly shown: vscode.QuickPickItem[][] = [];
  /** Every input box's options, in order. */
  readonly inputs: (vscode.InputBoxOptions | undefined)[] = [];

  /** `choose(list, step)` picks from the n-th list shown (step 1 is the first). */
  answerPicks(choose: (list: readonly vscode.QuickPickItem[], step: number) => vscode.QuickPickItem | undefined): this {
    vscode.window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>) => {
      const list = [...(await items)];
      this.shown.push(list);
      return choose(list, this.shown.length);
    }) as unknown as typeof vscode.window.showQuickPick;
    return this;
  }

  /** `answer(options, step)` types into the n-th input box (undefined: Escape). */
  answerInputs(answer: (options: vscode.InputBoxOptions | undefined, step: number) => string | undefined): this {
    vscode.window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
      this.inputs.push(options);
      return answer(options, this.inputs.length);
    }) as typeof vscode.window.showInputBox;
    return this;
  }

  restore(): void {
    Object.assign(vscode.window, { showQuickPick: this.original.pick, showInputBox: this.original.input });
  }
}

/** The audit events of one run, read from the folder's trail files. */
export async function runEvents(workspace: string, runId: string): Promise<AuditEvent[]> {
  const trail = path.join(workspace, '.devops', 'audit');
  const files = (await fs.readdir(trail)).filter((f) => f.endsWith('.jsonl'));
  const lines = (await Promise.all(files.map((f) => fs.readFile(path.join(trail, f), 'utf8')))).flatMap((t) => t.split('\n').filter(Boolean));
  return lines.map((l) => JSON.parse(l) as AuditEvent).filter((e) => e.correlationId === runId);
}

/** `@devops /release <prompt>` through the chat handler with the runner planning: what it wrote and the buttons it offered. */
export async function askRelease(workspace: string, runner: AgentRunner, sink: FileAuditSink, prompt: string): Promise<{ text: string; buttons: vscode.Command[] }> {
  const registry = new ModelRegistry({ host: { log: quiet, fetch: globalThis.fetch.bind(globalThis), getCredential: async () => undefined, getConfig: () => undefined, workspaceRoot: workspace, storageDir: path.join(workspace, '.devops', 'release-it') }, cacheDir: null });
  const model = { state: 'loaded', error: undefined, events: [], runs: [], refresh: async () => undefined } as unknown as AuditTrailModel;
  const agents = { applyCommand: 'aiDevops.agents.applyPlan', plan: (agent: string, action: string, input: unknown, o: { signal: AbortSignal; onProgress: (m: string) => void }) => runner.run(agent, action, input, { mode: 'plan', notify: false, signal: o.signal, onProgress: o.onProgress }) };
  const { services, tools } = chatServices({ log: quiet, models: registry, trackers: { azure: () => undefined, github: () => undefined }, outbox: undefined, audit: { sink, model }, workspaceRoot: workspace, agents });
  const handler = createChatHandler(services, tools, registry);
  const markdowns: string[] = [];
  const buttons: vscode.Command[] = [];
  // The handler uses these methods of the stream; a real one has more that it never calls.
  const stream = { markdown: (v: string | vscode.MarkdownString) => markdowns.push(typeof v === 'string' ? v : v.value), button: (c: vscode.Command) => buttons.push(c), progress: () => undefined, reference: () => undefined, anchor: () => undefined, push: () => undefined } as unknown as vscode.ChatResponseStream;
  const request = { prompt, command: 'release', references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
  await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
  return { text: markdowns.join(''), buttons };
}

/**
 * Lets the release agent's listed steps through the approval policy for the suite (a review list
 * would need a person); the returned function puts the user's setting back (call it in `after`).
 */
export async function allowReleaseSteps(steps: Record<string, 'allow'>): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('aiDevops');
  const previous = config.inspect('agents.approval')?.globalValue;
  await config.update('agents.approval', { agents: { release: steps } }, vscode.ConfigurationTarget.Global);
  return async () => {
    await vscode.workspace.getConfiguration('aiDevops').update('agents.approval', previous, vscode.ConfigurationTarget.Global);
  };
}

/** A palette command of the release agent: contributed with its title and icon, enabled in trusted folders only, registered. */
export async function assertTrustedPaletteCommand(command: string, title: string, icon: string): Promise<void> {
  const commands = (ourExtension().packageJSON as { contributes: { commands: { command: string; title: string; icon?: string; enablement?: string }[] } }).contributes.commands;
  const json = commands.find((c) => c.command === command);
  assert.equal(json?.title, title);
  assert.equal(json?.icon, icon);
  assert.match(json?.enablement ?? '', /isWorkspaceTrusted/);
  assert.ok((await vscode.commands.getCommands(true)).includes(command));
}
