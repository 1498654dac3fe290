import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { inScope, locateTodo, planBatch, type PlanEntry } from '../../core/todo/batchPlan';
import { findReferences, referenceLabel, type WorkItemReference } from '../../core/todo/references';
import { insertReferenceEdit, removeReferenceEdit, replaceReferenceEdit } from '../../core/todo/todoEdits';
import { type LocatedTodo } from '../../core/todo/todoGroups';
import { type TodoItem, type TodoMatcher } from '../../core/todo/todoParser';
import { commandArgument } from '../../core/todo/todoPresentation';
import { draftWorkItem } from '../../core/todo/workItemDraft';
import { noTrackerMessage, type TrackerChoice, type WorkItemResolver } from '../../core/todo/workItemResolver';
import { type TrackerKind } from '../../core/workItem';
import { type BatchJournalStore, type BatchOutcome, runBatch } from '../../providers/todos/batchRunner';
import { type DocumentTodos } from './documentTodos';
import { isTodoNode } from './linkedTodosTree';
import { workspaceEdit } from './todoEditConversion';

/** What the TODO commands work with; built by registerTodoFeature. */
export interface TodoCommandContext {
  readonly resolver: WorkItemResolver;
  readonly documents: DocumentTodos;
  readonly log: Logger;
  readonly matcher: () => TodoMatcher;
  readonly defaultTracker: () => TrackerKind;
  /** Every TODO of the workspace, once the index is ready. */
  readonly workspaceTodos: () => Promise<Iterable<LocatedTodo>>;
  readonly journal: () => BatchJournalStore | undefined;
  readonly refresh: () => Promise<void>;
}

/** A TODO named by a command argument: `{ uri, line }` from a lens, hover or code action, or a node of the view. */
async function targetOf(context: TodoCommandContext, arg: unknown): Promise<{ document: vscode.TextDocument; todo: TodoItem | undefined; referenceIndex: number } | undefined> {
  if (isTodoNode(arg)) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(arg.located.file));
    return { document, todo: context.documents.at(document, arg.located.todo.line), referenceIndex: arg.referenceIndex };
  }
  if (typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string' && typeof (arg as { line?: unknown }).line === 'number') {
    const { uri, line, referenceIndex } = arg as { uri: string; line: number; referenceIndex?: number };
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    return { document, todo: context.documents.at(document, line), referenceIndex: referenceIndex ?? 0 };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) return undefined;
  return { document: editor.document, todo: context.documents.at(editor.document, editor.selection.active.line), referenceIndex: 0 };
}

async function showError(error: unknown, log: Logger): Promise<void> {
  const devOps = isDevOpsError(error) ? error : new DevOpsError('unavailable', error instanceof Error ? error.message : String(error));
  if (devOps.code === 'cancelled') return;
  log.warn(`TODO command failed: ${devOps.code}: ${devOps.message}`);
  const signIn = devOps.code === 'notConfigured' || devOps.code === 'unauthorized';
  const pick = await vscode.window.showErrorMessage(devOps.message, ...(signIn ? ['Sign In'] : []), 'Show Log');
  if (pick === 'Sign In') await vscode.commands.executeCommand('aiDevops.signIn');
  if (pick === 'Show Log') await vscode.commands.executeCommand('aiDevops.showLog');
}

