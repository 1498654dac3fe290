import { redactText, redactValue } from '../redact';
import { type ChatMessage, type ToolCall } from './messages';

/**
 * Passes every message through the core redaction (file contents, work item text and terminal
 * output all arrive as message text or tool results). Returns what to send and how many messages
 * changed, for the sent-prompt log.
 */
export function redactMessages(messages: readonly ChatMessage[]): { messages: ChatMessage[]; changed: number } {
  let changed = 0;
  const out = messages.map((m): ChatMessage => {
    const content = redactText(m.content);
    let next: ChatMessage;
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const toolCalls = m.toolCalls.map((c): ToolCall => ({ ...c, arguments: redactValue(c.arguments) as ToolCall['arguments'] }));
      next = { ...m, content, toolCalls };
      if (content !== m.content || JSON.stringify(toolCalls) !== JSON.stringify(m.toolCalls)) changed++;
      return next;
    }
    next = { ...m, content } as ChatMessage;
    if (content !== m.content) changed++;
    return next;
  });
  return { messages: out, changed };
}
