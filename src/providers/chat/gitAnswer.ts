import { branchNameFor } from '../../core/boards/branchName';
import { type ChatAnswer, type ChatOutput } from '../../core/chat/chatOutput';
import { cleanCommitMessage, draftCommitMessage, type ChangedFile } from '../../core/chat/commitMessage';
import { parseGitIntent, workItemIdInBranchName } from '../../core/chat/gitIntent';
import { escapeMarkdown, fenced } from '../../core/chat/markdown';
import { commitMessageMessages } from '../../core/chat/prompts';
import { referenceText } from '../../core/chat/workItemArgument';
import { itemKey, workItemLine } from '../../core/chat/workItemFormat';
import { type WorkItemReference } from '../../core/todo/references';
import { type WorkItem } from '../../core/workItem';
import { type ChatGit, type ChatRequestInput, type ChatServices } from './chatServices';
import { completeWithModel, noteModelUnavailable } from './modelAnswer';
import { workItemCommandArgument } from './workItemAnswer';
import { getWorkItem } from './workItemLookup';

const MAX_FILES = 15;

function fileList(title: string, files: readonly string[]): string[] {
  if (files.length === 0) return [];
  const shown = files.slice(0, MAX_FILES).map((f) => `  - \`${f.replace(/`/g, "'")}\``);
  return [`- ${title} (${files.length}):`, ...shown, ...(files.length > MAX_FILES ? [`  - … and ${files.length - MAX_FILES} more`] : [])];
}

async function requireRepository(git: ChatGit | undefined, output: ChatOutput, signal: AbortSignal): Promise<ChatGit | undefined> {
  if (!git) {
    output.markdown('No folder is open, so there is no repository to look at. Open a folder that is a git clone.');
    return undefined;
  }
  if (!(await git.isRepository(signal))) {
    output.markdown('This workspace folder is not in a git repository. Run `git init` there (or **Source Control > Initialize Repository**), or open a folder inside a clone.');
    return undefined;
  }
  return git;
}

/** The work item a request names, else the one the current branch is for (in the default tracker). */
function referenceOrBranch(reference: WorkItemReference | undefined, branch: string | undefined, services: ChatServices): WorkItemReference | undefined {
  if (reference) return reference;
  const id = branch ? workItemIdInBranchName(branch) : undefined;
  if (id === undefined) return undefined;
  return services.defaultTracker() === 'azureBoards' ? { tracker: 'azureBoards', id } : { tracker: 'github', id };
}

/** The item if it can be read; a note (not an error) when it cannot, since git answers do not depend on it. */
async function tryWorkItem(reference: WorkItemReference | undefined, services: ChatServices, output: ChatOutput, signal: AbortSignal): Promise<WorkItem | undefined> {
  if (!reference) return undefined;
  try {
    return await getWorkItem(reference, services.trackers, signal);
  } catch (error) {
    output.markdown(`_${referenceText(reference)} could not be read: ${error instanceof Error ? error.message : String(error)}_\n\n`);
    return undefined;
  }
}

async function status(req: ChatRequestInput, services: ChatServices, git: ChatGit): Promise<ChatAnswer> {
  const { output, signal } = req;
  const s = await git.status(signal);
  const branch = s.branch ? `\`${s.branch}\`` : 'a detached HEAD';
  const tracking = s.tracking ? ` tracking \`${s.tracking}\` (${s.ahead} ahead, ${s.behind} behind)` : s.branch ? ' (not pushed: no upstream branch)' : '';
  const lines = [`**Branch:** ${branch}${tracking}${s.unborn ? ' — no commits yet' : ''}`];
  if (s.operation) lines.push(`**A ${s.operation} is in progress.** Finish it or abort it (\`git ${s.operation} --abort\`).`);
  if (s.clean) lines.push('**Working tree:** clean, nothing to commit.');
  else lines.push('**Changes:**', ...fileList('conflicted', s.conflicted), ...fileList('staged', s.staged), ...fileList('modified, not staged', s.modified), ...fileList('untracked', s.untracked));
  output.markdown(`${lines.join('\n')}\n\n`);

  const item = await tryWorkItem(referenceOrBranch(undefined, s.branch, services), services, output, signal);
  if (item) {
    output.markdown(`**This branch is for:**\n${workItemLine(item)}\n`);
    output.reference({ kind: 'url', url: item.url, title: `${itemKey(item)} ${item.title}` });
  } else if (s.branch && !s.unborn) {
    output.markdown('_The branch name names no work item; `/git branch AB#<id>` proposes one that does._\n');
  }
  return { command: 'git', workItems: item ? [itemKey(item)] : [] };
}

