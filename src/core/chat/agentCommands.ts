/**
 * The agent slash commands declared in package.json whose agents later versions deliver. Until an
 * agent issue wires its handler into the router, @devops says so plainly and offers what works now.
 */
export interface PendingAgentCommand {
  readonly command: string;
  readonly agent: string;
  /** What the agent will do, in one line. */
  readonly does: string;
  /** What the user can do today instead (slash commands or commands that exist in this version). */
  readonly insteadNow: string;
}

export const PENDING_AGENT_COMMANDS: readonly PendingAgentCommand[] = [
  { command: 'bootstrap', agent: 'orchestrator', does: 'bootstrap a project: repository, boards, pipeline and first work items', insteadNow: 'Use **Try the Sandbox** to explore the boards with demo data, and `/status` to see them.' },
];

export function pendingAgentCommand(command: string): PendingAgentCommand | undefined {
  return PENDING_AGENT_COMMANDS.find((c) => c.command === command);
}

/** The honest answer for an agent command that is not in this version. */
export function pendingAgentAnswer(c: PendingAgentCommand): string {
  return [
    `**/${c.command} is not available yet in this version.** The ${c.agent} agent, which will ${c.does}, ships in a later version; nothing was run or changed.`,
    '',
    `What you can do now: ${c.insteadNow}`,
  ].join('\n');
}
