import * as vscode from 'vscode';
import { type AuditMirror } from '../core/audit/sink';
import { backgroundRefreshDelayMs } from '../core/boards/requestBudget';
import { BackendController } from './backendController';
import { registerCommandPolicy } from './commandPolicyService';
import { registerCredentials } from './credentials';
import { DisposableStore } from './disposable';
import { globalStateFileApprovals, registerFileApprovalPrompt } from './fileApprovals';
import { registerModelFeature } from './ai/registerModelFeature';
import { registerChatFeature, type ChatParticipantParts } from '../chat/registerChatFeature';
import { createLogger } from './logger';
import { registerStartupTimings, startupReport, stepTimer } from './startupTimings';
import { registerRequestBudgetStatusBar } from './requestBudgetStatusBar';
import { SettingsService } from './settingsService';
import { type TreeViews } from './viewStandIns';
import { type WarmBoards } from '../views/boards/warmBoards';
import { createTelemetry } from './telemetry';
import { aiDevopsConfigFor, VsCodeHost } from './vscodeHost';
import { userEndpointFor } from '../core/credentialScope';
import { CurrentTrackerResolver } from '../providers/boards/currentTrackerResolver';
import { FileOutbox } from '../providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../providers/boards/trackerSet';
import { registerTodoFeature } from '../views/todos/registerTodoFeature';
import { registerAgentRunsFeature } from '../views/agentRuns/registerAgentRunsFeature';
import { registerAuditFeature } from '../views/audit/registerAuditFeature';
import { registerBoardsFeature } from '../views/boards/registerBoardsFeature';
import { registerWorkItemPanel } from '../views/workItemPanel/workItemPanel';
import { registerAgentsFeature } from '../views/agents/registerAgentsFeature';
import { registerSecurityFeature } from '../views/security/registerSecurityFeature';
import { registerPendingApprovals } from '../views/release/registerPendingApprovals';
import { AGENT_PALETTE_COMMANDS } from '../views/agents/agentPaletteCommands';

/**
 * Composition root: the only place that knows every service. Each feature registers itself from
 * a function that takes what it needs and pushes its disposables into the extension's scope.
 *
 * Loaded as its own chunk (dist/lazy/host.activateFeatures.js) by the extension's entry
 * (src/extension.ts) right after activate() returned, or sooner when a command or `@devops` is
 * used first: its modules' top-level code (zod schemas, the command policy's regular expressions)
 * and the registrations below are what activation used to wait for.
 */
export interface Features {
  /** What the `@devops` participant the entry made hands its requests to. */
  readonly chat: ChatParticipantParts;
  deactivate(): Promise<void>;
}

