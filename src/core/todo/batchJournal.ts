import { z } from 'zod';
import { TrackerKindSchema } from '../workItem';

/**
 * The record of a running "create work items for unlinked TODOs" batch, saved after every step so
 * an interrupted batch (window closed, crash, cancelled) resumes without creating an item twice:
 * - `pending`: about to ask the tracker; if we stop here the item may or may not exist, so resume
 *   looks for an open item with the same title before creating again (and reuses the client id);
 * - `created`: the tracker answered with a reference; resume only writes it into the comment;
 * - `written`: done.
 */
const ReferenceSchema = z.union([
  z.object({ tracker: z.literal('azureBoards'), id: z.number().int().positive(), organization: z.string().optional(), project: z.string().optional() }),
  z.object({ tracker: z.literal('github'), id: z.number().int().positive(), owner: z.string().optional(), repo: z.string().optional() }),
]);

const JournalEntrySchema = z.object({
  fingerprint: z.string().min(1),
  relativePath: z.string(),
  line: z.number().int().nonnegative(),
  title: z.string(),
  clientRequestId: z.string().min(1),
  state: z.enum(['pending', 'created', 'written']),
  reference: ReferenceSchema.optional(),
});

export const BatchJournalSchema = z.object({
  version: z.literal(1),
  batchId: z.string().min(1),
  tracker: TrackerKindSchema,
  startedAt: z.iso.datetime({ offset: true }),
  entries: z.array(JournalEntrySchema),
});

export type BatchJournal = z.infer<typeof BatchJournalSchema>;
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

/** Parses a saved journal; a damaged file yields undefined and a reason, never a throw. */
export function parseJournal(text: string): { journal: BatchJournal | undefined; problem?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { journal: undefined, problem: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = BatchJournalSchema.safeParse(raw);
  if (!parsed.success) return { journal: undefined, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { journal: parsed.data };
}

export function newJournal(batchId: string, tracker: BatchJournal['tracker'], now: Date): BatchJournal {
  return { version: 1, batchId, tracker, startedAt: now.toISOString(), entries: [] };
}

/** A copy of the journal with the entry for `fingerprint` replaced (or added). */
export function withEntry(journal: BatchJournal, entry: JournalEntry): BatchJournal {
  const entries = journal.entries.filter((e) => e.fingerprint !== entry.fingerprint);
  return { ...journal, entries: [...entries, entry] };
}

export function entryFor(journal: BatchJournal | undefined, fingerprint: string): JournalEntry | undefined {
  return journal?.entries.find((e) => e.fingerprint === fingerprint);
}

/** True when every entry reached `written`: the journal can be deleted. */
export function isComplete(journal: BatchJournal): boolean {
  return journal.entries.every((e) => e.state === 'written');
}
