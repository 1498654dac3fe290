import * as vscode from 'vscode';
import { type ChatMessage, type ToolCall, type ToolDefinition } from '../../core/ai/messages';

/** Text of a tool result's content parts (text parts as they are, anything else as JSON). */
function resultText(content: readonly unknown[]): string {
  return content
    .map((part) => {
      if (part instanceof vscode.LanguageModelTextPart) return part.value;
      if (part instanceof vscode.LanguageModelDataPart) return part.mimeType.startsWith('text/') || part.mimeType.includes('json') ? new TextDecoder().decode(part.data) : '';
      return typeof part === 'string' ? part : JSON.stringify(part);
    })
    .join('');
}

const asArgs = (input: object): ToolCall['arguments'] => (input && typeof input === 'object' && !Array.isArray(input) ? (input as ToolCall['arguments']) : {});

/**
 * VS Code's chat messages (from Chat, or another extension through vscode.lm) as our messages: tool
 * calls ride on assistant messages, tool results become `tool` messages named after their call.
 */
export function fromVsCodeMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  const names = new Map<string, string>();
  const out: ChatMessage[] = [];
  for (const message of messages) {
    let text = '';
    const calls: ToolCall[] = [];
    const results: ChatMessage[] = [];
    for (const part of message.content) {
      if (part instanceof vscode.LanguageModelTextPart) text += part.value;
      else if (part instanceof vscode.LanguageModelToolCallPart) {
        names.set(part.callId, part.name);
        calls.push({ id: part.callId, name: part.name, arguments: asArgs(part.input) });
      } else if (part instanceof vscode.LanguageModelToolResultPart) {
        results.push({ role: 'tool', toolCallId: part.callId, name: names.get(part.callId) ?? 'tool', content: resultText(part.content) });
      } else if (part instanceof vscode.LanguageModelDataPart && (part.mimeType.startsWith('text/') || part.mimeType.includes('json'))) {
        text += new TextDecoder().decode(part.data);
      }
    }
    if (message.role === vscode.LanguageModelChatMessageRole.Assistant) {
      out.push(calls.length ? { role: 'assistant', content: text, toolCalls: calls } : { role: 'assistant', content: text });
      continue;
    }
    // Tool results answer the previous assistant turn, so they come before anything else the user adds.
    out.push(...results);
    if (text) out.push({ role: message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'system', content: text });
  }
  return out;
}

/** Our messages for vscode.lm: VS Code has no system role, so system text leads as a user message. */
export function toVsCodeMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  return messages.map((m) => {
    switch (m.role) {
      case 'assistant':
        return vscode.LanguageModelChatMessage.Assistant([
          ...(m.content ? [new vscode.LanguageModelTextPart(m.content)] : []),
          ...(m.toolCalls ?? []).map((c) => new vscode.LanguageModelToolCallPart(c.id, c.name, { ...c.arguments })),
        ]);
      case 'tool':
        return vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(m.toolCallId, [new vscode.LanguageModelTextPart(m.content)])]);
      default:
        return vscode.LanguageModelChatMessage.User(m.content);
    }
  });
}

export const fromVsCodeTools = (tools: readonly vscode.LanguageModelChatTool[] | undefined): ToolDefinition[] =>
  (tools ?? []).map((t) => ({ name: t.name, description: t.description, parameters: (t.inputSchema as ToolDefinition['parameters'] | undefined) ?? { type: 'object', properties: {} } }));

export const toVsCodeTools = (tools: readonly ToolDefinition[] | undefined): vscode.LanguageModelChatTool[] | undefined =>
  tools?.length ? tools.map((t) => ({ name: t.name, description: t.description, inputSchema: { ...t.parameters } })) : undefined;
