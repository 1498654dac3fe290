import { type ChatMessage, type ToolCall, type ToolDefinition } from '../../core/ai/messages';

/** Chat messages in the OpenAI wire shape, which watsonx.ai's chat API shares. */
export type WireMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[] }
  | { role: 'tool'; content: string; tool_call_id: string };

export function toWireMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((m): WireMessage => {
    switch (m.role) {
      case 'tool':
        return { role: 'tool', content: m.content, tool_call_id: m.toolCallId };
      case 'assistant':
        return m.toolCalls?.length
          ? {
              role: 'assistant',
              content: m.content || null,
              tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } })),
            }
          : { role: 'assistant', content: m.content };
      default:
        return { role: m.role, content: m.content };
    }
  });
}

export const toWireTools = (tools: readonly ToolDefinition[] | undefined): { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[] | undefined =>
  tools?.length ? tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: { ...t.parameters } } })) : undefined;

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

/**
 * Streaming tool calls arrive as deltas: a head with the id and name, then pieces of the argument
 * JSON, keyed by index. This puts them back together.
 */
export class ToolCallAssembler {
  private readonly pending = new Map<number, PendingCall>();

  add(delta: { index?: number; id?: string | null; function?: { name?: string | null; arguments?: string | null } | null }): void {
    const index = delta.index ?? 0;
    const call = this.pending.get(index) ?? { id: '', name: '', args: '' };
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.args += delta.function.arguments;
    this.pending.set(index, call);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The calls in index order; `parse` turns argument text into an object (and rejects bad JSON). */
  finish(parse: (text: string, tool: string) => ToolCall['arguments']): ToolCall[] {
    return [...this.pending.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, c]) => ({ id: c.id || `call_${index}_${c.name}`, name: c.name, arguments: parse(c.args, c.name) }));
  }
}
