import { z } from 'zod';
import { type Conversation, type ScriptedReply, type ScriptedToolCall } from './conversation';
import { instanceOf } from './schemaInstance';

const TextMatch = z
  .object({ contains: z.string().min(1).optional(), regex: z.string().min(1).optional() })
  .refine((m) => m.contains !== undefined || m.regex !== undefined, 'give "contains" or "regex"');

export const ScriptRuleSchema = z.object({
  name: z.string().min(1),
  when: z
    .object({
      /** The last user message (when the conversation does not end with a tool result). */
      lastUser: TextMatch.optional(),
      /** The conversation ends with the result of this tool (and, optionally, the result contains text). */
      toolResult: z.object({ tool: z.string().min(1).optional(), contains: z.string().optional() }).optional(),
      /** Only when the request offered this tool. */
      toolOffered: z.string().min(1).optional(),
      /** Only when JSON output was (true) or was not (false) asked for. */
      json: z.boolean().optional(),
    })
    .refine((w) => w.lastUser !== undefined || w.toolResult !== undefined, 'a rule matches "lastUser" or "toolResult"'),
  reply: z
    .object({
      text: z.string().optional(),
      toolCalls: z.array(z.object({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()) })).optional(),
      json: z.unknown().optional(),
      refusal: z.string().min(1).optional(),
    })
    .refine((r) => r.text !== undefined || r.toolCalls !== undefined || r.json !== undefined || r.refusal !== undefined, 'a reply needs text, toolCalls, json or refusal'),
});

export const ScriptFileSchema = z.object({
  $comment: z.string().optional(),
  rules: z.array(ScriptRuleSchema),
});

export type ScriptRule = z.infer<typeof ScriptRuleSchema>;

/** Validates a fixture file; a bad one names the file and the rule, since people edit these by hand. */
export function parseScriptFile(name: string, data: unknown): ScriptRule[] {
  const parsed = ScriptFileSchema.safeParse(data);
  if (!parsed.success) throw new Error(`Model fixture ${name} is invalid: ${z.prettifyError(parsed.error)}`);
  for (const rule of parsed.data.rules) {
    if (rule.when.lastUser?.regex) {
      try {
        new RegExp(rule.when.lastUser.regex, 'i');
      } catch (error) {
        throw new Error(`Model fixture ${name}, rule "${rule.name}": bad regex (${(error as Error).message}).`, { cause: error });
      }
    }
  }
  return parsed.data.rules;
}

/** Follows `a.b.c` into parsed JSON; undefined when any step is missing. */
function pathValue(root: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

/** `$1`..`$9` are the regex's groups, `{{lastUser}}` the user's message, `{{result.x}}` a field of a JSON tool result. */
function fill(template: string, groups: readonly string[], lastUser: string, result: unknown): string {
  return template
    .replace(/\$(\d)/g, (_, n: string) => groups[Number(n)] ?? '')
    .replace(/\{\{\s*lastUser\s*\}\}/g, lastUser)
    .replace(/\{\{\s*result\.([\w.]+)\s*\}\}/g, (_, p: string) => {
      const v = pathValue(result, p);
      return v === undefined || v === null ? 'unknown' : typeof v === 'string' ? v : JSON.stringify(v);
    });
}

function fillValue(value: unknown, fillText: (s: string) => string): unknown {
  if (typeof value === 'string') return fillText(value);
  if (Array.isArray(value)) return value.map((v) => fillValue(v, fillText));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillValue(v, fillText)]));
  return value;
}

/**
 * The scripted model behind every stand-in: the first matching rule answers; otherwise an echo of
 * the last user message (or a JSON value that fits the requested schema), so replies are
 * deterministic.
 */
export class ReplyScript {
  constructor(private rules: readonly ScriptRule[]) {}

  /** Rules added by a test or the sandbox take precedence over the shipped fixtures. */
  prepend(rules: readonly ScriptRule[]): void {
    this.rules = [...rules, ...this.rules];
  }

  reply(c: Conversation): ScriptedReply {
    const last = c.turns[c.turns.length - 1];
    const lastUser = [...c.turns].reverse().find((t) => t.role === 'user')?.text ?? '';
    const endsWithTool = last?.role === 'tool';
    const jsonAsked = c.json.kind !== 'none';
    for (const rule of this.rules) {
      const { when } = rule;
      if (when.toolOffered && !c.tools.includes(when.toolOffered)) continue;
      if (when.json !== undefined && when.json !== jsonAsked) continue;
      let groups: string[] = [];
      let result: unknown;
      if (when.toolResult) {
        if (!endsWithTool || !last) continue;
        if (when.toolResult.tool && when.toolResult.tool !== last.toolName) continue;
        if (when.toolResult.contains && !last.text.toLowerCase().includes(when.toolResult.contains.toLowerCase())) continue;
        try {
          result = JSON.parse(last.text);
        } catch {
          result = last.text;
        }
      } else {
        if (endsWithTool) continue;
        const m = when.lastUser!;
        if (m.contains && !lastUser.toLowerCase().includes(m.contains.toLowerCase())) continue;
        if (m.regex) {
          const found = new RegExp(m.regex, 'i').exec(lastUser);
          if (!found) continue;
          groups = [...found].map((g) => g ?? '');
        }
      }
      return this.render(rule, groups, lastUser, result, c);
    }
    return this.fallback(c, lastUser, endsWithTool ? last : undefined);
  }

  private render(rule: ScriptRule, groups: string[], lastUser: string, result: unknown, c: Conversation): ScriptedReply {
    const fillText = (s: string): string => fill(s, groups, lastUser, result);
    if (rule.reply.refusal) return { kind: 'refusal', text: fillText(rule.reply.refusal) };
    const toolCalls: ScriptedToolCall[] = (rule.reply.toolCalls ?? [])
      .filter((t) => c.tools.includes(t.name))
      .map((t) => ({ name: t.name, arguments: fillValue(t.arguments, fillText) as Record<string, unknown> }));
    if (rule.reply.json !== undefined && c.json.kind !== 'none') return { kind: 'answer', text: JSON.stringify(fillValue(rule.reply.json, fillText)), toolCalls: [] };
    if (rule.reply.text === undefined && toolCalls.length === 0) return this.fallback(c, lastUser, undefined);
    return { kind: 'answer', text: fillText(rule.reply.text ?? ''), toolCalls };
  }

  private fallback(c: Conversation, lastUser: string, toolTurn: { text: string; toolName?: string } | undefined): ScriptedReply {
    if (c.json.kind === 'schema') return { kind: 'answer', text: JSON.stringify(instanceOf(c.json.schema)), toolCalls: [] };
    if (c.json.kind === 'object') return { kind: 'answer', text: JSON.stringify({ echo: lastUser }), toolCalls: [] };
    if (toolTurn) return { kind: 'answer', text: `The ${toolTurn.toolName ?? 'tool'} tool returned: ${toolTurn.text}`, toolCalls: [] };
    return { kind: 'answer', text: `You said: ${lastUser}`, toolCalls: [] };
  }
}
