import { z } from 'zod';
import { type AuthResult, type Route, type SandboxRequest, type SandboxResponse, type ServiceMount } from '../http/types';
import { findModel, WATSONX_MODELS, type StandInModel } from './catalog';
import { conversationTokens, countTokens, FIXED_CREATED, splitIntoChunks, stableId, type Conversation, type ConversationTurn, type JsonRequest } from './conversation';
import { type IamTokens } from './iamTokens';
import { type ReplyScript } from './script';
import { bearer, contentText, jsonBody, paced, type StreamLog } from './wire';

const ToolCallSchema = z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) });

const MessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool', 'control']),
  content: z.unknown().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

const ChatBodySchema = z.object({
  model_id: z.string().min(1),
  messages: z.array(MessageSchema).min(1),
  project_id: z.string().optional(),
  space_id: z.string().optional(),
  tools: z.array(z.object({ type: z.literal('function'), function: z.object({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional() }) })).optional(),
  tool_choice_option: z.enum(['none', 'auto', 'required']).optional(),
  tool_choice: z.unknown().optional(),
  response_format: z
    .object({ type: z.enum(['text', 'json_object', 'json_schema']), json_schema: z.object({ name: z.string().optional(), schema: z.unknown().optional() }).optional() })
    .optional(),
  max_tokens: z.number().optional(),
  max_completion_tokens: z.number().optional(),
  temperature: z.number().optional(),
  time_limit: z.number().optional(),
});
type ChatBody = z.infer<typeof ChatBodySchema>;

const trace = (): string => stableId('', String(Date.now())).padEnd(32, '0');

const wxError = (status: number, code: string, message: string): SandboxResponse => ({
  status,
  body: { errors: [{ code, message, more_info: 'https://cloud.ibm.com/apidocs/watsonx-ai' }], trace: trace(), status_code: status },
});

function errorBodyFor(status: number, message: string): unknown {
  const code = status === 429 ? 'too_many_requests' : status === 401 ? 'authentication_token_not_valid' : status >= 500 ? 'internal_server_error' : 'invalid_request';
  return { errors: [{ code, message, more_info: 'https://cloud.ibm.com/apidocs/watsonx-ai' }], trace: trace(), status_code: status };
}

function needVersion(req: SandboxRequest): SandboxResponse | undefined {
  const version = req.url.searchParams.get('version');
  if (!version) return wxError(400, 'missing_query_parameter', "Missing query parameter 'version'");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) return wxError(400, 'invalid_query_parameter', `Invalid value '${version}' of query parameter 'version'`);
  return undefined;
}

function toConversation(body: ChatBody, model: string): Conversation {
  const names = new Map<string, string>();
  const turns: ConversationTurn[] = body.messages
    .filter((m) => m.role !== 'control')
    .map((m) => {
      m.tool_calls?.forEach((c) => names.set(c.id, c.function.name));
      if (m.role === 'tool') return { role: 'tool', text: contentText(m.content), toolName: names.get(m.tool_call_id ?? '') };
      const text = contentText(m.content) + (m.tool_calls ?? []).map((c) => `${c.function.name}(${c.function.arguments})`).join('');
      return { role: m.role as ConversationTurn['role'], text };
    });
  const f = body.response_format;
  const json: JsonRequest = f?.type === 'json_object' ? { kind: 'object' } : f?.type === 'json_schema' ? { kind: 'schema', schema: f.json_schema?.schema } : { kind: 'none' };
  const tools = body.tool_choice_option === 'none' ? [] : (body.tools ?? []).map((t) => t.function.name);
  return { model, turns, tools, json };
}

function chat(req: SandboxRequest, script: ReplyScript, stream: boolean, log: StreamLog | undefined): SandboxResponse {
  const missing = needVersion(req);
  if (missing) return missing;
  const parsed = ChatBodySchema.safeParse(jsonBody(req));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return wxError(400, 'json_type_error', `Json field '${issue?.path.join('.') ?? ''}' ${issue?.message ?? 'is invalid'}`);
  }
  const body = parsed.data;
  if (!body.project_id && !body.space_id) return wxError(400, 'json_validation_error', "Either 'space_id' or 'project_id' has to be provided");
  const model = findModel(WATSONX_MODELS, body.model_id);
  if (!model) return wxError(404, 'model_not_supported', `Model '${body.model_id}' is not supported`);
  return reply(req, script, model, body, stream, log);
}

