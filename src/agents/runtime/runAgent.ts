import { randomUUID } from 'node:crypto';
import { type ChatModel } from '../../core/ai/chatModel';
import { AUDIT_EVENTS, type AuditSink } from '../../core/audit';
import { type OutboxJson } from '../../core/boards/outbox';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { type CommandPolicy } from '../../core/policy/commandPolicy';
import { redactText } from '../../core/redact';
import { agentModel } from './agentModel';
import { FileAgentRecords } from './agentRecords';
import { type ApprovalPolicy, type DecisionExplained } from './approvalPolicy';
import { displayCommand, PolicedCommandRunner } from './commandRunner';
import { type AgentAction, type AgentContext, type AgentDefinition, type AgentProviders, type AgentTrackers, type GitReader } from './context';
import { type EditApplier, type EditRefusal, prepareEdits } from './edits';
import { type ActionKind, actionKindsOf, type AgentPlan, AgentPlanSchema, orderRemoteChanges } from './plan';
import { type RemoteExecutors, type RemoteOutcome } from './remote';
import { RunScratch } from './scratch';
import { pythonLauncher } from './toolLauncher';
import { approveAll, type ReviewAnswer, type RunUi } from './runUi';
import { NodeWorkspaceFiles } from './workspaceFiles';

/** What the runtime needs from its host (the editor or the command line). */
export interface RunServices {
  readonly workspaceRoot: string | undefined;
  /** False in Restricted Mode: agents run nothing there. */
  readonly trusted: boolean;
  readonly audit: AuditSink;
  readonly log: Logger;
  /** Read afresh for every run (the user may have approved or changed the policy file). */
  approvals(root: string): Promise<ApprovalPolicy>;
  commandPolicy(root: string): Promise<CommandPolicy>;
  readonly trackers: AgentTrackers;
  /** Outside data agents read (advisories, branch policies); absent members are reported as not checked. */
  readonly providers?: Partial<AgentProviders>;
  model(): Promise<ChatModel | undefined>;
  git(root: string): Promise<GitReader | undefined>;
  readonly remote: RemoteExecutors;
  readonly edits: EditApplier;
  readonly ui: RunUi;
  readonly now?: () => Date;
  /** Who runs it, for the audit trail (the signed-in account or the OS user). */
  readonly user?: string;
  readonly timeouts?: { readonly planMs?: number; readonly commandMs?: number; readonly modelMs?: number };
  /**
   * The ripgrep agents' file searches run (VS Code's own in the editor, one on PATH or
   * AIDEVOPS_RIPGREP for the CLI); without it they read the files themselves.
   */
  readonly ripgrepPath?: string;
  /** The Python interpreter the user chose for this folder (the Python extension's selection, --python), if any. */
  pythonInterpreter?(root: string): Promise<string | undefined>;
}

export interface RunRequest {
  readonly agent: AgentDefinition;
  readonly action: string;
  /** Validated with the action's schema here, whatever produced it. */
  readonly input: unknown;
  readonly signal?: AbortSignal;
  /** `plan`: stop after planning (preview only, nothing applied); `apply`: review and apply. */
  readonly mode?: 'plan' | 'apply';
  /** A run of the same agent and input started again from the Agent Runs view. */
  readonly rerunOf?: string;
  /**
   * A plan made earlier (a chat preview) to review and apply instead of planning again; checked
   * against the schema and the disk like a fresh one. `plannedIn` is the run that made it.
   */
  readonly plan?: { readonly plan: AgentPlan; readonly plannedIn: string };
}

export type RunOutcome = 'succeeded' | 'failed' | 'cancelled' | 'declined';