async function branch(req: ChatRequestInput, services: ChatServices, git: ChatGit, reference: WorkItemReference | undefined): Promise<ChatAnswer> {
  const { output, signal } = req;
  if (!reference) {
    output.markdown('Which work item is the branch for? For example `/git branch AB#7`.');
    return { command: 'git' };
  }
  const item = await getWorkItem(reference, services.trackers, signal);
  const name = branchNameFor(item.id, item.title);
  const current = (await git.status(signal)).branch;
  output.reference({ kind: 'url', url: item.url, title: `${itemKey(item)} ${item.title}` });
  if (current === name) {
    output.markdown(`You are already on \`${name}\`, the branch for ${workItemLine(item).slice(2)}.`);
    return { command: 'git', workItems: [itemKey(item)] };
  }
  output.markdown(`The branch for ${workItemLine(item).slice(2)}:\n\n${fenced(name)}\n\n**Start Work** creates it from the default branch, checks it out and links it to the work item.\n\n`);
  output.button({ command: 'aiDevops.workItem.startWork', title: 'Start Work (Create Branch)', arguments: [workItemCommandArgument(item)] });
  return { command: 'git', workItems: [itemKey(item)] };
}

async function commitMessage(req: ChatRequestInput, services: ChatServices, git: ChatGit, reference: WorkItemReference | undefined): Promise<ChatAnswer> {
  const { output, signal } = req;
  output.progress('Reading the diff…');
  const s = await git.status(signal);
  const diff = await git.diff(signal);
  const changed: ChangedFile[] = [
    ...diff.files.map((path) => ({ path, status: 'M' })),
    ...(diff.source === 'workingTree' ? s.untracked.map((path) => ({ path, status: '?' })) : []),
  ];
  if (changed.length === 0) {
    output.markdown('There is nothing to commit: no staged or changed files.');
    return { command: 'git' };
  }
  const item = await tryWorkItem(referenceOrBranch(reference, s.branch, services), services, output, signal);
  const key = item ? itemKey(item) : reference ? referenceText(reference) : undefined;
  const from = diff.source === 'staged' ? 'the staged changes' : 'the working tree (nothing is staged)';
  output.progress(`Drafting a commit message from ${from}…`);
  const answer = diff.text.trim() ? await completeWithModel(req.model, commitMessageMessages(diff.text, changed.map((c) => c.path), key, item?.title), signal) : undefined;
  const message = answer?.ok && answer.text.trim() ? cleanCommitMessage(answer.text, key) : draftCommitMessage(changed, key, item?.title);
  const how = answer?.ok ? `drafted by ${escapeMarkdown(answer.model)} from ${from}` : `drafted from the names of the files changed in ${from}`;
  output.markdown(`A commit message ${how}${diff.truncated ? ` (the diff was cut to ${Math.round(diff.text.length / 1000)} kB of ${Math.round(diff.totalBytes / 1000)} kB)` : ''}:\n\n${fenced(message)}\n`);
  if (answer && !answer.ok) noteModelUnavailable(output, answer.error, 'A message written from the diff itself');
  if (!key) output.markdown('\n_No work item is named (none given, and the branch names none), so the message has no `AB#` reference; `/git commit AB#<id>` adds one._\n');
  return { command: 'git', workItems: key ? [key] : [], usedModel: answer?.ok ?? false };
}

/** `/git`: status; `/git branch <item>`: the branch for a work item; `/git commit [<item>]`: a commit message with AB#id. */
export async function answerGit(req: ChatRequestInput, services: ChatServices): Promise<ChatAnswer> {
  const git = await requireRepository(services.git, req.output, req.signal);
  if (!git) return { command: 'git' };
  const intent = parseGitIntent(req.prompt, services.defaultTracker());
  switch (intent.kind) {
    case 'status':
      return status(req, services, git);
    case 'branch':
      return branch(req, services, git, intent.reference);
    case 'commit':
      return commitMessage(req, services, git, intent.reference);
  }
}
