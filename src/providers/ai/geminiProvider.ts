import type { Content, GoogleGenAI, Part } from '@google/genai';
import { type ModelInfo, type ProviderRequest } from '../../core/ai/chatModel';
import { type ChatChunk, type ChatMessage } from '../../core/ai/messages';
import { ModelError, type HttpFailure } from '../../core/ai/modelErrors';
import { familyOf, limitsOf } from './modelLimits';
import { generatedCallId, ProviderBase } from './providerBase';

export const GEMINI_DEFAULT_URL = 'https://generativelanguage.googleapis.com';

/** Finish reasons that mean the model's safety systems stopped the answer. */
const BLOCKED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']);

/** Our conversation as Gemini contents: system text apart, tool results as functionResponse parts of a user turn. */
export function toGeminiContents(messages: readonly ChatMessage[]): { system: string | undefined; contents: Content[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const contents: Content[] = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') {
      const part: Part = { functionResponse: { id: m.toolCallId, name: m.name, response: { output: m.content } } };
      const last = contents[contents.length - 1];
      // Consecutive tool results answer one model turn, so they travel in one user turn.
      if (last?.role === 'user' && last.parts?.every((p) => p.functionResponse)) last.parts.push(part);
      else contents.push({ role: 'user', parts: [part] });
      continue;
    }
    if (m.role === 'assistant') {
      const parts: Part[] = [...(m.content ? [{ text: m.content }] : []), ...(m.toolCalls ?? []).map((c) => ({ functionCall: { id: c.id, name: c.name, args: { ...c.arguments } } }))];
      contents.push({ role: 'model', parts: parts.length ? parts : [{ text: '' }] });
      continue;
    }
    contents.push({ role: 'user', parts: [{ text: m.content }] });
  }
  return { system: system || undefined, contents };
}

/** Google's error body (`{error:{code,message,status,details}}`), which @google/genai puts in the message as JSON. */
function parseGoogleError(message: string): { status?: string; message?: string; retryDelay?: string } {
  const start = message.indexOf('{');
  if (start < 0) return { message };
  try {
    const body = JSON.parse(message.slice(start)) as { error?: { status?: string; message?: string; details?: { '@type'?: string; retryDelay?: string; reason?: string }[] } };
    const details = body.error?.details ?? [];
    const reason = details.find((d) => d.reason)?.reason;
    return {
      status: reason ?? body.error?.status,
      message: body.error?.message,
      retryDelay: details.find((d) => d['@type']?.endsWith('RetryInfo'))?.retryDelay,
    };
  } catch {
    return { message };
  }
}

/**
 * Gemini through `@google/genai` (the maintained successor of @google/generative-ai): streaming,
 * function calls, JSON output with a schema, countTokens and the model list.
 */
export class GeminiProvider extends ProviderBase {
  readonly id = 'gemini' as const;
  private client: { key: string; sdk: GoogleGenAI } | undefined;
  private async sdk(): Promise<GoogleGenAI> {
    const { url } = await this.endpoint();
    const credential = await this.requireCredential('gemini');
    const key = `${url}\u0000${credential.value}`;
    if (this.client?.key === key) return this.client.sdk;
    const { GoogleGenAI: Client } = await import('./sdk/gemini');
    const sdk = new Client({ apiKey: credential.value, httpOptions: { baseUrl: url, fetch: this.recordingFetch } });
    this.client = { key, sdk };
    return sdk;
  }

  describe(model: string): ModelInfo {
    return { provider: 'gemini', id: model, name: model, family: familyOf(model), ...limitsOf(model), toolCalling: true, local: false };
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const sdk = await this.sdk();
      const out: ModelInfo[] = [];
      const pager = await sdk.models.list({ config: { abortSignal: signal } });
      for await (const m of pager) {
        if (m.supportedActions && !m.supportedActions.includes('generateContent')) continue;
        const id = (m.name ?? '').replace(/^models\//, '');
        if (!id) continue;
        out.push({
          ...this.describe(id),
          name: m.displayName ?? id,
          maxInputTokens: m.inputTokenLimit ?? limitsOf(id).maxInputTokens,
          maxOutputTokens: m.outputTokenLimit ?? limitsOf(id).maxOutputTokens,
        });
      }
      return out;
    } catch (error) {
      throw this.toModelError(error, '', signal);
    }
  }

  async countTokens(model: string, text: string, signal?: AbortSignal): Promise<number | undefined> {
    try {
      const sdk = await this.sdk();
      const result = await sdk.models.countTokens({ model, contents: text, config: { abortSignal: signal } });
      return result.totalTokens;
    } catch (error) {
      throw this.toModelError(error, model, signal);
    }
  }

  protected async *open(request: ProviderRequest): AsyncGenerator<ChatChunk> {
    const sdk = await this.sdk();
    const { system, contents } = toGeminiContents(request.messages);
    const json = request.json;
    const mode = request.toolMode === 'required' ? 'ANY' : request.toolMode === 'none' ? 'NONE' : 'AUTO';
    const stream = await sdk.models.generateContentStream({
      model: request.model,
      contents,
      config: {
        abortSignal: request.signal,
        ...(system ? { systemInstruction: system } : {}),
        ...(request.tools?.length
          ? {
              tools: [{ functionDeclarations: request.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: { ...t.parameters } })) }],
              toolConfig: { functionCallingConfig: { mode: mode as never } },
            }
          : {}),
        ...(json ? { responseMimeType: 'application/json', ...(json.kind === 'schema' ? { responseJsonSchema: { ...json.schema } } : {}) } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
      },
    });
    let calls = 0;
    let finish: string | undefined;
    let usage: { inputTokens: number; outputTokens: number } | undefined;
    for await (const chunk of stream) {
      const blocked = chunk.promptFeedback?.blockReason;
      if (blocked) throw new ModelError('refused', 'gemini', request.model, `prompt blocked: ${blocked}`);
      const candidate = chunk.candidates?.[0];
      if (candidate?.finishReason && BLOCKED.has(candidate.finishReason)) throw new ModelError('refused', 'gemini', request.model, `answer blocked: ${candidate.finishReason}`);
      for (const part of candidate?.content?.parts ?? []) {
        if (part.thought) continue;
        if (part.text) yield { type: 'text', text: part.text };
        if (part.functionCall?.name) {
          const name = part.functionCall.name;
          yield { type: 'toolCall', call: { id: part.functionCall.id ?? generatedCallId(calls, name), name, arguments: { ...(part.functionCall.args ?? {}) } } };
          calls++;
        }
      }
      if (candidate?.finishReason) finish = candidate.finishReason;
      const meta = chunk.usageMetadata;
      if (meta) usage = { inputTokens: meta.promptTokenCount ?? 0, outputTokens: meta.candidatesTokenCount ?? 0 };
    }
    if (usage) yield { type: 'usage', usage };
    if (finish) yield { type: 'finish', reason: finish === 'MAX_TOKENS' ? 'length' : calls > 0 ? 'toolCalls' : 'stop' };
  }

  protected httpFailureOf(error: unknown): HttpFailure | undefined {
    const e = error as { name?: string; status?: unknown; message?: string } | undefined;
    if (!e || e.name !== 'ApiError' || typeof e.status !== 'number') return undefined;
    const parsed = parseGoogleError(e.message ?? '');
    const delay = parsed.retryDelay ? Number.parseFloat(parsed.retryDelay) * 1000 : undefined;
    return { status: e.status, code: parsed.status, message: parsed.message, retryAfterMs: delay !== undefined && Number.isFinite(delay) ? delay : undefined };
  }
}
