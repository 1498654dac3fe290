import { z } from 'zod';
import { type AuthResult, type Route, type SandboxRequest, type SandboxResponse, type ServiceMount } from '../http/types';
import { AZURE_DEPLOYMENTS, findModel, OPENAI_MODELS, type StandInModel } from './catalog';
import {
  conversationTokens,
  countTokens,
  FIXED_CREATED,
  splitIntoChunks,
  stableId,
  type Conversation,
  type ConversationTurn,
  type JsonRequest,
  type ScriptedReply,
} from './conversation';
import { type ReplyScript } from './script';
import { bearer, contentText, jsonBody, paced, sse, type StreamLog } from './wire';

const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const MessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.unknown().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

const ResponseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string(), schema: z.unknown().optional(), strict: z.boolean().nullish() }) }),
]);

export const ChatBodySchema = z.object({
  model: z.string().min(1).optional(),
  messages: z.array(MessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
  tools: z
    .array(z.object({ type: z.literal('function'), function: z.object({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional() }) }))
    .optional(),
  tool_choice: z.unknown().optional(),
  response_format: ResponseFormatSchema.optional(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  temperature: z.number().nullish(),
});
type ChatBody = z.infer<typeof ChatBodySchema>;

type OpenAiErrorBody = { error: { message: string; type: string | null; param: string | null; code: string | null } };

const openAiError = (status: number, message: string, code: string | null, type = 'invalid_request_error', param: string | null = null): SandboxResponse => ({
  status,
  body: { error: { message, type, param, code } } satisfies OpenAiErrorBody,
});

/** OpenAI's error body for a status, used for injected faults too. */
function errorBodyFor(status: number, message: string): OpenAiErrorBody {
  if (status === 429) return { error: { message: `Rate limit reached for requests. ${message}`, type: 'requests', param: null, code: 'rate_limit_exceeded' } };
  if (status === 401) return { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
  if (status >= 500) return { error: { message: `The server had an error while processing your request. ${message}`, type: 'server_error', param: null, code: null } };
  return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}

/** Reads the OpenAI wire format into the stand-ins' common conversation. */
export function toConversation(body: ChatBody, model: string): Conversation {
  const names = new Map<string, string>();
  const turns: ConversationTurn[] = body.messages.map((m) => {
    m.tool_calls?.forEach((c) => names.set(c.id, c.function.name));
    if (m.role === 'tool') return { role: 'tool', text: contentText(m.content), toolName: names.get(m.tool_call_id ?? '') };
    const text = contentText(m.content) + (m.tool_calls ?? []).map((c) => `${c.function.name}(${c.function.arguments})`).join('');
    return { role: m.role === 'developer' ? 'system' : m.role, text };
  });
  const format = body.response_format;
  const json: JsonRequest =
    format?.type === 'json_object' ? { kind: 'object' } : format?.type === 'json_schema' ? { kind: 'schema', schema: format.json_schema.schema } : { kind: 'none' };
  const toolChoice = body.tool_choice;
  const tools = toolChoice === 'none' ? [] : (body.tools ?? []).map((t) => t.function.name);
  return { model, turns, tools, json };
}

interface Produced {
  readonly reply: ScriptedReply;
  readonly promptTokens: number;
}

function completionTokens(reply: ScriptedReply): number {
  return reply.kind === 'refusal' ? countTokens(reply.text) : countTokens(reply.text + reply.toolCalls.map((t) => JSON.stringify(t.arguments)).join(''));
}

function toolCallsOf(reply: ScriptedReply, seed: string): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  if (reply.kind !== 'answer') return [];
  return reply.toolCalls.map((t, i) => ({ id: stableId('call_', `${seed}:${i}:${t.name}`), type: 'function', function: { name: t.name, arguments: JSON.stringify(t.arguments) } }));
}

function finishReason(reply: ScriptedReply, azure: boolean): string {
  if (reply.kind === 'refusal') return azure ? 'content_filter' : 'stop';
  return reply.toolCalls.length > 0 ? 'tool_calls' : 'stop';
}

function completionBody(model: string, p: Produced, azure: boolean, seed: string): unknown {
  const { reply } = p;
  const calls = toolCallsOf(reply, seed);
  const out = completionTokens(reply);
  return {
    id: stableId('chatcmpl-', seed),
    object: 'chat.completion',
    created: FIXED_CREATED,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.kind === 'refusal' ? null : calls.length > 0 && reply.text === '' ? null : reply.text,
          refusal: reply.kind === 'refusal' ? reply.text : null,
          ...(calls.length > 0 ? { tool_calls: calls } : {}),
        },
        logprobs: null,
        finish_reason: finishReason(reply, azure),
      },
    ],
    usage: { prompt_tokens: p.promptTokens, completion_tokens: out, total_tokens: p.promptTokens + out },
    system_fingerprint: 'fp_sandbox',
  };
}

