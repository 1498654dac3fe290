import { contentSha256, workspaceKeyFor } from '../core/approvals';
import { POLICY_FILE as COMMAND_RULES_FILE } from '../core/policy/commandRules';
import { readRepositoryFile } from '../providers/files/repositoryFile';
import { type Backend } from '../core/backend';
import { type Host, type Logger } from '../core/host';
import { liveEndpoints } from '../core/liveEndpoints';
import { readSettings, type Settings } from '../core/settings';
import { POLICY_FILE_PATH } from '../agents/runtime/approvalPolicy';
import { FsEditApplier } from '../agents/runtime/fsEditApplier';
import { loadApprovalPolicy } from '../agents/runtime/loadPolicy';
import { type RunServices } from '../agents/runtime/runAgent';
import { type RunUi } from '../agents/runtime/runUi';
import { defaultRemoteExecutors } from '../agents/runtime/executors/defaultExecutors';
import { connectedProviders, pendingDeploymentsReader } from '../agents/runtime/executors/pendingDeployments';
import { advisoryServices } from '../providers/advisories';
import { agentTrailReader, FileAuditSink } from '../providers/audit';
import { FileOutbox } from '../providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../providers/boards/trackerSet';
import { lazyGitHubProjectSetup } from '../core/bootstrap/githubProjectSetup';
import { lazyProjectSetup } from '../core/bootstrap/projectSetup';
import { loadCommandPolicy } from '../providers/files/commandPolicyLoader';
import { fileApprovalsInDirectory } from '../providers/files/fileApprovalsFile';
import { WorkspaceGit } from '../providers/git/workspaceGit';
import { credentialFrom, ripgrepFor, settingFrom } from './cliEnvironment';

export interface CliServiceOptions {
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stateDir: string;
  readonly settingsFile: Readonly<Record<string, unknown>>;
  /** The user's own policy layer (--policy file or AIDEVOPS_AGENTS_APPROVAL). */
  readonly userPolicy: unknown;
  readonly approvePolicyFile: boolean;
  readonly approveCommandRules?: boolean;
  readonly ui: RunUi;
  readonly log: Logger;
}

/** A logger for the command line: warnings and errors on stderr; everything with AIDEVOPS_DEBUG set. */
export function stderrLogger(err: NodeJS.WritableStream, debug: boolean): Logger {
  const say = (level: string) => (message: string | Error) => err.write(`${level}: ${message instanceof Error ? message.message : message}\n`);
  const quiet = (): void => undefined;
  return { trace: debug ? say('trace') : quiet, debug: debug ? say('debug') : quiet, info: debug ? say('info') : quiet, warn: say('warning'), error: say('error') };
}

/**
 * The runtime's services without an editor: the same audit trail, policy files and agents, with
 * settings and credentials from flags and the environment, approvals and the outbox in the CLI's
 * state directory (never the workspace), files written atomically.
 */
