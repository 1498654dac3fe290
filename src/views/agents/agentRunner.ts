import { type CodeHosts } from '../../core/boards/codeHost';
import * as vscode from 'vscode';
import { loadAgent } from '../../agents';
import { ACTION_LABELS, type AgentPlan } from '../../agents/runtime/plan';
import { POLICY_FILE_PATH } from '../../agents/runtime/approvalPolicy';
import { type CommandPolicy } from '../../core/policy/commandPolicy';
import { type RunResult, type RunServices } from '../../agents/runtime/runAgent';
import { type RunUi } from '../../agents/runtime/runUi';
import { type AgentProviders, type AgentTrackers } from '../../agents/runtime/context';
import type * as LazyRuntime from '../../agents/runtime/lazyEntry';
import { type ChatModel } from '../../core/ai/chatModel';
import { type AttentionEntry } from '../../core/lifecycle/attention';
import { workspaceKeyFor, type FileApprovals } from '../../core/approvals';
import { type AuditSink } from '../../core/audit';
import { type WorkTracker } from '../../core/boards/workTracker';
import { type PlanningBoards } from '../../core/planning/planningBoards';
import { type GitHubProjectSetup } from '../../core/bootstrap/githubProjectSetup';
import { type ProjectSetup } from '../../core/bootstrap/projectSetup';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { type TrackerKind } from '../../core/workItem';
import { type AskApproval } from '../../host/fileApprovals';
import { WorkspaceGit } from '../../providers/git/workspaceGit';
import { locateRipgrep } from '../../providers/todos/locateRipgrep';
import type { DeliveryClients } from '../../agents/runtime/executors/deliveryExecutors';
import type { TestRunPublisher } from '../../agents/runtime/executors/qaExecutors';
import { type FindingsDiagnostics } from './findingsDiagnostics';
import { type ProposedContent } from './proposedContent';
import { pythonSelection } from './pythonSelection';
import { confirmDuringRun, reviewPlan } from './reviewPick';
import { WorkspaceEditApplier } from './workspaceEditApplier';

export interface AgentRunnerDeps {
  readonly log: Logger;
  readonly audit: AuditSink;
  readonly trackers: {
    azure(): WorkTracker | undefined;
    github(): WorkTracker | undefined;
    codeHosts?(): CodeHosts;
    planning?(kind: TrackerKind): Promise<PlanningBoards | undefined>;
    /** Azure Test Plans through the Azure Boards connection, when Azure DevOps is configured (the QA agent publishes runs there). */
    azureTestRuns?(): Promise<TestRunPublisher | undefined>;
    /** The work items linked to Azure Repos pull requests (release notes' "Merged PR 12"). */
    azurePullRequestWorkItems?: AgentTrackers['azurePullRequestWorkItems'];
    /** Bootstrap of the connected organization's project, when Azure DevOps is configured. */
    projectSetup?(): Promise<ProjectSetup | undefined>;
    /** Bootstrap of the repository's GitHub Project, when GitHub is configured. */
    githubProjectSetup?(): Promise<GitHubProjectSetup | undefined>;
  };
  /** GitHub's and Azure DevOps' clients for releases, deployment runs and approvals. */
  readonly delivery?: DeliveryClients;
  readonly defaultTracker: () => TrackerKind;
  /** The configured model, or undefined when there is none (agents work without one). */
  readonly model: () => Promise<ChatModel | undefined>;
  readonly workspaceRoot: () => string | undefined;
  readonly approvals: FileApprovals;
  readonly askApproval: AskApproval;
  readonly commandPolicy: (root: string) => Promise<CommandPolicy>;
  readonly diagnostics: FindingsDiagnostics;
  readonly proposed: ProposedContent;
  /** Outside data agents read (the security agent's advisory services), built from the current backend per run. */
  readonly providers?: () => Promise<Partial<AgentProviders>>;
}