export function activateFeatures(context: vscode.ExtensionContext, loadStarted: number, views: TreeViews, warm?: WarmBoards): Features {
  const started = Date.now();
  // Where loading the features spends its time (AI DevOps: Show Start-up Timings; printed by the integration stage).
  const timer = stepTimer('features', loadStarted);
  timer.step("loading this chunk (its modules' top-level code)");
  const onDeactivate: (() => Promise<void> | void)[] = [];
  const scope = new DisposableStore();
  context.subscriptions.push(scope);
  const channel = scope.add(vscode.window.createOutputChannel('AI DevOps', { log: true }));
  const log = createLogger(channel);
  try {
    registerStartupTimings(scope, log, { globalState: context.globalState, workspaceState: context.workspaceState });
    scope.add(
      vscode.commands.registerCommand('aiDevops.showLog', () => channel.show()),
      vscode.commands.registerCommand('aiDevops.openSettings', () =>
        vscode.commands.executeCommand('workbench.action.openSettings', '@ext:ai-devops.ai-devops'),
      ),
    );
    // Settings as the extension may use them: in Restricted Mode only the user's; a host only the
    // workspace names (organization URL, model endpoint) once the user allowed it for the workspace.
    const config = aiDevopsConfigFor(context);
    const settings = new SettingsService(scope, config, log);
    // Live services from settings, or the sandbox's local stand-ins (started on first use, with
    // credentials of their own for the session).
    const backend = new BackendController(scope, { settings, log, workspaceRoot: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, storageDir: context.globalStorageUri.fsPath });
    onDeactivate.push(() => backend.stop());
    const credentials = registerCredentials(scope, context, { active: () => settings.value.backend === 'sandbox', credentials: () => backend.credentials() }, log, {
      effective: () => settings.value,
      userEndpoint: (service) => userEndpointFor(service, settings.userValue()),
      onDidChange: settings.onDidChange,
    });
    const host = new VsCodeHost(log, credentials.store, context, config);
    const telemetry = createTelemetry(scope, log);
    timer.step('settings, backend, credentials, telemetry');
    // Repository files that widen permissions (.devops/commands.json, .devops/policy.json) count only
    // once the user approved their content; approvals live in globalState, where no repository writes.
    const fileApprovals = globalStateFileApprovals(context.globalState);
    const askFileApproval = registerFileApprovalPrompt(scope, fileApprovals);
    // The command policy agents run commands through (decideCommand with `commandPolicy.current()`).
    const commandPolicy = registerCommandPolicy(scope, { approvals: fileApprovals, ask: askFileApproval, log, workspaceRoot: () => host.workspaceRoot });
    timer.step('command policy');
    // The audit trail (hash-chained JSON lines under .devops/audit): `audit.sink` is what agents and
    // providers append to. Its Azure DevOps mirror needs the trackers, which need the sink, so the
    // mirror is looked up when an event arrives.
    const late: { mirror?: AuditMirror } = {};
    const audit = registerAuditFeature(scope, {
      workspaceRoot: host.workspaceRoot,
      storageDir: host.storageDir,
      log,
      views,
      mirror: { mirrorEvent: async (e) => late.mirror?.mirrorEvent(e), publishRun: async (r) => late.mirror?.publishRun(r) },
    });
    onDeactivate.push(() => audit.close());
    registerAgentRunsFeature(scope, { model: audit.model, views });
    timer.step('audit trail, agent runs');
    // Models: the registry @devops and the agents get their ChatModel from; the sandbox's model is
    // offered with no account.
    const models = registerModelFeature(scope, { host, sandbox: backend });
    // Also when a workspace's host is allowed or the folder is trusted (no configuration event then).
    scope.add(settings.onDidChange(() => models.refresh()));
    timer.step('models');

    // Work trackers: made on first use for the current backend; remote writes that cannot be sent
    // wait in the durable outbox (one per machine, shared by windows) and are replayed in order.
    // An outbox that cannot be opened (storage not writable) must not stop the rest of the extension:
    // the boards then say why they cannot write, and TODOs, chat and the audit trail work on.
    // Made at once and read from disk in the background: activation waits for no file. Until it is
    // read the pending list is empty; changes wait for it. A file that cannot be opened (storage
    // not writable) must not stop the rest of the extension: the boards then say why they cannot
    // write, and TODOs, chat and the audit trail work on.
    const { outbox, ready: outboxReady } = FileOutbox.openInBackground({ storageDir: host.storageDir, log, autoReplay: true });
    scope.add(outbox);
    outboxReady.catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      log.error(reason);
      void vscode.window.showWarningMessage(`AI DevOps: ${reason} Azure Boards and GitHub cannot write until the extension's storage folder is writable.`, 'Show Log').then((pick) => {
        if (pick) channel.show();
      });
    });
    timer.step('outbox (read in the background)');
    const trackers = new TrackerSet({
      backend,
      settings: () => settings.value,
      log,
      storageDir: host.storageDir,
      ...(host.workspaceRoot ? { workspaceRoot: host.workspaceRoot } : {}),
      getCredential: (service, request) => host.getCredential(service, request),
      outbox: () => outboxReady,
      audit: audit.sink,
    });
    scope.add(trackers, settings.onDidChange(() => trackers.reconnect()), backend.onDidChange(() => trackers.reconnect()));
    // The outbox sends queued changes to this window's connections only (loading a tracker when one
    // is due), so they go out after a restart on their own; changes for other connections wait.
    for (const connection of trackers.writeConnections()) scope.add(outbox.connect(connection));
    registerRequestBudgetStatusBar(scope, trackers);
    late.mirror = trackers.auditMirror(() => settings.value.audit.mirrorToAzureDevOps);
    timer.step('trackers');
    registerWorkItemPanel(scope, {
      extensionUri: context.extensionUri,
      log,
      load: async (reference) => {
        const tracker = reference.tracker === 'azureBoards' ? trackers.azure() : trackers.github();
        if (!tracker) throw new Error(`${reference.tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not configured.`);
        const found = (await tracker.get([reference.id])).get(reference.id);
        if (!found) throw new Error(`Work item ${reference.id} was not found.`);
        if (found instanceof Error) throw found;
        return found;
      },
    });

    registerBoardsFeature(scope, {
      log,
      workspaceRoot: host.workspaceRoot,
      trackers,
      outbox,
      settings,
      memento: context.workspaceState,
      views,
      ...(warm ? { warm } : {}),
      backgroundRefreshDelayMs: async (base) => backgroundRefreshDelayMs(base, await trackers.budgets(), new Date()),
    });
    timer.step('work item panel, boards');
    registerTodoFeature(scope, { resolver: new CurrentTrackerResolver(trackers, () => settings.value, log), log, settings, storageDir: host.storageDir, views });
    timer.step('TODOs');

    // Agents: the runtime's editor face (review with diffs, one undoable edit, findings in Problems).
    const agents = registerAgentsFeature(scope, {
      log,
      audit: audit.sink,
      trackers,
      delivery: trackers.deliveryClients(),
      defaultTracker: () => settings.value.workItems.defaultTracker,
      model: () => models.current().catch(() => undefined),
      approvals: fileApprovals,
      askApproval: askFileApproval,
      commandPolicy: async () => (await commandPolicy.current({ interactive: true })).policy,
      commands: AGENT_PALETTE_COMMANDS,
      // The advisory services of the current backend (the sandbox's stand-ins or the public ones), loaded on first run.
      // Branch policies through the trackers' connections and the workspace's audit trail, for the compliance report and its export.
      providers: async () => ({
        advisories: (await import('../providers/advisories')).advisoryServices((await backend.endpoints()).advisories, host.fetch),
        repositoryControls: trackers.repositoryControls(),
        // Bootstrap reads the connected organization's project (the client loads with the first survey).
        ...(trackers.azure() ? { projectSetup: (await import('../core/bootstrap/projectSetup')).lazyProjectSetup(() => trackers.projectSetup()) } : {}),
        ...(trackers.github() ? { githubProjectSetup: (await import('../core/bootstrap/githubProjectSetup')).lazyGitHubProjectSetup(() => trackers.githubProjectSetup()) } : {}),
        ...(host.workspaceRoot ? { auditTrail: (await import('../providers/audit/agentTrailReader')).agentTrailReader(host.workspaceRoot) } : {}),
        // Deployments waiting for approval in the connected Azure DevOps project and GitHub repository (release approvals).
        pendingDeployments: await (async () => {
          const { pendingDeploymentsReader, connectedProviders } = await import('../agents/runtime/executors/pendingDeployments');
          return pendingDeploymentsReader(trackers.deliveryClients(), connectedProviders(trackers));
        })(),
      }),
    });
    registerSecurityFeature(scope, { runner: agents.runner, diagnostics: agents.diagnostics, secrets: context.secrets, log });
    // Pending Approvals: the deployments waiting in the connected backends, read with the release agent's reader (loaded when the view first lists).
    registerPendingApprovals(scope, {
      views,
      list: async (signal) => {
        const { pendingDeploymentsReader, connectedProviders } = await import('../agents/runtime/executors/pendingDeployments');
        return pendingDeploymentsReader(trackers.deliveryClients(), connectedProviders(trackers)).list(signal);
      },
    });
    timer.step('agents');

    const chat = registerChatFeature(scope, { log, models, trackers, outbox, audit, workspaceRoot: host.workspaceRoot, agents: agents.chat });

    timer.step('chat');
    const featuresMs = timer.done();
    const fromBundle = startupReport().activationMs;
    telemetry.event('extension.activate', { backend: settings.value.backend, aiProvider: settings.value.ai.provider }, { durationMs: Date.now() - started, featuresMs, ...(fromBundle === undefined ? {} : { fromBundleMs: fromBundle }) });
    const spans = startupReport().spans;
    const line = (prefix: string) => spans.filter((s) => s.name.startsWith(prefix)).map((s) => `${s.name.replace(prefix, '')} ${s.ms.toFixed(1)}`).join(', ');
    // The steps at debug level (AI DevOps: Show Start-up Timings shows them all); two short lines at info.
    log.debug(`Start-up steps: activate() ${line('activation: ')} ms; the features ${line('features: ')} ms.`);
    log.info(`Start-up: activate() ended ${fromBundle?.toFixed(1) ?? '?'} ms after the bundle's first line; the features then loaded in ${featuresMs.toFixed(1)} ms.`);
    log.info(`Activated in ${Date.now() - started} ms (backend ${settings.value.backend}).`);
    return {
      chat,
      deactivate: async () => {
        for (const hook of onDeactivate.splice(0)) {
          try {
            await hook();
          } catch {
            // Shutting down: nothing left to tell the user; the next activation recovers (e.g. a torn audit line).
          }
        }
        scope.dispose();
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${message}`);
    void vscode.window.showErrorMessage(`AI DevOps could not start: ${message}`, 'Show Log').then((pick) => {
      if (pick) channel.show();
    });
    throw error;
  }
}
