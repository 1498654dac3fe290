import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { type TrailCheck, type TrailEvent } from '../../../core/security/repositoryControls';
import { renderHtml, renderMarkdown, type ReportDocument } from '../../../core/security/reportDocument';
import { type AgentAction } from '../../runtime/context';
import { emptyPlan } from '../../runtime/plan';
import { reportEdit } from './reportFiles';

/** A period's events beyond this are left out, and the report says so. */
export const MAX_EXPORTED_EVENTS = 100_000;
const DAY = 86_400_000;

const CSV_COLUMNS = ['seq', 'timestamp', 'eventType', 'service', 'user', 'correlationId', 'workItemId', 'repository', 'oldState', 'newState', 'summary', 'hash'] as const;

/**
 * The events as CSV (RFC 4180, csv-stringify). A cell that starts with = + - @ or a tab or carriage
 * return is prefixed with ' (csv-stringify's escape_formulas), so a spreadsheet shows it as text
 * instead of running it as a formula: an event's text comes from outside (work item titles,
 * commit messages, model output).
 */
export function eventsCsv(events: readonly TrailEvent[]): string {
  return stringify(
    events.map((e) => CSV_COLUMNS.map((c) => e[c] ?? '')),
    { header: true, columns: [...CSV_COLUMNS], escape_formulas: true, record_delimiter: 'windows' },
  );
}

const verdict = (v: TrailCheck): string => (v.ok ? `Intact: ${v.count} events in ${v.files} files verified against the hash chain (head ${v.head}).` : `DAMAGED: ${v.file} line ${v.line}: ${v.kind}. ${v.detail} (${v.count} events verified before it).`);

export function auditExportDocument(events: readonly TrailEvent[], v: TrailCheck, meta: { from: string; to: string; generatedAt: string; by: string; truncated: boolean }): ReportDocument {
  return {
    title: `Audit trail ${meta.from} to ${meta.to}`,
    facts: [
      ['Period', `${meta.from} (inclusive) to ${meta.to} (exclusive), UTC`],
      ['Events', `${events.length}${meta.truncated ? ` (the first ${MAX_EXPORTED_EVENTS}; the period has more)` : ''}`],
      ['Verification', verdict(v)],
      ['Generated', meta.generatedAt],
      ['By', meta.by],
    ],
    sections: [
      {
        heading: 'Events',
        blocks: [{ kind: 'table', headers: ['Seq', 'Time (UTC)', 'Event', 'Agent or service', 'User', 'Work item', 'State', 'What'], rows: events.map((e) => [String(e.seq), e.timestamp, e.eventType, e.service, e.user ?? '', e.workItemId ? String(e.workItemId) : '', e.oldState || e.newState ? `${e.oldState ?? ''} → ${e.newState ?? ''}` : '', e.summary]) }],
      },
      {
        heading: 'About this export',
        blocks: [{ kind: 'paragraph', text: 'Each event is a line of .devops/audit, hash-chained to the one before it; the verification above checked the whole chain, not only this period. Secrets were redacted before the events were written. The CSV file beside this one holds the same events with their hashes.' }],
      },
    ],
  };
}

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'a day of the calendar');
const ExportInput = z
  .object({
    /** First day of the period (UTC, inclusive). Default: `days` before `until`. */
    since: Day.optional(),
    /** Last day of the period (UTC, inclusive). Default: today. */
    until: Day.optional(),
    /** Length of the period in days when `since` is not given (default 30). */
    days: z.coerce.number().int().min(1).max(3660).optional(),
  })
  .strict();

/**
 * `security export` (*AI DevOps: Export Compliance Report*): the audit trail of a period as
 * Markdown, HTML and CSV under .devops/reports/, with the chain's verification result.
 */
export const exportAction: AgentAction<z.infer<typeof ExportInput>> = {
  name: 'export',
  description: 'The audit trail of a period (--since/--until YYYY-MM-DD, or --days N; default the last 30 days) as Markdown, HTML and CSV with its verification result.',
  input: ExportInput,
  options: {
    since: { type: 'string', description: 'First day, YYYY-MM-DD (UTC).' },
    until: { type: 'string', description: 'Last day, YYYY-MM-DD (UTC, default today).' },
    days: { type: 'string', description: 'Days before --until when --since is not given (default 30).' },
  },
  plan: async (ctx, input) => {
    const trail = ctx.providers.auditTrail;
    if (!trail) throw new DevOpsError('notConfigured', 'The audit trail is not available to this run.');
    const today = ctx.now().toISOString().slice(0, 10);
    const to = new Date(Date.parse(`${input.until ?? today}T00:00:00Z`) + DAY);
    const from = input.since ? new Date(`${input.since}T00:00:00Z`) : new Date(to.getTime() - (input.days ?? 30) * DAY);
    if (from >= to) throw new DevOpsError('invalidInput', `The period starts (${from.toISOString().slice(0, 10)}) after it ends (${input.until ?? today}).`);
    const first = from.toISOString().slice(0, 10);
    const last = new Date(to.getTime() - DAY).toISOString().slice(0, 10);
    await ctx.step(`Verifying the audit trail and reading ${first} to ${last}`);
    const verification = await trail.verify(ctx.signal);
    const { events, truncated } = await trail.events({ from, to, limit: MAX_EXPORTED_EVENTS }, ctx.signal);
    const doc = auditExportDocument(events, verification, { from: first, to: to.toISOString().slice(0, 10), generatedAt: ctx.now().toISOString(), by: ctx.user ?? 'unknown', truncated });
    const base = `.devops/reports/audit-${first}_${last}`;
    return {
      ...emptyPlan('security', 'export', `Audit trail ${first} to ${last}`),
      summary: `${events.length} event${events.length === 1 ? '' : 's'} from ${first} to ${last}; ${verification.ok ? 'the trail verifies' : `the trail is DAMAGED at ${verification.file} line ${verification.line} (${verification.kind})`}.`,
      facts: [
        { label: 'Events', value: `${events.length}${truncated ? ` (capped at ${MAX_EXPORTED_EVENTS})` : ''}` },
        { label: 'Verification', value: verdict(verification) },
      ],
      ...(verification.ok ? {} : { verdict: 'fail' as const }),
      edits: [
        await reportEdit(ctx.files, `${base}.md`, renderMarkdown(doc), 'the audit trail of the period'),
        await reportEdit(ctx.files, `${base}.html`, renderHtml(doc), 'the audit trail of the period as a page'),
        await reportEdit(ctx.files, `${base}.csv`, eventsCsv(events), 'the audit trail of the period for a spreadsheet'),
      ],
      result: { period: { from: first, to: last }, events: events.length, truncated, verification, reports: [`${base}.md`, `${base}.html`, `${base}.csv`] },
    };
  },
};