export interface RunOptions {
  readonly mode?: 'plan' | 'apply';
  readonly rerunOf?: string;
  /** Apply a plan made earlier (a chat preview) instead of planning again. */
  readonly planFrom?: string;
  /** Show the outcome as a notification (default true; chat shows it itself). */
  readonly notify?: boolean;
  readonly signal?: AbortSignal;
  /** Progress lines for a caller that shows them itself (the chat). */
  readonly onProgress?: (message: string) => void;
  /** The run looked at these workspace files only (a re-scan on save): its findings replace only theirs in Problems. */
  readonly files?: readonly string[];
  /** Progress in the status bar instead of a notification (a background re-scan). */
  readonly quiet?: boolean;
}

interface KeptPlan {
  readonly agent: string;
  readonly action: string;
  readonly input: unknown;
  readonly plan: AgentPlan;
}

const MAX_KEPT_PLANS = 20;

/** A run that ended with a plan (planned or applied), for views that show an agent's results (the QA agent's tests). */
export interface FinishedRun {
  readonly agent: string;
  readonly action: string;
  readonly input: unknown;
  readonly result: RunResult;
  /** The options the run was started with (a caller can tell its own runs apart by identity). */
  readonly options: RunOptions;
}

type Runtime = typeof LazyRuntime;

/**
 * Runs agents in the editor: the runtime's services made of VS Code parts (the review as a
 * multi-select list beside the multi-file diff editor, one undoable WorkspaceEdit, modal
 * questions, a cancellable progress notification, findings in the Problems panel), the policy
 * read afresh per run with the repository's policy file approved through the shared prompt.
 */
export class AgentRunner implements vscode.Disposable {
  /** Plans previewed in the chat, kept so "Review and Apply" does not plan again. */
  private readonly kept = new Map<string, KeptPlan>();
  private readonly running = new Set<AbortController>();
  private readonly finished = new vscode.EventEmitter<FinishedRun>();
  readonly onDidFinish = this.finished.event;

  constructor(private readonly deps: AgentRunnerDeps) {}

  /** The folder agents run in (the first workspace folder), for a command that reads it before the run (its release tags). */
  workspaceRoot(): string | undefined {
    return this.deps.workspaceRoot();
  }

  keptPlan(runId: string): KeptPlan | undefined {
    return this.kept.get(runId);
  }

  /** Stops every running agent (deactivation). */
  cancelAll(): void {
    for (const c of this.running) c.abort();
  }

  dispose(): void {
    this.cancelAll();
    this.finished.dispose();
  }

