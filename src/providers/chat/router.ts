import { type ChatAnswer } from '../../core/chat/chatOutput';
import { isDevOpsError } from '../../core/errors';
import { redactText } from '../../core/redact';
import { answerAudit } from './auditAnswer';
import { type ChatRequestInput, type ChatServices } from './chatServices';
import { answerFreeForm } from './freeFormAnswer';
import { answerGit } from './gitAnswer';
import { answerStatus } from './statusAnswer';
import { type ToolContext } from './tools/toolTypes';
import { answerWorkItem } from './workItemAnswer';
import { agentCommandHandler } from './agents/agentChat';
import { AGENT_CHAT_COMMANDS } from './agents/agentChatCommands';

/** A slash command's answer. */
export type CommandHandler = (req: ChatRequestInput, services: ChatServices, tools: ToolContext) => Promise<ChatAnswer>;

export const COMMAND_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  status: answerStatus,
  workitem: answerWorkItem,
  audit: answerAudit,
  git: answerGit,
  ...Object.fromEntries(AGENT_CHAT_COMMANDS.map((c) => [c.command, agentCommandHandler(c)])),
};

/**
 * Routes one request: a slash command to its handler, anything else to the free-form answer. Errors a user can act on are shown as the
 * answer; cancellation ends quietly.
 */
export async function routeChatRequest(req: ChatRequestInput, services: ChatServices, tools: ToolContext, handlers: Readonly<Record<string, CommandHandler>> = COMMAND_HANDLERS): Promise<ChatAnswer> {
  const command = req.command;
  try {
    if (command !== undefined) {
      const handler = handlers[command];
      if (handler) return await handler(req, services, tools);
      req.output.markdown(`@devops has no /${command.replace(/[^\w-]/g, '')} command. Try /status, /workitem <id>, /audit or /git.`);
      return { command, error: 'unknown command' };
    }
    return await answerFreeForm(req, services, tools);
  } catch (error) {
    const name = command ?? 'ask';
    if (req.signal.aborted || (isDevOpsError(error) && error.code === 'cancelled')) return { command: name, error: 'cancelled' };
    const message = isDevOpsError(error) ? error.message : redactText(error instanceof Error ? error.message : String(error));
    if (!isDevOpsError(error)) services.log.error(`@devops /${name} failed: ${message}`);
    req.output.markdown(`\n\n**Could not answer:** ${message}`);
    return { command: name, error: message };
  }
}
