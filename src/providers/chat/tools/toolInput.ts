import { type z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { redactText } from '../../../core/redact';
import { type ChatTool } from './toolTypes';

/** The tool's input checked with its schema; a DevOpsError naming the field and the problem when it does not fit. */
export function parseToolInput<I>(tool: ChatTool<I>, raw: unknown): I {
  const parsed = (tool.schema as z.ZodType<I>).safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
    .join('; ');
  throw new DevOpsError('invalidInput', `${tool.name} got input it cannot use (${redactText(problems)}). Check the tool's input schema and call it again.`);
}
