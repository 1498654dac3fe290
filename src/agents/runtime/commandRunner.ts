import { promises as fs } from 'node:fs';
import path from 'node:path';
import { quote } from 'shell-quote';
import { AUDIT_EVENTS } from '../../core/audit';
import { DevOpsError, throwIfAborted } from '../../core/errors';
import { type CommandPolicy, decideCommand } from '../../core/policy/commandPolicy';
import { guardPath } from '../../core/policy/pathGuard';
import { resolveRealPath } from '../../providers/files/realPath';
import { runProcess } from '../../providers/process/processRunner';
import { type Decision } from './approvalPolicy';
import { type CommandResult, type CommandRunner, type RunOptions } from './context';

export { displayCommand };
import { displayCommand, type PlannedCommand } from './plan';
import { isScratchPath } from './scratch';
import { type Launcher } from './toolLauncher';

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
  /** The approval policy's decision for `writeFiles`: temporary files (`withFiles`) need it too. */
  readonly writeDecision?: Decision;
  /** How an allowed command is started (a Python tool with the workspace's interpreter); default: as decided. */
  readonly launch?: Launcher;
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

  async run(command: PlannedCommand, options: RunOptions = {}): Promise<CommandResult> {
    const { deps } = this;
    throwIfAborted(deps.signal);
    const display = displayCommand(command);
    const cwdDecision = await guardPath(deps.workspaceRoot, command.cwd ?? '.', resolveRealPath);
    if (!cwdDecision.ok) return this.refuse(display, `the folder to run in is not allowed: ${cwdDecision.reason}`);
    const decision = decideCommand(deps.policy, { file: command.file, args: command.args }, { workspaceRoot: deps.workspaceRoot });
    if (!decision.allowed) return this.refuse(display, decision.reason);
    if (deps.decision === 'never') return this.refuse(display, 'the approval policy says Never for running commands for this agent (aiDevops.agents.approval or .devops/policy.json)');
    const files = await this.checkTemporaryFiles(display, options.withFiles ?? []);
    // A command that runs with files only this run wrote (generated tests) is asked about each time.
    const key = files.length === 0 ? display : undefined;
    const ask = deps.decision === 'ask' || (files.length > 0 && deps.writeDecision === 'ask');
    if (ask && (key === undefined || !this.approved.has(key))) {
      const detail = files.length === 0 ? command.why : `${command.why}\nWith temporary files (removed after the run): ${files.map((f) => f.relative).join(', ')}`;
      if (!(await deps.confirm(display, detail))) return this.refuse(display, 'you declined to run it');
      if (key !== undefined) this.approved.add(key);
    }
    const launch = deps.launch ? await deps.launch(decision.file, decision.args, cwdDecision.absolute) : { file: decision.file, args: decision.args };
    const written: string[] = [];
    let result: Awaited<ReturnType<typeof runProcess>>;
    try {
      for (const f of files) {
        await fs.writeFile(f.absolute, f.content, { flag: 'wx' });
        written.push(f.absolute);
      }
      result = await runProcess({
        file: launch.file,
        args: launch.args,
        cwd: cwdDecision.absolute,
        timeoutMs: command.timeoutMs ?? deps.defaultTimeoutMs,
        signal: deps.signal,
        onOutput: options.onOutput ? (_stream, text) => options.onOutput?.(text) : undefined,
        ...(options.unsetEnv?.length ? { unsetEnv: options.unsetEnv } : {}),
      });
    } finally {
      for (const f of written) await fs.rm(f, { force: true }).catch(() => undefined);
    }
    await deps.audit(AUDIT_EVENTS.commandRun, {
      command: display,
      ...(launch.file !== decision.file ? { launched: quote([launch.file, ...launch.args.slice(0, launch.args.length - decision.args.length)]) } : {}),
      ...(files.length > 0 ? { temporaryFiles: files.map((f) => f.relative) } : {}),
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

  /** Temporary files go only where nothing is (never over a file), inside the workspace and outside protected places. */
  private async checkTemporaryFiles(display: string, files: readonly { readonly path: string; readonly content: string }[]): Promise<{ relative: string; absolute: string; content: string }[]> {
    if (files.length === 0) return [];
    if (this.deps.writeDecision === 'never') return this.refuse(display, 'it needs temporary files and the approval policy says Never for writing files for this agent');
    const out: { relative: string; absolute: string; content: string }[] = [];
    for (const f of files) {
      const d = await guardPath(this.deps.workspaceRoot, f.path, resolveRealPath, { forWrite: true });
      if (!d.ok) return this.refuse(display, `the temporary file ${f.path} is not allowed: ${d.reason}`);
      if (await fs.lstat(d.absolute).then(() => true, () => false)) return this.refuse(display, `the temporary file ${f.path} would replace a file that exists`);
      // Inside the run's scratch folder (a whole generated project tried before it is kept) the
      // folders are made as needed: the runtime removes that folder when the run ends.
      if (isScratchPath(d.relative)) await fs.mkdir(path.dirname(d.absolute), { recursive: true });
      try {
        await fs.access(path.dirname(d.absolute));
      } catch {
        return this.refuse(display, `the folder of the temporary file ${f.path} does not exist`);
      }
      if (out.some((o) => o.absolute === d.absolute)) return this.refuse(display, `the temporary file ${f.path} is named twice`);
      out.push({ relative: d.relative, absolute: d.absolute, content: f.content });
    }
    return out;
  }

  private async refuse(display: string, reason: string): Promise<never> {
    await this.deps.audit(AUDIT_EVENTS.commandRefused, { command: display, reason });
    throw new DevOpsError('refused', `Did not run ${display}: ${reason.replace(/\.$/, '')}.`);
  }
}
