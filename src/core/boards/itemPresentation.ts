import { type ProjectItem } from './workTracker';
import { isOpenState, lastPathSegment } from './boardTree';
import { htmlToText } from '../htmlToText';
import { type WorkItem, workItemKey } from '../workItem';

/**
 * What a work item row says: label, description, tooltip Markdown, icon and the context value the
 * manifest's menus match (`viewItem =~ /workItem/`, `/open/`, `/canHaveChildren/`). Plain data; the
 * view turns it into a TreeItem.
 */

/** A codicon id and the theme colour it is drawn in (a `charts.*` colour id), if any. */
export interface IconSpec {
  readonly id: string;
  readonly color?: string;
}

const TYPE_ICONS: Readonly<Record<string, IconSpec>> = {
  epic: { id: 'rocket', color: 'charts.orange' },
  feature: { id: 'milestone', color: 'charts.purple' },
  'user story': { id: 'book', color: 'charts.blue' },
  'product backlog item': { id: 'book', color: 'charts.blue' },
  requirement: { id: 'book', color: 'charts.blue' },
  issue: { id: 'issues', color: 'charts.green' },
  task: { id: 'tasklist', color: 'charts.yellow' },
  bug: { id: 'bug', color: 'charts.red' },
  'test case': { id: 'beaker' },
  impediment: { id: 'circle-slash', color: 'charts.red' },
  'pull request': { id: 'git-pull-request', color: 'charts.green' },
};

/** Type -> codicon, the same across processes (a User Story and a PBI are both a book). */
export function typeIcon(type: string): IconSpec {
  return TYPE_ICONS[type.trim().toLowerCase()] ?? { id: 'circle-large-outline' };
}

/** `Jordan Patel <jordan@contoso.com>` -> `Jordan Patel`; `@octocat` stays. */
export function displayName(identity: string | undefined): string | undefined {
  if (identity === undefined) return undefined;
  const m = /^(.*?)\s*<[^>]*>\s*$/.exec(identity.trim());
  const name = (m ? m[1]! : identity).trim();
  return name.length > 0 ? name : identity.trim() || undefined;
}

export const itemLabel = (item: WorkItem): string => `${item.tracker === 'azureBoards' ? item.id : `#${item.id}`} ${item.title}`;

/** `Active · Jordan Patel`, `New · Unassigned`. */
export const descriptionLine = (item: Pick<WorkItem, 'state' | 'assignedTo'>): string => `${item.state} · ${displayName(item.assignedTo) ?? 'Unassigned'}`;

