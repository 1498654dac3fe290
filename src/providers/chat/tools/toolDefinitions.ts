import { z } from 'zod';
import { type ToolDefinition } from '../../../core/ai/messages';
import { type ChatTool } from './toolTypes';

/** A tool as our own models are offered it: the JSON Schema of what the tool accepts. */
export function toolDefinition(tool: ChatTool<unknown>): ToolDefinition {
  const schema = z.toJSONSchema(tool.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return { name: tool.name, description: tool.description, parameters: schema };
}
