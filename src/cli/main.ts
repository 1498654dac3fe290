import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AGENT_LOADERS } from '../agents';
import { type AgentDefinition } from '../agents/runtime/context';
import { type Finding } from '../agents/runtime/plan';
import { AttentionStore, undecidedOf } from '../agents/runtime/attentionStore';
import { lifecycleFollowUp } from '../agents/runtime/lifecycleFollowUp';
import { runAgent, type RunResult } from '../agents/runtime/runAgent';
import { toSarif } from '../agents/runtime/sarif';
import { isDevOpsError } from '../core/errors';
import { redactText } from '../core/redact';
import { version } from '../../package.json';
import { defaultStateDir } from './cliEnvironment';
import { cliRunServices, stderrLogger } from './cliServices';
import { CliUi, terminalQuestion } from './cliUi';
import { agentHelp, parseAgentCommandLine, UsageError } from './commandLine';
import { EXIT, exitCodeFor, jsonDocument, textReport } from './output';

export interface CliIo {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadStream;
  /** Cancels the run (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** The agents to offer (default: every agent of src/agents); tests pass their own. */
  readonly agents?: Readonly<Record<string, () => Promise<AgentDefinition>>>;
}

async function globalHelp(loaders: Readonly<Record<string, () => Promise<AgentDefinition>>>): Promise<string> {
  const agents = await Promise.all(Object.values(loaders).map((load) => load()));
  return [
    'ai-devops: the AI DevOps agents without an editor (the same agents, policy and audit trail as the VS Code extension).',
    '',
    'Usage: ai-devops <agent> <action> [path] [options]',
    '',
    'Agents:',
    ...agents.map((a) => `  ${a.id.padEnd(14)}${a.description} (${a.actions.map((x) => x.name).join(', ')})`),
    '',
    'ai-devops <agent> --help lists its actions and options. Exit codes: 0 done, 1 findings or failures, 2 bad usage or error.',
    'Settings and credentials come from --settings FILE and environment variables (see the README, "Headless runner").',
  ].join('\n');
}

async function readJsonFile(file: string, what: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${what} ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`${what} ${file} is not a JSON object: ${(error as Error).message}.`);
  }
}

/** The run's findings as SARIF; a file that cannot be written is a usage error naming it. */
async function writeSarif(file: string, findings: readonly Finding[], root: string): Promise<void> {
  const log = toSarif(findings, { name: 'ai-devops', version }, root);
  try {
    await fs.writeFile(file, `${JSON.stringify(log, null, 2)}\n`);
  } catch (error) {
    throw new UsageError(`The SARIF file ${file} cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** Runs the command line; resolves with the exit code. Never throws. */
export async function main(io: CliIo): Promise<number> {
  const say = (text: string): void => void io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  const [agentId, ...rest] = io.argv;
  const loaders = io.agents ?? AGENT_LOADERS;
  let agent: AgentDefinition | undefined;
  try {
    if (agentId === undefined || agentId === '--help' || agentId === '-h' || agentId === 'help') {
      io.stdout.write(`${await globalHelp(loaders)}\n`);
      return agentId === undefined ? EXIT.usage : EXIT.ok;
    }
    if (agentId === '--version') {
      io.stdout.write(`${version}\n`);
      return EXIT.ok;
    }
    agent = Object.hasOwn(loaders, agentId) ? await loaders[agentId]!() : undefined;
    if (!agent) throw new UsageError(`There is no agent "${agentId}". Agents: ${Object.keys(loaders).join(', ') || 'none'}. See ai-devops --help.`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${agentHelp(agent)}\n`);
      return EXIT.ok;
    }
    const cli = parseAgentCommandLine(agent, rest);
    const root = path.resolve(io.cwd, cli.path ?? '.');
    const stat = await fs.stat(root).catch(() => undefined);
    if (!stat) {
      if (!cli.createWorkspace) throw new UsageError(`The folder ${root} does not exist.`, agent);
      await fs.mkdir(root, { recursive: true });
    } else if (!stat.isDirectory()) throw new UsageError(`${root} is not a folder.`, agent);

    const log = stderrLogger(io.stderr, Boolean(io.env.AIDEVOPS_DEBUG));
    const ui = new CliUi({ yes: cli.yes, err: io.stderr, ask: terminalQuestion(io.stdin, io.stderr) });
    const settingsFile = cli.settingsFile ? await readJsonFile(path.resolve(io.cwd, cli.settingsFile), 'The settings file') : {};
    const userPolicy = cli.policyFile ? await readJsonFile(path.resolve(io.cwd, cli.policyFile), 'The policy file') : io.env.AIDEVOPS_AGENTS_APPROVAL ? JSON.parse(io.env.AIDEVOPS_AGENTS_APPROVAL) : undefined;
    const stateDir = cli.stateDir ? path.resolve(io.cwd, cli.stateDir) : defaultStateDir(io.env);
    const { services, close } = await cliRunServices({ root: await fs.realpath(root), env: io.env, stateDir, settingsFile, userPolicy, approvePolicyFile: cli.approvePolicyFile, approveCommandRules: cli.approveCommandRules, ui, log });
    try {
      const mode = cli.planOnly ? 'plan' : 'apply';
      const result = await runAgent(services, { agent, action: cli.action.name, input: cli.input, mode, ...(io.signal ? { signal: io.signal } : {}) });
      // A run on a work item that failed marks it Blocked; one that succeeds clears a mark a failure set (reviewed and applied like any run).
      if (services.workspaceRoot) await new AttentionStore(services.workspaceRoot).add(undecidedOf(result, new Date()));
      const next = await lifecycleFollowUp(services.workspaceRoot, { input: cli.input, mode }, result, services.trackers.defaultTracker);
      const lifecycle = next && Object.hasOwn(loaders, next.agent) ? await runAgent(services, { agent: await loaders[next.agent]!(), action: next.action, input: next.input, ...(io.signal ? { signal: io.signal } : {}) }) : undefined;
      if (cli.sarifFile && result.plan) await writeSarif(path.resolve(io.cwd, cli.sarifFile), result.plan.findings, root);
      if (cli.json) io.stdout.write(`${JSON.stringify({ ...jsonDocument(result, cli.failOn), ...(lifecycle ? { lifecycle: lifecycleJson(lifecycle) } : {}) }, null, 2)}\n`);
      else io.stdout.write(`${textReport(result, cli.failOn)}${lifecycle ? `Lifecycle (${lifecycle.action}): ${lifecycle.outcome}${lifecycle.plan?.title ? `: ${lifecycle.plan.title}` : ''}${lifecycle.error ? ` (${lifecycle.error})` : ''}\n` : ''}`);
      return exitCodeFor(result, cli.failOn);
    } finally {
      await close();
    }
  } catch (error) {
    if (error instanceof UsageError) {
      say(`ai-devops: ${error.message}`);
      if (error.agent) say(`Try: ai-devops ${error.agent.id} --help`);
      return EXIT.usage;
    }
    if (error instanceof SyntaxError) {
      say(`ai-devops: AIDEVOPS_AGENTS_APPROVAL is not valid JSON: ${error.message}`);
      return EXIT.usage;
    }
    const message = isDevOpsError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
    say(`ai-devops: ${message}`);
    return EXIT.usage;
  }
}

/** The lifecycle run that followed (the item marked Blocked or cleared), for `--json`. */
function lifecycleJson(run: RunResult): Record<string, unknown> {
  return { action: run.action, runId: run.runId, outcome: run.outcome, title: run.plan?.title ?? null, remote: run.applied.remote, notes: run.plan?.notes ?? [], ...(run.error ? { error: run.error } : {}) };
}
