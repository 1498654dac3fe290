import * as vscode from 'vscode';
import { fieldLines } from '../../core/boards/conflictText';
import { outboxEntryLabel, outboxStatus } from '../../core/boards/outboxStatus';
import { type OutboxEntrySummary, type OutboxView } from '../../core/boards/workTracker';
import { DevOpsError } from '../../core/errors';
import { type Logger } from '../../core/host';
import { showCommandError } from './commandContext';

/**
 * The status bar item for remote changes waiting in the outbox (hidden at 0, warning colour when
 * one conflicts or failed), and the Show / Send Now commands behind it.
 */
export class OutboxStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private sub: { dispose(): void } | undefined;
  private watched: OutboxView | undefined;

  constructor(private readonly outbox: () => OutboxView | undefined) {
    this.item = vscode.window.createStatusBarItem('aiDevops.outbox', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'AI DevOps: Pending Remote Changes';
    this.item.command = 'aiDevops.outbox.show';
    this.update();
  }

  update(): void {
    const outbox = this.outbox();
    if (outbox !== this.watched) {
      this.sub?.dispose();
      this.watched = outbox;
      this.sub = outbox?.onDidChange(() => this.update());
    }
    const status = outboxStatus(outbox?.pending() ?? []);
    void vscode.commands.executeCommand('setContext', 'aiDevops.outbox.pending', status.visible);
    if (!status.visible) {
      this.item.hide();
      return;
    }
    this.item.text = status.text;
    this.item.tooltip = status.tooltip;
    this.item.backgroundColor = status.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: status.tooltip };
    this.item.show();
  }

  /** What the item shows now (tests read it). */
  get state(): { visible: boolean; text: string; warning: boolean } {
    const status = outboxStatus(this.outbox()?.pending() ?? []);
    return { visible: status.visible, text: status.text, warning: status.warning };
  }

  dispose(): void {
    this.sub?.dispose();
    this.item.dispose();
  }
}

/** What the user may do with a waiting change, by its state. */
export type OutboxAction = 'Send now' | 'Discard' | 'Overwrite with Mine' | 'Discard Mine' | 'Send Again' | 'Open in Browser';

export function actionsFor(entry: OutboxEntrySummary): OutboxAction[] {
  switch (entry.state) {
    case 'conflict':
      return ['Overwrite with Mine', 'Discard Mine', ...(entry.url ? (['Open in Browser'] as const) : [])];
    case 'refused':
      return ['Send Again', 'Discard', ...(entry.url ? (['Open in Browser'] as const) : [])];
    case 'pending':
      return entry.elsewhere !== undefined ? ['Discard'] : ['Send now', 'Discard'];
  }
}

/** Carries out the user's choice for one waiting change. Returns what came of it. */
export async function applyOutboxAction(o: OutboxView, entry: OutboxEntrySummary, action: OutboxAction, sendNow: () => Promise<unknown>): Promise<string | undefined> {
  switch (action) {
    case 'Open in Browser':
      if (entry.url) await vscode.env.openExternal(vscode.Uri.parse(entry.url));
      return undefined;
    case 'Send now':
      await sendNow();
      return 'sent';
    case 'Overwrite with Mine':
      await o.resolve(entry.id, 'overwrite');
      await sendNow();
      return 'overwritten';
    case 'Send Again':
      await o.resolve(entry.id, 'retry');
      await sendNow();
      return 'sent';
    case 'Discard':
    case 'Discard Mine':
      await o.discard(entry.id);
      void vscode.window.showInformationMessage(`Discarded: ${entry.description}`);
      return 'discarded';
  }
}

/** How many conflict/refusal notifications may be open at once before one summary stands for the rest. */
const MAX_OPEN_NOTIFICATIONS = 3;

/**
 * Tells the user at once how a change sent in the background ended: a conflict (the fields someone
 * else changed, and the three choices) or a refusal (the service's reason), each with its choices;
 * the views reload after any of them.
 */
