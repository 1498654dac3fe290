import * as vscode from 'vscode';
import { type AgentProviders } from '../../agents/runtime/context';
import { type ChatModel } from '../../core/ai/chatModel';
import { AUDIT_EVENTS, type AgentRun, type AuditSink } from '../../core/audit';
import { type Logger } from '../../core/host';
import { type TrackerKind } from '../../core/workItem';
import { type DisposableStore } from '../../host/disposable';
import { type FileApprovals } from '../../core/approvals';
import { type CommandPolicy } from '../../core/policy/commandPolicy';
import { type AskApproval } from '../../host/fileApprovals';
import { type ChatAgents } from '../../providers/chat/agents/agentChat';
import { type AgentCommand, registerAgentCommands } from './agentCommands';
import { AgentRunner, type AgentRunnerDeps } from './agentRunner';
import { FindingQuickFixes } from './findingQuickFixes';
import { FindingsDiagnostics } from './findingsDiagnostics';
import type { DeliveryClients } from '../../agents/runtime/executors/deliveryExecutors';
import { PROPOSED_SCHEME, ProposedContent } from './proposedContent';
import { GENERATE_TESTS_LANGUAGES, GenerateTests } from '../qa/generateTests';
import { QaTestResults } from '../qa/qaTestResults';

export interface AgentsFeatureDeps {
  readonly log: Logger;
  readonly audit: AuditSink;
  readonly trackers: AgentRunnerDeps['trackers'];
  readonly delivery?: DeliveryClients;
  readonly defaultTracker: () => TrackerKind;
  readonly model: () => Promise<ChatModel | undefined>;
  /** Approvals of repository files (shared with the command policy's .devops/commands.json). */
  readonly approvals: FileApprovals;
  readonly askApproval: AskApproval;
  readonly commandPolicy: (root: string) => Promise<CommandPolicy>;
  /** Every agent's palette commands (each agent's input collection lives beside this file). */
  readonly commands: readonly AgentCommand[];
  /** Outside data agents read (advisory services), built from the current backend per run. */
  readonly providers?: () => Promise<Partial<AgentProviders>>;
}

export interface AgentsFeature {
  readonly runner: AgentRunner;
  /** What @devops uses to plan with agents and offer the apply button. */
  readonly chat: ChatAgents;
  readonly diagnostics: FindingsDiagnostics;
}

/** The started-run event's action and input, for "Re-run". */
function rerunInput(run: AgentRun): { action: string; input: unknown } | undefined {
  const started = run.events.find((e) => e.eventType === AUDIT_EVENTS.runStarted);
  const action = started?.metadata.action;
  if (typeof action !== 'string') return undefined;
  return { action, input: started?.metadata.input ?? {} };
}

/** Agents in the editor: the runner, the review's diff documents, findings in Problems, the QA agent's tests in the Testing view, the palette commands, Re-run and Apply from the chat. */
export function registerAgentsFeature(scope: DisposableStore, deps: AgentsFeatureDeps): AgentsFeature {
  const proposed = new ProposedContent();
  const diagnostics = scope.add(new FindingsDiagnostics());
  const runner = new AgentRunner({
    log: deps.log,
    audit: deps.audit,
    trackers: deps.trackers,
    ...(deps.delivery ? { delivery: deps.delivery } : {}),
    defaultTracker: deps.defaultTracker,
    model: deps.model,
    workspaceRoot: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    approvals: deps.approvals,
    askApproval: deps.askApproval,
    commandPolicy: deps.commandPolicy,
    diagnostics,
    proposed,
    ...(deps.providers ? { providers: deps.providers } : {}),
  });
  const workspaceRoot = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const qaResults = new QaTestResults(runner, workspaceRoot);
  const generateTests = new GenerateTests(runner, (file) => qaResults.lineCoverage(file), workspaceRoot);
  scope.add(
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, proposed),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new FindingQuickFixes(), { providedCodeActionKinds: FindingQuickFixes.kinds }),
    runner,
    qaResults,
    vscode.languages.registerCodeActionsProvider(
      GENERATE_TESTS_LANGUAGES.map((language) => ({ language, scheme: 'file' })),
      generateTests,
      { providedCodeActionKinds: [GenerateTests.kind] },
    ),
    vscode.commands.registerCommand('aiDevops.qa.generateTests', (arg?: unknown) => generateTests.run(arg)),
    vscode.commands.registerCommand('aiDevops.agents.applyPlan', async (runId: unknown) => {
      const kept = typeof runId === 'string' ? runner.keptPlan(runId) : undefined;
      if (!kept) {
        void vscode.window.showWarningMessage('AI DevOps: that plan is no longer kept (the window was reloaded or many plans were made since). Ask @devops again.');
        return undefined;
      }
      return runner.run(kept.agent, kept.action, kept.input, { planFrom: runId as string });
    }),
    vscode.commands.registerCommand('aiDevops.agentRuns.rerun', async (node: unknown) => {
      const run = (node as { run?: AgentRun } | undefined)?.run;
      const again = run ? rerunInput(run) : undefined;
      if (!run || !again) {
        void vscode.window.showWarningMessage('AI DevOps: pick a run in the Agent Runs view to run it again.');
        return undefined;
      }
      return runner.run(run.agent, again.action, again.input, { rerunOf: run.correlationId });
    }),
  );
  registerAgentCommands(scope, runner, deps.commands);
  const chat: ChatAgents = {
    applyCommand: 'aiDevops.agents.applyPlan',
    plan: (agent, action, input, options) => runner.run(agent, action, input, { mode: 'plan', notify: false, signal: options.signal, onProgress: options.onProgress }),
  };
  return { runner, chat, diagnostics };
}
