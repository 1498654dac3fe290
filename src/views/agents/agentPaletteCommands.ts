import { type AgentCommand } from './agentCommands';
import { BOOTSTRAP_COMMANDS } from './bootstrapCommands';
import { PLANNER_COMMANDS } from './plannerCommands';
import { PLATFORM_COMMANDS } from './platformCommands';
import { QA_COMMANDS } from './qaCommands';
import { RELEASE_COMMANDS } from './releaseCommands';
import { SCAFFOLD_COMMANDS } from './scaffoldCommands';
import { SECURITY_COMMANDS } from './securityCommands';

/**
 * Every agent's palette commands. An agent adds its own (input collection in
 * `<agent>Commands.ts` beside this file) and contributes them in package.json.
 */
export const AGENT_PALETTE_COMMANDS: readonly AgentCommand[] = [...SCAFFOLD_COMMANDS, ...PLATFORM_COMMANDS, ...QA_COMMANDS, ...SECURITY_COMMANDS, ...RELEASE_COMMANDS, ...PLANNER_COMMANDS, ...BOOTSTRAP_COMMANDS];
