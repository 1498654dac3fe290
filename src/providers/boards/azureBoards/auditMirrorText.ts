import { type AuditEvent } from '../../../core/audit/event';
import { type AgentRun } from '../../../core/audit/runs';
import { redactText } from '../../../core/redact';

/** A single event outside any agent run (a command, a user's change through a tool) as a comment. */
export function eventComment(event: AuditEvent): string {
  const change = stateChange(event);
  const lines = [
    `AI DevOps audit: ${event.eventType} by ${event.service}${change ? ` (${change})` : ''}`,
    `When: ${event.timestamp}`,
    `Correlation id: ${event.correlationId}`,
    ...(event.user ? [`User: ${event.user}`] : []),
    `Event hash: ${event.hash}`,
  ];
  return redactText(lines.join('\n'));
}

/** One comment per run on each item it touched: the outcome, and what the run did to this item. */
export function runComment(run: AgentRun, workItemId: number): string {
  const onItem = run.events.filter((e) => e.workItemId === workItemId);
  const lines = [
    `AI DevOps audit: ${run.agent} run ${run.correlationId} ${run.outcome}`,
    `From ${run.firstAt} to ${run.lastAt}${run.events[0]?.user ? ` by ${run.events[0].user}` : ''}`,
    '',
    `On AB#${workItemId}:`,
    ...onItem.map((e) => {
      const change = stateChange(e);
      const detail = detailOf(e);
      return `- ${e.timestamp} ${e.eventType}${change ? ` (${change})` : ''}${detail ? `: ${oneLine(detail)}` : ''}`;
    }),
    '',
    `Last event hash: ${run.events.at(-1)?.hash ?? ''} (the whole run is on the wiki page of ${run.firstAt.slice(0, 10)}; verify with AI DevOps: Verify Audit Trail)`,
  ];
  return redactText(lines.join('\n'));
}

/** The heading of a day's page, written once when the page is new. */
export const dayHeading = (day: string): string => `# AI DevOps agent runs on ${day}`;

const cell = (text: string): string => oneLine(text).replace(/\|/g, '\\|');

/** A run's section of its day's page. */
export function runSection(run: AgentRun): string {
  const rows = run.events.map((e) => `| ${e.seq} | ${e.timestamp} | ${cell(e.eventType)} | ${cell(e.service)} | ${e.workItemId === null ? '' : `#${e.workItemId}`} | ${cell(stateChange(e))} | ${cell(detailOf(e))} |`);
  const text = [
    `## ${run.firstAt.slice(11, 19)} ${run.agent} run ${run.correlationId}`,
    '',
    `- Outcome: **${run.outcome}**`,
    `- Started: ${run.firstAt}`,
    `- Finished: ${run.lastAt}`,
    `- Work items: ${run.workItemIds.length ? run.workItemIds.map((id) => `#${id}`).join(', ') : 'none'}`,
    `- Last event hash: \`${run.events.at(-1)?.hash ?? ''}\` (verify with AI DevOps: Verify Audit Trail)`,
    '',
    '| seq | time | event | service | work item | state | detail |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
  return redactText(text);
}

function stateChange(e: AuditEvent): string {
  return e.oldState || e.newState ? `${e.oldState ?? '—'} → ${e.newState ?? '—'}` : '';
}

function detailOf(e: AuditEvent): string {
  return typeof e.metadata.summary === 'string' ? e.metadata.summary : typeof e.metadata.message === 'string' ? e.metadata.message : '';
}

function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ').slice(0, 500);
}