/** Escapes text for Markdown so a title like `*[x](command:…)*` shows literally and runs nothing. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, (c) => `\\${c}`).replace(/\r?\n/g, '  \n');
}

/** An http(s) URL fit for a Markdown link target (parentheses and spaces encoded); undefined for anything else. */
export function safeLinkTarget(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

export const TOOLTIP_DESCRIPTION_CHARS = 400;

/** The row's tooltip: every value escaped; the only link is the item's own http(s) URL. */
export function tooltipMarkdown(item: WorkItem): string {
  const lines: string[] = [`**${escapeMarkdown(`${item.type} ${workItemKey(item)}`)}**: ${escapeMarkdown(item.title)}`, ''];
  const rows: [string, string | undefined][] = [
    ['State', item.state],
    ['Assigned to', displayName(item.assignedTo) ?? 'Unassigned'],
    ['Iteration', item.iterationPath],
    ['Area', item.areaPath],
    ['Tags', item.tags.length ? item.tags.join(', ') : undefined],
    ['Parent', item.parentId !== undefined ? String(item.parentId) : undefined],
    ['Children', item.childIds.length ? String(item.childIds.length) : undefined],
    ['Changed', item.modifiedAt.replace('T', ' ').slice(0, 16)],
  ];
  for (const [label, value] of rows) if (value) lines.push(`${label}: ${escapeMarkdown(value)}  `);
  const description = clip(item.tracker === 'azureBoards' ? htmlToText(item.description, '• ') : item.description.trim(), TOOLTIP_DESCRIPTION_CHARS);
  if (description) lines.push('', '---', '', escapeMarkdown(description));
  const link = safeLinkTarget(item.url);
  if (link) lines.push('', `[Open in browser](${link})`);
  return lines.join('\n');
}

/** Azure Boards' task level cannot hold children; everything else may (the command checks the process). */
export function canHaveChildren(item: Pick<WorkItem, 'tracker' | 'type'>): boolean {
  if (item.tracker === 'github') return item.type.toLowerCase() !== 'pull request';
  return !['task', 'test case', 'impediment'].includes(item.type.trim().toLowerCase());
}

/** `workItem.azureBoards.open.canHaveChildren`: what the manifest's menu `when` clauses test. */
export function contextValue(item: Pick<WorkItem, 'tracker' | 'type' | 'state'>): string {
  return ['workItem', item.tracker, isOpenState(item.state) ? 'open' : 'closed', ...(canHaveChildren(item) ? ['canHaveChildren'] : [])].join('.');
}

/** GitHub Projects rows. */
export function projectItemIcon(item: Pick<ProjectItem, 'contentType' | 'state'>): IconSpec {
  const state = (item.state ?? '').toLowerCase();
  if (item.contentType === 'draft') return { id: 'note', color: 'charts.foreground' };
  if (item.contentType === 'pullRequest') {
    if (state === 'merged') return { id: 'git-merge', color: 'charts.purple' };
    if (state === 'closed') return { id: 'git-pull-request-closed', color: 'charts.red' };
    if (state === 'draft') return { id: 'git-pull-request-draft' };
    return { id: 'git-pull-request', color: 'charts.green' };
  }
  if (state === 'closed') return { id: 'issue-closed', color: 'charts.purple' };
  return { id: 'issues', color: 'charts.green' };
}

export function projectItemLabel(item: ProjectItem): string {
  return item.number === undefined ? item.title : `#${item.number} ${item.title}`;
}

/** `owner/repo · @alice, @bob`, `Draft`. */
export function projectItemDescription(item: ProjectItem): string {
  const parts: string[] = [];
  if (item.contentType === 'draft') parts.push('Draft');
  else if (item.repository) parts.push(item.repository);
  if (item.assignees.length) parts.push(item.assignees.map((a) => `@${a.replace(/^@/, '')}`).join(', '));
  if (item.labels.length) parts.push(item.labels.join(', '));
  return parts.join(' · ');
}

export function projectItemTooltip(item: ProjectItem): string {
  const kind = item.contentType === 'pullRequest' ? 'Pull request' : item.contentType === 'draft' ? 'Draft issue' : 'Issue';
  const lines = [`**${escapeMarkdown(kind)}${item.number !== undefined ? ` ${escapeMarkdown(`${item.repository ?? ''}#${item.number}`)}` : ''}**: ${escapeMarkdown(item.title)}`, ''];
  const rows: [string, string | undefined][] = [
    ['Status', item.status ?? 'No Status'],
    ['State', item.state],
    ['Assignees', item.assignees.length ? item.assignees.join(', ') : 'None'],
    ['Labels', item.labels.length ? item.labels.join(', ') : undefined],
  ];
  for (const [label, value] of rows) if (value) lines.push(`${label}: ${escapeMarkdown(value)}  `);
  const link = safeLinkTarget(item.url);
  if (link) lines.push('', `[Open in browser](${link})`);
  return lines.join('\n');
}

/** The project item's context value: issues and PRs act like work items; drafts only open. */
export function projectItemContextValue(item: ProjectItem): string {
  if (item.contentType === 'draft' || item.number === undefined) return 'projectItem.draft';
  const open = (item.state ?? 'open').toLowerCase() === 'open';
  return ['workItem', 'github', item.contentType, open ? 'open' : 'closed', ...(item.contentType === 'issue' ? ['canHaveChildren'] : [])].join('.');
}

export { lastPathSegment };