/** The reply as `chat.completion.chunk` events: text in pieces, each tool call as a head and argument deltas, then usage. */
function streamEvents(model: string, p: Produced, includeUsage: boolean, azure: boolean, seed: string): string[] {
  const id = stableId('chatcmpl-', seed);
  const chunk = (delta: unknown, finish: string | null = null): string =>
    sse({ id, object: 'chat.completion.chunk', created: FIXED_CREATED, model, system_fingerprint: 'fp_sandbox', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const events = [chunk({ role: 'assistant', content: '', refusal: null })];
  const { reply } = p;
  if (reply.kind === 'refusal') {
    for (const piece of splitIntoChunks(reply.text, 2)) events.push(chunk({ refusal: piece }));
  } else {
    for (const piece of splitIntoChunks(reply.text)) events.push(chunk({ content: piece }));
    toolCallsOf(reply, seed).forEach((call, index) => {
      events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
      const args = call.function.arguments;
      const third = Math.max(1, Math.ceil(args.length / 3));
      for (let i = 0; i < args.length; i += third) events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(i, i + third) } }] }));
    });
  }
  events.push(chunk({}, finishReason(reply, azure)));
  if (includeUsage) {
    const out = completionTokens(reply);
    events.push(
      sse({ id, object: 'chat.completion.chunk', created: FIXED_CREATED, model, system_fingerprint: 'fp_sandbox', choices: [], usage: { prompt_tokens: p.promptTokens, completion_tokens: out, total_tokens: p.promptTokens + out } }),
    );
  }
  events.push(sse('[DONE]'));
  return events;
}

function answer(req: SandboxRequest, script: ReplyScript, model: StandInModel, body: ChatBody, azure: boolean, log: StreamLog | undefined): SandboxResponse {
  const conversation = toConversation(body, model.id);
  const promptTokens = conversationTokens(conversation);
  if (promptTokens > model.contextTokens) {
    return openAiError(
      400,
      `This model's maximum context length is ${model.contextTokens} tokens. However, your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`,
      'context_length_exceeded',
      'invalid_request_error',
      'messages',
    );
  }
  const reply = script.reply(conversation);
  if (azure && reply.kind === 'refusal') {
    return {
      status: 400,
      body: {
        error: {
          message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.",
          type: null,
          param: 'prompt',
          code: 'content_filter',
          status: 400,
          innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { violence: { filtered: true, severity: 'high' } } },
        },
      },
    };
  }
  const seed = `${model.id}:${req.body.length}:${conversation.turns.map((t) => t.text).join('|')}`;
  const produced: Produced = { reply, promptTokens };
  if (!body.stream) return { status: 200, body: completionBody(model.id, produced, azure, seed) };
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
    stream: paced(streamEvents(model.id, produced, body.stream_options?.include_usage === true, azure, seed), req, log),
  };
}

function parseBody(req: SandboxRequest): ChatBody | SandboxResponse {
  const raw = jsonBody(req);
  if (raw === undefined) return openAiError(400, 'We could not parse the JSON body of your request.', null);
  const parsed = ChatBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return openAiError(400, `Invalid request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(), null, 'invalid_request_error', issue?.path.join('.') ?? null);
  }
  return parsed.data;
}

const modelObject = (m: StandInModel): unknown => ({ id: m.id, object: 'model', created: FIXED_CREATED, owned_by: 'sandbox' });

function authenticate(req: SandboxRequest): AuthResult {
  if (req.routeName.startsWith('azureOpenai.')) {
    const key = req.headers['api-key'] ?? bearer(req);
    if (key === req.credentials.openaiKey) return { ok: true, principal: 'sandbox' };
    return {
      ok: false,
      response: {
        status: 401,
        body: {
          error: {
            code: '401',
            message:
              'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
          },
        },
      },
    };
  }
  const token = bearer(req);
  if (token === req.credentials.openaiKey) return { ok: true, principal: 'sandbox' };
  // The real service masks the key it got; the stand-in leaves it out entirely so no log ever holds one.
  return {
    ok: false,
    response: token
      ? openAiError(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_api_key')
      : openAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", null),
  };
}

/**
 * OpenAI chat completions (and Azure OpenAI's deployment form of it) under `/openai`: the OpenAI SDK
 * uses `{base}/openai/v1` as its baseURL, AzureOpenAI uses `{base}` as its endpoint.
 */
export function openAiStandIn(script: ReplyScript, log?: StreamLog): ServiceMount {
  const routes: Route[] = [
    {
      name: 'openai.chat',
      method: 'POST',
      pattern: '/v1/chat/completions',
      handler: (req) => {
        const body = parseBody(req);
        if ('status' in body) return body;
        const model = findModel(OPENAI_MODELS, body.model ?? '');
        if (!model) return openAiError(404, `The model \`${body.model ?? ''}\` does not exist or you do not have access to it.`, 'model_not_found');
        return answer(req, script, model, body, false, log);
      },
    },
    { name: 'openai.models', method: 'GET', pattern: '/v1/models', handler: () => ({ status: 200, body: { object: 'list', data: OPENAI_MODELS.map(modelObject) } }) },
    {
      name: 'openai.model',
      method: 'GET',
      pattern: '/v1/models/:model',
      handler: (req) => {
        const model = findModel(OPENAI_MODELS, req.params.model ?? '');
        return model ? { status: 200, body: modelObject(model) } : openAiError(404, `The model '${req.params.model ?? ''}' does not exist`, 'model_not_found', 'invalid_request_error', 'model');
      },
    },
    {
      name: 'azureOpenai.chat',
      method: 'POST',
      pattern: '/deployments/:deployment/chat/completions',
      handler: (req) => {
        if (!req.url.searchParams.get('api-version')) return { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
        const target = AZURE_DEPLOYMENTS[req.params.deployment ?? ''];
        const model = target ? findModel(OPENAI_MODELS, target) : undefined;
        if (!model) {
          return {
            status: 404,
            body: {
              error: {
                code: 'DeploymentNotFound',
                message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
              },
            },
          };
        }
        const body = parseBody(req);
        if ('status' in body) return body;
        return answer(req, script, model, body, true, log);
      },
    },
  ];
  return {
    name: 'openai',
    prefix: '/openai',
    routes,
    authenticate,
    errorBody: errorBodyFor,
  };
}