export interface CommandOutcome {
  readonly command: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

export interface RemoteResult {
  readonly id: string;
  readonly kind: string;
  readonly target: string;
  readonly outcome: RemoteOutcome['kind'] | 'skipped';
  readonly detail: string;
  readonly url?: string;
  /** What an applied change answered (a created item's id, a Project's number), for what runs after. */
  readonly result?: OutboxJson;
}

export interface RunResult {
  readonly runId: string;
  readonly agent: string;
  readonly action: string;
  readonly outcome: RunOutcome;
  /** Undefined when the run failed before the agent finished planning. */
  readonly plan: AgentPlan | undefined;
  readonly applied: {
    readonly edits: readonly string[];
    readonly commands: readonly CommandOutcome[];
    readonly remote: readonly RemoteResult[];
  };
  /** Parts of the plan not applied, and why (policy Never, unticked, refused, not reached). */
  readonly skipped: readonly { readonly what: string; readonly why: string }[];
  /** Why the run failed, in words the user can act on; also what was left unchanged. */
  readonly error?: string;
  readonly durationMs: number;
}

const DEFAULTS = { planMs: 15 * 60_000, commandMs: 10 * 60_000, modelMs: 180_000 };
const OUTPUT_TAIL = 4000;
const tailOf = (s: string): string => (s.length > OUTPUT_TAIL ? s.slice(-OUTPUT_TAIL) : s);

/**
 * One agent run, the same for every agent: validate input, plan (reads, policed commands, the
 * model if any), review what the approval policy says to ask about, apply what was approved
 * (files as one change, commands, remote changes in dependency order), and audit every step.
 * Nothing is applied before the user (or the policy) approved it; a cancelled run stops its
 * processes and applies nothing further.
 */
export async function runAgent(services: RunServices, request: RunRequest): Promise<RunResult> {
  const started = Date.now();
  const now = services.now ?? (() => new Date());
  const timeouts = { ...DEFAULTS, ...services.timeouts };
  const agentId = request.agent.id;
  const action = request.agent.actions.find((a) => a.name === request.action);
  if (!action) {
    throw new DevOpsError('invalidInput', `The ${agentId} agent has no action "${request.action}". It has: ${request.agent.actions.map((a) => a.name).join(', ')}.`);
  }
  if (!services.trusted) {
    throw new DevOpsError('refused', `This folder is in Restricted Mode, so the ${agentId} agent runs nothing here (no files, no commands, no git). Trust the folder (Manage Workspace Trust) if you want agents to work in it.`);
  }
  const root = services.workspaceRoot;
  if (!root) throw new DevOpsError('notConfigured', `Open a folder first: the ${agentId} agent works in the workspace.`);
  const parsed = action.input.safeParse(request.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevOpsError('invalidInput', `${agentId} ${action.name}: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}.`);
  }
  const input: unknown = parsed.data;
  if (request.plan && (request.plan.plan.agent !== agentId || request.plan.plan.action !== action.name)) {
    throw new DevOpsError('invalidInput', `The plan to apply was made by ${request.plan.plan.agent} ${request.plan.plan.action}, not ${agentId} ${action.name}.`);
  }

  const runId = `run-${randomUUID()}`;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  if (request.signal?.aborted) controller.abort();
  const signal = controller.signal;
  const audit = async (eventType: string, metadata: Record<string, unknown> = {}, extra: { workItemId?: number; repository?: string; oldState?: string; newState?: string } = {}): Promise<void> => {
    await services.audit.append({ correlationId: runId, eventType, service: agentId, metadata, user: services.user, ...extra });
  };

  const skipped: { what: string; why: string }[] = [];
  const applied = { edits: [] as string[], commands: [] as CommandOutcome[], remote: [] as RemoteResult[] };
  let plan: AgentPlan | undefined;
  const scratch = new RunScratch(root, runId);
  const finish = async (outcome: RunOutcome, error?: string): Promise<RunResult> => {
    request.signal?.removeEventListener('abort', onAbort);
    await scratch.dispose().catch((e: unknown) => services.log.warn(`Could not remove the run's scratch folder: ${e instanceof Error ? e.message : String(e)}`));
    const result: RunResult = { runId, agent: agentId, action: action.name, outcome, plan, applied, skipped, ...(error ? { error } : {}), durationMs: Date.now() - started };
    const summary = { outcome, edits: applied.edits.length, commands: applied.commands.length, remote: applied.remote.length, skipped: skipped.length, findings: plan?.findings.length ?? 0, durationMs: result.durationMs, ...(error ? { error } : {}) };
    const type = outcome === 'succeeded' ? AUDIT_EVENTS.runCompleted : outcome === 'failed' ? AUDIT_EVENTS.runFailed : AUDIT_EVENTS.runCancelled;
    await audit(type, summary).catch((e: unknown) => services.log.error(`The audit trail could not record the end of run ${runId}: ${e instanceof Error ? e.message : String(e)}`));
    return result;
  };

  await audit(AUDIT_EVENTS.runStarted, {
    action: action.name,
    input: input as Record<string, unknown>,
    mode: request.mode ?? 'apply',
    ...(request.rerunOf ? { rerunOf: request.rerunOf } : {}),
    ...(request.plan ? { planFrom: request.plan.plannedIn } : {}),
  });
  try {
    const [approvals, commandPolicy, chatModel, git] = await Promise.all([services.approvals(root), services.commandPolicy(root), services.model().catch(() => undefined), services.git(root).catch(() => undefined)]);
    const decisions = new Map<ActionKind, DecisionExplained>();
    const decision = (kind: ActionKind): DecisionExplained => {
      let d = decisions.get(kind);
      if (!d) decisions.set(kind, (d = approvals.explain(agentId, kind)));
      return d;
    };
    const launch = pythonLauncher(root, async () => services.pythonInterpreter?.(root));
    const planningCommands = new PolicedCommandRunner({
      workspaceRoot: root,
      policy: commandPolicy,
      decision: decision('runCommand').decision,
      writeDecision: decision('writeFiles').decision,
      confirm: (display, why) => services.ui.confirm('runCommand', agentId, `${display}\n${why}`),
      audit,
      signal,
      defaultTimeoutMs: timeouts.commandMs,
      launch,
    });
    const context: AgentContext = {
      runId,
      agent: agentId,
      user: services.user,
      workspaceRoot: root,
      files: new NodeWorkspaceFiles(root, { ripgrepPath: services.ripgrepPath, signal }),
      git,
      commands: planningCommands,
      records: new FileAgentRecords(root, agentId, (path, bytes) => audit(AUDIT_EVENTS.fileWritten, { path, bytes, record: true })),
      scratch: () => scratch.dir(),
      trackers: services.trackers,
      providers: services.providers ?? {},
      model: chatModel
        ? agentModel({ model: chatModel, decision: decision('cloudModel').decision, confirm: (name) => services.ui.confirm('cloudModel', agentId, name), signal, timeoutMs: timeouts.modelMs })
        : undefined,
      progress: (message) => services.ui.progress(message),
      step: async (message, metadata) => {
        services.ui.progress(message);
        await audit(AUDIT_EVENTS.runStep, { step: message, ...metadata });
      },
      signal,
      now,
      log: services.log,
    };

    plan = request.plan
      ? request.plan.plan
      : await withDeadline(planWith(action, context, input), timeouts.planMs, signal, `The ${agentId} agent did not finish planning within ${Math.round(timeouts.planMs / 60_000)} minutes; nothing was changed.`);
    const checked = AgentPlanSchema.safeParse(plan);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new DevOpsError('badResponse', `The ${agentId} agent produced a plan the runtime cannot use (${issue?.path.join('.')}: ${issue?.message}); nothing was changed.`);
    }
    plan = checked.data;
    await audit('run.planned', {
      title: plan.title,
      edits: plan.edits.map((e) => `${e.action} ${e.path}`),
      commands: plan.commands.map(displayCommand),
      remote: plan.remote.map((r) => `${r.kind} ${r.target}: ${r.summary}`),
      findings: plan.findings.length,
    });
    if ((request.mode ?? 'apply') === 'plan') return await finish('succeeded');

    const prepared = await prepareEdits(root, plan.edits);
    if (prepared.refused.length > 0) {
      for (const r of prepared.refused) skipped.push({ what: r.path, why: r.reason });
      return await finish('failed', refusalMessage(prepared.refused));
    }
    const kinds = actionKindsOf(plan);
    for (const kind of kinds) {
      if (decision(kind).decision === 'never') skipped.push({ what: `every ${kindNoun(kind)}`, why: `the approval policy says Never (${decision(kind).source})` });
    }
    const allowedKinds = new Set(kinds.filter((k) => decision(k).decision !== 'never'));
    const ask = kinds.filter((k) => decision(k).decision === 'ask');
    let answer: ReviewAnswer | undefined = approveAll(plan, prepared.ready);
    if (ask.length > 0) {
      answer = await services.ui.review({ runId, plan, edits: prepared.ready, ask, decisions: new Map(kinds.map((k) => [k, decision(k)])) });
      if (!answer) {
        await audit('run.declined', { asked: ask });
        return await finish('declined', 'You declined the plan; nothing was changed.');
      }
    }
    if (signal.aborted) throw new DevOpsError('cancelled', 'Cancelled before anything was applied.');
    await audit('run.approved', { asked: ask, edits: answer.edits.length, commands: answer.commands.length, remote: answer.remote.length });

    // Files: one change, all or nothing.
    const edits = allowedKinds.has('writeFiles') ? prepared.ready.filter((e) => answer.edits.includes(e.path)) : [];
    for (const e of prepared.ready) if (allowedKinds.has('writeFiles') && !answer.edits.includes(e.path)) skipped.push({ what: e.path, why: 'not ticked in the review' });
    if (edits.length > 0) {
      services.ui.progress(`Writing ${edits.length} file${edits.length === 1 ? '' : 's'}…`);
      await services.edits.apply(edits, signal);
      for (const e of edits) {
        applied.edits.push(e.path);
        await audit(AUDIT_EVENTS.fileWritten, { path: e.path, action: e.action, bytes: Buffer.byteLength(e.content), ...(e.why ? { why: e.why } : {}) });
      }
    }

    // Commands, in order; the first failure stops the rest (they usually build on each other).
    const approvedCommands = allowedKinds.has('runCommand') ? plan.commands.filter((_c, i) => answer.commands.includes(i)) : [];
    const runner = new PolicedCommandRunner({
      workspaceRoot: root,
      policy: commandPolicy,
      decision: 'allow',
      confirm: async () => true,
      audit,
      signal,
      defaultTimeoutMs: timeouts.commandMs,
      launch,
    });
    let commandFailed: string | undefined;
    for (const [i, command] of approvedCommands.entries()) {
      if (commandFailed) {
        skipped.push({ what: displayCommand(command), why: `not run: ${commandFailed}` });
        continue;
      }
      services.ui.progress(`Running ${displayCommand(command)}…`);
      const result = await runner.run(command, { onOutput: services.ui.output ? (t) => services.ui.output?.(t) : undefined }).catch((error: unknown) => {
        if (isDevOpsError(error) && error.code !== 'cancelled') return error;
        throw error;
      });
      if (result instanceof DevOpsError) {
        commandFailed = result.message;
        skipped.push({ what: displayCommand(command), why: result.message });
        continue;
      }
      applied.commands.push({ command: result.display, exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs, stdoutTail: tailOf(result.stdout), stderrTail: tailOf(result.stderr) });
      if (result.exitCode !== 0) commandFailed = `${result.display} ${result.timedOut ? 'timed out' : `exited with ${result.exitCode}`} (step ${i + 1} of ${approvedCommands.length})`;
    }

    // Remote changes, each after what it depends on; one that fails holds back only its dependents.
    const approvedRemote = plan.remote.filter((r) => allowedKinds.has(r.approval) && answer.remote.includes(r.id));
    for (const r of plan.remote) if (allowedKinds.has(r.approval) && !answer.remote.includes(r.id)) skipped.push({ what: r.summary, why: 'not ticked in the review' });
    const results = new Map<string, OutboxJson | undefined>();
    const blocked = new Map<string, string>();
    let remoteFailed: string | undefined;
    for (const change of orderRemoteChanges(plan.remote)) {
      if (signal.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
      if (!approvedRemote.includes(change)) {
        blocked.set(change.id, `"${change.summary}" was not approved`);
        continue;
      }
      // Remote changes build on the local ones (a push needs its commit): a failed command holds them all.
      const holdUp = commandFailed ? undefined : (change.dependsOn ?? []).find((d) => blocked.has(d) || !results.has(d));
      if (commandFailed || holdUp !== undefined) {
        const why = commandFailed ? `not sent: ${commandFailed}` : (blocked.get(holdUp!) ?? `it depends on "${holdUp}", which was not applied`);
        blocked.set(change.id, why);
        applied.remote.push({ id: change.id, kind: change.kind, target: change.target, outcome: 'skipped', detail: why });
        continue;
      }
      const executor = services.remote.get(change.kind);
      let outcome: RemoteOutcome;
      if (!executor) outcome = { kind: 'refused', detail: `nothing here can carry out "${change.kind}" (known: ${services.remote.kinds().join(', ') || 'none'})` };
      else {
        services.ui.progress(change.summary);
        try {
          outcome = await executor.execute(change, { runId, workspaceRoot: root, signal, results, progress: (m) => services.ui.progress(`${change.summary}: ${m}`) });
        } catch (error) {
          if (isDevOpsError(error) && error.code === 'cancelled') throw error;
          outcome = { kind: 'refused', detail: isDevOpsError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error)) };
        }
      }
      applied.remote.push({ id: change.id, kind: change.kind, target: change.target, outcome: outcome.kind, detail: outcome.detail, ...(outcome.kind === 'applied' && outcome.url ? { url: outcome.url } : {}), ...(outcome.kind === 'applied' && outcome.result !== undefined ? { result: outcome.result } : {}) });
      await audit('remote.' + outcome.kind, { kind: change.kind, target: change.target, summary: change.summary, detail: outcome.detail }, outcome.kind === 'applied' && outcome.record ? outcome.record : {});
      if (outcome.kind === 'applied' || outcome.kind === 'queued') results.set(change.id, outcome.kind === 'applied' ? outcome.result : undefined);
      else {
        blocked.set(change.id, `"${change.summary}" was ${outcome.kind === 'conflict' ? 'in conflict' : 'refused'}: ${outcome.detail}`);
        remoteFailed ??= `${change.summary}: ${outcome.detail}`;
      }
    }

