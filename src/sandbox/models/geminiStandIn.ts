import { z } from 'zod';
import { type AuthResult, type Route, type SandboxRequest, type SandboxResponse, type ServiceMount } from '../http/types';
import { findModel, GEMINI_MODELS, type StandInModel } from './catalog';
import { conversationTokens, countTokens, splitIntoChunks, stableId, type Conversation, type ConversationTurn, type JsonRequest } from './conversation';
import { type ReplyScript } from './script';
import { jsonBody, paced, sse, type StreamLog } from './wire';

const PartSchema = z.object({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  functionCall: z.object({ id: z.string().optional(), name: z.string(), args: z.record(z.string(), z.unknown()).optional() }).optional(),
  functionResponse: z.object({ id: z.string().optional(), name: z.string(), response: z.unknown().optional() }).optional(),
});

const ContentSchema = z.object({ role: z.string().optional(), parts: z.array(PartSchema).default([]) });

const GenerateBodySchema = z.object({
  contents: z.array(ContentSchema).default([]),
  systemInstruction: ContentSchema.optional(),
  tools: z
    .array(
      z.object({
        functionDeclarations: z
          .array(z.object({ name: z.string(), description: z.string().optional(), parameters: z.unknown().optional(), parametersJsonSchema: z.unknown().optional() }))
          .optional(),
      }),
    )
    .optional(),
  toolConfig: z.object({ functionCallingConfig: z.object({ mode: z.string().optional() }).optional() }).optional(),
  generationConfig: z
    .object({
      responseMimeType: z.string().optional(),
      responseSchema: z.unknown().optional(),
      responseJsonSchema: z.unknown().optional(),
      temperature: z.number().optional(),
      maxOutputTokens: z.number().optional(),
    })
    .passthrough()
    .optional(),
});
type GenerateBody = z.infer<typeof GenerateBodySchema>;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const googleError = (code: number, message: string, details?: unknown[]): { error: Record<string, unknown> } => ({
  error: { code, message, status: STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION'), ...(details ? { details } : {}) },
});

const fail = (code: number, message: string, details?: unknown[]): SandboxResponse => ({ status: code, body: googleError(code, message, details) });

function errorBodyFor(status: number, message: string): unknown {
  if (status === 429) return googleError(429, `Resource has been exhausted (e.g. check quota). ${message}`);
  if (status === 503) return googleError(503, `The model is overloaded. Please try again later. ${message}`);
  return googleError(status, message);
}

function authenticate(req: SandboxRequest): AuthResult {
  const header = req.headers['x-goog-api-key'];
  const key = (typeof header === 'string' ? header : undefined) ?? req.url.searchParams.get('key') ?? undefined;
  if (key === req.credentials.geminiKey) return { ok: true, principal: 'sandbox' };
  if (!key) {
    return {
      ok: false,
      response: fail(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."),
    };
  }
  return {
    ok: false,
    response: fail(400, 'API key not valid. Please pass a valid API key.', [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
    ]),
  };
}

function toConversation(body: GenerateBody, model: string): Conversation {
  const turns: ConversationTurn[] = [];
  const system = body.systemInstruction?.parts.map((p) => p.text ?? '').join('') ?? '';
  if (system) turns.push({ role: 'system', text: system });
  for (const content of body.contents) {
    const responses = content.parts.filter((p) => p.functionResponse);
    if (responses.length > 0) {
      for (const p of responses) {
        const r = p.functionResponse!;
        const payload = r.response as Record<string, unknown> | undefined;
        const inner = payload && 'output' in payload ? payload.output : payload && 'result' in payload ? payload.result : payload;
        turns.push({ role: 'tool', text: typeof inner === 'string' ? inner : JSON.stringify(inner ?? null), toolName: r.name });
      }
      continue;
    }
    const text = content.parts
      .filter((p) => !p.thought)
      .map((p) => (p.functionCall ? `${p.functionCall.name}(${JSON.stringify(p.functionCall.args ?? {})})` : (p.text ?? '')))
      .join('');
    turns.push({ role: content.role === 'model' ? 'assistant' : 'user', text });
  }
  const mode = body.toolConfig?.functionCallingConfig?.mode;
  const tools = mode === 'NONE' ? [] : (body.tools ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((f) => f.name));
  const gc = body.generationConfig;
  const schema = gc?.responseJsonSchema ?? gc?.responseSchema;
  const json: JsonRequest = gc?.responseMimeType === 'application/json' ? (schema ? { kind: 'schema', schema: lowerCaseTypes(schema) } : { kind: 'object' }) : { kind: 'none' };
  return { model, turns, tools, json };
}

/** Gemini's OpenAPI-style schemas spell types in capitals (`OBJECT`, `STRING`); JSON Schema does not. */
function lowerCaseTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerCaseTypes);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'type' && typeof v === 'string' ? v.toLowerCase() : lowerCaseTypes(v)]));
}