function abortSignal(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

/** Asks which tracker takes the new items; the default tracker first. Undefined when none can or the user backs out. */
async function pickTracker(context: TodoCommandContext): Promise<TrackerChoice | undefined> {
  const choices = await context.resolver.trackers();
  const available = choices.filter((c) => c.available);
  if (available.length === 0) throw new DevOpsError('notConfigured', noTrackerMessage(choices));
  if (available.length === 1) return available[0];
  const preferred = context.defaultTracker();
  const sorted = [...available].sort((a, b) => Number(b.tracker === preferred) - Number(a.tracker === preferred));
  const pick = await vscode.window.showQuickPick(
    sorted.map((c) => ({ label: c.label, choice: c })),
    { title: 'Create the work item in', placeHolder: 'Tracker' },
  );
  return pick?.choice;
}

const fenceLanguage = (document: vscode.TextDocument): string => document.languageId.replace(/[^\w+-]/g, '');

/** Writes `reference` into the TODO, found again in the document as it is now (lines may have moved). */
async function writeReference(document: vscode.TextDocument, documents: DocumentTodos, before: TodoItem, reference: WorkItemReference): Promise<boolean> {
  const now = documents.get(document);
  const same = now.find((t) => t.line === before.line && t.tag === before.tag && t.text === before.text) ?? now.find((t) => t.tag === before.tag && t.text === before.text && t.references.length === 0);
  if (same === undefined) return false;
  return vscode.workspace.applyEdit(workspaceEdit(document.uri, [insertReferenceEdit(same, reference)]));
}

async function createWorkItem(context: TodoCommandContext, arg: unknown): Promise<void> {
  const target = await targetOf(context, arg);
  if (target?.todo === undefined) {
    void vscode.window.showInformationMessage('Put the cursor on a TODO, FIXME, HACK or XXX comment to create a work item from it.');
    return;
  }
  const { document, todo } = target;
  if (todo.references.length > 0) {
    void vscode.window.showInformationMessage(`This ${todo.tag} already names ${referenceLabel(todo.references[0]!.reference)}.`);
    return;
  }
  const tracker = await pickTracker(context);
  if (tracker === undefined) return;
  const relativePath = vscode.workspace.asRelativePath(document.uri, false);
  const draft = draftWorkItem(todo, { relativePath, lines: document.getText().split(/\r?\n/), fenceLanguage: fenceLanguage(document) });
  const title = await vscode.window.showInputBox({
    title: `Create work item in ${tracker.label}`,
    prompt: 'Title of the new work item',
    value: draft.title,
    validateInput: (value) => (value.trim().length === 0 ? 'A work item needs a title.' : value.length > 255 ? 'At most 255 characters.' : undefined),
  });
  if (title === undefined) return;
  const reference = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Creating a work item in ${tracker.label}…`, cancellable: true },
    (_progress, token) =>
      context.resolver.create(
        { tracker: tracker.tracker, title: title.trim(), description: draft.description, relativePath, line: todo.line, clientRequestId: randomUUID() },
        abortSignal(token),
      ),
  );
  const written = await writeReference(document, context.documents, todo, reference);
  const label = referenceLabel(reference);
  const message = written ? `Created ${label} and linked the ${todo.tag} to it.` : `Created ${label}, but the ${todo.tag} changed meanwhile: add ${label} to it by hand.`;
  const pick = await vscode.window.showInformationMessage(message, 'Open in Browser');
  if (pick) await vscode.commands.executeCommand('aiDevops.workItem.openInBrowser', commandArgument(reference));
}

async function removeReference(context: TodoCommandContext, arg: unknown): Promise<void> {
  const target = await targetOf(context, arg);
  const found = target?.todo?.references[target.referenceIndex];
  if (target === undefined || found === undefined) {
    void vscode.window.showInformationMessage('That TODO no longer names this work item.');
    return;
  }
  const lineText = target.document.lineAt(found.span.line).text;
  await vscode.workspace.applyEdit(workspaceEdit(target.document.uri, [removeReferenceEdit(found, lineText)]));
}

async function relink(context: TodoCommandContext, arg: unknown): Promise<void> {
  const target = await targetOf(context, arg);
  const found = target?.todo?.references[target.referenceIndex];
  if (target === undefined || found === undefined) {
    void vscode.window.showInformationMessage('That TODO no longer names this work item.');
    return;
  }
  const parse = (value: string): WorkItemReference | undefined => {
    const text = /^\d+$/.test(value.trim()) ? `#${value.trim()}` : value.trim();
    return findReferences(text, context.matcher().references)[0]?.reference;
  };
  const value = await vscode.window.showInputBox({
    title: `Link this ${target.todo!.tag} to another work item`,
    prompt: 'AB#123, owner/repo#45, GH-45, #123 (default tracker), or the work item URL',
    value: found.raw,
    validateInput: (v) => (parse(v) === undefined ? 'Not a work item reference: try AB#123, owner/repo#45 or a work item URL.' : undefined),
  });
  const reference = value === undefined ? undefined : parse(value);
  if (reference === undefined) return;
  await vscode.workspace.applyEdit(workspaceEdit(target.document.uri, [replaceReferenceEdit(found, reference)]));
}