    const failure = commandFailed ?? remoteFailed;
    return await finish(failure ? 'failed' : 'succeeded', failure ? `${failure}. ${leftUnchanged(applied)}` : undefined);
  } catch (error) {
    const cancelled = signal.aborted || (isDevOpsError(error) && error.code === 'cancelled');
    const message = isDevOpsError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
    if (!isDevOpsError(error)) services.log.error(`Agent run ${runId} (${agentId} ${action.name}) failed: ${message}`);
    return await finish(cancelled ? 'cancelled' : 'failed', cancelled ? `Cancelled. ${leftUnchanged(applied)}` : `${message} ${leftUnchanged(applied)}`);
  }
}

async function planWith<I>(action: AgentAction<I>, context: AgentContext, input: unknown): Promise<AgentPlan> {
  return action.plan(context, input as I);
}

/** The agent's plan, unless the run is cancelled or the deadline passes first. */
async function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new DevOpsError('timeout', message)), ms);
        onAbort = () => reject(new DevOpsError('cancelled', 'Cancelled while planning; nothing was changed.'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

function kindNoun(kind: ActionKind): string {
  return { writeFiles: 'file change', runCommand: 'command', trackerWrite: 'work item change', pushPublish: 'push or publish step', cloudModel: 'model request' }[kind];
}

function refusalMessage(refused: readonly EditRefusal[]): string {
  const shown = refused.slice(0, 5).map((r) => `${r.path}: ${r.reason}`);
  const more = refused.length > 5 ? `; and ${refused.length - 5} more` : '';
  return `The plan was not applied because ${refused.length === 1 ? 'one file change was' : `${refused.length} file changes were`} refused (${shown.join('; ')}${more}). Nothing was changed.`;
}

function leftUnchanged(applied: RunResult['applied']): string {
  const parts: string[] = [];
  if (applied.edits.length) parts.push(`${applied.edits.length} file${applied.edits.length === 1 ? ' was' : 's were'} written (${applied.edits.slice(0, 5).join(', ')}${applied.edits.length > 5 ? ', …' : ''})`);
  if (applied.commands.length) parts.push(`${applied.commands.length} command${applied.commands.length === 1 ? '' : 's'} ran`);
  const sent = applied.remote.filter((r) => r.outcome === 'applied' || r.outcome === 'queued').length;
  if (sent) parts.push(`${sent} remote change${sent === 1 ? ' was' : 's were'} sent or queued`);
  return parts.length ? `Before that: ${parts.join('; ')}. Everything else was left unchanged.` : 'Nothing was changed.';
}
