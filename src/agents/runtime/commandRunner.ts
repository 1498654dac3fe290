import { AUDIT_EVENTS } from '../../core/audit';
import { DevOpsError, throwIfAborted } from '../../core/errors';
import { type CommandPolicy, decideCommand } from '../../core/policy/commandPolicy';
import { guardPath } from '../../core/policy/pathGuard';
import { resolveRealPath } from '../../providers/files/realPath';
import { runProcess } from '../../providers/process/processRunner';
import { type Decision } from './approvalPolicy';
import { type CommandResult, type CommandRunner } from './context';

export { displayCommand };
import { displayCommand, type PlannedCommand } from './plan';

export interface CommandRunnerDeps {
  readonly workspaceRoot: string;
  readonly policy: CommandPolicy;
  /** The approval policy's decision for `runCommand` for this agent. */
  readonly decision: Decision;
  /** Asks the user (decision Ask); true to run. */
  readonly confirm: (display: string, why: string) => Promise<boolean>;
  readonly audit: (eventType: string, metadata: Record<string, unknown>) => Promise<void>;
  readonly signal: AbortSignal;
  readonly defaultTimeoutMs: number;
  /** Approved already for this run (the plan's review approved these), by display string. */
  readonly preApproved?: ReadonlySet<string>;
}


const TAIL = 1500;
const tail = (s: string): string => (s.length > TAIL ? `…${s.slice(-TAIL)}` : s);

/**
 * The only way an agent's command runs: the command policy (allowlist, no shell, workspace paths)
 * first, which nothing lifts; then the approval policy (Never refuses, Ask asks once per command
 * line per run, Allow runs); then a process group with a time-out and cancellation; every run and
 * every refusal in the audit trail.
 */
export class PolicedCommandRunner implements CommandRunner {
  private readonly approved = new Set<string>();

  constructor(private readonly deps: CommandRunnerDeps) {
    for (const d of deps.preApproved ?? []) this.approved.add(d);
  }

  async run(command: PlannedCommand, options: { readonly onOutput?: (text: string) => void } = {}): Promise<CommandResult> {
    const { deps } = this;
    throwIfAborted(deps.signal);
    const display = displayCommand(command);
    const cwdDecision = await guardPath(deps.workspaceRoot, command.cwd ?? '.', resolveRealPath);
    if (!cwdDecision.ok) return this.refuse(display, `the folder to run in is not allowed: ${cwdDecision.reason}`);
    const decision = decideCommand(deps.policy, { file: command.file, args: command.args }, { workspaceRoot: deps.workspaceRoot });
    if (!decision.allowed) return this.refuse(display, decision.reason);
    if (deps.decision === 'never') return this.refuse(display, 'the approval policy says Never for running commands for this agent (aiDevops.agents.approval or .devops/policy.json)');
    if (deps.decision === 'ask' && !this.approved.has(display)) {
      if (!(await deps.confirm(display, command.why))) return this.refuse(display, 'you declined to run it');
      this.approved.add(display);
    }
    const result = await runProcess({
      file: decision.file,
      args: decision.args,
      cwd: cwdDecision.absolute,
      timeoutMs: command.timeoutMs ?? deps.defaultTimeoutMs,
      signal: deps.signal,
      onOutput: options.onOutput ? (_stream, text) => options.onOutput?.(text) : undefined,
    });
    await deps.audit(AUDIT_EVENTS.commandRun, {
      command: display,
      cwd: cwdDecision.relative || '.',
      rule: decision.ruleId,
      exitCode: result.exitCode,
      signal: result.signal,
      timedOut: result.timedOut,
      cancelled: result.cancelled,
      durationMs: result.durationMs,
      stderrTail: tail(result.stderr),
    });
    if (result.cancelled) throw new DevOpsError('cancelled', `Cancelled while running ${display}; its processes were stopped.`);
    return { display, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut, durationMs: result.durationMs };
  }

  private async refuse(display: string, reason: string): Promise<never> {
    await this.deps.audit(AUDIT_EVENTS.commandRefused, { command: display, reason });
    throw new DevOpsError('refused', `Did not run ${display}: ${reason.replace(/\.$/, '')}.`);
  }
}
