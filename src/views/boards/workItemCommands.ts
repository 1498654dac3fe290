import * as vscode from 'vscode';
import { commitReference } from '../../core/boards/commandTarget';
import { type StateChoice } from '../../core/boards/workTracker';
import { DevOpsError } from '../../core/errors';
import { lifecycleForStatus, statusOptionFor } from '../../core/process';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { type BoardsCommandContext, type CommandTarget, type ProjectContext, resolveTarget, showCommandError } from './commandContext';
import { runWrite, type WriteResult } from './writeOutcome';

/** Open, copy, change state, mark done, assign, comment, create child: the work item actions. */
export function registerWorkItemCommands(context: BoardsCommandContext): vscode.Disposable[] {
  const guarded =
    <A extends unknown[], R>(what: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (error) {
        await showCommandError(error, context.log, what);
        return undefined;
      }
    };
  const target = (arg: unknown, purpose: string): Promise<CommandTarget | undefined> => resolveTarget(context, arg, purpose);
  const afterWrite = async (result: WriteResult): Promise<WriteResult> => {
    await context.reload();
    return result;
  };

  return [
    vscode.commands.registerCommand(
      'aiDevops.workItem.openInBrowser',
      guarded('Open in browser', async (arg?: unknown) => {
        const t = await target(arg, 'Open which work item in the browser?');
        if (!t) return false;
        return vscode.env.openExternal(vscode.Uri.parse(t.item.url));
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.copyId',
      guarded('Copy id', async (arg?: unknown) => {
        const t = await target(arg, 'Copy the id of which work item?');
        if (!t) return undefined;
        const text = workItemKey(t.item);
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
        return text;
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.copyLink',
      guarded('Copy link', async (arg?: unknown) => {
        const t = await target(arg, 'Copy the link of which work item?');
        if (!t) return undefined;
        await vscode.env.clipboard.writeText(t.item.url);
        vscode.window.setStatusBarMessage(`Copied the link to ${workItemKey(t.item)}`, 3000);
        return t.item.url;
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.changeState',
      guarded('Change state', async (arg?: unknown, state?: unknown) => {
        const t = await target(arg, 'Change the state of which work item?');
        if (!t) return undefined;
        const wanted = typeof state === 'string' ? state : undefined;
        if (t.project) {
          const r = await changeProjectStatus(t.item, t.project, wanted);
          return r === undefined ? undefined : afterWrite(r);
        }
        const choices = await t.tracker.allowedStates(t.item);
        const chosen = wanted ?? (await pickState(t.item, choices));
        if (chosen === undefined) return undefined;
        if (!choices.some((c) => c.state.toLowerCase() === chosen.toLowerCase())) {
          throw new DevOpsError('invalidInput', `${workItemKey(t.item)} cannot move from ${t.item.state} to ${chosen}; it may move to ${choices.map((c) => c.state).join(', ') || 'no other state'}.`);
        }
        return afterWrite(await runWrite(t.tracker, t.item, `change the state to ${chosen}`, (current) => t.tracker.changeState(current, chosen, { correlationId: 'aiDevops.workItem.changeState' })));
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.markDone',
      guarded('Mark done', async (arg?: unknown) => {
        const t = await target(arg, 'Mark which work item done?');
        if (!t) return undefined;
        if (t.project) {
          const match = statusOptionFor(t.project.statusOptions.map((name) => ({ id: name, name })), 'Done');
          if (!match.ok || match.option === null) throw new DevOpsError('invalidInput', match.ok ? match.note : match.reason);
          const r = await changeProjectStatus(t.item, t.project, match.option.name);
          return r === undefined ? undefined : afterWrite(r);
        }
        const choices = await t.tracker.allowedStates(t.item);
        const done = doneState(choices);
        if (!done) {
          throw new DevOpsError('invalidInput', `${workItemKey(t.item)} cannot be marked done from ${t.item.state}; it may move to ${choices.map((c) => c.state).join(', ') || 'no other state'}. Use "Change Work Item State…".`);
        }
        return afterWrite(await runWrite(t.tracker, t.item, `mark it ${done.state}`, (current) => t.tracker.changeState(current, done.state, { correlationId: 'aiDevops.workItem.markDone' })));
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.assignToMe',
      guarded('Assign to me', async (arg?: unknown) => {
        const t = await target(arg, 'Assign which work item to you?');
        if (!t) return undefined;
        return afterWrite(await runWrite(t.tracker, t.item, 'assign it to you', (current) => t.tracker.assignToMe(current, { correlationId: 'aiDevops.workItem.assignToMe' })));
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.addComment',
      guarded('Add comment', async (arg?: unknown, text?: unknown) => {
        const t = await target(arg, 'Comment on which work item?');
        if (!t) return undefined;
        const comment =
          typeof text === 'string'
            ? text
            : await vscode.window.showInputBox({
                title: `Comment on ${workItemKey(t.item)}: ${t.item.title}`,
                prompt: 'Markdown; it is added as a new comment.',
                validateInput: (v) => (v.trim().length === 0 ? 'Write something to comment.' : v.length > 10_000 ? 'At most 10,000 characters.' : undefined),
              });
        if (comment === undefined || comment.trim() === '') return undefined;
        return afterWrite(
          await runWrite(t.tracker, t.item, 'add your comment', (current) => t.tracker.addComment(current, comment.trim(), { correlationId: 'aiDevops.workItem.addComment' }), {
            appliedMessage: (i) => `Comment added to ${workItemKey(i)}.`,
          }),
        );
      }),
    ),
    vscode.commands.registerCommand(
      'aiDevops.workItem.createChild',
      guarded('Create child', async (arg?: unknown, type?: unknown, title?: unknown) => {
        const t = await target(arg, 'Create a child of which work item?');
        if (!t) return undefined;
        const types = await t.tracker.childTypes(t.item);
        if (types.length === 0) {
          void vscode.window.showInformationMessage(`${article(t.item.type)} has no child items in this process; create the item under its parent instead.`);
          return undefined;
        }
        const chosenType = typeof type === 'string' ? type : types.length === 1 ? types[0] : (await vscode.window.showQuickPick([...types], { title: `New child of ${workItemKey(t.item)}`, placeHolder: 'Work item type' }));
        if (chosenType === undefined) return undefined;
        if (!types.includes(chosenType)) throw new DevOpsError('invalidInput', `${article(chosenType)} cannot be a child of ${article(t.item.type)}; allowed: ${types.join(', ')}.`);
        return createItem(context, t, chosenType, typeof title === 'string' ? title : undefined);
      }),
    ),
  ];
}

const article = (type: string): string => `${/^[AEIO]/i.test(type) ? 'An' : 'A'} ${type}`;

/** Quick pick of the states the process allows from here. */
async function pickState(item: WorkItem, choices: readonly StateChoice[]): Promise<string | undefined> {
  if (choices.length === 0) {
    void vscode.window.showInformationMessage(`${workItemKey(item)} (${item.state}) cannot move to another state.`);
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.state, description: c.lifecycle && c.lifecycle !== c.state ? c.lifecycle : '', detail: c.description ?? '', state: c.state })),
    { title: `${workItemKey(item)}: ${item.title}`, placeHolder: `Now ${item.state}. Move to…` },
  );
  return pick?.state;
}

const DONE_NAMES = ['done', 'closed', 'completed'];

function doneState(choices: readonly StateChoice[]): StateChoice | undefined {
  return choices.find((c) => c.lifecycle === 'Done') ?? choices.find((c) => DONE_NAMES.includes(c.state.toLowerCase()));
}

/** A GitHub Project item's Status: a quick pick of the project's options, then setStatus. */
async function changeProjectStatus(item: WorkItem, project: ProjectContext, wanted: string | undefined): Promise<WriteResult | undefined> {
  const options = project.statusOptions.filter((o) => o !== project.status);
  if (project.statusOptions.length === 0) throw new DevOpsError('invalidInput', `Project #${project.number} has no Status field options to choose from; add them in the project's settings.`);
  const chosen =
    wanted ??
    (
      await vscode.window.showQuickPick(
        options.map((o) => ({ label: o, description: lifecycleForStatus(o) ?? '' })),
        { title: `${workItemKey(item)}: ${item.title}`, placeHolder: `Now ${project.status ?? 'No Status'}. Move to…` },
      )
    )?.label;
  if (chosen === undefined) return undefined;
  const option = project.statusOptions.find((o) => o.toLowerCase() === chosen.toLowerCase());
  if (!option) throw new DevOpsError('invalidInput', `"${chosen}" is not a Status option of project #${project.number}; its options are ${project.statusOptions.join(', ')}.`);
  for (let round = 0; round < 3; round++) {
    const outcome: LooseOutcome = await project.tracker.setStatus(project.number, project.itemId, option, { correlationId: 'aiDevops.workItem.changeState' });
    if (outcome.kind === 'applied-project' || outcome.kind === 'applied') {
      void vscode.window.showInformationMessage(`${workItemKey(item)} moved to ${option}.`);
      return 'applied';
    }
    if (outcome.kind === 'queued') {
      void vscode.window.showInformationMessage(`${workItemKey(item)}: move to ${option} — saved, will be sent when GitHub is reachable again (${outcome.reason ?? 'offline'}). The status bar shows what is waiting.`);
      return 'queued';
    }
    if (outcome.kind === 'refused') {
      void vscode.window.showErrorMessage(`${workItemKey(item)}: GitHub refused the move to ${option}: ${outcome.message ?? 'no reason given'}`);
      return 'refused';
    }
    // Someone moved the card since the board was read: theirs against yours, nothing written yet.
    const theirs = remoteStatus(outcome.remote) ?? 'another status';
    const pick = await vscode.window.showWarningMessage(
      `${workItemKey(item)} was moved by someone else since the board was loaded.`,
      { modal: true, detail: `On GitHub now: ${theirs}\nYours: ${option}\n\n${outcome.message ?? ''}`.trim() },
      'Open in Browser',
      'Overwrite with Mine',
      'Discard Mine',
    );
    if (pick === 'Open in Browser') await vscode.env.openExternal(vscode.Uri.parse(item.url));
    if (pick !== 'Overwrite with Mine') return pick === 'Discard Mine' ? 'discarded' : 'conflict';
  }
  return 'conflict';
}

/** setStatus answers, read loosely so both the old and the new outcome shapes are understood. */
interface LooseOutcome {
  readonly kind: string;
  readonly remote?: unknown;
  readonly reason?: string;
  readonly message?: string;
}

function remoteStatus(remote: unknown): string | undefined {
  if (typeof remote !== 'object' || remote === null) return undefined;
  const r = remote as { status?: unknown; state?: unknown };
  return typeof r.status === 'string' ? r.status : typeof r.state === 'string' ? r.state : undefined;
}

/** Asks for a title and creates the item (under `parent` when given). Shared with Create Work Item. */
export async function createItem(context: BoardsCommandContext, parent: CommandTarget | { tracker: CommandTarget['tracker']; item: undefined }, type: string, givenTitle: string | undefined): Promise<WriteResult | undefined> {
  const where = parent.item ? `under ${workItemKey(parent.item)}` : '';
  const title =
    givenTitle ??
    (await vscode.window.showInputBox({
      title: `New ${type} ${where}`.trim(),
      prompt: 'Title',
      validateInput: (v) => (v.trim().length === 0 ? 'A work item needs a title.' : v.length > 255 ? 'At most 255 characters.' : undefined),
    }));
  if (title === undefined || title.trim() === '') return undefined;
  const parentItem = parent.item;
  let created: WorkItem | undefined;
  const request = { type, title: title.trim(), description: '', ...(parentItem ? { parentId: parentItem.id } : {}) };
  const correlation = { correlationId: 'aiDevops.boards.createWorkItem' };
  let result: WriteResult;
  if (parentItem) {
    result = await runWrite(
      parent.tracker,
      parentItem,
      `create ${type} "${title.trim()}"`,
      async () => {
        const outcome = await parent.tracker.create(request, correlation);
        if (outcome.kind === 'applied') created = outcome.item;
        return outcome;
      },
      { quietWhenApplied: true },
    );
  } else {
    // A top-level item has no existing item to name in the messages; a new item cannot conflict.
    const outcome = await parent.tracker.create(request, correlation);
    if (outcome.kind === 'applied') created = outcome.item;
    const service = parent.tracker === context.azure() ? 'Azure Boards' : 'GitHub';
    if (outcome.kind === 'queued') {
      void vscode.window.showInformationMessage(`New ${type} "${title.trim()}": saved, will be sent when ${service} is reachable again (${outcome.reason}). The status bar shows what is waiting.`);
    }
    if (outcome.kind === 'refused') void vscode.window.showErrorMessage(`New ${type} "${title.trim()}": ${service} refused it: ${outcome.message}`);
    result = outcome.kind === 'conflict' ? 'conflict' : outcome.kind;
  }
  await context.reload();
  if (created) {
    const key = workItemKey(created);
    void vscode.window.showInformationMessage(`Created ${type} ${key}: ${created.title}`, 'Open in Browser', 'Copy Reference').then(async (pick) => {
      if (pick === 'Open in Browser') await vscode.env.openExternal(vscode.Uri.parse(created!.url));
      if (pick === 'Copy Reference') await vscode.env.clipboard.writeText(commitReference({ tracker: created!.tracker, id: created!.id }));
    });
  }
  return result;
}