export async function cliRunServices(options: CliServiceOptions): Promise<{ services: RunServices; settings: Settings; close(): Promise<void> }> {
  const { root, env, log } = options;
  const { settings, invalid } = readSettings((key) => settingFrom(key, options.settingsFile, env));
  for (const key of invalid) log.warn(`The setting ${key} is not valid; its default is used.`);
  const approvals = fileApprovalsInDirectory(options.stateDir, log);
  // Approving on the command line is the user's explicit act for this folder, remembered until the file changes.
  for (const [wanted, file] of [[options.approvePolicyFile, POLICY_FILE_PATH], [options.approveCommandRules === true, COMMAND_RULES_FILE]] as const) {
    if (!wanted) continue;
    const read = await readRepositoryFile(root, file);
    if (read.kind === 'text') await approvals.approve(workspaceKeyFor(root), file, contentSha256(read.text));
    else log.warn(read.kind === 'absent' ? `There is no ${file} in ${root} to approve.` : `${read.reason} It was not approved.`);
  }
  const audit = new FileAuditSink({ workspaceRoot: root, log });
  const host: Host = {
    log,
    fetch: globalThis.fetch.bind(globalThis),
    getCredential: async (service) => credentialFrom(service, env),
    getConfig: (key) => settingFrom(key, options.settingsFile, env),
    workspaceRoot: root,
    storageDir: options.stateDir,
  };
  const backend: Backend = { endpoints: async () => liveEndpoints(settings), onDidChange: () => ({ dispose: () => undefined }) };
  let outbox: Promise<FileOutbox> | undefined;
  const trackers = new TrackerSet({
    backend,
    settings: () => settings,
    log,
    storageDir: options.stateDir,
    getCredential: async (service) => credentialFrom(service, env),
    outbox: () => (outbox ??= FileOutbox.open({ storageDir: options.stateDir, log, autoReplay: false })),
    audit,
  });
  const services: RunServices = {
    workspaceRoot: root,
    // The command line runs where the user pointed it, as `npm test` would; the policy files and
    // the command allowlist still apply.
    trusted: true,
    audit,
    log,
    approvals: async (r) => {
      const loaded = await loadApprovalPolicy(r, options.userPolicy, approvals);
      for (const p of loaded.problems) log.warn(p);
      if (loaded.awaitingApproval) log.warn(`${POLICY_FILE_PATH} asks for more than your policy allows; it counts only after you approve it (--approve-policy-file).`);
      return loaded.policy;
    },
    // The built-in rules, `commands.allow` from --settings, and `.devops/commands.json` once approved.
    commandPolicy: async (r) => {
      const loaded = await loadCommandPolicy({ workspaceRoot: r, userRules: settingFrom('commands.allow', options.settingsFile, env), approvals });
      for (const p of loaded.problems) log.warn(p);
      if (loaded.file.status === 'invalid' || loaded.file.status === 'unreadable') log.warn(`${loaded.file.reason} Its rules are not used.`);
      if (loaded.file.status === 'needsApproval') log.warn(`.devops/commands.json adds ${loaded.file.full.length} command rule(s); they count only after you approve the file's content (--approve-command-rules).`);
      return loaded.policy;
    },
    trackers: { azure: () => trackers.azure(), github: () => trackers.github(), defaultTracker: settings.workItems.defaultTracker, planning: (kind) => trackers.planning(kind), azurePullRequestWorkItems: (ids, signal) => trackers.azurePullRequestWorkItems(ids, signal) },
    providers: { advisories: advisoryServices(liveEndpoints(settings).advisories, host.fetch), repositoryControls: trackers.repositoryControls(), auditTrail: agentTrailReader(root), ...(trackers.azure() ? { projectSetup: lazyProjectSetup(() => trackers.projectSetup()) } : {}), ...(trackers.github() ? { githubProjectSetup: lazyGitHubProjectSetup(() => trackers.githubProjectSetup()) } : {}), pendingDeployments: pendingDeploymentsReader(trackers.deliveryClients(), connectedProviders(trackers)) },
    model: async () => {
      if (!env.AIDEVOPS_AI_PROVIDER && !('ai.provider' in options.settingsFile)) return undefined;
      const { ModelRegistry } = await import('../providers/ai/modelRegistry');
      return new ModelRegistry({ host }).current();
    },
    git: async (r) => {
      const git = new WorkspaceGit(r, { trusted: () => true });
      return (await git.isRepository().catch(() => false)) ? git : undefined;
    },
    remote: defaultRemoteExecutors({ trackers: { azure: () => trackers.azure(), github: () => trackers.github() }, delivery: trackers.deliveryClients(), git: (r) => new WorkspaceGit(r, { trusted: () => true }), log, testRuns: () => trackers.azureTestRuns(), codeHosts: trackers.codeHosts(), projectSetup: () => trackers.projectSetup(), githubProjectSetup: () => trackers.githubProjectSetup() }),
    edits: new FsEditApplier(),
    ui: options.ui,
    user: env.USER ?? env.USERNAME,
    // The Python the editor would take from the Python extension: here AIDEVOPS_PYTHON, else a .venv, else python3.
    pythonInterpreter: async () => env.AIDEVOPS_PYTHON || undefined,
    ripgrepPath: ripgrepFor(env),
  };
  return {
    services,
    settings,
    close: async () => {
      await audit.close();
      trackers.dispose();
      if (outbox) (await outbox).dispose();
    },
  };
}
