import { type AgentChatCommand } from './agentChat';

/**
 * The agents' slash commands. An agent adds its entry (and removes its "not available yet" line
 * from src/core/chat/agentCommands.ts); the router then sends `/command` here.
 */
export const AGENT_CHAT_COMMANDS: readonly AgentChatCommand[] = [];
