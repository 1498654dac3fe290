import { z } from 'zod';
import { type ChatCompletion, type ChatMessage, type ChatOptions, type JsonOutput, type JsonSchema } from './messages';
import { ModelError } from './modelErrors';

/** Models wrap JSON in prose or Markdown fences despite being asked not to; take the outermost object or array. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = (fenced ? fenced[1]! : text).trim();
  try {
    return JSON.parse(body);
  } catch {
    const start = body.search(/[[{]/);
    const end = Math.max(body.lastIndexOf('}'), body.lastIndexOf(']'));
    if (start < 0 || end <= start) throw new SyntaxError('The reply contains no JSON object.');
    return JSON.parse(body.slice(start, end + 1));
  }
}

/** The JSON Schema a zod schema describes, in the form providers' structured-output options take. */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function describeFailure(error: unknown): string {
  if (error instanceof z.ZodError) return z.prettifyError(error).slice(0, 1_500);
  return error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300);
}

type Validated<T> = { ok: true; value: T } | { ok: false; problem: string };

function validate<T>(completion: ChatCompletion, schema: z.ZodType<T>): Validated<T> {
  try {
    const parsed = schema.safeParse(extractJson(completion.text));
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: describeFailure(parsed.error) };
  } catch (error) {
    return { ok: false, problem: describeFailure(error) };
  }
}

/**
 * Asks for JSON, checks it with the caller's zod schema, and on a bad reply asks once more with the
 * validation error in the conversation. A second bad reply fails with a clear `badOutput` error:
 * nothing downstream ever sees unchecked model output.
 */
export async function completeJsonWith<T>(
  complete: (messages: readonly ChatMessage[], options: ChatOptions) => Promise<ChatCompletion>,
  messages: readonly ChatMessage[],
  schema: z.ZodType<T>,
  options: ChatOptions & { readonly schemaName?: string },
  who: { readonly provider: string; readonly model: string },
): Promise<T> {
  const json: JsonOutput = options.json ?? { kind: 'schema', name: options.schemaName ?? 'result', schema: jsonSchemaOf(schema) };
  const request: ChatOptions = { ...options, json, tools: undefined, toolMode: undefined };
  // Said in words too: VS Code's models and many OpenAI-compatible servers have no structured output,
  // and OpenAI's json_object mode insists that the prompt mention JSON.
  const instruction: ChatMessage = {
    role: 'system',
    content:
      json.kind === 'schema'
        ? `Reply with only a JSON value (no prose, no Markdown fences) that matches this JSON Schema:\n${JSON.stringify(json.schema)}`
        : 'Reply with only a JSON object (no prose, no Markdown fences).',
  };
  const asked: ChatMessage[] = [instruction, ...messages];
  const first = await complete(asked, request);
  const firstCheck = validate(first, schema);
  if (firstCheck.ok) return firstCheck.value;

  const retry: ChatMessage[] = [
    ...asked,
    { role: 'assistant', content: first.text },
    {
      role: 'user',
      content:
        `That reply was not valid: ${firstCheck.problem}\n` +
        'Reply again with only the corrected JSON, no prose and no Markdown fences.',
    },
  ];
  const second = await complete(retry, request);
  const secondCheck = validate(second, schema);
  if (secondCheck.ok) return secondCheck.value;
  throw new ModelError('badOutput', who.provider, who.model, `the reply did not match the expected JSON shape twice: ${secondCheck.problem}`);
}
