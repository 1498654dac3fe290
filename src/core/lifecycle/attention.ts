import { z } from 'zod';
import { type TrackerKind } from '../workItem';

/**
 * What the orchestrator could not decide and left to a person (an ambiguous hand-off, a state the
 * process lacks, a failing agent, a conflict on an item), and the items it marked blocked because
 * an agent failed on them. Kept in the workspace under `.devops/lifecycle/` (the lifecycle agent's
 * records), listed by `@devops /status` and raised as a notification; each entry says what to do.
 */

export const ATTENTION_KINDS = ['failingAgent', 'ambiguousHandOff', 'missingState', 'conflict'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

export const AttentionEntrySchema = z.object({
  /** Stable per cause (`failingAgent:azureBoards:12`), so asking again updates the entry instead of adding one. */
  id: z.string().min(1).max(300),
  kind: z.enum(ATTENTION_KINDS),
  at: z.iso.datetime({ offset: true }),
  /** `AB#12`, `#4`: the item it is about, when there is one. */
  item: z.string().max(200).optional(),
  /** What happened, in a sentence. */
  what: z.string().min(1).max(2000),
  /** What the person should do. */
  todo: z.string().min(1).max(1000),
  /** The audit run it came from. */
  run: z.string().max(100).optional(),
});
export type AttentionEntry = z.infer<typeof AttentionEntrySchema>;

export const AttentionFileSchema = z.object({ version: z.literal(1), entries: z.array(AttentionEntrySchema).max(500) });

export const BlockedEntrySchema = z.object({
  /** The failed run that blocked it (its comment's key). */
  run: z.string().min(1).max(100),
  agent: z.string().min(1).max(64),
  action: z.string().min(1).max(64),
  at: z.iso.datetime({ offset: true }),
  reason: z.string().max(2000),
});
export type BlockedEntry = z.infer<typeof BlockedEntrySchema>;

/** Items an agent's failure marked blocked, by `blockedKey`. */
export const BlockedFileSchema = z.object({ version: z.literal(1), items: z.record(z.string(), BlockedEntrySchema) });

export const ATTENTION_RECORD = 'attention';
export const BLOCKED_RECORD = 'blocked';
export const LIFECYCLE_AGENT = 'lifecycle';
/** Workspace-relative, as the agent records' folder names them. */
export const ATTENTION_FILE = `.devops/${LIFECYCLE_AGENT}/${ATTENTION_RECORD}.json`;
export const BLOCKED_FILE = `.devops/${LIFECYCLE_AGENT}/${BLOCKED_RECORD}.json`;

export const blockedKey = (tracker: TrackerKind, id: number): string => `${tracker}:${id}`;

/** The entries a record holds; a file in another shape (or none) reads as empty. */
export function attentionOf(raw: unknown): AttentionEntry[] {
  const parsed = AttentionFileSchema.safeParse(raw);
  return parsed.success ? parsed.data.entries : [];
}

export function blockedOf(raw: unknown): Record<string, BlockedEntry> {
  const parsed = BlockedFileSchema.safeParse(raw);
  return parsed.success ? parsed.data.items : {};
}

/** The entries with `entry` added, replacing one of the same id; the newest 500 are kept. */
export function withAttention(entries: readonly AttentionEntry[], entry: AttentionEntry): AttentionEntry[] {
  return [...entries.filter((e) => e.id !== entry.id), entry].slice(-500);
}

/** Markdown lines for `@devops /status`: newest first, each with what to do. */
export function attentionMarkdown(entries: readonly AttentionEntry[], escape: (text: string) => string): string[] {
  if (entries.length === 0) return [];
  const label: Record<AttentionKind, string> = { failingAgent: 'Agent failed', ambiguousHandOff: 'Hand-off undecided', missingState: 'State missing', conflict: 'Conflict' };
  const lines = [`**Waiting for you** (${entries.length}; the orchestrator did not guess):`, ''];
  for (const e of [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, 20)) {
    lines.push(`- ${label[e.kind]}${e.item ? ` · ${escape(e.item)}` : ''}: ${escape(e.what)} **Do:** ${escape(e.todo)}${e.run ? ` (run \`${escape(e.run)}\`)` : ''}`);
  }
  if (entries.length > 20) lines.push(`- … and ${entries.length - 20} more in \`${ATTENTION_FILE}\``);
  return lines;
}
