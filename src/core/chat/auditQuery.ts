import { AGENT_SERVICES, AUDIT_EVENTS, type AuditEvent } from '../audit';
import { findReferences } from '../todo/references';

/** What a question about the audit trail narrows it to. Every field is optional; none means "recent events". */
export interface AuditQuery {
  readonly workItemId?: number;
  readonly service?: string;
  /** Inclusive start and exclusive end, ISO instants. */
  readonly period?: { readonly from: string; readonly to: string; readonly label: string };
  readonly eventTypes?: readonly string[];
}

/** How users name the agents ("the security agent", "QA", "the planner"). */
const AGENT_WORDS: Readonly<Record<string, string>> = {
  security: 'security',
  qa: 'qa',
  test: 'qa',
  tests: 'qa',
  testing: 'qa',
  release: 'release',
  planner: 'planner',
  planning: 'planner',
  plan: 'planner',
  scaffold: 'scaffold',
  platform: 'platform',
  iac: 'platform',
  orchestrator: 'orchestrator',
};

const EVENT_WORDS: readonly { readonly regex: RegExp; readonly types: readonly string[] }[] = [
  { regex: /\bcomment(s|ed)?\b/i, types: [AUDIT_EVENTS.workItemCommented] },
  { regex: /\bcreated?\b/i, types: [AUDIT_EVENTS.workItemCreated] },
  { regex: /\b(fail(ed|ures?)?|errors?)\b/i, types: [AUDIT_EVENTS.runFailed] },
  { regex: /\brefus(ed|als?)\b/i, types: [AUDIT_EVENTS.commandRefused] },
  { regex: /\bcommands?\b/i, types: [AUDIT_EVENTS.commandRun, AUDIT_EVENTS.commandRefused] },
  { regex: /\b(files? (written|changed)|wrote)\b/i, types: [AUDIT_EVENTS.fileWritten] },
];

const DAY_MS = 86_400_000;

/** Midnight of `date`'s local day, where local is `offsetMinutes` east of UTC (e.g. 60 for UTC+1). */
function localMidnight(date: Date, offsetMinutes: number): number {
  const shifted = date.getTime() + offsetMinutes * 60_000;
  return shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - offsetMinutes * 60_000;
}

function period(fromMs: number, toMs: number, label: string): NonNullable<AuditQuery['period']> {
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), label };
}

/**
 * Reads the filters out of a question: a work item (AB#7, #7, "item 7"), an agent or service named
 * among `knownServices` or by its usual name, a day ("today", "yesterday", "2026-11-29", "last 3
 * days") and a few kinds of event (comments, created, failed, refused, commands, files written).
 * `offsetMinutes` is the user's time zone, east of UTC, so "today" is their day.
 */
export function parseAuditQuery(question: string, knownServices: readonly string[], now: Date, offsetMinutes = 0): AuditQuery {
  const query: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = {};
  const ref = findReferences(question, { defaultTracker: 'azureBoards', patterns: [] })[0];
  const itemWord = /\b(?:work ?item|item|issue|bug|task|story)\s+(\d{1,9})\b/i.exec(question);
  if (ref) query.workItemId = ref.reference.id;
  else if (itemWord) query.workItemId = Number(itemWord[1]);

  const lower = question.toLowerCase();
  const services = [...new Set([...knownServices, ...AGENT_SERVICES])].sort((a, b) => b.length - a.length);
  const named = services.find((s) => new RegExp(`(^|[^\\w.-])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`, 'i').test(lower));
  // Prefer the name the trail uses: `agent.release` when that is what was written.
  if (named) query.service = knownServices.includes(named) ? named : (knownServices.find((s) => s === `agent.${named}`) ?? named);
  else {
    const agentWord = /\b([a-z]+)\s+agent\b/i.exec(question)?.[1]?.toLowerCase() ?? /\bagent\s+([a-z]+)\b/i.exec(question)?.[1]?.toLowerCase();
    const mapped = agentWord ? AGENT_WORDS[agentWord] : undefined;
    if (mapped) query.service = knownServices.find((s) => s === mapped || s === `agent.${mapped}`) ?? mapped;
  }

  const today = localMidnight(now, offsetMinutes);
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(question);
  const lastDays = /\b(?:last|past)\s+(\d{1,3})\s+days?\b/i.exec(question);
  if (/\btoday\b/i.test(question)) query.period = period(today, today + DAY_MS, 'today');
  else if (/\byesterday\b/i.test(question)) query.period = period(today - DAY_MS, today, 'yesterday');
  else if (/\bthis week\b|\blast 7 days\b/i.test(question)) query.period = period(today - 6 * DAY_MS, today + DAY_MS, 'the last 7 days');
  else if (lastDays) {
    const n = Math.max(1, Number(lastDays[1]));
    query.period = period(today - (n - 1) * DAY_MS, today + DAY_MS, `the last ${n} days`);
  } else if (iso) {
    const start = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])) - offsetMinutes * 60_000;
    if (!Number.isNaN(start)) query.period = period(start, start + DAY_MS, `${iso[1]}-${iso[2]}-${iso[3]}`);
  }

  const types = EVENT_WORDS.filter((w) => w.regex.test(question)).flatMap((w) => w.types);
  if (types.length) query.eventTypes = [...new Set(types)];
  return query;
}

/** The events matching the query, in the order given (the trail model keeps newest first). */
export function filterAuditEvents(events: readonly AuditEvent[], query: AuditQuery): AuditEvent[] {
  return events.filter(
    (e) =>
      (query.workItemId === undefined || e.workItemId === query.workItemId) &&
      (query.service === undefined || e.service === query.service || e.service === `agent.${query.service}`) &&
      (query.period === undefined || (e.timestamp >= query.period.from && e.timestamp < query.period.to)) &&
      (query.eventTypes === undefined || query.eventTypes.includes(e.eventType)),
  );
}

/** "events about AB#7 by security today", for the answer's first line. */
export function describeAuditQuery(query: AuditQuery): string {
  const parts: string[] = [];
  if (query.eventTypes) parts.push(`${query.eventTypes.join(' / ')} events`);
  else parts.push('events');
  if (query.workItemId !== undefined) parts.push(`about work item ${query.workItemId}`);
  if (query.service) parts.push(`from ${query.service}`);
  if (query.period) parts.push(query.period.label.match(/^\d/) ? `on ${query.period.label}` : query.period.label);
  return parts.join(' ');
}
