/**
 * A request to any model stand-in, reduced to what the scripted replies look at. Each stand-in
 * translates its own wire format into this, and the scripted reply back into its own format.
 */
export interface ConversationTurn {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly text: string;
  /** For tool results: the tool whose result this is. */
  readonly toolName?: string;
}

export type JsonRequest = { readonly kind: 'none' } | { readonly kind: 'object' } | { readonly kind: 'schema'; readonly schema: unknown };

export interface Conversation {
  readonly model: string;
  readonly turns: readonly ConversationTurn[];
  /** Names of the tools the request offered. */
  readonly tools: readonly string[];
  readonly json: JsonRequest;
}

export interface ScriptedToolCall {
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

export type ScriptedReply =
  | { readonly kind: 'answer'; readonly text: string; readonly toolCalls: readonly ScriptedToolCall[] }
  | { readonly kind: 'refusal'; readonly text: string };

/** About four characters a token, counted the same way by every stand-in so usage numbers are stable. */
export const countTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

export const conversationTokens = (c: Conversation): number => c.turns.reduce((n, t) => n + countTokens(t.text) + 4, 0);

/** Splits a reply into several pieces (whole words), so clients see a real stream rather than one chunk. */
export function splitIntoChunks(text: string, pieces = 4): string[] {
  if (text.length === 0) return [];
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  // At least `pieces`, and about eight words a piece for long replies, as a model streams them.
  const size = Math.max(1, Math.min(Math.ceil(words.length / pieces), 8));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(''));
  return out;
}

/** Stable ids so repeated runs produce the same bytes (tests compare them). */
export function stableId(prefix: string, seed: string): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return `${prefix}${h.toString(36).padStart(7, '0')}`;
}

/** Fixed clock for bodies (seconds since the epoch); only the request log carries real times. */
export const FIXED_CREATED = 1_767_225_600;