function generate(req: SandboxRequest, script: ReplyScript, model: StandInModel, stream: boolean, log: StreamLog | undefined): SandboxResponse {
  const parsed = GenerateBodySchema.safeParse(jsonBody(req));
  if (!parsed.success) return fail(400, `Invalid JSON payload received. ${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}`);
  if (parsed.data.contents.length === 0) return fail(400, '* GenerateContentRequest.contents: contents is not specified');
  const conversation = toConversation(parsed.data, model.id);
  const promptTokens = conversationTokens(conversation);
  if (promptTokens > model.contextTokens) {
    return fail(400, `The input token count (${promptTokens}) exceeds the maximum number of tokens allowed (${model.contextTokens}).`);
  }
  const reply = script.reply(conversation);
  const responseId = stableId('resp', conversation.turns.map((t) => t.text).join('|'));
  const common = { modelVersion: model.id, responseId };
  if (reply.kind === 'refusal') {
    const blocked = {
      promptFeedback: { blockReason: 'SAFETY', safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }] },
      usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
      ...common,
    };
    return stream ? { status: 200, headers: { 'content-type': 'text/event-stream' }, stream: paced([sse(blocked)], req, log) } : { status: 200, body: blocked };
  }
  const calls = reply.toolCalls.map((t) => ({ functionCall: { name: t.name, args: t.arguments } }));
  const out = countTokens(reply.text + calls.map((c) => JSON.stringify(c.functionCall.args)).join(''));
  const usage = { promptTokenCount: promptTokens, candidatesTokenCount: out, totalTokenCount: promptTokens + out };
  if (!stream) {
    const parts = [...(reply.text ? [{ text: reply.text }] : []), ...calls];
    return { status: 200, body: { candidates: [{ content: { parts, role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, ...common } };
  }
  const pieces = splitIntoChunks(reply.text);
  const last = pieces.pop();
  const events: string[] = pieces.map((text) => sse({ candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens }, ...common }));
  // The last event carries the last text, the function calls (Gemini sends them whole), the finish reason and the usage.
  const finalParts = [...(last ? [{ text: last }] : []), ...calls];
  events.push(sse({ candidates: [{ content: { parts: finalParts.length ? finalParts : [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, ...common }));
  return { status: 200, headers: { 'content-type': 'text/event-stream' }, stream: paced(events, req, log) };
}

function countTokensRoute(req: SandboxRequest, model: StandInModel): SandboxResponse {
  const body = z
    .object({ contents: z.array(ContentSchema).optional(), generateContentRequest: GenerateBodySchema.optional() })
    .safeParse(jsonBody(req));
  if (!body.success) return fail(400, 'Invalid JSON payload received.');
  const request = body.data.generateContentRequest ?? { contents: body.data.contents ?? [] };
  const conversation = toConversation(GenerateBodySchema.parse(request), model.id);
  const totalTokens = conversation.turns.reduce((n, t) => n + countTokens(t.text), 0);
  return { status: 200, body: { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] } };
}

const modelResource = (m: StandInModel): unknown => ({
  name: `models/${m.id}`,
  version: '001',
  displayName: m.name,
  description: `${m.name} (sandbox stand-in)`,
  inputTokenLimit: m.contextTokens,
  outputTokenLimit: m.maxOutputTokens,
  supportedGenerationMethods: ['generateContent', 'countTokens'],
  temperature: 1,
  topP: 0.95,
  topK: 64,
});

/** The Gemini API (generativelanguage) under `/gemini`: @google/genai takes `{base}/gemini` as httpOptions.baseUrl. */
export function geminiStandIn(script: ReplyScript, log?: StreamLog): ServiceMount {
  const routes: Route[] = [
    {
      name: 'gemini.generate',
      method: 'POST',
      pattern: '/:version/models/:call',
      handler: (req) => {
        const [modelId, action] = (req.params.call ?? '').split(':');
        const model = findModel(GEMINI_MODELS, modelId ?? '');
        if (!model) {
          return fail(404, `models/${modelId ?? ''} is not found for API version ${req.params.version ?? ''}, or is not supported for ${action ?? 'generateContent'}. Call ListModels to see the list of available models and their supported methods.`);
        }
        if (action === 'generateContent') return generate(req, script, model, false, log);
        if (action === 'streamGenerateContent') return generate(req, script, model, true, log);
        if (action === 'countTokens') return countTokensRoute(req, model);
        return fail(404, `Method ${action ?? ''} not found.`);
      },
    },
    {
      name: 'gemini.listModels',
      method: 'GET',
      pattern: '/:version/models',
      handler: () => ({ status: 200, body: { models: GEMINI_MODELS.map(modelResource) } }),
    },
    {
      name: 'gemini.getModel',
      method: 'GET',
      pattern: '/:version/models/:model',
      handler: (req) => {
        const model = findModel(GEMINI_MODELS, req.params.model ?? '');
        return model ? { status: 200, body: modelResource(model) } : fail(404, `models/${req.params.model ?? ''} is not found.`);
      },
    },
  ];
  return { name: 'gemini', prefix: '/gemini', routes, authenticate, errorBody: errorBodyFor };
}
