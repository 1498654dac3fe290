import { type AgentChatCommand } from './agentChat';

/**
 * The agents' slash commands. An agent adds its entry; the router then sends `/command` here.
 */
export const AGENT_CHAT_COMMANDS: readonly AgentChatCommand[] = [
  {
    command: 'scaffold',
    agent: 'scaffold',
    action: 'project',
    parse: async (prompt, model, signal) => {
      // Loaded on first use: the template catalogue stays out of the activation bundle.
      const { parseScaffoldRequest } = await import('../../../agents/scaffold/parseRequest');
      const parsed = await parseScaffoldRequest(prompt, model, signal);
      return parsed.ok ? { ok: true, input: parsed.value.input, understood: parsed.value.understood } : parsed;
    },
  },
  {
    command: 'test',
    agent: 'qa',
    action: 'run',
    // Loaded on first use, with the agent: keywords only, the same sentence always means the same.
    parse: async (prompt) => (await import('../../../agents/qa/parseRequest')).parseTestRequest(prompt),
  },
  {
    command: 'release',
    agent: 'release',
    // The whole release is planned (changelog, versions, commit, tag, push, notes, deployment); the
    // plan is the preview and Review and Apply approves each step.
    action: 'apply',
    parse: async (prompt) => {
      // Loaded on first use, with the agent: keywords only, the same sentence always means the same.
      // `/release approvals`, `/release approve|reject <id>` and `/release rollback …` pick those actions.
      const { parseReleaseChat } = await import('../../../agents/release/parseRequest');
      return parseReleaseChat(prompt);
    },
  },
  ...(['iac', 'observability', 'harden'] as const).map(
    (command): AgentChatCommand => ({
      command,
      agent: 'platform',
      action: command,
      parse: async (prompt) => {
        // Loaded on first use, with the agent: keywords only, the same sentence always means the same.
        const parsers = await import('../../../agents/platform/parseRequest');
        return { iac: parsers.parseIacRequest, observability: parsers.parseObservabilityRequest, harden: parsers.parseHardenRequest }[command](prompt);
      },
    }),
  ),
  {
    command: 'plan',
    agent: 'plan',
    action: 'epic',
    parse: async (prompt, _model, _signal, files) => {
      const { parsePlanChatRequest } = await import('../../../agents/planner/chatRequest');
      return parsePlanChatRequest(prompt, files);
    },
  },
  {
    command: 'security',
    agent: 'security',
    action: 'scan',
    parse: async (prompt) => {
      const { parseSecurityRequest } = await import('../../../agents/security/parseRequest');
      const parsed = parseSecurityRequest(prompt);
      return { ok: true, input: parsed.input, understood: parsed.understood, ...(parsed.action ? { action: parsed.action } : {}) };
    },
  },
  {
    command: 'bootstrap',
    agent: 'bootstrap',
    action: 'bootstrap',
    // Loaded on first use, with the agent: keywords only, the same sentence always means the same.
    parse: async (prompt) => (await import('../../../agents/orchestrator/parseRequest')).parseBootstrapRequest(prompt),
  },
];
