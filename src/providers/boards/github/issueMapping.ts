import { type StateChoice } from '../../../core/boards/workTracker';
import { type WorkItem } from '../../../core/workItem';
import { type GitHubIssue, type Milestone } from './githubSchemas';

/**
 * GitHub issues and pull requests as WorkItems, and the pure rules around them: state names, the
 * states an item may move to, the client-id marker that makes writes idempotent, and which
 * milestone is the "current iteration".
 */

export const ISSUE_TYPE = 'Issue';
export const PULL_REQUEST_TYPE = 'Pull Request';

/** The state names the extension shows for GitHub items. */
export const GITHUB_STATES = {
  open: 'Open',
  closed: 'Closed',
  notPlanned: 'Not planned',
  duplicate: 'Duplicate',
  merged: 'Merged',
} as const;

export function stateOf(issue: Pick<GitHubIssue, 'state' | 'state_reason' | 'pull_request'>): string {
  if (issue.state === 'open') return GITHUB_STATES.open;
  if (issue.pull_request) return issue.pull_request.merged_at ? GITHUB_STATES.merged : GITHUB_STATES.closed;
  if (issue.state_reason === 'not_planned') return GITHUB_STATES.notPlanned;
  if (issue.state_reason === 'duplicate') return GITHUB_STATES.duplicate;
  return GITHUB_STATES.closed;
}

/** A revision number that grows with every change: updated_at in whole seconds since 1970. */
export const revOf = (updatedAt: string): number => Math.max(0, Math.floor(Date.parse(updatedAt) / 1000));

/** `https://api.github.com/repos/o/r/issues/12` -> 12 when it is an issue of the same repository. */
export function parentNumberOf(parentUrl: string | null | undefined, repository: string): number | undefined {
  if (!parentUrl) return undefined;
  const m = /\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/?$/.exec(parentUrl);
  if (!m || m[1]!.toLowerCase() !== repository.toLowerCase()) return undefined;
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

const labelName = (label: GitHubIssue['labels'][number]): string | undefined =>
  typeof label === 'string' ? label : (label.name ?? undefined);

export function toWorkItem(issue: GitHubIssue, repository: string): WorkItem {
  const assignee = issue.assignee?.login ?? issue.assignees?.[0]?.login;
  const parentId = parentNumberOf(issue.parent_issue_url, repository);
  return {
    tracker: 'github',
    id: issue.number,
    repository,
    type: issue.pull_request ? PULL_REQUEST_TYPE : ISSUE_TYPE,
    title: issue.title,
    description: stripClientIdMarker(issue.body ?? ''),
    state: stateOf(issue),
    ...(assignee ? { assignedTo: assignee } : {}),
    ...(issue.milestone ? { iterationPath: issue.milestone.title } : {}),
    tags: issue.labels.map(labelName).filter((n): n is string => !!n),
    ...(parentId !== undefined ? { parentId } : {}),
    childIds: [],
    createdAt: issue.created_at,
    modifiedAt: issue.updated_at,
    url: issue.html_url,
    rev: revOf(issue.updated_at),
  };
}

/** Fills childIds from the parents the children name (GitHub lists the parent on the child). */
export function withChildren(items: readonly WorkItem[]): WorkItem[] {
  const children = new Map<number, number[]>();
  for (const item of items) {
    if (item.parentId === undefined) continue;
    const list = children.get(item.parentId) ?? [];
    list.push(item.id);
    children.set(item.parentId, list);
  }
  return items.map((item) => ({ ...item, childIds: (children.get(item.id) ?? []).sort((a, b) => a - b) }));
}

export const isOpen = (item: WorkItem): boolean => item.state === GITHUB_STATES.open;

/** The states an item may be moved to from where it is. A merged pull request stays merged. */
export function allowedStatesFor(item: Pick<WorkItem, 'type' | 'state'>): StateChoice[] {
  if (item.state === GITHUB_STATES.merged) return [];
  if (item.state !== GITHUB_STATES.open) return [{ state: GITHUB_STATES.open, lifecycle: 'In Progress', description: 'Reopen' }];
  if (item.type === PULL_REQUEST_TYPE) return [{ state: GITHUB_STATES.closed, lifecycle: 'Done', description: 'Close without merging' }];
  return [
    { state: GITHUB_STATES.closed, lifecycle: 'Done', description: 'Close as completed' },
    { state: GITHUB_STATES.notPlanned, description: 'Close as not planned' },
  ];
}

export type StateWrite =
  | { readonly state: 'open'; readonly state_reason: 'reopened' }
  | { readonly state: 'closed'; readonly state_reason: 'completed' | 'not_planned' | 'duplicate' };

/** The PATCH body for a state name shown to the user, or undefined when it is not a GitHub state. */
export function stateWriteFor(state: string): StateWrite | undefined {
  switch (state.trim().toLowerCase()) {
    case 'open':
    case 'reopened':
      return { state: 'open', state_reason: 'reopened' };
    case 'closed':
    case 'done':
    case 'completed':
      return { state: 'closed', state_reason: 'completed' };
    case 'not planned':
    case 'not_planned':
      return { state: 'closed', state_reason: 'not_planned' };
    case 'duplicate':
      return { state: 'closed', state_reason: 'duplicate' };
    default:
      return undefined;
  }
}

/** True when the remote item already is in the state a write asked for (a replay finds it done). */
export function isInState(item: Pick<WorkItem, 'state'>, write: StateWrite): boolean {
  if (write.state === 'open') return item.state === GITHUB_STATES.open;
  const wanted = write.state_reason === 'not_planned' ? GITHUB_STATES.notPlanned : write.state_reason === 'duplicate' ? GITHUB_STATES.duplicate : GITHUB_STATES.closed;
  return item.state === wanted || (wanted === GITHUB_STATES.closed && item.state === GITHUB_STATES.merged);
}

// ---- client id marker ----

const MARKER = /\n*<!-- ai-devops:client-id=([A-Za-z0-9._:-]{1,100}) -->\s*$/;

/** Client ids go into an HTML comment, so only a safe alphabet is allowed. */
export function isValidClientId(clientId: string): boolean {
  return /^[A-Za-z0-9._:-]{1,100}$/.test(clientId);
}

/** Appends the hidden marker GitHub keeps in the body but does not render. */
export function withClientIdMarker(markdown: string, clientId: string): string {
  if (!isValidClientId(clientId)) throw new Error(`Invalid client id: ${clientId}`);
  return `${markdown.replace(/\s+$/, '')}\n\n<!-- ai-devops:client-id=${clientId} -->`;
}

export function clientIdOf(body: string | null | undefined): string | undefined {
  return body ? MARKER.exec(body)?.[1] : undefined;
}

export const stripClientIdMarker = (body: string): string => body.replace(MARKER, '');

// ---- current iteration ----

/**
 * The milestone that is the "current iteration": among open milestones with a due date, the one due
 * soonest from today (start of the day, UTC); when every dated one is overdue, the most recently
 * due. Milestones without a due date never count. Undefined when there is none, and the caller
 * shows all open items instead.
 */
export function currentMilestone(milestones: readonly Milestone[], now: Date): Milestone | undefined {
  const dated = milestones.filter((m) => m.state === 'open' && m.due_on).map((m) => ({ m, due: Date.parse(m.due_on!) }));
  if (dated.length === 0) return undefined;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const upcoming = dated.filter((d) => d.due >= today).sort((a, b) => a.due - b.due || a.m.number - b.m.number);
  if (upcoming.length > 0) return upcoming[0]!.m;
  return dated.sort((a, b) => b.due - a.due || a.m.number - b.m.number)[0]!.m;
}
