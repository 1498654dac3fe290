import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { type RunResult } from '../../../src/agents/runtime/runAgent';
import { chatServices, createChatHandler } from '../../../src/chat/registerChatFeature';
import { type AuditEvent } from '../../../src/core/audit';
import { StoredFileApprovals } from '../../../src/core/approvals/fileApprovals';
import { type Logger } from '../../../src/core/host';
import { defaultPolicy } from '../../../src/core/policy/commandPolicy';
import { ModelRegistry } from '../../../src/providers/ai/modelRegistry';
import { FileAuditSink } from '../../../src/providers/audit';
import { AzureConnection } from '../../../src/providers/boards/azureBoards/azureConnection';
import { AzureProjectSetup } from '../../../src/providers/boards/azureBoards/projectSetup';
import { Sandbox } from '../../../src/sandbox/sandbox';
import { AgentRunner } from '../../../src/views/agents/agentRunner';
import { FindingsDiagnostics } from '../../../src/views/agents/findingsDiagnostics';
import { ProposedContent } from '../../../src/views/agents/proposedContent';
import { type AuditTrailModel } from '../../../src/views/audit/auditTrailModel';
import { activated, ourExtension, waitFor } from '../helpers/extension';

/**
 * Bootstrap in the editor, against the Azure DevOps stand-in: `AI DevOps: Bootstrap Azure DevOps
 * Project…` through the extension's own connection to the sandbox (a new project of the sandbox
 * organization made, audited, and a re-run that finds it all), and `@devops /bootstrap` through the
 * chat handler with the editor's agent runner on a sandbox of its own (plan first, nothing made
 * until the kept plan is applied). The approval setting allows bootstrap's remote steps here (the
 * review list needs a person) and is restored afterwards.
 */
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const root = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('aiDevops');
/** A fresh name per run: the sandbox keeps its state in the workspace between windows. */
const fresh = (base: string): string => `${base} ${Date.now().toString(36)}`;

async function auditEvents(dir: string, runId: string): Promise<AuditEvent[]> {
  const trail = path.join(dir, '.devops', 'audit');
  const files = (await fs.readdir(trail)).filter((f) => f.endsWith('.jsonl'));
  const lines = (await Promise.all(files.map((f) => fs.readFile(path.join(trail, f), 'utf8')))).flatMap((t) => t.split('\n').filter(Boolean));
  return lines.map((l) => JSON.parse(l) as AuditEvent).filter((e) => e.correlationId === runId);
}

