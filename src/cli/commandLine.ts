import { parseArgs } from 'node:util';
import { type AgentAction, type AgentDefinition } from '../agents/runtime/context';
import { SEVERITIES, type Severity } from '../agents/runtime/plan';

/**
 * `ai-devops <agent> [action] [positionals] [path] [options]`. Global options work with every
 * agent; each action adds its own (declared on the action, so --help lists them).
 */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean', description: 'Print one JSON document on stdout (progress goes to stderr).' },
  yes: { type: 'boolean', short: 'y', description: 'Approve what the approval policy asks about. Never stays never.' },
  plan: { type: 'boolean', description: 'Plan and show the plan; change nothing.' },
  sarif: { type: 'string', description: 'Also write the findings as SARIF 2.1.0 to this file (for code scanning and SARIF viewers).' },
  out: { type: 'string', description: 'The folder to work in (created when missing, for agents that create projects); same as the [path] argument.' },
  'fail-on': { type: 'string', description: `Exit 1 when an unsuppressed finding at or above this severity remains (${SEVERITIES.join(', ')}; default high).` },
  policy: { type: 'string', description: 'A JSON file with your own approval policy ({ "defaults": {...}, "agents": {...} }), as the aiDevops.agents.approval setting.' },
  'approve-policy-file': { type: 'boolean', description: "Approve this repository's .devops/policy.json as it is now (remembered in the state directory until the file changes)." },
  'approve-command-rules': { type: 'boolean', description: "Approve this repository's .devops/commands.json (extra command rules) as it is now, likewise." },
  settings: { type: 'string', description: 'A JSON file of aiDevops.* settings ({ "azureDevOps.organizationUrl": "...", ... }).' },
  'state-dir': { type: 'string', description: 'Where approvals and the outbox are kept (default: $XDG_STATE_HOME/ai-devops or ~/.local/state/ai-devops).' },
  help: { type: 'boolean', short: 'h', description: 'Show help.' },
  version: { type: 'boolean', description: 'Print the version.' },
} as const;

export type GlobalOptionName = keyof typeof GLOBAL_OPTIONS;

export interface ParsedCommandLine {
  readonly agent: AgentDefinition;
  readonly action: AgentAction<unknown>;
  /** The folder to work in, absolute or relative to the current directory. */
  readonly path: string | undefined;
  readonly input: Record<string, unknown>;
  readonly json: boolean;
  readonly yes: boolean;
  readonly planOnly: boolean;
  readonly failOn: Severity;
  readonly policyFile: string | undefined;
  readonly approvePolicyFile: boolean;
  readonly approveCommandRules: boolean;
  readonly settingsFile: string | undefined;
  readonly stateDir: string | undefined;
  readonly sarifFile: string | undefined;
  readonly createWorkspace: boolean;
}

export class UsageError extends Error {
  constructor(
    message: string,
    /** The agent whose help to show with the error, when known. */
    readonly agent?: AgentDefinition,
  ) {
    super(message);
  }
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** Parses the words after `<agent>`; the agent is already known. */
export function parseAgentCommandLine(agent: AgentDefinition, words: readonly string[]): ParsedCommandLine {
  const [first, ...rest] = words;
  let action = agent.actions.find((a) => a.name === first);
  let remaining = rest;
  if (!action) {
    const fallback = agent.defaultAction ? agent.actions.find((a) => a.name === agent.defaultAction) : undefined;
    if (!fallback || first === undefined || first.startsWith('-') && agent.actions.length > 1) {
      throw new UsageError(first === undefined || first.startsWith('-') ? `Which ${agent.id} action? ${actionList(agent)}` : `The ${agent.id} agent has no action "${first}". ${actionList(agent)}`, agent);
    }
    action = fallback;
    remaining = [...words];
  }
  const actionOptions: Record<string, OptionSpec> = {};
  for (const [name, spec] of Object.entries(action.options ?? {})) actionOptions[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) };
  const globals: Record<string, OptionSpec> = {};
  for (const [name, spec] of Object.entries(GLOBAL_OPTIONS)) globals[name] = { type: spec.type, ...('short' in spec ? { short: spec.short } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...remaining], options: { ...globals, ...actionOptions }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/s, '')}.`, agent);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const positionals = [...parsed.positionals];
  const input: Record<string, unknown> = {};
  for (const key of action.positionals ?? []) {
    const value = positionals.shift();
    if (value !== undefined) input[key] = value;
  }
  if (positionals.length > 1) throw new UsageError(`Too many arguments: ${positionals.slice(1).map((p) => JSON.stringify(p)).join(' ')}. ${usageLine(agent, action)}`, agent);
  const path = (values.out as string | undefined) ?? positionals[0];
  if (values.out !== undefined && positionals[0] !== undefined) throw new UsageError('Give the folder either as [path] or as --out, not both.', agent);
  for (const key of Object.keys(action.options ?? {})) {
    const v = values[key];
    // --work-item fills the input's workItem.
    if (v !== undefined) input[key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = v;
  }
  const failOn = (values['fail-on'] as string | undefined) ?? 'high';
  if (!(SEVERITIES as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on takes one of ${SEVERITIES.join(', ')}; got "${failOn}".`, agent);
  return {
    agent,
    action,
    path,
    input,
    json: values.json === true,
    yes: values.yes === true,
    planOnly: values.plan === true,
    failOn: failOn as Severity,
    policyFile: values.policy as string | undefined,
    approvePolicyFile: values['approve-policy-file'] === true,
    approveCommandRules: values['approve-command-rules'] === true,
    settingsFile: values.settings as string | undefined,
    stateDir: values['state-dir'] as string | undefined,
    sarifFile: values.sarif as string | undefined,
    createWorkspace: action.createsWorkspace === true,
  };
}

function actionList(agent: AgentDefinition): string {
  return `Actions: ${agent.actions.map((a) => a.name).join(', ')}. See: ai-devops ${agent.id} --help`;
}

export function usageLine(agent: AgentDefinition, action: AgentAction<unknown>): string {
  const pos = (action.positionals ?? []).map((p) => `<${p}>`).join(' ');
  const actionWord = agent.defaultAction === action.name ? `[${action.name}]` : action.name;
  return `Usage: ai-devops ${agent.id} ${actionWord}${pos ? ` ${pos}` : ''} [path] [options]`;
}

export function agentHelp(agent: AgentDefinition): string {
  const lines = [`ai-devops ${agent.id}: ${agent.description}`, ''];
  for (const action of agent.actions) {
    lines.push(usageLine(agent, action), `  ${action.description}`);
    for (const [name, spec] of Object.entries(action.options ?? {})) lines.push(`  --${name}${spec.type === 'string' ? ' <value>' : ''}`.padEnd(34) + spec.description);
    lines.push('');
  }
  lines.push('Options for every action:');
  for (const [name, spec] of Object.entries(GLOBAL_OPTIONS)) lines.push(`  ${'short' in spec ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`.padEnd(34) + spec.description);
  return lines.join('\n');
}
