import { acceptanceCriteriaOf } from '../../core/boards/acceptanceCriteria';
import { remoteRepositoryOf } from '../../core/boards/remoteRepository';
import { parseWorkItemArgument, referenceText } from '../../core/chat/workItemArgument';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { htmlToText } from '../../core/htmlToText';
import { type WorkItem } from '../../core/workItem';
import { type AgentContext } from '../runtime/context';
import { type PlannedCommand, type RemoteChange } from '../runtime/plan';
import { lifecycleMoves } from '../runtime/lifecycleMoves';

/** What the scaffold made, as the pull request, the wiki page and the comment describe it. */
export interface ScaffoldSummary {
  readonly template: string;
  readonly name: string;
  readonly database?: string;
  readonly folder: string;
  readonly files: readonly string[];
  readonly testCommand: string;
  readonly parts: string;
}

export interface WorkItemLink {
  readonly item: WorkItem;
  readonly commands: PlannedCommand[];
  readonly remote: RemoteChange[];
  readonly notes: string[];
  readonly facts: { label: string; value: string }[];
}

/** The branch a task's work goes on, as the team's convention names it. */
/** How a work item is named in commits and messages: AB#12 on Azure Boards, #12 on GitHub. */
export const workItemKey = (item: Pick<WorkItem, 'tracker' | 'id'>): string => (item.tracker === 'azureBoards' ? `AB#${item.id}` : `#${item.id}`);

/** What a model reads of a work item for its entities: title, description and acceptance criteria as plain text. */
export function workItemText(item: WorkItem): string {
  const description = (item.tracker === 'azureBoards' ? htmlToText(item.description) : item.description).trim();
  const criteria = item.acceptanceCriteria ? htmlToText(item.acceptanceCriteria).trim() : '';
  return [`Title: ${item.title}`, description && `Description:\n${description}`, criteria && `Acceptance criteria:\n${criteria}`].filter(Boolean).join('\n\n');
}

export const taskBranch = (id: number): string => `task-${id}-dev`;

/** The work item a reference names, read through the tracker it belongs to; a clear error when it cannot be. */
export async function workItemFor(ctx: AgentContext, text: string): Promise<WorkItem> {
  const reference = parseWorkItemArgument(text, ctx.trackers.defaultTracker);
  if (!reference) throw new DevOpsError('invalidInput', `"${text}" does not name a work item; write AB#12, #12, owner/repo#12 or the item's URL.`);
  const tracker = reference.tracker === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
  const label = referenceText(reference);
  if (!tracker) throw new DevOpsError('notConfigured', `${label}: ${reference.tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not connected. Sign in (AI DevOps: Sign In), or scaffold without a work item.`);
  const found = (await tracker.get([reference.id], ctx.signal)).get(reference.id);
  if (found === undefined) throw new DevOpsError('notFound', `${label} was not found in the connected ${reference.tracker === 'azureBoards' ? 'project' : 'repository'}.`);
  if (found instanceof Error) throw found;
  if (reference.tracker === 'github' && reference.owner && reference.repo && found.repository && `${reference.owner}/${reference.repo}`.toLowerCase() !== found.repository.toLowerCase()) {
    throw new DevOpsError('notConfigured', `${label} is in another repository; the extension is connected to ${found.repository}.`);
  }
  return found;
}

const quote = (text: string): string =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

function describe(item: WorkItem, s: ScaffoldSummary, branch: string | undefined): { criteria: string | undefined; body: string } {
  const criteria = acceptanceCriteriaOf(item);
  const key = item.tracker === 'azureBoards' ? `AB#${item.id}` : `#${item.id}`;
  const lines = [
    `${item.tracker === 'github' ? `Resolves ${key}` : `Work item: ${key}`}: ${item.title}`,
    '',
    '## Acceptance criteria',
    '',
    criteria ?? `_${key} states no acceptance criteria._`,
    '',
    '## What was generated',
    '',
    `A ${s.template} project \`${s.name}\`${s.database ? ` with ${s.database}` : ''} in \`${s.folder === '.' ? '/' : s.folder}\` by the AI DevOps scaffold agent: ${s.files.length} files (${s.parts}).`,
    '',
    `- Run its tests: \`${s.testCommand}\``,
    ...(branch ? [`- Branch: \`${branch}\``] : []),
    '',
    `Why: ${key} asks for it; the template's defaults were used where the item says nothing.`,
  ];
  return { criteria, body: lines.join('\n') };
}

/**
 * The steps that tie a scaffold to a work item, each approved and audited like the files: the
 * branch `task-<id>-dev` and a commit naming the item (`AB#12` / `#12`), its push, a pull request
 * on the repository the remote names (Azure Repos or GitHub) whose description holds the item's
 * acceptance criteria, and a wiki page (Azure DevOps) or a comment on the issue (GitHub) saying
 * what was generated and why. Without git, or without a remote the connected service hosts, the
 * steps that cannot happen are left out and the notes say so.
 */