function reply(req: SandboxRequest, script: ReplyScript, model: StandInModel, body: ChatBody, stream: boolean, log: StreamLog | undefined): SandboxResponse {
  const conversation = toConversation(body, model.id);
  const promptTokens = conversationTokens(conversation);
  if (promptTokens > model.contextTokens) {
    return wxError(400, 'invalid_input_argument', `the number of input tokens ${promptTokens} cannot exceed the total tokens limit ${model.contextTokens} for this model`);
  }
  const scripted = script.reply(conversation);
  // watsonx.ai has no content-filter finish reason for chat: what a model declines to do, it says.
  const text = scripted.text;
  const seed = `${model.id}:${conversation.turns.map((t) => t.text).join('|')}`;
  const calls = scripted.kind === 'answer' ? scripted.toolCalls.map((t, i) => ({ id: stableId('chatcmpl-tool-', `${seed}:${i}`), type: 'function' as const, function: { name: t.name, arguments: JSON.stringify(t.arguments) } })) : [];
  const out = countTokens(text + calls.map((c) => c.function.arguments).join(''));
  const usage = { completion_tokens: out, prompt_tokens: promptTokens, total_tokens: promptTokens + out };
  const finish = calls.length ? 'tool_calls' : 'stop';
  const id = stableId('chatcmpl-', seed);
  const common = { id, model_id: model.id, model: model.id, created: FIXED_CREATED, model_version: '1.1.0', created_at: '2026-01-01T00:00:00.000Z' };
  if (!stream) {
    return {
      status: 200,
      body: { ...common, choices: [{ index: 0, message: { role: 'assistant', content: text, ...(calls.length ? { tool_calls: calls } : {}) }, finish_reason: finish }], usage },
    };
  }
  let n = 0;
  const event = (choices: unknown[], extra: Record<string, unknown> = {}): string => `id: ${++n}\nevent: message\ndata: ${JSON.stringify({ ...common, choices, ...extra })}\n\n`;
  const events = [event([{ index: 0, finish_reason: null, delta: { role: 'assistant', content: '' } }])];
  for (const piece of splitIntoChunks(text)) events.push(event([{ index: 0, finish_reason: null, delta: { content: piece } }]));
  calls.forEach((call, index) => {
    events.push(event([{ index: 0, finish_reason: null, delta: { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] } }]));
    events.push(event([{ index: 0, finish_reason: null, delta: { tool_calls: [{ index, function: { arguments: call.function.arguments } }] } }]));
  });
  events.push(event([{ index: 0, finish_reason: finish, delta: { content: '' } }], { usage }));
  return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, stream: paced(events, req, log) };
}

function modelSpecs(req: SandboxRequest): SandboxResponse {
  const missing = needVersion(req);
  if (missing) return missing;
  const resources = WATSONX_MODELS.map((m) => ({
    model_id: m.id,
    label: m.name,
    provider: m.id.startsWith('ibm/') ? 'IBM' : 'Meta',
    source: 'Hugging Face',
    short_description: `${m.name} (sandbox stand-in)`,
    functions: [{ id: 'text_chat' }, { id: 'text_generation' }],
    model_limits: { max_sequence_length: m.contextTokens, max_output_tokens: m.maxOutputTokens },
    lifecycle: [{ id: 'available', start_date: '2025-01-01' }],
  }));
  return { status: 200, body: { total_count: resources.length, limit: 100, first: { href: req.url.pathname }, resources } };
}

function tokenize(req: SandboxRequest): SandboxResponse {
  const missing = needVersion(req);
  if (missing) return missing;
  const body = z.object({ model_id: z.string(), input: z.string(), project_id: z.string().optional(), space_id: z.string().optional() }).safeParse(jsonBody(req));
  if (!body.success) return wxError(400, 'json_type_error', 'Json field is invalid');
  if (!findModel(WATSONX_MODELS, body.data.model_id)) return wxError(404, 'model_not_supported', `Model '${body.data.model_id}' is not supported`);
  return { status: 200, body: { model_id: body.data.model_id, result: { token_count: countTokens(body.data.input) } } };
}

/** watsonx.ai's inference API under `/watsonx`, behind IAM bearer tokens: the SDK's serviceUrl is `{base}/watsonx`. */
export function watsonxStandIn(script: ReplyScript, tokens: IamTokens, log?: StreamLog): ServiceMount {
  const authenticate = (req: SandboxRequest): AuthResult => {
    const token = bearer(req);
    const verdict = token ? tokens.verify(token) : 'invalid';
    if (verdict === 'ok') return { ok: true, principal: 'sandbox' };
    return {
      ok: false,
      response:
        verdict === 'expired'
          ? wxError(401, 'authentication_token_expired', 'Failed to authenticate the request due to an expired token')
          : wxError(401, 'authentication_token_not_valid', 'Failed to authenticate the request due to invalid token: Failed to parse and verify token'),
    };
  };
  const routes: Route[] = [
    { name: 'watsonx.chat', method: 'POST', pattern: '/ml/v1/text/chat', handler: (req) => chat(req, script, false, log) },
    { name: 'watsonx.chatStream', method: 'POST', pattern: '/ml/v1/text/chat_stream', handler: (req) => chat(req, script, true, log) },
    { name: 'watsonx.tokenize', method: 'POST', pattern: '/ml/v1/text/tokenization', handler: tokenize },
    { name: 'watsonx.models', method: 'GET', pattern: '/ml/v1/foundation_model_specs', handler: modelSpecs },
  ];
  return { name: 'watsonx', prefix: '/watsonx', routes, authenticate, anonymousRoutes: ['watsonx.models'], errorBody: errorBodyFor };
}
