import { type OutboxEntrySummary } from '../boards/workTracker';
import { type AgentRun, type AuditEvent } from '../audit';
import { type WorkItem, workItemKey } from '../workItem';
import { htmlToText } from '../htmlToText';
import { clip, escapeMarkdown } from './markdown';

/** `AB#7` or `owner/repo#45` (GitHub items without a repository: `#45`). */
export const itemKey = (item: Pick<WorkItem, 'tracker' | 'id' | 'repository'>): string =>
  item.tracker === 'github' && !item.repository ? `#${item.id}` : workItemKey(item);

/** The description as plain text (Azure Boards sends HTML, GitHub Markdown). */
export const descriptionText = (item: WorkItem): string => (item.tracker === 'azureBoards' ? htmlToText(item.description) : item.description.trim());

/** One line per item: `[AB#7](url) Task · Active · Email the reset link`. */
export function workItemLine(item: WorkItem): string {
  const who = item.assignedTo ? ` · ${escapeMarkdown(item.assignedTo)}` : '';
  return `- [${itemKey(item)}](${item.url}) ${escapeMarkdown(item.type)} · **${escapeMarkdown(item.state)}** · ${escapeMarkdown(item.title)}${who}`;
}

/** The last segment of an iteration path: `Contoso Web\Sprint 2` is `Sprint 2`. */
export const iterationName = (path: string): string => path.split('\\').filter(Boolean).pop() ?? path;

/** The details block of `/workitem`. */
export function workItemDetails(item: WorkItem, maxDescription = 1500): string {
  const rows: [string, string | undefined][] = [
    ['Type', item.type],
    ['State', item.state],
    ['Assigned to', item.assignedTo ?? 'nobody'],
    ['Iteration', item.iterationPath],
    ['Area', item.areaPath],
    ['Tags', item.tags.length ? item.tags.join(', ') : undefined],
    ['Parent', item.parentId !== undefined ? (item.tracker === 'azureBoards' ? `AB#${item.parentId}` : `#${item.parentId}`) : undefined],
    ['Children', item.childIds.length ? item.childIds.map((c) => (item.tracker === 'azureBoards' ? `AB#${c}` : `#${c}`)).join(', ') : undefined],
    ['Changed', item.modifiedAt.slice(0, 10)],
  ];
  const description = descriptionText(item);
  return [
    `### [${itemKey(item)}](${item.url}) ${escapeMarkdown(item.title)}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '').map(([k, v]) => `| ${k} | ${escapeMarkdown(v).replace(/\n/g, ' ')} |`),
    '',
    description ? clip(description, maxDescription) : '_No description._',
  ].join('\n');
}

/** Counts by state, most common first: `3 Active, 2 New`. */
export function stateCounts(items: readonly WorkItem[]): string {
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.state, (counts.get(i.state) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([s, n]) => `${n} ${escapeMarkdown(s)}`)
    .join(', ');
}

/** The sprint the current-iteration items belong to (the most common iteration path), if any. */
export function currentSprint(items: readonly WorkItem[]): string | undefined {
  const counts = new Map<string, number>();
  for (const i of items) if (i.iterationPath) counts.set(i.iterationPath, (counts.get(i.iterationPath) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return top ? iterationName(top[0]) : undefined;
}

export function outboxLines(entries: readonly OutboxEntrySummary[], max = 10): string[] {
  const lines = entries.slice(0, max).map((e) => {
    const tries = e.attempts ? `, ${e.attempts} attempt${e.attempts === 1 ? '' : 's'}` : '';
    const why = e.lastError ? ` — ${escapeMarkdown(clip(e.lastError, 160))}` : '';
    return `- ${escapeMarkdown(e.description)} (${e.state}${tries})${why}`;
  });
  if (entries.length > max) lines.push(`- … and ${entries.length - max} more`);
  return lines;
}

const OUTCOME_ICON: Readonly<Record<AgentRun['outcome'], string>> = { running: '⏳', succeeded: '✅', failed: '❌', cancelled: '⏹️' };

export function runLine(run: AgentRun): string {
  const items = run.workItemIds.length ? ` · ${run.workItemIds.map((i) => `#${i}`).join(', ')}` : '';
  return `- ${OUTCOME_ICON[run.outcome]} **${escapeMarkdown(run.agent)}** ${run.outcome} · ${run.lastAt.replace('T', ' ').slice(0, 16)} UTC · ${run.steps.length} step${run.steps.length === 1 ? '' : 's'}${items}`;
}

/** One audit event as a list line. */
export function auditEventLine(e: AuditEvent): string {
  const item = e.workItemId !== null ? ` · #${e.workItemId}` : '';
  const states = e.oldState || e.newState ? ` · ${escapeMarkdown(e.oldState ?? '∅')} → ${escapeMarkdown(e.newState ?? '∅')}` : '';
  const summary = typeof e.metadata.summary === 'string' ? ` — ${escapeMarkdown(clip(e.metadata.summary, 160))}` : '';
  return `- ${e.timestamp.replace('T', ' ').slice(0, 19)} UTC · \`${e.eventType}\` · ${escapeMarkdown(e.service)}${item}${states}${summary}`;
}

/** The event as one compact line of facts for a model prompt (never the hash chain). */
export function auditEventFact(e: AuditEvent): string {
  const meta = Object.keys(e.metadata).length ? ` metadata=${clip(JSON.stringify(e.metadata), 400)}` : '';
  return `${e.timestamp} ${e.eventType} service=${e.service} correlation=${e.correlationId}${e.workItemId !== null ? ` workItem=${e.workItemId}` : ''}${e.oldState !== null ? ` from=${e.oldState}` : ''}${e.newState !== null ? ` to=${e.newState}` : ''}${e.user ? ` user=${e.user}` : ''}${e.repository ? ` repo=${e.repository}` : ''}${meta}`;
}

/** The work item as JSON for a model or a tool result: what a reader needs, no internal fields. */
export function workItemForModel(item: WorkItem, maxDescription = 4000): Record<string, unknown> {
  return {
    id: itemKey(item),
    type: item.type,
    title: item.title,
    state: item.state,
    assignedTo: item.assignedTo ?? 'nobody',
    iterationPath: item.iterationPath,
    areaPath: item.areaPath,
    tags: item.tags,
    parentId: item.parentId,
    childIds: item.childIds,
    url: item.url,
    changed: item.modifiedAt,
    description: clip(descriptionText(item), maxDescription),
  };
}
