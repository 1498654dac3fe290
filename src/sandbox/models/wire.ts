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

/** How a streamed reply ended: sent to the end, or cut off because the client closed the connection. */
export type StreamOutcome = 'completed' | 'aborted';

/** Where stand-ins report how their streams ended (tests check that a cancel closed the socket), and their pace. */
export interface StreamLog {
  record(route: string, outcome: StreamOutcome): void;
  /** Pause between streamed pieces, like a model producing tokens (0: as fast as the socket takes them). */
  readonly chunkDelayMs: number;
}

/**
 * A reply sent as several writes. The request's signal fires when the response closes; if that
 * happens before the last piece went out, the client hung up and the stream counts as aborted.
 */
export function paced(parts: readonly string[], req: SandboxRequest, log?: StreamLog): AsyncGenerator<string> {
  let finished = false;
  req.signal.addEventListener('abort', () => log?.record(req.routeName, finished ? 'completed' : 'aborted'), { once: true });
  return (async function* () {
    for (const part of parts) {
      if (req.signal.aborted) return;
      yield part;
      // Separate writes, as a real model's are; with a pace set, spaced out like generated tokens.
      const delay = log?.chunkDelayMs ?? 0;
      await new Promise((resolve) => (delay > 0 ? setTimeout(resolve, delay) : setImmediate(resolve)));
    }
    finished = true;
  })();
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