async function openTodo(arg: unknown): Promise<void> {
  const location = isTodoNode(arg)
    ? { uri: vscode.Uri.file(arg.located.file), line: arg.located.todo.line, character: arg.located.todo.tagSpan.start }
    : typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string'
      ? { uri: vscode.Uri.parse((arg as { uri: string }).uri), line: Number((arg as { line?: unknown }).line ?? 0), character: Number((arg as { character?: unknown }).character ?? 0) }
      : undefined;
  if (location === undefined) return;
  const position = new vscode.Position(location.line, location.character);
  await vscode.window.showTextDocument(location.uri, { selection: new vscode.Range(position, position), preview: true });
}

/** Scope of a batch as a workspace-relative path ('' = the whole workspace); undefined when the user backs out. */
async function pickScope(arg: unknown): Promise<{ scope: string; label: string } | undefined> {
  if (arg instanceof vscode.Uri) {
    const rel = vscode.workspace.asRelativePath(arg, false);
    return { scope: rel === arg.fsPath ? '' : rel, label: rel };
  }
  const editor = vscode.window.activeTextEditor;
  const items: (vscode.QuickPickItem & { scope: 'workspace' | 'file' | 'folder' })[] = [
    { label: '$(root-folder) Workspace', description: 'every unlinked TODO', scope: 'workspace' },
    { label: '$(folder) Folder…', description: 'pick a folder', scope: 'folder' },
  ];
  if (editor !== undefined && editor.document.uri.scheme === 'file') items.splice(1, 0, { label: '$(file) Current file', description: vscode.workspace.asRelativePath(editor.document.uri, false), scope: 'file' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Create work items for unlinked TODOs in' });
  if (pick === undefined) return undefined;
  if (pick.scope === 'workspace') return { scope: '', label: 'the workspace' };
  if (pick.scope === 'file' && editor !== undefined) {
    const rel = vscode.workspace.asRelativePath(editor.document.uri, false);
    return { scope: rel, label: rel };
  }
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri, openLabel: 'Use this folder' });
  if (folder?.[0] === undefined) return undefined;
  const rel = vscode.workspace.asRelativePath(folder[0], false);
  return { scope: rel === folder[0].fsPath ? '' : rel, label: rel };
}

const decisionDetail = (entry: PlanEntry, plan: readonly PlanEntry[]): string | undefined => {
  switch (entry.decision.kind) {
    case 'resume':
      return `Already created as ${referenceLabel(entry.decision.reference)} by an interrupted batch: only the reference is written.`;
    case 'sameAs':
      return `Same text as ${plan[entry.decision.index]?.located.relativePath ?? 'another TODO'}: gets the same work item.`;
    default:
      return undefined;
  }
};