describe('bootstrap in the extension host (Azure DevOps stand-in)', function () {
  this.timeout(90_000);
  let previous: unknown;

  before(async () => {
    await activated();
    previous = config().inspect('agents.approval')?.globalValue;
    await config().update('agents.approval', { agents: { bootstrap: { trackerWrite: 'allow', pushPublish: 'allow' } } }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('agents.approval', previous, vscode.ConfigurationTarget.Global);
  });

  it('is contributed for the palette with its icon, only where it makes sense (trusted folder, Azure DevOps or GitHub connected, or the sandbox)', () => {
    const json = manifestCommand('aiDevops.agents.bootstrap');
    assert.equal(json.title, 'Bootstrap Project (Azure DevOps or GitHub)…');
    assert.equal(json.icon, '$(project)');
    assert.match(json.enablement ?? '', /isWorkspaceTrusted/);
    assert.match(json.enablement ?? '', /aiDevops\.azureDevOps\.configured \|\| aiDevops\.github\.configured/);
    // In the palette only once the configured tracker is signed in (the silent credential check's context keys).
    const palette = (ourExtension().packageJSON as { contributes: { menus: { commandPalette: { command: string; when?: string }[] } } }).contributes.menus.commandPalette.find((m) => m.command === 'aiDevops.agents.bootstrap');
    assert.equal(palette?.when, 'workspaceFolderCount > 0 && ((aiDevops.azureDevOps.configured && aiDevops.azureDevOps.signedIn) || (aiDevops.github.configured && aiDevops.github.signedIn))');
  });

  it('AI DevOps: Bootstrap Azure DevOps Project… creates a new project with its process, main, policies, wiki, area, sprint and team, audited; a re-run finds it all', async () => {
    const project = fresh('IT Shop');
    const input = { project, process: 'Scrum', areas: 'Web', sprints: 1, minimumReviewers: 1 };
    const result = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.bootstrap', input);
    assert.equal(result?.outcome, 'succeeded', result?.error);
    assert.deepEqual(result.plan?.remote.map((r) => r.id), ['project', 'repository', 'policy-minimumReviewers', 'policy-workItemLinking', 'wiki', 'area-Web', 'iteration-Sprint 1', 'team']);
    assert.ok(result.applied.remote.every((r) => r.outcome === 'applied'), JSON.stringify(result.applied.remote));
    const events = await waitFor('the run in the audit trail', async () => {
      const all = await auditEvents(root(), result.runId);
      return all.some((e) => e.eventType === 'run.completed') ? all : undefined;
    });
    assert.equal(events.filter((e) => e.eventType === 'remote.applied').length, 8);
    assert.equal(events.find((e) => e.eventType === 'run.started')?.service, 'bootstrap');

    const again = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.bootstrap', input);
    assert.equal(again?.outcome, 'succeeded', again?.error);
    assert.deepEqual(again.plan?.remote, []);
    assert.equal(again.plan?.title, `${project} is set up`);
    assert.ok(again.plan?.facts.some((f) => f.value === `the project ${project} (Scrum)`), JSON.stringify(again.plan?.facts));
  });

  it('Bootstrap Project… on GitHub from the palette (workItems.defaultTracker github): asks only the sprints (the sandbox\'s Project is fixed), sets up Project 1 on the GitHub stand-in, offers no setting in the sandbox', async () => {
    // The extension and the tests share one `vscode` API object: the palette's questions are answered here.
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    const original = { pick: window.showQuickPick, input: window.showInputBox, info: window.showInformationMessage };
    const picks: { title: string | undefined; labels: string[] }[] = [];
    const inputs: string[] = [];
    const infos: string[] = [];
    const previousTracker = config().inspect('workItems.defaultTracker')?.workspaceValue;
    await config().update('workItems.defaultTracker', 'github', vscode.ConfigurationTarget.Workspace);
    window.showQuickPick = (async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, options?: vscode.QuickPickOptions) => {
      const list = await items;
      picks.push({ title: options?.title, labels: list.map((i) => i.label) });
      return list.find((i) => i.label === 'No sprints');
    }) as unknown as typeof vscode.window.showQuickPick;
    window.showInputBox = (async (options?: vscode.InputBoxOptions) => {
      inputs.push(options?.title ?? '');
      return undefined;
    }) as typeof vscode.window.showInputBox;
    window.showInformationMessage = ((message: string) => {
      infos.push(message);
      return Promise.resolve(undefined);
    }) as typeof vscode.window.showInformationMessage;
    try {
      const result = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.bootstrap');
      assert.equal(result?.outcome, 'succeeded', result?.error);
      assert.deepEqual(inputs, [], 'no title asked: the sandbox\'s Project is Project 1');
      assert.deepEqual(picks.map((p) => p.title), ['AI DevOps: Bootstrap the GitHub Project (1/2)']);
      assert.ok(picks[0]!.labels.includes('4 two-week sprints'), picks[0]!.labels.join(' | '));
      const planned = result.plan?.result as { tracker?: string; number?: number; project?: string; found?: string[] } | undefined;
      assert.equal(planned?.tracker, 'github');
      assert.equal(planned?.number, 1);
      assert.equal(planned?.project, 'Contoso Web Roadmap');
      assert.ok(planned?.found?.some((f) => /Estimate/.test(f)), JSON.stringify(planned?.found));
      assert.ok(result.applied.remote.every((r) => r.outcome === 'applied'), JSON.stringify(result.applied.remote));
      assert.deepEqual(infos.filter((m) => m.includes('aiDevops.github.projectNumber')), [], 'the sandbox\'s Project is fixed: nothing to set');
    } finally {
      window.showQuickPick = original.pick;
      window.showInputBox = original.input;
      window.showInformationMessage = original.info;
      await config().update('workItems.defaultTracker', previousTracker, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('@devops /bootstrap says what it understood, plans the new project without making it, and the kept plan applies', async () => {
    const sandbox = await Sandbox.start({ stateDir: undefined, log: quiet });
    const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'bootstrap-it-')));
    const sink = new FileAuditSink({ workspaceRoot: dir, log: quiet });
    try {
      const endpoint = sandbox.endpoints().azureDevOps!;
      const connection = new AzureConnection({ endpoint, credential: async () => ({ kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' }), log: quiet, retries: 0 });
      const setup = new AzureProjectSetup(connection, { pollMs: 250 });
      const records: Record<string, unknown> = {};
      const runner = new AgentRunner({
        log: quiet,
        audit: sink,
        trackers: { azure: () => undefined, github: () => undefined, projectSetup: async () => setup },
        providers: async () => ({ projectSetup: setup }),
        defaultTracker: () => 'azureBoards',
        model: async () => undefined,
        workspaceRoot: () => dir,
        approvals: new StoredFileApprovals({ read: async () => records as never, update: async () => undefined }),
        askApproval: async () => false,
        commandPolicy: async () => defaultPolicy(),
        diagnostics: new FindingsDiagnostics(),
        proposed: new ProposedContent(),
      });
      const registry = new ModelRegistry({ host: { log: quiet, fetch: globalThis.fetch.bind(globalThis), getCredential: async () => undefined, getConfig: () => undefined, workspaceRoot: dir, storageDir: path.join(dir, '.devops', 'bootstrap-it') }, cacheDir: null });
      const model = { state: 'loaded', error: undefined, events: [], runs: [], refresh: async () => undefined } as unknown as AuditTrailModel;
      const agents = { applyCommand: 'aiDevops.agents.applyPlan', plan: (agent: string, action: string, input: unknown, o: { signal: AbortSignal; onProgress: (m: string) => void }) => runner.run(agent, action, input, { mode: 'plan', notify: false, signal: o.signal, onProgress: o.onProgress }) };
      const { services, tools } = chatServices({ log: quiet, models: registry, trackers: { azure: () => undefined, github: () => undefined }, outbox: undefined, audit: { sink, model }, workspaceRoot: dir, agents });
      const handler = createChatHandler(services, tools, registry);
      const ask = async (prompt: string) => {
        const markdowns: string[] = [];
        const buttons: vscode.Command[] = [];
        // The handler uses these methods of the stream; a real one has more that it never calls.
        const stream = { markdown: (v: string | vscode.MarkdownString) => markdowns.push(typeof v === 'string' ? v : v.value), button: (c: vscode.Command) => buttons.push(c), progress: () => undefined, reference: () => undefined, anchor: () => undefined, push: () => undefined } as unknown as vscode.ChatResponseStream;
        const request = { prompt, command: 'bootstrap', references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
        await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
        return { text: markdowns.join(''), buttons };
      };

      const { text, buttons } = await ask('project "Chat Shop" with cmmi, no sprints, areas Billing, 3 reviewers');
      assert.match(text, /\*\*What I understood:\*\* project: Chat Shop · process: CMMI \(for a new project; an existing one keeps its own\) · no sprints · area paths: Billing · 3 reviewers on main/);
      assert.match(text, /Create the project Chat Shop with the CMMI process/);
      assert.match(text, /Require 3 reviewers on main/);
      assert.deepEqual(buttons.map((b) => [b.command, b.title]), [['aiDevops.agents.applyPlan', 'Review and Apply…']]);
      assert.equal((await setup.survey([], undefined, 'Chat Shop')).existing, undefined, 'planning made nothing');

      const applied = await runner.run('bootstrap', 'bootstrap', undefined, { planFrom: buttons[0]!.arguments![0] as string, notify: false });
      assert.equal(applied.outcome, 'succeeded', applied.error);
      const survey = await setup.survey([], undefined, 'Chat Shop');
      assert.equal(survey.existing?.process, 'CMMI');
      assert.deepEqual(survey.areas, ['Billing']);
      assert.ok(survey.policies.has('minimumReviewers') && survey.policies.has('workItemLinking'));

      const second = await ask('project "Chat Shop" with cmmi, no sprints, areas Billing, 3 reviewers');
      assert.match(second.text, /Chat Shop is set up/);
      assert.deepEqual(second.buttons, [], 'nothing to apply');
    } finally {
      await sink.close();
      await sandbox.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

interface ContributedCommand {
  readonly command: string;
  readonly title: string;
  readonly icon?: string;
  readonly enablement?: string;
}

function manifestCommand(id: string): ContributedCommand {
  const json = ourExtension().packageJSON as { contributes: { commands: ContributedCommand[] } };
  const command = json.contributes.commands.find((c) => c.command === id);
  assert.ok(command, `${id} is contributed`);
  return command;
}