export async function workItemLink(ctx: AgentContext, item: WorkItem, summary: ScaffoldSummary): Promise<WorkItemLink> {
  const key = workItemKey(item);
  const commands: PlannedCommand[] = [];
  const remote: RemoteChange[] = [];
  const notes: string[] = [];
  const facts = [{ label: 'Work item', value: `${key} ${item.title}` }];
  const git = ctx.git;
  let branch: string | undefined;
  let pushed = false;
  let prTarget: string | undefined;
  const remoteUrl = git ? await git.remoteUrl('origin', ctx.signal).catch(() => undefined) : undefined;
  if (!git) {
    notes.push(`The folder is not a git repository: no branch, commit or pull request for ${key} (git init and run again to get them).`);
  } else {
    const status = await git.status(ctx.signal).catch((error: unknown) => {
      if (isDevOpsError(error)) return undefined;
      throw error;
    });
    const current = status?.branch;
    branch = taskBranch(item.id);
    if (status?.operation) throw new DevOpsError('conflict', `A ${status.operation} is in progress in this repository; finish or abort it, then scaffold again.`);
    if (status?.staged.length) notes.push(`Already staged before the scaffold (${status.staged.slice(0, 5).join(', ')}${status.staged.length > 5 ? ', …' : ''}) goes into the commit too.`);
    prTarget = current && current !== branch ? current : await git.defaultBranch(ctx.signal).catch(() => undefined);
    if (current !== branch) commands.push({ file: 'git', args: ['switch', '-c', branch], why: `the branch for ${key}'s work` });
    if (summary.files.length) {
      commands.push({ file: 'git', args: ['add', '--', ...summary.files], why: 'stage the generated files' });
      const subject = `feat: scaffold the ${summary.template} project ${summary.name} (${key})`;
      commands.push({ file: 'git', args: ['commit', '-m', `${subject}\n\n${item.title}\n\n${item.tracker === 'azureBoards' ? `AB#${item.id}` : `Refs #${item.id}`}`], why: `the commit that names ${key}, so the service links it` });
    }
    facts.push({ label: 'Branch', value: branch });
    if (!remoteUrl) notes.push(`The repository has no "origin" remote: the commit stays local and no pull request is opened.`);
    else {
      remote.push({ id: 'push', kind: 'git.push', approval: 'pushPublish', target: 'origin', summary: `Push ${branch} to origin`, payload: { remote: 'origin', refs: [branch], setUpstream: true } });
      pushed = true;
    }
  }
  const { criteria, body } = describe(item, summary, branch);
  if (!criteria) notes.push(`${key} states no acceptance criteria; the pull request says so.`);
  const hosted = remoteUrl ? remoteRepositoryOf(remoteUrl) : undefined;
  const host = hosted?.host ?? (item.tracker === 'azureBoards' ? 'azureRepos' : 'github');
  const wrongHost = hosted && (hosted.host === 'azureRepos') !== (item.tracker === 'azureBoards');
  const otherRepo = hosted?.host === 'github' && item.repository && `${hosted.owner}/${hosted.repo}`.toLowerCase() !== item.repository.toLowerCase();
  if (pushed && branch && prTarget && !wrongHost && !otherRepo) {
    remote.push({
      id: 'pullRequest',
      kind: 'pullRequest.create',
      approval: 'pushPublish',
      target: `${branch} → ${prTarget}`,
      summary: `Open a pull request ${branch} → ${prTarget} for ${key}, its description holding the acceptance criteria`,
      payload: {
        host,
        ...(hosted?.host === 'azureRepos' ? { repository: hosted.repository } : {}),
        sourceBranch: branch,
        targetBranch: prTarget,
        title: `${key}: scaffold ${summary.name} (${summary.template})`.slice(0, 400),
        description: body.slice(0, 4_000),
        ...(item.tracker === 'azureBoards' ? { workItemIds: [item.id] } : {}),
      },
      dependsOn: ['push'],
    });
  } else if (pushed && (wrongHost || otherRepo)) {
    notes.push(`origin (${remoteUrl}) is not where ${key} lives, so no pull request is opened; open one by hand after the push.`);
  } else if (pushed && !prTarget) notes.push('The branch to merge into could not be found (no default branch): no pull request is opened.');
  const record = [`# ${key}: ${item.title}`, '', body, '', `Generated files:`, '', ...summary.files.slice(0, 200).map((f) => `- \`${f}\``), ...(summary.files.length > 200 ? [`- … and ${summary.files.length - 200} more`] : [])].join('\n');
  if (item.tracker === 'azureBoards') {
    const title = htmlToText(item.title).replace(/[\\/#?:*"<>|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
    const page = `/AI DevOps/Scaffold/AB-${item.id} ${title}`.trim();
    remote.push({ id: 'wiki', kind: 'wiki.page', approval: 'pushPublish', target: `wiki ${page}`, summary: `Write the wiki page ${page}: what was generated for ${key} and why`, payload: { path: page, content: record } });
  } else {
    remote.push({
      id: 'comment',
      kind: 'workItem.comment',
      approval: 'trackerWrite',
      target: key,
      summary: `Comment on ${key}: what was generated and why`,
      payload: { tracker: 'github', id: item.id, markdown: `The AI DevOps scaffold agent generated this issue's project.\n\n${quote(body)}`.slice(0, 32_000) },
    });
  }
  // The item moves along its process as the scaffold works on it: In Progress when the work
  // starts (before anything else is sent), Code Review once its pull request is open.
  const pullRequest = remote.some((r) => r.id === 'pullRequest');
  const tracker = item.tracker === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
  const moves = await lifecycleMoves(tracker, item, [
    { id: 'move-start', target: 'In Progress', why: 'the scaffold starts its work' },
    ...(pullRequest ? [{ id: 'move-review', target: 'Code Review' as const, why: 'its pull request is open', dependsOn: ['pullRequest'] }] : []),
  ], ctx.signal);
  notes.push(...moves.notes);
  remote.unshift(...moves.changes.filter((m) => m.id === 'move-start'));
  remote.push(...moves.changes.filter((m) => m.id !== 'move-start'));
  return { item, commands, remote, notes, facts };
}