  async run(agentId: string, action: string, input: unknown, options: RunOptions = {}): Promise<RunResult> {
    const agent = await loadAgent(agentId);
    if (!agent) throw new DevOpsError('notFound', `There is no agent "${agentId}".`);
    const kept = options.planFrom ? this.kept.get(options.planFrom) : undefined;
    if (options.planFrom && !kept) throw new DevOpsError('notFound', 'That plan is no longer kept (the window was reloaded or many plans were made since). Run the agent again.');
    const controller = new AbortController();
    this.running.add(controller);
    const outer = options.signal;
    const onOuter = (): void => controller.abort();
    outer?.addEventListener('abort', onOuter, { once: true });
    const runtime = await import('../../agents/runtime/lazyEntry');
    const title = `AI DevOps ${agent.title}`;
    const providers = await this.deps.providers?.().catch((error: unknown) => {
      this.deps.log.warn(`Agent providers could not be set up: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    try {
      const result = await vscode.window.withProgress({ location: options.quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title, cancellable: !options.quiet }, async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        const report = (message: string): void => {
          progress.report({ message });
          options.onProgress?.(message);
        };
        const root = this.deps.workspaceRoot();
        const services = { ...this.services(runtime, root, report), ...(providers ? { providers } : {}) };
        return runtime.runAgent(services, {
          agent,
          action,
          input: kept ? kept.input : input,
          mode: options.mode ?? 'apply',
          signal: controller.signal,
          ...(options.rerunOf ? { rerunOf: options.rerunOf } : {}),
          ...(kept && options.planFrom ? { plan: { plan: kept.plan, plannedIn: options.planFrom } } : {}),
        });
      });
      if (result.plan && (options.mode ?? 'apply') === 'plan') this.keep(result.runId, { agent: agentId, action, input, plan: result.plan });
      const root = this.deps.workspaceRoot();
      if (root && result.plan) this.deps.diagnostics.publish(agentId, vscode.Uri.file(root), result.plan.findings, { ...(options.files ? { files: options.files } : {}), ...(result.plan.checkedCategories ? { categories: result.plan.checkedCategories } : {}) });
      if (result.plan) this.finished.fire({ agent: agentId, action, input: kept ? kept.input : input, result, options });
      if (options.notify !== false) void this.notify(agent.title, result);
      this.deps.proposed.drop(result.runId);
      await this.followUp(runtime, { input: kept ? kept.input : input, mode: options.mode ?? 'apply' }, result);
      return result;
    } finally {
      outer?.removeEventListener('abort', onOuter);
      this.running.delete(controller);
    }
  }

  /** A run on a work item that failed marks it Blocked; one that succeeds clears a mark a failure set (the lifecycle agent, reviewed like any run). */
  private async followUp(runtime: Runtime, run: { input: unknown; mode: 'plan' | 'apply' }, result: RunResult): Promise<void> {
    const root = this.deps.workspaceRoot();
    try {
      // What the run could not decide (a conflict, a state the process lacks) waits for a person: listed by /status, raised now.
      const fresh = root ? await new runtime.AttentionStore(root).add(runtime.undecidedOf(result, new Date())) : [];
      if (fresh.length) void this.raiseAttention(fresh);
      const next = await runtime.lifecycleFollowUp(root, run, result, this.deps.defaultTracker());
      if (next) await this.run(next.agent, next.action, next.input);
    } catch (error) {
      this.deps.log.warn(`The work item of run ${result.runId} could not be moved along its lifecycle: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async raiseAttention(entries: readonly AttentionEntry[]): Promise<void> {
    const first = entries[0]!;
    const more = entries.length > 1 ? ` (and ${entries.length - 1} more)` : '';
    const choice = await vscode.window.showWarningMessage(`AI DevOps needs you${first.item ? ` on ${first.item}` : ''}: ${first.what} ${first.todo}${more}`, 'Show in @devops /status');
    if (choice) await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops /status' });
  }

  private keep(runId: string, plan: KeptPlan): void {
    this.kept.set(runId, plan);
    while (this.kept.size > MAX_KEPT_PLANS) this.kept.delete(this.kept.keys().next().value!);
  }

  /** VS Code's ripgrep, looked for once ('' when it is not there). */
  private ripgrep: string | undefined;

  private services(runtime: Runtime, root: string | undefined, report: (message: string) => void): RunServices {
    const { deps } = this;
    const ui: RunUi = {
      review: (request) => reviewPlan(request.runId, vscode.Uri.file(root ?? '/'), request, deps.proposed),
      confirm: (kind, agent, detail) => confirmDuringRun(kind, agent, detail),
      progress: report,
    };
    return {
      workspaceRoot: root,
      trusted: vscode.workspace.isTrusted,
      audit: deps.audit,
      log: deps.log,
      approvals: async (r) => this.policy(runtime, r),
      commandPolicy: deps.commandPolicy,
      trackers: { azure: () => deps.trackers.azure(), github: () => deps.trackers.github(), defaultTracker: deps.defaultTracker(), planning: async (kind) => deps.trackers.planning?.(kind), azurePullRequestWorkItems: async (ids, signal) => deps.trackers.azurePullRequestWorkItems?.(ids, signal) },
      model: () => deps.model(),
      pythonInterpreter: (r) => pythonSelection(r),
      // VS Code's own ripgrep finds the files worth reading (the secret scan's candidates), as the TODO index does.
      ripgrepPath: vscode.workspace.isTrusted ? (this.ripgrep ??= locateRipgrep(vscode.env.appRoot) ?? '') || undefined : undefined,
      git: async (r) => {
        const git = new WorkspaceGit(r, { trusted: () => vscode.workspace.isTrusted });
        return (await git.isRepository().catch(() => false)) ? git : undefined;
      },
      remote: runtime.defaultRemoteExecutors({
        trackers: deps.trackers,
        git: (r) => new WorkspaceGit(r, { trusted: () => vscode.workspace.isTrusted }),
        log: deps.log,
        ...(deps.trackers.azureTestRuns ? { testRuns: () => deps.trackers.azureTestRuns!() } : {}),
        ...(deps.trackers.codeHosts ? { codeHosts: deps.trackers.codeHosts() } : {}),
        ...(deps.trackers.projectSetup ? { projectSetup: () => deps.trackers.projectSetup!() } : {}),
        ...(deps.trackers.githubProjectSetup ? { githubProjectSetup: () => deps.trackers.githubProjectSetup!() } : {}),
        ...(deps.delivery ? { delivery: deps.delivery } : {}),
      }),
      edits: new WorkspaceEditApplier(),
      ui,
    };
  }

  /** The approval policy, asking once to approve a repository policy file that loosens it. */
  private async policy(runtime: Runtime, root: string) {
    const setting = vscode.workspace.getConfiguration('aiDevops').inspect('agents.approval')?.globalValue;
    const loaded = await runtime.loadApprovalPolicy(root, setting, this.deps.approvals);
    for (const p of loaded.problems) {
      this.deps.log.warn(p);
      void vscode.window.showWarningMessage(`AI DevOps: ${p}`);
    }
    if (!loaded.awaitingApproval) return loaded.policy;
    const wants = loaded.policy
      .loosenings(['*'])
      .map((l) => `${l.agent === '*' ? 'every agent' : l.agent}: ${ACTION_LABELS[l.kind]} ${l.to === 'allow' ? 'without asking' : l.to}`);
    const approved = await this.deps.askApproval({
      workspaceKey: workspaceKeyFor(root),
      relativePath: POLICY_FILE_PATH,
      text: loaded.awaitingApproval.text,
      sha256: loaded.awaitingApproval.sha256,
      grants: `lets agents do more than your settings allow${wants.length ? ` (${wants.slice(0, 4).join('; ')})` : ''}`,
      changedSinceApproval: (await this.deps.approvals.get(workspaceKeyFor(root), POLICY_FILE_PATH)) !== undefined,
    });
    return approved ? (await runtime.loadApprovalPolicy(root, setting, this.deps.approvals)).policy : loaded.policy;
  }

  private async notify(agentTitle: string, result: RunResult): Promise<void> {
    const counts = [
      result.applied.edits.length ? `${result.applied.edits.length} file${result.applied.edits.length === 1 ? '' : 's'} written` : '',
      result.applied.commands.length ? `${result.applied.commands.length} command${result.applied.commands.length === 1 ? '' : 's'} run` : '',
      result.applied.remote.length ? `${result.applied.remote.filter((r) => r.outcome === 'applied' || r.outcome === 'queued').length} remote change(s) sent or queued` : '',
      result.plan?.findings.length ? `${result.plan.findings.length} finding${result.plan.findings.length === 1 ? '' : 's'}` : '',
    ].filter(Boolean);
    const show = 'Show Agent Runs';
    if (result.outcome === 'succeeded') {
      const pick = await vscode.window.showInformationMessage(`${agentTitle}: ${result.plan?.title ?? 'done'}${counts.length ? ` (${counts.join(', ')})` : ''}.`, show);
      if (pick === show) void vscode.commands.executeCommand('aiDevops.agentRuns.focus');
    } else if (result.outcome === 'declined' || result.outcome === 'cancelled') {
      void vscode.window.showInformationMessage(`${agentTitle}: ${result.error ?? 'nothing was changed.'}`);
    } else {
      const pick = await vscode.window.showErrorMessage(`${agentTitle} failed: ${result.error ?? 'unknown error'}`, show);
      if (pick === show) void vscode.commands.executeCommand('aiDevops.agentRuns.focus');
    }
  }
}

/** A run's failure as text for a caller that shows it itself. */
export function runErrorText(error: unknown): string {
  return isDevOpsError(error) ? error.message : error instanceof Error ? error.message : String(error);
}