export function watchSettledWrites(outbox: OutboxView, log: Logger, reload: () => Promise<void>, sendNow: () => Promise<unknown>): vscode.Disposable {
  // A plan of hundreds of changes refused at once (a permission gone) must not open hundreds of
  // notifications: past a few open ones, one says how many more wait and opens the list.
  let open = 0;
  let summary = false;
  const sub = outbox.onDidSettle((settled) => {
    void reload();
    if (settled.outcome === 'applied') {
      vscode.window.setStatusBarMessage(`$(check) Sent: ${settled.description}`, 4000);
      return;
    }
    const entry = outbox.pending().find((e) => e.id === settled.id);
    if (!entry) return;
    if (open >= MAX_OPEN_NOTIFICATIONS) {
      if (summary) return;
      summary = true;
      const needYou = outbox.pending().filter((e) => e.state !== 'pending').length;
      void vscode.window.showWarningMessage(`${needYou} remote changes were not sent and need you (conflicts or refusals).`, 'Show Pending Changes').then((pick) => {
        summary = false;
        if (pick) void vscode.commands.executeCommand('aiDevops.outbox.show');
      });
      return;
    }
    open++;
    const actions = actionsFor(entry);
    const shown =
      settled.outcome === 'conflict'
        ? vscode.window.showWarningMessage(`${settled.description} — not sent: someone else changed it. ${fieldLines(settled.fields).join('; ')}`, ...actions)
        : vscode.window.showErrorMessage(`${settled.description} — ${settled.where} refused it: ${settled.message}`, ...actions);
    void shown.then(async (pick) => {
      open--;
      if (!pick) return;
      // The entry may have been sent or discarded from another window meanwhile.
      const still = outbox.pending().find((e) => e.id === settled.id);
      if (!still) return;
      try {
        await applyOutboxAction(outbox, still, pick, sendNow);
      } catch (error) {
        await showCommandError(error, log, pick);
      }
    });
  });
  return { dispose: () => sub.dispose() };
}

export function registerOutboxCommands(outbox: () => OutboxView | undefined, bar: OutboxStatusBar, log: Logger, reload: () => Promise<void>): vscode.Disposable[] {
  const retry = async (): Promise<number | undefined> => {
    const o = outbox();
    if (!o) {
      void vscode.window.showInformationMessage('No remote changes are waiting: nothing is connected that queues them.');
      return undefined;
    }
    try {
      const sent = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Sending pending remote changes…', cancellable: true }, (_p, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return o.flush(controller.signal);
      });
      const left = o.pending();
      const needYou = left.filter((e) => e.state !== 'pending').length;
      const elsewhere = left.filter((e) => e.state === 'pending' && e.elsewhere !== undefined).length;
      const rest = left.length ? ` ${left.length} still waiting (${needYou} need you${elsewhere ? `, ${elsewhere} for another repository, project or account` : ''}).` : '';
      void vscode.window.showInformationMessage(`Sent ${sent} pending change${sent === 1 ? '' : 's'}.${rest}`);
      await reload();
      return sent;
    } catch (error) {
      await showCommandError(error, log, 'Send pending changes');
      return undefined;
    } finally {
      bar.update();
    }
  };

  return [
    vscode.commands.registerCommand('aiDevops.outbox.retry', retry),
    vscode.commands.registerCommand('aiDevops.outbox.show', async (entryId?: unknown, action?: unknown) => {
      const o = outbox();
      const entries = o?.pending() ?? [];
      if (!o || entries.length === 0) {
        void vscode.window.showInformationMessage('No remote changes are waiting to be sent.');
        return entries.length;
      }
      type Row = vscode.QuickPickItem & { id?: string };
      const rows: Row[] = [{ label: '$(sync) Send all now', description: `${entries.length} waiting` }, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...entries.map((e) => ({ ...outboxEntryLabel(e), id: e.id }))];
      const chosenId = typeof entryId === 'string' ? entryId : undefined;
      const pick = chosenId ? rows.find((r) => r.id === chosenId) : await vscode.window.showQuickPick(rows, { title: 'Pending remote changes', placeHolder: 'Pick a change to send now, resolve or discard', matchOnDescription: true, matchOnDetail: true });
      if (!pick) return undefined;
      if (pick.id === undefined) return retry();
      const entry = entries.find((e) => e.id === pick.id)!;
      const choices = actionsFor(entry);
      const placeHolder =
        entry.state === 'conflict'
          ? `Someone else changed it: ${fieldLines(entry.conflict).join('; ')}`
          : entry.state === 'refused'
            ? `Refused: ${entry.lastError ?? 'no reason given'}`
            : (entry.elsewhere ?? 'What to do with this change');
      const act = typeof action === 'string' ? action : await vscode.window.showQuickPick(choices, { title: entry.description, placeHolder });
      if (act === undefined) return undefined;
      if (!(choices as string[]).includes(act)) throw new DevOpsError('invalidInput', `"${act}" is not a choice for this change; choose ${choices.join(', ')}.`);
      if ((act === 'Discard' || act === 'Discard Mine') && typeof action !== 'string') {
        const sure = await vscode.window.showWarningMessage(`Discard "${entry.description}"? It will not be sent.`, { modal: true }, 'Discard');
        if (sure !== 'Discard') return undefined;
      }
      try {
        const done = await applyOutboxAction(o, entry, act as OutboxAction, retry);
        await reload();
        return done;
      } catch (error) {
        await showCommandError(error, log, act);
        return undefined;
      } finally {
        bar.update();
      }
    }),
  ];
}
