import * as vscode from 'vscode';
import { describeDecision } from '../../agents/runtime/approvalPolicy';
import { type PreparedEdit } from '../../agents/runtime/edits';
import { ACTION_LABELS, type ActionKind, displayCommand } from '../../agents/runtime/plan';
import { type ReviewAnswer, type ReviewRequest } from '../../agents/runtime/runUi';
import { type ProposedContent } from './proposedContent';

type Item = vscode.QuickPickItem & ({ kind?: undefined; ref: { edit: string } | { command: number } | { remote: string } } | { kind: vscode.QuickPickItemKind.Separator });

const lineCount = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** Diff pairs for every edit: the file on disk (or nothing) against the proposed text. */
export function diffResources(runId: string, root: vscode.Uri, edits: readonly PreparedEdit[], proposed: ProposedContent): [vscode.Uri, vscode.Uri | undefined, vscode.Uri][] {
  return edits.map((e) => {
    const right = proposed.put(runId, e.path, e.content);
    const target = vscode.Uri.joinPath(root, e.path);
    return [target, e.original === undefined ? proposed.empty(runId, e.path) : target, right];
  });
}

/** Opens every proposed change in VS Code's multi-file diff editor. */
export async function showAllChanges(title: string, resources: [vscode.Uri, vscode.Uri | undefined, vscode.Uri][]): Promise<void> {
  if (resources.length === 0) return;
  await vscode.commands.executeCommand('vscode.changes', title, resources);
}

/**
 * The review: the plan's changes in a multi-select list (files with a diff button, commands,
 * remote changes), everything ticked; the multi-file diff editor opens beside it. Enter applies
 * what is ticked, Escape applies nothing.
 */
export async function reviewPlan(runId: string, root: vscode.Uri, request: ReviewRequest, proposed: ProposedContent): Promise<ReviewAnswer | undefined> {
  const { plan } = request;
  const resources = diffResources(runId, root, request.edits, proposed);
  const title = `${plan.agent}: ${plan.title}`;
  await showAllChanges(`${title} (proposed)`, resources).catch(() => undefined);
  const asked = new Set<ActionKind>(request.ask);
  const note = (kind: ActionKind): string => (asked.has(kind) ? '' : ' · allowed by policy');
  const allowed = (kind: ActionKind): boolean => request.decisions.get(kind)?.decision !== 'never';
  const items: Item[] = [];
  const diffButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('diff'), tooltip: 'Open this change as a diff' };
  if (request.edits.length > 0 && allowed('writeFiles')) {
    items.push({ kind: vscode.QuickPickItemKind.Separator, label: `Files (${request.edits.length})` });
    for (const e of request.edits) {
      items.push({
        label: `$(${e.original === undefined ? 'new-file' : 'edit'}) ${e.path}`,
        description: `${e.original === undefined ? `new · ${lineCount(e.content)} lines` : `changed · ${lineCount(e.original)} → ${lineCount(e.content)} lines`}${note('writeFiles')}`,
        ...(e.why ? { detail: e.why } : {}),
        picked: true,
        buttons: [diffButton],
        ref: { edit: e.path },
      });
    }
  }
  if (plan.commands.length > 0 && allowed('runCommand')) {
    items.push({ kind: vscode.QuickPickItemKind.Separator, label: `Commands to run, in order (${plan.commands.length})` });
    plan.commands.forEach((c, i) => items.push({ label: `$(terminal) ${displayCommand(c)}`, description: `${c.cwd ? `in ${c.cwd}` : ''}${note('runCommand')}`, detail: c.why, picked: true, ref: { command: i } }));
  }
  for (const kind of ['trackerWrite', 'pushPublish'] as const) {
    const changes = plan.remote.filter((r) => r.approval === kind);
    if (changes.length === 0 || !allowed(kind)) continue;
    items.push({ kind: vscode.QuickPickItemKind.Separator, label: kind === 'trackerWrite' ? `Work items and comments (${changes.length})` : `Push and publish (${changes.length})` });
    for (const r of changes) items.push({ label: `$(${kind === 'trackerWrite' ? 'issues' : 'cloud-upload'}) ${r.summary}`, description: `${r.target}${note(kind)}`, picked: true, ref: { remote: r.id } });
  }
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = title;
  pick.placeholder = `Untick what you do not want, then Enter to apply (Escape: apply nothing). ${request.ask.map((k) => describeDecision(plan.agent, k, request.decisions.get(k)!)).join('; ')}`;
  pick.canSelectMany = true;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = items;
  pick.selectedItems = items.filter((i) => i.kind === undefined && i.picked);
  const allButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('diff-multiple'), tooltip: 'Show all proposed changes' };
  if (resources.length > 0) pick.buttons = [allButton];
  try {
    return await new Promise<ReviewAnswer | undefined>((resolve) => {
      pick.onDidTriggerButton(() => void showAllChanges(`${title} (proposed)`, resources));
      pick.onDidTriggerItemButton((e) => {
        const item = e.item;
        if (item.kind !== undefined || !('edit' in item.ref)) return;
        const path = item.ref.edit;
        const r = resources.find(([target]) => target.path.endsWith(`/${path}`));
        if (r) void vscode.commands.executeCommand('vscode.diff', r[1], r[2], `${path} (proposed by ${plan.agent})`, { preview: true });
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems.flatMap((i) => (i.kind === undefined ? [i.ref] : []));
        resolve({
          edits: chosen.flatMap((r) => ('edit' in r ? [r.edit] : [])),
          commands: chosen.flatMap((r) => ('command' in r ? [r.command] : [])),
          remote: chosen.flatMap((r) => ('remote' in r ? [r.remote] : [])),
        });
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

/** The question asked while planning: run this command now, or send this content to a cloud model. */
export async function confirmDuringRun(kind: ActionKind, agent: string, detail: string): Promise<boolean> {
  const [first, ...rest] = detail.split('\n');
  const action = kind === 'runCommand' ? 'Run' : kind === 'cloudModel' ? 'Send' : 'Allow';
  const message = kind === 'runCommand' ? `The ${agent} agent wants to run: ${first}` : kind === 'cloudModel' ? `The ${agent} agent wants to send workspace content to ${first}.` : `The ${agent} agent wants to ${ACTION_LABELS[kind]}: ${first}`;
  const detailText = [rest.join('\n'), kind === 'cloudModel' ? 'Secrets are redacted first. Set aiDevops.agents.approval to Allow or Never to stop being asked.' : 'Commands run without a shell, only when the command allowlist allows them.'].filter(Boolean).join('\n\n');
  return (await vscode.window.showWarningMessage(message, { modal: true, detail: detailText }, action)) === action;
}