function summarise(outcomes: readonly BatchOutcome[]): string {
  const count = (r: BatchOutcome['result']): number => outcomes.filter((o) => o.result === r).length;
  const parts = [
    [count('created'), 'created'],
    [count('resumed') + count('linkedExisting') + count('sameAs'), 'linked to items made before'],
    [count('skipped'), 'skipped as duplicates'],
    [count('notWritten'), 'created but their TODO moved away'],
    [count('failed'), 'failed'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ');
}

async function createForUnlinked(context: TodoCommandContext, arg: unknown): Promise<void> {
  const scope = await pickScope(arg);
  if (scope === undefined) return;
  const store = context.journal();
  if (store === undefined) throw new DevOpsError('notConfigured', 'Open a folder first: the batch keeps its journal per workspace folder.');
  const all = [...(await context.workspaceTodos())];
  const unlinked = all.filter((t) => t.todo.references.length === 0 && inScope(t, scope.scope));
  const linked = all.filter((t) => t.todo.references.length > 0);
  const plan = planBatch(unlinked, linked, await store.load());
  const skipped = plan.filter((e) => e.decision.kind === 'skip');
  const candidates = plan.filter((e) => e.decision.kind !== 'skip');
  for (const s of skipped) context.log.info(`TODO batch: skipping ${s.located.relativePath}:${s.located.todo.line + 1}: ${s.decision.kind === 'skip' ? s.decision.reason : ''}`);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`No unlinked TODOs to create work items for in ${scope.label}${skipped.length > 0 ? ` (${skipped.length} skipped as duplicates)` : ''}.`);
    return;
  }
  const picks = await vscode.window.showQuickPick(
    candidates.map((entry) => ({
      label: `${entry.located.todo.tag}: ${entry.title}`,
      description: `${entry.located.relativePath}:${entry.located.todo.line + 1}`,
      detail: decisionDetail(entry, plan),
      picked: true,
      entry,
    })),
    {
      canPickMany: true,
      title: `Create work items for ${candidates.length} unlinked TODO${candidates.length === 1 ? '' : 's'} in ${scope.label}`,
      placeHolder: skipped.length > 0 ? `${skipped.length} duplicate(s) left out (see the log). Uncheck any you do not want.` : 'Uncheck any you do not want.',
      matchOnDescription: true,
    },
  );
  if (picks === undefined || picks.length === 0) return;
  const tracker = await pickTracker(context);
  if (tracker === undefined) return;
  const entries = picks.map((p) => p.entry);
  const creating = entries.filter((e) => e.decision.kind === 'create').length;
  const confirm = await vscode.window.showWarningMessage(
    `Create up to ${creating} work item${creating === 1 ? '' : 's'} in ${tracker.label} and write ${entries.length} reference${entries.length === 1 ? '' : 's'} into the comments?`,
    { modal: true, detail: 'Items are created one at a time within the service’s write limits. If the batch stops, run the command again: it resumes without duplicates.' },
    'Create',
  );
  if (confirm !== 'Create') return;
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Creating work items', cancellable: true },
    (progress, token) =>
      runBatch({
        entries,
        tracker: tracker.tracker,
        resolver: context.resolver,
        store,
        newId: randomUUID,
        signal: abortSignal(token),
        progress: (done, total, title) => progress.report({ message: `${done}/${total}${title ? `: ${title}` : ''}`, increment: total > 0 ? 100 / total : 0 }),
        describe: async (entry) => {
          const document = await vscode.workspace.openTextDocument(vscode.Uri.file(entry.located.file));
          return draftWorkItem(entry.located.todo, { relativePath: entry.located.relativePath, lines: document.getText().split(/\r?\n/), fenceLanguage: fenceLanguage(document) }).description;
        },
        writeBack: {
          write: async (entry, reference) => {
            const document = await vscode.workspace.openTextDocument(vscode.Uri.file(entry.located.file));
            const wasDirty = document.isDirty;
            const todo = locateTodo(context.documents.get(document), entry.located.relativePath, entry.fingerprint, entry.located.todo.line);
            if (todo === undefined) return false;
            const applied = await vscode.workspace.applyEdit(workspaceEdit(document.uri, [insertReferenceEdit(todo, reference)]));
            // Save files the user had not touched, so an interruption cannot lose the written id; never save their unsaved work.
            if (applied && !wasDirty) await document.save();
            return applied;
          },
        },
      }),
  );
  const summary = summarise(run.outcomes);
  for (const o of run.outcomes.filter((o) => o.message)) context.log.info(`TODO batch: ${o.entry.located.relativePath}:${o.entry.located.todo.line + 1}: ${o.result}: ${o.message}`);
  if (run.complete) {
    void vscode.window.showInformationMessage(`Work items for unlinked TODOs: ${summary || 'nothing to do'}.`);
    return;
  }
  const reason = run.stoppedBecause?.message ?? 'stopped';
  const pick = await vscode.window.showWarningMessage(`The batch stopped after ${summary || 'no changes'}: ${reason}`, 'Resume', 'Show Log');
  if (pick === 'Resume') await vscode.commands.executeCommand('aiDevops.todos.createForUnlinked', arg);
  if (pick === 'Show Log') await vscode.commands.executeCommand('aiDevops.showLog');
}

/** Registers the TODO commands; every handler reports its errors instead of throwing into VS Code. */
export function registerTodoCommands(context: TodoCommandContext): vscode.Disposable[] {
  const guard =
    (run: (arg: unknown) => Promise<void>) =>
    async (arg: unknown): Promise<void> => {
      try {
        await run(arg);
      } catch (error) {
        await showError(error, context.log);
      }
    };
  return [
    vscode.commands.registerCommand('aiDevops.todo.createWorkItem', guard((arg) => createWorkItem(context, arg))),
    vscode.commands.registerCommand('aiDevops.todo.removeReference', guard((arg) => removeReference(context, arg))),
    vscode.commands.registerCommand('aiDevops.todo.relink', guard((arg) => relink(context, arg))),
    vscode.commands.registerCommand('aiDevops.todo.open', guard((arg) => openTodo(arg))),
    vscode.commands.registerCommand('aiDevops.todos.refresh', guard(() => context.refresh())),
    vscode.commands.registerCommand('aiDevops.todos.createForUnlinked', guard((arg) => createForUnlinked(context, arg))),
  ];
}
