import { z } from 'zod';

/**
 * The run history kept in `.devops/qa/history.json` (the runtime's agent records): what each run
 * found, so trends, coverage changes, flaky tests and the bugs filed for failing tests survive a
 * restart. Read with zod; a damaged file starts a new history rather than failing the run.
 */
export const HISTORY_RECORD = 'history';
const MAX_RUNS = 50;

const Pct = z.number().nullable();
export const HistoryRunSchema = z.object({
  runId: z.string(),
  at: z.string(),
  frameworks: z.array(z.string()),
  totals: z.object({ passed: z.number(), failed: z.number(), skipped: z.number(), flaky: z.number() }),
  durationMs: z.number(),
  coverage: z.object({ lines: Pct, branches: Pct, functions: Pct }).nullable(),
  failing: z.array(z.string()),
  flaky: z.array(z.string()),
  /** The path the run was limited to ('' for everything): coverage of a part is not compared with the whole. */
  scope: z.string().default(''),
});
export type HistoryRun = z.infer<typeof HistoryRunSchema>;

export const HistorySchema = z.object({ version: z.literal(1), runs: z.array(HistoryRunSchema) });
export type History = z.infer<typeof HistorySchema>;

export function readHistory(raw: unknown): { history: History; note?: string } {
  if (raw === undefined) return { history: { version: 1, runs: [] } };
  const parsed = HistorySchema.safeParse(raw);
  if (parsed.success) return { history: parsed.data };
  return { history: { version: 1, runs: [] }, note: '.devops/qa/history.json was not readable as a QA history; a new one was started.' };
}

export function appendRun(history: History, run: HistoryRun): History {
  return { version: 1, runs: [...history.runs, run].slice(-MAX_RUNS) };
}

/** The last earlier run over the same scope with coverage, to compare with. */
export function previousComparable(history: History, scope: string): HistoryRun | undefined {
  for (let i = history.runs.length - 1; i >= 0; i--) {
    const r = history.runs[i]!;
    if (r.scope === scope && r.coverage) return r;
  }
  return undefined;
}
