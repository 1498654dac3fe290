import path from 'node:path';
import * as vscode from 'vscode';
import { branchNameFor, workItemIdFromBranch } from '../../core/boards/branchName';
import { commitReference, withCommitReference } from '../../core/boards/commandTarget';
import { type StateChoice } from '../../core/boards/workTracker';
import { DevOpsError } from '../../core/errors';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { WorkspaceGit } from '../../providers/git/workspaceGit';
import { refusedInRestrictedMode } from '../../host/restrictedMode';
import { abortSignal, type BoardsCommandContext, type CommandTarget, resolveTarget, showCommandError } from './commandContext';
import { runWrite, type WriteResult } from './writeOutcome';

/** The parts of the built-in Git extension's API (vscode.git, getAPI(1)) used here. */
interface GitRepositoryApi {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: { readonly HEAD?: { readonly name?: string } };
}
interface GitApi {
  readonly repositories: readonly GitRepositoryApi[];
}
interface GitExtensionExports {
  getAPI(version: 1): GitApi;
}

export interface StartWorkResult {
  readonly branch: string;
  readonly from: string;
  readonly created: boolean;
  readonly state: WriteResult | 'unchanged' | 'notAllowed';
  readonly link: WriteResult | 'failed';
}

const IN_PROGRESS_NAMES = ['in progress', 'active', 'doing', 'committed'];

function inProgressChoice(choices: readonly StateChoice[]): StateChoice | undefined {
  return choices.find((c) => c.lifecycle === 'In Progress') ?? choices.find((c) => IN_PROGRESS_NAMES.includes(c.state.toLowerCase()));
}

async function gitApi(): Promise<GitApi> {
  const extension = vscode.extensions.getExtension<GitExtensionExports>('vscode.git');
  if (!extension) throw new DevOpsError('notConfigured', 'The built-in Git extension is not available (disabled?). Enable "Git" in the Extensions view to put the reference into the commit message.');
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports.getAPI(1);
}

/** The Source Control repository of the workspace root (the innermost one containing it), else the first. */
function repositoryFor(api: GitApi, workspaceRoot: string | undefined): GitRepositoryApi | undefined {
  if (workspaceRoot) {
    const containing = api.repositories
      .filter((r) => {
        const rel = path.relative(r.rootUri.fsPath, workspaceRoot);
        return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
      })
      .sort((a, b) => b.rootUri.fsPath.length - a.rootUri.fsPath.length);
    if (containing[0]) return containing[0];
  }
  return api.repositories[0];
}

