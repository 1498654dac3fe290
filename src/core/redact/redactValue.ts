import { redactText } from './redactText';
import { isSensitiveKey } from './sensitiveKeys';

export const REDACTED = '[REDACTED]';
const MAX_DEPTH = 32;

/**
 * A deep copy of `value` that is safe to log, store or send: strings pass through redactText, and
 * the value of any key that names a secret (authorization, password, token, apiKey, secret,
 * cookie, ...) becomes `[REDACTED]` whatever it is, except null and undefined, which hide nothing
 * and still say "not set". The result is plain JSON-compatible data: Dates become ISO strings,
 * Errors `{ name, message }`, Maps objects, Sets arrays, bytes a size, cycles `[Circular]`.
 */
export function redactValue(value: unknown): unknown {
  return walk(value, new WeakSet(), 0);
}

function walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactText(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  seen.add(obj);
  try {
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (obj instanceof URL) return redactText(obj.href);
    if (obj instanceof RegExp) return redactText(String(obj));
    if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return `[binary ${obj.byteLength} bytes]`;
    if (obj instanceof Error) {
      const out: Record<string, unknown> = { name: obj.name, message: redactText(obj.message) };
      const code = (obj as { code?: unknown }).code;
      if (typeof code === 'string' || typeof code === 'number') out['code'] = code;
      return out;
    }
    if (Array.isArray(obj)) return obj.map((v) => walk(v, seen, depth + 1));
    if (obj instanceof Set) return [...obj].map((v) => walk(v, seen, depth + 1));
    const entries: [string, unknown][] = obj instanceof Map ? [...obj].map(([k, v]) => [String(k), v]) : Object.entries(obj);
    const out: Record<string, unknown> = {};
    for (const [key, v] of entries) {
      out[key] = isSensitiveKey(key) && v !== null && v !== undefined ? REDACTED : walk(v, seen, depth + 1);
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}
