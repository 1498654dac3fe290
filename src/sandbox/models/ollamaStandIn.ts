import { z } from 'zod';
import { type Route, type SandboxRequest, type SandboxResponse, type ServiceMount } from '../http/types';
import { findOllamaModel, OLLAMA_MODELS } from './catalog';
import { conversationTokens, countTokens, splitIntoChunks, type Conversation, type ConversationTurn, type JsonRequest } from './conversation';
import { type ReplyScript } from './script';
import { jsonBody, paced, type StreamLog } from './wire';

const MessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().default(''),
  tool_calls: z.array(z.object({ function: z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) }) })).optional(),
  tool_name: z.string().optional(),
  images: z.array(z.string()).optional(),
});

const ChatBodySchema = z.object({
  model: z.string().min(1),
  messages: z.array(MessageSchema).default([]),
  tools: z.array(z.object({ type: z.literal('function'), function: z.object({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional() }) })).optional(),
  format: z.union([z.literal('json'), z.literal(''), z.record(z.string(), z.unknown())]).optional(),
  stream: z.boolean().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  think: z.unknown().optional(),
});

const fail = (status: number, error: string): SandboxResponse => ({ status, body: { error } });

/** Fixed timestamps and durations keep the NDJSON byte-identical between runs. */
const CREATED_AT = '2026-01-01T00:00:00.000000Z';

function tagOf(m: (typeof OLLAMA_MODELS)[number]): unknown {
  return {
    name: m.id,
    model: m.id,
    modified_at: '2026-01-01T00:00:00Z',
    size: m.parameterSize === '3.2B' ? 2_019_393_189 : 4_683_087_332,
    digest: `sha256:${m.id.replace(/[^a-z0-9]/g, '').padEnd(64, '0').slice(0, 64)}`,
    details: { parent_model: '', format: 'gguf', family: m.family, families: [m.family], parameter_size: m.parameterSize, quantization_level: 'Q4_K_M' },
  };
}

function chat(req: SandboxRequest, script: ReplyScript, log: StreamLog | undefined): SandboxResponse {
  const raw = jsonBody(req);
  const parsed = ChatBodySchema.safeParse(raw);
  if (!parsed.success) return fail(400, raw === undefined ? 'invalid character looking for beginning of value' : `json: cannot unmarshal request: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const body = parsed.data;
  const model = findOllamaModel(body.model);
  if (!model) return fail(404, `model "${body.model}" not found, try pulling it first`);
  if (body.tools?.length && !model.tools) return fail(400, `registry.ollama.ai/library/${body.model} does not support tools`);

  const turns: ConversationTurn[] = body.messages.map((m) =>
    m.role === 'tool'
      ? { role: 'tool', text: m.content, toolName: m.tool_name }
      : { role: m.role, text: m.content + (m.tool_calls ?? []).map((c) => `${c.function.name}(${JSON.stringify(c.function.arguments)})`).join('') },
  );
  const json: JsonRequest = body.format === 'json' ? { kind: 'object' } : body.format && typeof body.format === 'object' ? { kind: 'schema', schema: body.format } : { kind: 'none' };
  const conversation: Conversation = { model: model.id, turns, tools: (body.tools ?? []).map((t) => t.function.name), json };
  // Ollama keeps the tail of a prompt longer than its context instead of refusing it.
  const promptTokens = Math.min(conversationTokens(conversation), model.contextTokens);
  const reply = script.reply(conversation);
  // A local model has no content filter in front of it: a refusal is just what it says.
  const text = reply.text;
  const toolCalls = reply.kind === 'answer' ? reply.toolCalls.map((t) => ({ function: { name: t.name, arguments: t.arguments } })) : [];
  const evalCount = countTokens(text + toolCalls.map((t) => JSON.stringify(t.function.arguments)).join(''));
  const done = {
    model: body.model,
    created_at: CREATED_AT,
    done: true,
    done_reason: 'stop',
    total_duration: 1_200_000,
    load_duration: 100_000,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: 300_000,
    eval_count: evalCount,
    eval_duration: 800_000,
  };
  if (body.stream === false) {
    return {
      status: 200,
      body: { ...done, message: { role: 'assistant', content: text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) } },
    };
  }
  const line = (v: unknown): string => JSON.stringify(v) + '\n';
  const lines = splitIntoChunks(text).map((piece) => line({ model: body.model, created_at: CREATED_AT, message: { role: 'assistant', content: piece }, done: false }));
  // Ollama sends tool calls whole, in a message of their own.
  if (toolCalls.length) lines.push(line({ model: body.model, created_at: CREATED_AT, message: { role: 'assistant', content: '', tool_calls: toolCalls }, done: false }));
  lines.push(line({ ...done, message: { role: 'assistant', content: '' } }));
  return { status: 200, headers: { 'content-type': 'application/x-ndjson' }, stream: paced(lines, req, log) };
}

function show(req: SandboxRequest): SandboxResponse {
  const body = z.object({ model: z.string().optional(), name: z.string().optional() }).safeParse(jsonBody(req));
  const name = body.success ? (body.data.model ?? body.data.name ?? '') : '';
  const model = findOllamaModel(name);
  if (!model) return fail(404, `model '${name}' not found`);
  return {
    status: 200,
    body: {
      license: 'sandbox',
      modelfile: `FROM ${model.id}`,
      parameters: 'stop "<|eot_id|>"',
      template: '{{ .Prompt }}',
      details: { parent_model: '', format: 'gguf', family: model.family, families: [model.family], parameter_size: model.parameterSize, quantization_level: 'Q4_K_M' },
      model_info: { 'general.architecture': model.family, [`${model.family}.context_length`]: model.contextTokens },
      capabilities: model.tools ? ['completion', 'tools'] : ['completion'],
      modified_at: '2026-01-01T00:00:00Z',
    },
  };
}

/** Ollama's REST API under `/ollama` (the ollama client keeps a host's path, so `{base}/ollama` works as its host). */
export function ollamaStandIn(script: ReplyScript, log?: StreamLog): ServiceMount {
  const routes: Route[] = [
    { name: 'ollama.chat', method: 'POST', pattern: '/api/chat', handler: (req) => chat(req, script, log) },
    { name: 'ollama.tags', method: 'GET', pattern: '/api/tags', handler: () => ({ status: 200, body: { models: OLLAMA_MODELS.map(tagOf) } }) },
    { name: 'ollama.show', method: 'POST', pattern: '/api/show', handler: show },
    { name: 'ollama.version', method: 'GET', pattern: '/api/version', handler: () => ({ status: 200, body: { version: '0.12.0' } }) },
  ];
  return {
    name: 'ollama',
    prefix: '/ollama',
    routes,
    errorBody: (_status, message) => ({ error: message }),
  };
}