/** Start work: a branch from the default branch, the item In Progress, the branch linked to it. */
async function startWork(context: BoardsCommandContext, t: CommandTarget): Promise<StartWorkResult | undefined> {
  if (!context.workspaceRoot) throw new DevOpsError('notConfigured', 'Open a folder with a git repository first: the branch is created in the workspace.');
  const git = new WorkspaceGit(context.workspaceRoot, { trusted: () => vscode.workspace.isTrusted });
  const key = workItemKey(t.item);
  const branch = branchNameFor(t.item.id, t.item.title);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting work on ${key}`, cancellable: true }, async (progress, token) => {
    const signal = abortSignal(token);
    progress.report({ message: 'finding the default branch…' });
    const base = await git.defaultBranch(signal);
    progress.report({ message: `creating ${branch} from ${base}…` });
    const made = await git.createBranch(branch, base, signal);

    progress.report({ message: 'moving the item to In Progress…' });
    let state: StartWorkResult['state'] = 'unchanged';
    const choices = await t.tracker.allowedStates(t.item, signal);
    const target = inProgressChoice(choices);
    const already = IN_PROGRESS_NAMES.includes(t.item.state.toLowerCase());
    if (!already && target) {
      state = await runWrite(t.tracker, t.item, `move it to ${target.state}`, (current) => t.tracker.changeState(current, target.state, { correlationId: 'aiDevops.workItem.startWork', signal }), { quietWhenApplied: true });
    } else if (!already) {
      state = 'notAllowed';
    }

    progress.report({ message: 'linking the branch…' });
    let link: StartWorkResult['link'];
    try {
      link = await runWrite(t.tracker, t.item, `link branch ${branch}`, (current: WorkItem) => t.tracker.linkBranch(current, `refs/heads/${branch}`, { correlationId: 'aiDevops.workItem.startWork', signal }), { quietWhenApplied: true });
    } catch (error) {
      // The branch exists either way; a failed link is worth a warning, not undoing the branch.
      link = 'failed';
      context.log.warn(`Start work: linking ${branch} to ${key} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    await context.reload();
    const parts = [`${made.created ? 'Created' : 'Switched to'} ${branch}${made.created ? ` from ${made.from}` : ''}`];
    if (state === 'applied') parts.push(`${key} is ${target?.state ?? 'In Progress'}`);
    if (state === 'queued') parts.push(`the move to ${target?.state ?? 'In Progress'} will be sent when the service is reachable`);
    if (state === 'notAllowed') parts.push(`${key} stays ${t.item.state} (its process does not allow In Progress from there)`);
    if (link === 'applied') parts.push('the branch is linked to it');
    if (link === 'queued') parts.push('the branch link will be sent later');
    if (link === 'failed') parts.push('linking the branch failed (see the log); link it on the service');
    const message = `${parts.join('; ')}.`;
    if (link === 'failed') void vscode.window.showWarningMessage(message, 'Show Log').then((p) => p && vscode.commands.executeCommand('aiDevops.showLog'));
    else void vscode.window.showInformationMessage(message);
    return { branch, from: made.from, created: made.created, state, link };
  });
}

/** Puts `AB#<id>` (or `#n` / `owner/repo#n`) into the Source Control commit message box. */
async function insertInCommitMessage(context: BoardsCommandContext, arg: unknown): Promise<string | undefined> {
  const api = await gitApi();
  const repo = repositoryFor(api, context.workspaceRoot);
  if (!repo) throw new DevOpsError('notConfigured', 'No git repository is open in Source Control. Open a folder inside a repository (or initialize one) first.');
  let t: CommandTarget | undefined;
  if (arg === undefined || arg === null || (typeof arg === 'object' && 'rootUri' in arg)) {
    // From the Source Control title bar: the item the current branch was started for, else ask.
    const id = workItemIdFromBranch(repo.state.HEAD?.name ?? '');
    if (id !== undefined && context.azure()) t = await resolveTarget(context, { reference: { tracker: 'azureBoards', id } }, '');
    else t = await resolveTarget(context, undefined, 'Reference which work item in the commit message?');
  } else {
    t = await resolveTarget(context, arg, 'Reference which work item in the commit message?');
  }
  if (!t) return undefined;
  const github = context.github();
  const identity = t.item.tracker === 'github' && github ? await github.identity().catch(() => undefined) : undefined;
  const current = identity?.label.match(/\(([^)]+\/[^)]+)\)/)?.[1];
  const reference = commitReference({ tracker: t.item.tracker, id: t.item.id, ...(t.item.repository ? { repository: t.item.repository } : {}) }, current);
  repo.inputBox.value = withCommitReference(repo.inputBox.value, reference);
  await vscode.commands.executeCommand('workbench.view.scm');
  return repo.inputBox.value;
}

export function registerGitCommands(context: BoardsCommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aiDevops.workItem.startWork', async (arg?: unknown) => {
      if (refusedInRestrictedMode('Start work')) return undefined;
      try {
        const t = await resolveTarget(context, arg, 'Start work on which work item?');
        return t ? await startWork(context, t) : undefined;
      } catch (error) {
        await showCommandError(error, context.log, 'Start work');
        return undefined;
      }
    }),
    vscode.commands.registerCommand('aiDevops.workItem.insertInCommitMessage', async (arg?: unknown) => {
      try {
        return await insertInCommitMessage(context, arg);
      } catch (error) {
        await showCommandError(error, context.log, 'Reference in commit message');
        return undefined;
      }
    }),
  ];
}
