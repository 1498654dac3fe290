import { type SandboxRequest } from '../http/types';

/** The request body as JSON, or undefined when it is not JSON (the stand-ins answer that with a 400 in their own shape). */
export function jsonBody(req: SandboxRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A stream that stops producing when the client goes away, so an aborted request closes cleanly. */
export async function* paced(parts: readonly string[], signal: AbortSignal): AsyncGenerator<string> {
  for (const part of parts) {
    if (signal.aborted) return;
    yield part;
    // Yield to the event loop between chunks so they leave as separate writes, as a real model's do.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export const sse = (data: unknown): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** Bearer token from an Authorization header. */
export function bearer(req: SandboxRequest): string | undefined {
  const value = req.headers.authorization;
  return typeof value === 'string' && /^Bearer\s+/i.test(value) ? value.replace(/^Bearer\s+/i, '').trim() : undefined;
}

/** Text of message content that is a string or an array of `{type:'text', text}` parts (OpenAI, watsonx). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  }
  return '';
}
